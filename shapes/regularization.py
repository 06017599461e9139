"""Regularization layers: dropouts and noises, which keep shapes and hold no weights."""

from shapes.arguments import ANYTHING, DATA_FORMAT, Float, arg, opaque
from shapes.registry import Built, layer
from shapes.tensors import expect_rank, spatial_meaning

RATE = arg("rate", Float(0, 1))


@layer("Dropout", RATE, *opaque("noise_shape", "seed"))
def dropout(config, shape):
    """Zeroes a fraction `rate` of the inputs while training; shape unchanged."""
    return Built(shape)


@layer("GaussianNoise", arg("stddev", Float(0)), arg("seed", ANYTHING, None))
def gaussian_noise(config, shape):
    """Adds zero-centred noise while training; shape unchanged."""
    return Built(shape)


@layer("GaussianDropout", RATE, arg("seed", ANYTHING, None))
def gaussian_dropout(config, shape):
    """Multiplies by one-centred noise while training; shape unchanged."""
    return Built(shape)


@layer("SpatialDropout1D", RATE, arg("seed", ANYTHING, None))
def spatial_dropout1d(config, shape):
    """Drops whole channels of a (batch, steps, channels) input; shape unchanged."""
    expect_rank(shape, ndim=3, meaning=spatial_meaning(1, "channels_last"))
    return Built(shape)


@layer("SpatialDropout2D", RATE, arg("data_format", DATA_FORMAT, None), *opaque("seed"))
def spatial_dropout2d(config, shape):
    """Drops whole feature maps of a rank-4 input; shape unchanged."""
    expect_rank(shape, ndim=4, meaning=spatial_meaning(2, config["data_format"]))
    return Built(shape)


@layer("SpatialDropout3D", RATE, arg("data_format", DATA_FORMAT, None), *opaque("seed"))
def spatial_dropout3d(config, shape):
    """Drops whole feature volumes of a rank-5 input; shape unchanged."""
    expect_rank(shape, ndim=5, meaning=spatial_meaning(3, config["data_format"]))
    return Built(shape)


@layer("AlphaDropout", RATE, *opaque("noise_shape", "seed"))
def alpha_dropout(config, shape):
    """Dropout that keeps the mean and variance of SELU outputs; shape unchanged."""
    return Built(shape)


@layer("ActivityRegularization", arg("l1", Float(0), 0.0), arg("l2", Float(0), 0.0))
def activity_regularization(config, shape):
    """Adds a penalty on its input's size to the loss; shape unchanged, no weights."""
    return Built(shape)
