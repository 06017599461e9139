"""Shape inference over a model's layers, in the order they are written.

Layers are duck-typed: each has `name`, `rule`, `config`, `inputs` (names of earlier
layers or model inputs), `listed` (whether the spec gave its inputs as a list) and
`trainable`. Inference stops at the first layer Keras would refuse, as Keras does.
"""

from dataclasses import dataclass, field

from shapes.errors import ShapeError
from shapes.registry import Built


@dataclass(frozen=True)
class Row:
    """One layer's result, as a row of the summary."""

    layer: object
    output_shape: object
    trainable: int
    non_trainable: int

    @property
    def params(self):
        return self.trainable + self.non_trainable


@dataclass
class Inference:
    """Rows computed so far, the shape of every named tensor, and the refusal if any."""

    rows: list = field(default_factory=list)
    shapes: dict = field(default_factory=dict)
    failed: object = None
    error: ShapeError | None = None


def call(layer, shapes):
    """Apply one layer's rule to the shapes of its inputs."""
    rule = layer.rule
    if rule.merge:
        return rule.output(layer.config, shapes if layer.listed else shapes[0])
    if len(shapes) > 1:
        raise ShapeError(f"takes one input, received {len(shapes)}: {shapes}")
    if isinstance(shapes[0], list):
        raise ShapeError(
            f"takes one input, but {layer.inputs[0]} has {len(shapes[0])} outputs: "
            f"{shapes[0]}"
        )
    return rule.output(layer.config, shapes[0])


def infer(input_shapes, layers, until=None):
    """Run every layer in order, from a mapping of model input names to shapes."""
    result = Inference(shapes=dict(input_shapes))
    for layer in layers:
        try:
            built = call(layer, [result.shapes[name] for name in layer.inputs])
        except ShapeError as error:
            result.failed, result.error = layer, error
            return result
        result.rows.append(row_of(layer, built))
        result.shapes[layer.name] = built.shape
        if layer.name == until:
            break
    return result


def row_of(layer, built: Built):
    """The summary row of a layer; a frozen layer's weights all count as non-trainable."""
    if layer.trainable:
        return Row(layer, built.shape, built.trainable, built.non_trainable)
    return Row(layer, built.shape, 0, built.trainable + built.non_trainable)
