"""Shape inference over a model's layers, in the order they are written.

Layers are duck-typed: each has `name`, `rule`, `config`, `sources` (the `Ref`s it is
called on), `listed` (whether the spec gave its inputs as a list), `trainable`, and
`shares`: None, or the earlier layer it calls again (a shared layer, whose weights are
counted once). Inference stops at the first layer Keras would refuse, as Keras does.
"""

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from shapes.errors import ShapeError
from shapes.registry import Built


class Ref(NamedTuple):
    """A tensor: a layer's (or input's) call `node`, and `tensor` of its outputs.

    Keras writes it `name[node][tensor]` in the "Connected to" column.
    """

    layer: str
    node: int = 0
    tensor: int | None = None

    def __str__(self):
        if self.node == 0 and self.tensor is None:
            return self.layer
        return self.keras

    @property
    def keras(self):
        """As Keras's "Connected to" writes it; a whole call is its tensor 0."""
        return f"{self.layer}[{self.node}][{self.tensor or 0}]"


@dataclass(frozen=True)
class Row:
    """One layer's result, as a row of the summary; a nested model's rows in `inner`."""

    layer: object
    output_shape: object
    trainable: int
    non_trainable: int
    inner: tuple = ()

    @property
    def params(self):
        return self.trainable + self.non_trainable


@dataclass
class Inference:
    """Rows computed so far, the shape of every call, and the refusal if any.

    `shapes` maps (name, node) to the output shape(s) of that call.
    """

    rows: list = field(default_factory=list)
    shapes: dict = field(default_factory=dict)
    failed: object = None
    error: ShapeError | None = None

    def shape(self, ref):
        return tensor_shape(self.shapes, ref)


def tensor_shape(shapes, ref):
    """The shape of one tensor: a whole call's output, or one of its outputs."""
    shape = shapes[ref.layer, ref.node]
    if ref.tensor is None:
        return shape
    outputs = shape if isinstance(shape, list) else [shape]
    if ref.tensor >= len(outputs):
        raise ShapeError(
            f"{ref.keras} does not exist: {ref.layer} has {len(outputs)} output"
            f"{'s' if len(outputs) > 1 else ''}, counted from 0"
        )
    return outputs[ref.tensor]


def call(layer, shapes):
    """Apply one layer's rule to the shapes of its inputs."""
    rule = layer.rule
    if rule.merge:
        return rule.output(layer.config, shapes if layer.listed else shapes[0])
    if len(shapes) > 1:
        raise ShapeError(f"takes one input, received {len(shapes)}: {shapes}")
    if isinstance(shapes[0], list):
        source = layer.sources[0].layer
        raise ShapeError(
            f"takes one input, but {source} has {len(shapes[0])} outputs: "
            f"{shapes[0]}; take one of them, such as `{source}[0][1]`"
        )
    return rule.output(layer.config, shapes[0])


def call_shared(layer, built, rows):
    """Check that a shared layer's new call fits the weights of its first call."""
    first = rows[layer.shares.name]
    if (built.trainable, built.non_trainable) != (first.trainable, first.non_trainable):
        raise ShapeError(
            f"calls {layer.shares.name} again, but its weights were built for another "
            f"input: on this one it would need {built.trainable + built.non_trainable:,}"
            f" weights, not {first.params:,}; share layers only between inputs of the "
            "same shape"
        )


def infer(input_shapes, layers, until=None):
    """Run every layer in order, from a mapping of model input names to shapes, and
    stop after the call that gives `until` (a `Ref`) if it is given."""
    result = Inference(shapes={(name, 0): s for name, s in input_shapes.items()})
    rows = {}
    for layer in layers:
        try:
            built = call(layer, [result.shape(ref) for ref in layer.sources])
            if layer.shares is not None:
                call_shared(layer, built, rows)
        except ShapeError as error:
            result.failed, result.error = layer, error
            break
        if layer.shares is None:
            rows[layer.name] = row_of(layer, built)
            result.shapes[layer.name, 0] = built.shape
        else:
            first = rows[layer.shares.name]
            rows[first.layer.name] = replace(first, output_shape=built.shape)
            result.shapes[layer.shares.name, layer.node] = built.shape
        if until is not None and produces(layer, until):
            break
    result.rows = list(rows.values())
    return result


def produces(layer, ref):
    """Whether this call of a layer gives the tensor `ref`."""
    owner = layer.shares.name if layer.shares is not None else layer.name
    return (owner, layer.node) == (ref.layer, ref.node)


def row_of(layer, built: Built):
    """The summary row of a layer; a frozen layer's weights all count as non-trainable."""
    row = Row(layer, built.shape, built.trainable, built.non_trainable, built.inner)
    return row if layer.trainable else frozen(row)


def frozen(row):
    """A row with all its weights non-trainable, and its nested rows too, as Keras
    freezes every layer of a model set trainable=False."""
    inner = tuple(frozen(r) for r in row.inner)
    return Row(row.layer, row.output_shape, 0, row.params, inner)


def used_layers(layers, outputs):
    """The names of the layers that some output depends on, as keras.Model keeps them."""
    by_call = {}
    for layer in layers:
        owner = layer.shares.name if layer.shares is not None else layer.name
        by_call[owner, layer.node] = layer
    used, pending = set(), [(ref.layer, ref.node) for ref in outputs]
    while pending:
        name, node = pending.pop()
        layer = by_call.get((name, node))
        if layer is None or (name, node) in used:
            continue
        used.add((name, node))
        pending.extend((ref.layer, ref.node) for ref in layer.sources)
    return {name for name, _ in used}
