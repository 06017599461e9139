"""A model used as a layer: a nested Sequential or Functional spec.

Its rows are inferred anew on the shapes it is called with, and it counts the weights
of the layers that its outputs depend on, as Keras's nested models do.
"""

from shapes.errors import ShapeError
from shapes.graph import infer, used_layers
from shapes.registry import Built
from shapes.tensors import format_shape


class NestedError(ShapeError):
    """A layer inside a nested model refused its input; `inference` says which."""

    def __init__(self, model, inference):
        self.inference = inference
        failed = inference.failed
        super().__init__(
            f"in the nested model {model}, {failed.name} ({failed.type}): "
            f"{inference.error}"
        )


class NestedModel:
    """The rule of a `Model:` entry: `output()` runs the nested layers."""

    family = "models"

    def __init__(self, spec):
        self.spec = spec
        self.class_name = "Functional" if is_functional(spec) else "Sequential"
        self.merge = len(spec.inputs) > 1
        self.used = used_layers(spec.layers, spec.outputs)

    def output(self, config, shapes):
        """Infer the nested layers on the caller's shapes; totals of the used ones.

        As in Keras, a model with declared inputs is built on them first (its rows, and
        its refusals, come from there), then called on inputs that must fit them.
        """
        spec = self.spec
        shapes = shapes if self.merge else [shapes]
        if len(shapes) != len(spec.inputs):
            raise ShapeError(
                f"the nested model {spec.name} takes {len(spec.inputs)} inputs, "
                f"received {len(shapes)}"
            )
        declared = [i.shape for i in spec.inputs]
        built = self.run(declared) if None not in declared else None
        for model_input, shape in zip(spec.inputs, shapes):
            if not fits(model_input.shape, shape):
                raise ShapeError(
                    f"the nested model {spec.name} takes "
                    f"{format_shape(model_input.shape)} as {model_input.name}, but it "
                    f"is called on {format_shape(shape)}; change its input or what it "
                    "is called on"
                )

        called = built if shapes == declared else self.run(shapes)
        rows = tuple(r for r in (built or called).rows if r.layer.name in self.used)
        outputs = [called.shape(ref) for ref in spec.outputs]
        return Built(
            outputs[0] if len(outputs) == 1 else outputs,
            sum(row.trainable for row in rows),
            sum(row.non_trainable for row in rows),
            rows,
        )

    def run(self, shapes):
        """The nested layers' inference on `shapes`, or the refusal of one of them."""
        spec = self.spec
        inference = infer({i.name: s for i, s in zip(spec.inputs, shapes)}, spec.layers)
        if inference.failed is not None:
            raise NestedError(spec.name, inference)
        return inference


def fits(declared, shape):
    """Whether a tensor of `shape` may enter an input declared as `declared` (None:
    any); unknown sizes on either side match, as Keras's input check lets them."""
    if declared is None:
        return True
    if not isinstance(shape, tuple) or len(shape) != len(declared):
        return False
    return all(a is None or b is None or a == b for a, b in zip(declared, shape))


def is_functional(spec):
    """Whether Keras would build the spec as a Functional model, not a Sequential."""
    if len(spec.inputs) > 1 or len(spec.outputs) > 1:
        return True
    previous = spec.inputs[0].name
    for layer in spec.layers:
        if [str(ref) for ref in layer.sources] != [previous] or layer.shares:
            return True
        previous = layer.name
    return str(spec.outputs[0]) != previous
