"""Preprocessing layers that Keras builds into models: Normalization, Rescaling,
Resizing and CenterCrop. Only Normalization holds weights, all non-trainable."""

import math

from shapes.arguments import (
    ANYTHING,
    BOOL,
    DATA_FORMAT,
    Choice,
    Float,
    Int,
    IntList,
    Optional,
    arg,
)
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer
from shapes.tensors import axes_sizes, format_shape


def check_normalization(config):
    """Keras takes mean and variance together or not at all."""
    if (config["mean"] is None) != (config["variance"] is None):
        raise ArgumentError(
            "both mean and variance, or neither",
            config["mean"],
            message=(
                "give both `mean` and `variance`, or neither (then they are "
                "learned by adapt())"
            ),
        )


@layer(
    "Normalization",
    arg("axis", Optional(IntList()), -1),
    arg("mean", ANYTHING, None),
    arg("variance", ANYTHING, None),
    arg("invert", BOOL, False),
    check=check_normalization,
)
def normalization(config, shape):
    """Shifts and scales by a mean and variance per index of the kept `axis`.

    Without a given mean and variance, Keras keeps them, and a count, as
    non-trainable weights: 2 * prod(sizes of axis) + 1 (axis null keeps none: 3).
    On (None, 6, 5, 4): 9 by default, 61 with axis [1, 2]; 0 with mean and variance.
    """
    sizes = axes_sizes(shape, config["axis"] or (), distinct=True)
    if config["mean"] is not None:
        return Built(shape)
    return Built(shape, 0, 2 * math.prod(sizes) + 1)


@layer("Rescaling", arg("scale", ANYTHING), arg("offset", ANYTHING, 0.0))
def rescaling(config, shape):
    """Multiplies by `scale` and adds `offset`; shape unchanged, no weights."""
    return Built(shape)


def set_height_width(shape, config):
    """Keras's image shape rule: a rank-4 shape is a batch of images; any other rank
    is read as one unbatched image, whose first axes are set. None if too short."""
    first = 1 if len(shape) == 4 else 0
    if config["data_format"] == "channels_first":
        first += 1
    if len(shape) < first + 2:
        return None
    output = list(shape)
    output[first : first + 2] = [config["height"], config["width"]]
    return tuple(output)


RESIZE_INTERPOLATION = Choice(
    "bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5"
)


@layer(
    "Resizing",
    arg("height", Int(1)),
    arg("width", Int(1)),
    arg("interpolation", RESIZE_INTERPOLATION, "bilinear"),
    arg("crop_to_aspect_ratio", BOOL, False),
    arg("pad_to_aspect_ratio", BOOL, False),
    arg("fill_mode", Choice("constant"), "constant"),
    arg("fill_value", Float(), 0.0),
    arg("antialias", BOOL, False),
    arg("data_format", DATA_FORMAT, None),
)
def resizing(config, shape):
    """Resizes images to `height` x `width`; channels are kept.

    It crops or pads to keep the aspect ratio if asked. (None, 64, 48, 3) to 32 x 40
    gives (None, 32, 40, 3). Like Keras, a shape not of rank 4 is taken as one image.
    """
    output = set_height_width(shape, config)
    if output is None:
        raise ShapeError(
            f"expects images (batch, height, width, channels), received "
            f"{format_shape(shape)}"
        )
    return Built(output)


@layer(
    "CenterCrop",
    arg("height", Int(1)),
    arg("width", Int(1)),
    arg("data_format", DATA_FORMAT, None),
)
def center_crop(config, shape):
    """Crops the centre `height` x `width` of images (resizing up a smaller image).

    Takes rank 3 (one image) or 4 (a batch): (None, 64, 48, 3) to 32 x 32 gives
    (None, 32, 32, 3).
    """
    if len(shape) not in (3, 4):
        raise ShapeError(
            f"expects images of rank 4 (batch, height, width, channels) or 3 (one "
            f"image), received rank {len(shape)}: {format_shape(shape)}"
        )
    return Built(set_height_width(shape, config))
