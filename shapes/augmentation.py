"""Image augmentation and adjustment layers: random flips, rotations, colour changes
and the like. They keep their input's shape, of any rank, and hold no weights; only
RandomCrop changes a shape.

Their factors, value ranges and seeds are accepted as written: they change no shape.
AugMix, RandAugment and RandomColorJitter are left out: they create other augmentation
layers, which take Keras's automatic names and so move the counters of later layers.
"""

from shapes.arguments import (
    ANYTHING,
    DATA_FORMAT,
    ExactChoice,
    Int,
    Text,
    arg,
)
from shapes.errors import ShapeError
from shapes.registry import Built, layer
from shapes.tensors import format_shape

INTERPOLATION = ExactChoice("nearest", "bilinear")
FILL_MODE = ExactChoice("reflect", "wrap", "constant", "nearest")
VALUE_RANGE = arg("value_range", ANYTHING, (0, 255))
SEED = arg("seed", ANYTHING, None)
FORMAT = arg("data_format", DATA_FORMAT, None)


def factor(name="factor", default=None):
    """A random factor; required unless a default is given."""
    return arg(name, ANYTHING) if default is None else arg(name, ANYTHING, default)


def transform_args(*factors):
    """factors, fill_mode, interpolation, seed, fill_value, data_format (Keras's order
    for RandomRotation, RandomZoom and RandomTranslation)."""
    return (
        *factors,
        arg("fill_mode", FILL_MODE, "reflect"),
        arg("interpolation", INTERPOLATION, "bilinear"),
        SEED,
        arg("fill_value", ANYTHING, 0.0),
        FORMAT,
    )


SHAPE_KEEPING = {
    "RandomFlip": (
        arg("mode", Text(), "horizontal_and_vertical"),
        SEED,
        FORMAT,
    ),
    "RandomRotation": transform_args(factor()),
    "RandomZoom": transform_args(
        factor("height_factor"), arg("width_factor", ANYTHING, None)
    ),
    "RandomTranslation": transform_args(factor("height_factor"), factor("width_factor")),
    "RandomContrast": (factor(), VALUE_RANGE, SEED),
    "RandomBrightness": (factor(), VALUE_RANGE, SEED),
    "AutoContrast": (VALUE_RANGE,),
    "RandomElasticTransform": (
        factor(default=1.0),
        arg("scale", ANYTHING, 1.0),
        arg("interpolation", INTERPOLATION, "bilinear"),
        arg(
            "fill_mode",
            ExactChoice("reflect", "wrap", "constant", "nearest", "mirror"),
            "reflect",
        ),
        arg("fill_value", ANYTHING, 0.0),
        VALUE_RANGE,
        SEED,
        FORMAT,
    ),
    "RandomErasing": (
        factor(default=1.0),
        arg("scale", ANYTHING, (0.02, 0.33)),
        arg("fill_value", ANYTHING, None),
        VALUE_RANGE,
        SEED,
        FORMAT,
    ),
    "RandomGaussianBlur": (
        factor(default=1.0),
        arg("kernel_size", Int(1), 3),
        arg("sigma", ANYTHING, 1.0),
        VALUE_RANGE,
        FORMAT,
        SEED,
    ),
    "RandomGrayscale": (factor(default=0.5), FORMAT, SEED),
    "RandomHue": (factor(), VALUE_RANGE, FORMAT, SEED),
    "RandomInvert": (factor(default=1.0), VALUE_RANGE, SEED, FORMAT),
    "RandomPerspective": (
        factor(default=1.0),
        arg("scale", ANYTHING, 1.0),
        arg("interpolation", INTERPOLATION, "bilinear"),
        arg("fill_value", ANYTHING, 0.0),
        SEED,
        FORMAT,
    ),
    "RandomPosterization": (factor(), VALUE_RANGE, FORMAT, SEED),
    "RandomSaturation": (factor(), VALUE_RANGE, FORMAT, SEED),
    "RandomSharpness": (factor(), VALUE_RANGE, FORMAT, SEED),
    "RandomShear": (
        arg("x_factor", ANYTHING, 0.0),
        arg("y_factor", ANYTHING, 0.0),
        arg("interpolation", INTERPOLATION, "bilinear"),
        arg("fill_mode", FILL_MODE, "reflect"),
        arg("fill_value", ANYTHING, 0.0),
        FORMAT,
        SEED,
    ),
    "Solarization": (
        arg("addition_factor", ANYTHING, 0.0),
        arg("threshold_factor", ANYTHING, 0.0),
        VALUE_RANGE,
        SEED,
    ),
    "CutMix": (factor(default=1.0), SEED, FORMAT),
    "MixUp": (arg("alpha", ANYTHING, 0.2), FORMAT, SEED),
    "ContrastLimitedAdaptiveHistogramEqualization": (
        VALUE_RANGE,
        arg("clip_limit", ANYTHING, 4.0),
        arg("tile_grid_size", ANYTHING, (8, 8)),
        FORMAT,
    ),
}


def register_shape_keeping(class_name, args):
    @layer(class_name, *args)
    def keep(config, shape):
        return Built(shape)

    keep.__doc__ = "Changes the values of images, not their shape; no weights."


for _name, _args in SHAPE_KEEPING.items():
    register_shape_keeping(_name, _args)


@layer("RandomColorDegeneration", factor(), VALUE_RANGE, FORMAT, SEED)
def random_color_degeneration(config, shape):
    """Blends images with their greyscale version: rank 3 or 4 and 3 channels."""
    if len(shape) not in (3, 4):
        raise ShapeError(
            f"expects images of rank 4 (batch, height, width, channels) or 3 (one "
            f"image), received rank {len(shape)}: {format_shape(shape)}"
        )
    channels = shape[-1] if config["data_format"] == "channels_last" else shape[-3]
    if channels is not None and channels != 3:
        raise ShapeError(f"takes images with 3 channels, received {channels}")
    return Built(shape)


@layer(
    "RandomCrop",
    arg("height", Int(1)),
    arg("width", Int(1)),
    SEED,
    FORMAT,
)
def random_crop(config, shape):
    """Crops a random `height` x `width` window of images.

    The two axes before the channels (the last two with channels_first) take those
    sizes, whatever the rank, as Keras builds it. (None, 32, 32, 3) to 16 x 20 gives
    (None, 16, 20, 3).
    """
    axes = (-2, -1) if config["data_format"] == "channels_first" else (-3, -2)
    if len(shape) < -axes[0]:
        raise ShapeError(
            f"needs a height and a width axis, received {format_shape(shape)}; "
            "give images (batch, height, width, channels)"
        )
    output = list(shape)
    output[axes[0]], output[axes[1]] = config["height"], config["width"]
    return Built(tuple(output))
