"""A model used as a layer: a nested Sequential or Functional spec.

Its rows are inferred anew on the shapes it is called with, and it counts the weights
of the layers that its outputs depend on, as Keras's nested models do.
"""

from shapes.errors import ShapeError
from shapes.graph import infer, used_layers
from shapes.registry import Built


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

    merge = False
    family = "models"

    def __init__(self, spec):
        self.spec = spec
        self.class_name = "Functional" if is_functional(spec) else "Sequential"
        self.merge = len(spec.inputs) > 1
        self.inference = None
        self.used = set()

    def output(self, config, shapes):
        """Infer the nested layers on the caller's shapes; totals of the used ones."""
        spec = self.spec
        shapes = shapes if self.merge else [shapes]
        if len(shapes) != len(spec.inputs):
            raise ShapeError(
                f"the nested model {spec.name} takes {len(spec.inputs)} inputs, "
                f"received {len(shapes)}"
            )
        inference = infer({i.name: s for i, s in zip(spec.inputs, shapes)}, spec.layers)
        if inference.failed is not None:
            raise NestedError(spec.name, inference)

        self.inference = inference
        self.used = used_layers(spec.layers, spec.outputs)
        rows = self.rows
        outputs = [inference.shape(ref) for ref in spec.outputs]
        return Built(
            outputs[0] if len(outputs) == 1 else outputs,
            sum(row.trainable for row in rows),
            sum(row.non_trainable for row in rows),
        )

    @property
    def rows(self):
        """The rows of the last call that the nested model's outputs depend on."""
        return [row for row in self.inference.rows if row.layer.name in self.used]


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
