"""Helpers on shapes: tuples with the batch axis first and None for unknown sizes."""

import math

from shapes.errors import ShapeError


def is_size(value):
    """Whether `value` is a known size: a positive integer (booleans are not)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def format_shape(shape):
    """Keras's way of showing a shape: `(None, 28, 28, 1)`."""
    if isinstance(shape, list):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def size_of(dims):
    """The product of known sizes, or None when any is unknown."""
    if any(d is None for d in dims):
        return None
    return math.prod(dims)


def expect_rank(shape, ndim=None, min_ndim=None, meaning=""):
    """Refuse an input whose rank the layer cannot take, as Keras's InputSpec does."""
    rank = len(shape)
    if ndim is not None and rank != ndim:
        wanted = f"rank {ndim}"
    elif min_ndim is not None and rank < min_ndim:
        wanted = f"rank {min_ndim} or more"
    else:
        return
    meaning = f" {meaning}" if meaning else ""
    raise ShapeError(
        f"expects inputs of {wanted}{meaning}, received rank {rank}: "
        f"{format_shape(shape)}"
    )


def channel_axis(data_format, rank):
    """The index of the channel axis in a full shape of this rank."""
    return 1 if data_format == "channels_first" else rank - 1


def split_channels(shape, data_format):
    """(spatial sizes, channels) of a full shape."""
    if data_format == "channels_first":
        return tuple(shape[2:]), shape[1]
    return tuple(shape[1:-1]), shape[-1]


def join_channels(batch, spatial, channels, data_format):
    """A full shape from its batch, spatial sizes and channels."""
    if data_format == "channels_first":
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def spatial_meaning(rank, data_format):
    """The expected layout in words, for rank errors: `(batch, rows, cols, channels)`."""
    axes = {1: ["steps"], 2: ["rows", "cols"], 3: ["depth", "rows", "cols"]}[rank]
    if data_format == "channels_first":
        return "(" + ", ".join(["batch", "channels", *axes]) + ")"
    return "(" + ", ".join(["batch", *axes, "channels"]) + ")"


def axes_sizes(shape, axes, distinct=False):
    """The sizes of `axes` (negative count from the end), each known, in sorted order.

    Keras sizes the weights of LayerNormalization and RMSNormalization this way; an
    axis given twice counts twice, as in Keras, unless `distinct` (Normalization).
    """
    rank = len(shape)
    for axis in axes:
        if not -rank <= axis < rank:
            raise ShapeError(
                f"axis {axis} is out of range for the input {format_shape(shape)}, "
                f"which has {rank} axes (the batch axis included)"
            )
    axes = sorted({a % rank for a in axes}) if distinct else sorted(axes)
    sizes = tuple(shape[a] for a in axes)
    if None in sizes:
        raise ShapeError(
            f"axis {list(axes)} of the input {format_shape(shape)} has an unknown "
            "size, which the weights are sized from"
        )
    return sizes
