"""TimeDistributed, which applies one layer to every step of a sequence."""

from shapes.arguments import Nested, arg
from shapes.errors import ShapeError
from shapes.registry import Built, layer
from shapes.tensors import format_shape


@layer("TimeDistributed", arg("layer", Nested()))
def time_distributed(config, shape):
    """Applies `layer` to each step of a (batch, time, ...) input.

    The inner layer sees (batch, *rest) of a (batch, time, *rest) input, and the steps
    axis is put back after the batch. The weights are the inner layer's, once.
    TimeDistributed(Dense(5)) on (None, 6, 900) gives (None, 6, 5) with 4,505 weights.
    """
    if len(shape) < 3:
        raise ShapeError(
            f"expects inputs of rank 3 or more (batch, time, ...), received rank "
            f"{len(shape)}: {format_shape(shape)}"
        )
    inner = config["layer"]

    built = inner.rule.output(inner.config, (shape[0], *shape[2:]))
    if isinstance(built.shape, list):
        raise ShapeError(
            f"wraps {inner.type}, which has {len(built.shape)} outputs here; "
            "TimeDistributed takes a layer with one output"
        )

    output = (built.shape[0], shape[1], *built.shape[1:])
    if not inner.trainable:
        return Built(output, 0, built.trainable + built.non_trainable)
    return Built(output, built.trainable, built.non_trainable)
