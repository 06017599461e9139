"""Normalization layers: Batch, Layer, Group, Unit and RMS normalization.

BatchNormalization's moving statistics are non-trainable; the others train a scale
(gamma) and an offset (beta) sized by the axes they normalise, or hold no weights.
"""

import math

from shapes.arguments import ANYTHING, BOOL, Float, Int, IntList, arg, opaque
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer
from shapes.tensors import axes_sizes


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


GAMMA_BETA = (
    arg("beta_initializer", ANYTHING, "zeros"),
    arg("gamma_initializer", ANYTHING, "ones"),
    *opaque(
        "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"
    ),
)


@layer(
    "LayerNormalization",
    arg("axis", IntList(), -1),
    arg("epsilon", Float(), 0.001),
    arg("center", BOOL, True),
    arg("scale", BOOL, True),
    *GAMMA_BETA,
    keywords=(arg("rms_scaling", BOOL, False),),
)
def layer_normalization(config, shape):
    """Normalises each sample over `axis` (an int or a list); shape unchanged.

    gamma (if scale) and beta (if center) each hold prod(sizes of axis) weights;
    the deprecated rms_scaling keeps gamma only. On (None, 6, 5, 4) with axis [1, 2]:
    2 * 6 * 5 = 60 weights.
    """
    size = math.prod(axes_sizes(shape, config["axis"]))
    rms = config.get("rms_scaling", False)
    gamma = config["scale"] or rms
    beta = config["center"] and not rms
    return Built(shape, size * (int(gamma) + int(beta)))


def check_groups(config):
    if config["groups"] <= 0 and config["groups"] != -1:
        raise ArgumentError(
            "a positive integer, or -1 for one group per channel", config["groups"]
        )


@layer(
    "GroupNormalization",
    arg("groups", Int(), 32),
    arg("axis", Int(), -1),
    arg("epsilon", Float(), 0.001),
    arg("center", BOOL, True),
    arg("scale", BOOL, True),
    *GAMMA_BETA,
    check=check_groups,
)
def group_normalization(config, shape):
    """Normalises groups of channels of `axis`; gamma and beta per channel.

    The groups must divide the channels (-1: one group per channel). On
    (None, 8, 8, 12) with groups=4: 24 weights; groups=5 is refused.
    """
    axis = config["axis"]
    (channels,) = axes_sizes(shape, (axis,))
    groups = channels if config["groups"] == -1 else config["groups"]
    if channels < groups:
        raise ShapeError(
            f"groups={groups} is more than the {channels} channels of axis {axis}; "
            "use fewer groups"
        )
    if channels % groups:
        raise ShapeError(
            f"groups={groups} does not divide the {channels} channels of axis {axis}; "
            f"use a divisor of {channels}"
        )
    weights = channels * (int(config["scale"]) + int(config["center"]))
    return Built(shape, weights)


@layer("UnitNormalization", arg("axis", IntList(), -1))
def unit_normalization(config, shape):
    """Scales each sample to unit L2 norm over `axis`; shape unchanged, no weights."""
    return Built(shape)


@layer("RMSNormalization", arg("axis", IntList(), -1), arg("epsilon", Float(), 1e-06))
def rms_normalization(config, shape):
    """Divides by the root mean square over `axis` and trains a scale of those sizes.

    On (None, 6, 5, 4): 4 weights by default, 30 with axis [1, 2].
    """
    return Built(shape, math.prod(axes_sizes(shape, config["axis"])))
