"""Activation layers. Only PReLU holds weights: one slope per input unit."""

import math

from shapes.arguments import ANYTHING, Float, IntList, Optional, arg, opaque
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer


@layer(
    "ReLU",
    arg("max_value", Optional(Float(0)), None),
    arg("negative_slope", Float(0), 0.0),
    arg("threshold", Float(0), 0.0),
)
def relu(config, shape):
    """Rectified linear unit; shape unchanged."""
    return Built(shape)


@layer("LeakyReLU", arg("negative_slope", Float(0), 0.3))
def leaky_relu(config, shape):
    """Leaky rectified linear unit; shape unchanged."""
    return Built(shape)


@layer("ELU", arg("alpha", Float(), 1.0))
def elu(config, shape):
    """Exponential linear unit; shape unchanged."""
    return Built(shape)


@layer("Softmax", arg("axis", IntList(), -1))
def softmax(config, shape):
    """Softmax over `axis`; shape unchanged."""
    return Built(shape)


def check_prelu(config):
    axes = config["shared_axes"]
    if axes is not None and any(a < 1 for a in axes):
        raise ArgumentError("axes counted from 1 (the batch axis is 0)", list(axes))


@layer(
    "PReLU",
    arg("alpha_initializer", ANYTHING, "Zeros"),
    *opaque("alpha_regularizer", "alpha_constraint"),
    arg("shared_axes", Optional(IntList()), None),
    check=check_prelu,
)
def prelu(config, shape):
    """Leaky ReLU with a learned slope per unit, shared along `shared_axes`.

    Weights: the product of the input's sizes with shared axes counted as 1.
    PReLU(shared_axes=[1, 2]) on (None, 8, 8, 16) learns 16 slopes.
    """
    sizes = list(shape[1:])
    for axis in config["shared_axes"] or ():
        if axis > len(sizes):
            raise ShapeError(f"shared axis {axis} is beyond the input's rank: {shape}")
        sizes[axis - 1] = 1
    if None in sizes:
        raise ShapeError(
            f"cannot size its slopes from an unknown axis of {shape}; share that axis "
            "with shared_axes or give the input a known size"
        )
    return Built(shape, math.prod(sizes))
