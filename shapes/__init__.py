"""Keras 3 shape rules: pure functions from a layer's arguments and input shape to its
output shape and weight counts. This package reads no files and prints nothing."""

from shapes import (  # noqa: F401  (importing a family registers its rules)
    activations,
    attention,
    augmentation,
    convolution,
    convolutional_recurrent,
    core,
    merging,
    normalization,
    pooling,
    preprocessing,
    recurrent,
    regularization,
    reshaping,
    wrappers,
)
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import COMMON_ARGS, RULES, Built, LayerRule, known_types, lookup

__all__ = [
    "ArgumentError",
    "Built",
    "COMMON_ARGS",
    "LayerRule",
    "RULES",
    "ShapeError",
    "known_types",
    "lookup",
]
