"""Normalization layers; BatchNormalization's moving statistics are non-trainable."""

from shapes.arguments import ANYTHING, BOOL, Float, Int, arg, opaque
from shapes.errors import ShapeError
from shapes.registry import Built, layer


def axis_size(shape, axis):
    """The size of `axis` (negative counts from the end), refusing one out of range."""
    rank = len(shape)
    if not -rank <= axis < rank or axis % rank == 0:
        raise ShapeError(f"axis {axis} is not a feature axis of the input {shape}")
    size = shape[axis]
    if size is None:
        raise ShapeError(f"axis {axis} of the input {shape} has an unknown size")
    return size


@layer(
    "BatchNormalization",
    arg("axis", Int(), -1),
    arg("momentum", Float(), 0.99),
    arg("epsilon", Float(), 0.001),
    arg("center", BOOL, True),
    arg("scale", BOOL, True),
    arg("beta_initializer", ANYTHING, "zeros"),
    arg("gamma_initializer", ANYTHING, "ones"),
    arg("moving_mean_initializer", ANYTHING, "zeros"),
    arg("moving_variance_initializer", ANYTHING, "ones"),
    *opaque(
        "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"
    ),
    arg("renorm", BOOL, False),
    arg("renorm_clipping", ANYTHING, None),
    arg("renorm_momentum", Float(), 0.99),
    arg("synchronized", BOOL, False),
)
def batch_normalization(config, shape):
    """Normalises each feature of `axis` with batch statistics; shape unchanged.

    Weights, with C the size of `axis`: gamma (C, if scale) and beta (C, if center) are
    trainable; the moving mean and variance (2C) are not, nor are renorm's three more
    statistics (3C). On 16 channels by default: 32 trainable, 32 non-trainable.
    """
    channels = axis_size(shape, config["axis"])
    trainable = channels * (int(config["scale"]) + int(config["center"]))
    statistics = 5 if config["renorm"] else 2
    return Built(shape, trainable, statistics * channels)
