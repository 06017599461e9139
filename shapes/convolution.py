"""Convolutions: Conv, ConvTranspose, DepthwiseConv and SeparableConv in 1, 2 and 3 D.

Shapes follow Keras's `compute_conv_output_shape`; see `shapes.windows` for the
per-axis arithmetic. Weights count a kernel of prod(kernel_size) * C_in * C_out and a
bias per output channel.
"""

import math

from shapes.arguments import (
    ACTIVATION,
    BOOL,
    DATA_FORMAT,
    Choice,
    Int,
    IntTuple,
    Optional,
    arg,
    weight_options,
)
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer
from shapes.tensors import expect_rank, join_channels, spatial_meaning, split_channels
from shapes.windows import sliding_output

ONE_D_PADDING = Choice("valid", "same", "causal")
PADDING = Choice("valid", "same")


def window_args(rank, padding=PADDING):
    """kernel_size, strides and padding of a `rank`-D convolution, Keras's defaults."""
    ones = 1 if rank == 1 else (1,) * rank
    return (
        arg("kernel_size", IntTuple(rank)),
        arg("strides", IntTuple(rank), ones),
        arg("padding", padding, "valid"),
    )


def dilation_arg(rank):
    return arg("dilation_rate", IntTuple(rank), 1 if rank == 1 else (1,) * rank)


def check_strides_with_dilation(config):
    """Keras refuses strides > 1 together with dilation_rate > 1."""
    if max(config["strides"]) > 1 and max(config["dilation_rate"]) > 1:
        raise ArgumentError(
            "strides of 1 when dilation_rate > 1",
            config["strides"],
            message=(
                f"strides {config['strides']} cannot be combined with dilation_rate "
                f"{config['dilation_rate']}; Keras supports strides > 1 only with a "
                "dilation_rate of 1"
            ),
        )


def check_conv(config):
    check_strides_with_dilation(config)
    if config["filters"] % config["groups"]:
        raise ArgumentError(
            "filters divisible by groups",
            config["filters"],
            message=(
                f"filters={config['filters']} is not divisible by "
                f"groups={config['groups']}; make filters a multiple of groups"
            ),
        )


def input_channels(shape, config, rank):
    """The spatial sizes and known channel count of a `rank`-D convolution's input."""
    data_format = config["data_format"]
    expect_rank(shape, ndim=rank + 2, meaning=spatial_meaning(rank, data_format))
    spatial, channels = split_channels(shape, data_format)
    if channels is None:
        raise ShapeError(
            f"the channel axis of the input {shape} must have a known size "
            f"(data_format={data_format})"
        )
    return spatial, channels


def convolve(config, shape, rank, filters):
    """The output shape of a plain or depthwise convolution with `filters` channels."""
    spatial, _ = input_channels(shape, config, rank)
    sizes = sliding_output(
        spatial,
        config["kernel_size"],
        config["strides"],
        config["padding"],
        config["dilation_rate"],
    )
    return join_channels(shape[0], sizes, filters, config["data_format"])


def register_conv(rank):
    padding = ONE_D_PADDING if rank == 1 else PADDING

    @layer(
        f"Conv{rank}D",
        arg("filters", Int(1)),
        *window_args(rank, padding),
        arg("data_format", DATA_FORMAT, None),
        dilation_arg(rank),
        arg("groups", Int(1), 1),
        arg("activation", ACTIVATION, None),
        arg("use_bias", BOOL, True),
        *weight_options(kernel="glorot_uniform", bias="zeros"),
        check=check_conv,
        aliases=(f"Convolution{rank}D",),
    )
    def conv(config, shape):
        """A convolution: each axis as `shapes.windows`; channels become `filters`.

        Weights: prod(kernel_size) * (C_in / groups) * filters + filters (bias).
        Conv2D(32, 3) on (None, 28, 28, 1) gives (None, 26, 26, 32) with 320 weights.
        """
        _, channels = input_channels(shape, config, rank)
        groups, filters = config["groups"], config["filters"]
        if channels % groups:
            raise ShapeError(
                f"the input's {channels} channels are not divisible by groups={groups}"
            )
        output = convolve(config, shape, rank, filters)
        kernel = math.prod(config["kernel_size"]) * (channels // groups) * filters
        return Built(output, kernel + (filters if config["use_bias"] else 0))


def transposed_length(n, kernel, stride, padding, output_padding, dilation):
    """Keras's deconv_output_length for one axis.

    Without output_padding: `same` n * s, `valid` n * s + max(k_eff - s, 0).
    With output_padding p: (n - 1) * s + k_eff - 2 * pad + p, pad = k_eff // 2 for
    `same` and 0 for `valid`. So p = 0 differs from leaving it out.
    """
    if n is None:
        return None
    k_eff = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return n * stride + max(k_eff - stride, 0)
        return n * stride
    pad = k_eff // 2 if padding == "same" else 0
    return (n - 1) * stride + k_eff - 2 * pad + output_padding


def check_conv_transpose(config):
    check_strides_with_dilation(config)
    output_padding = config["output_padding"]
    if output_padding is None:
        return
    for axis, (pad, stride) in enumerate(zip(output_padding, config["strides"])):
        if pad >= stride:
            raise ArgumentError(
                "output_padding below strides",
                output_padding,
                message=(
                    f"output_padding must be smaller than strides on every axis; on "
                    f"axis {axis} output_padding is {pad} and strides is {stride}. "
                    f"Received output_padding={list(output_padding)}, "
                    f"strides={list(config['strides'])}"
                ),
            )


def register_conv_transpose(rank):
    order = [
        arg("filters", Int(1)),
        *window_args(rank),
        arg("output_padding", Optional(IntTuple(rank, minimum=0)), None),
        arg("data_format", DATA_FORMAT, None),
    ]
    if rank == 3:
        order[4], order[5] = order[5], order[4]

    @layer(
        f"Conv{rank}DTranspose",
        *order,
        dilation_arg(rank),
        arg("activation", ACTIVATION, None),
        arg("use_bias", BOOL, True),
        *weight_options(kernel="glorot_uniform", bias="zeros"),
        check=check_conv_transpose,
        aliases=(f"Convolution{rank}DTranspose",),
    )
    def conv_transpose(config, shape):
        """A transposed convolution, which upsamples by `strides`.

        Each axis as `transposed_length`. Weights as Conv: prod(k) * C_in * filters +
        filters. Conv2DTranspose(8, 5, strides=2, padding="same") on (None, 7, 7, 16)
        gives (None, 14, 14, 8) with 3,208 weights.
        """
        spatial, channels = input_channels(shape, config, rank)
        paddings = config["output_padding"] or (None,) * rank
        sizes = tuple(
            transposed_length(n, k, s, config["padding"], p, d)
            for n, k, s, p, d in zip(
                spatial,
                config["kernel_size"],
                config["strides"],
                paddings,
                config["dilation_rate"],
            )
        )
        filters = config["filters"]
        output = join_channels(shape[0], sizes, filters, config["data_format"])
        kernel = math.prod(config["kernel_size"]) * channels * filters
        return Built(output, kernel + (filters if config["use_bias"] else 0))


def register_depthwise(rank):
    @layer(
        f"DepthwiseConv{rank}D",
        *window_args(rank),
        arg("depth_multiplier", Int(1), 1),
        arg("data_format", DATA_FORMAT, None),
        dilation_arg(rank),
        arg("activation", ACTIVATION, None),
        arg("use_bias", BOOL, True),
        *weight_options(depthwise="glorot_uniform", bias="zeros"),
        check=check_strides_with_dilation,
    )
    def depthwise(config, shape):
        """One filter stack per input channel: C_in * depth_multiplier output channels.

        Weights: prod(k) * C_in * m + C_in * m (bias). DepthwiseConv2D(5) on
        (None, 416, 416, 10) gives (None, 412, 412, 10) with 260 weights.
        """
        _, channels = input_channels(shape, config, rank)
        out_channels = channels * config["depth_multiplier"]
        output = convolve(config, shape, rank, out_channels)
        kernel = math.prod(config["kernel_size"]) * out_channels
        return Built(output, kernel + (out_channels if config["use_bias"] else 0))


def register_separable(rank):
    @layer(
        f"SeparableConv{rank}D",
        arg("filters", Int(1)),
        *window_args(rank),
        arg("data_format", DATA_FORMAT, None),
        dilation_arg(rank),
        arg("depth_multiplier", Int(1), 1),
        arg("activation", ACTIVATION, None),
        arg("use_bias", BOOL, True),
        *weight_options(
            depthwise="glorot_uniform", pointwise="glorot_uniform", bias="zeros"
        ),
        check=check_strides_with_dilation,
        aliases=(f"SeparableConvolution{rank}D",),
    )
    def separable(config, shape):
        """A depthwise step then a 1x1 pointwise step, with one bias (on the second).

        Weights: prod(k) * C_in * m + C_in * m * filters + filters.
        SeparableConv2D(100, 5) on (None, 416, 416, 10) gives (None, 412, 412, 100)
        with 1,350 weights.
        """
        _, channels = input_channels(shape, config, rank)
        filters, middle = config["filters"], channels * config["depth_multiplier"]
        output = convolve(config, shape, rank, filters)
        weights = math.prod(config["kernel_size"]) * middle + middle * filters
        return Built(output, weights + (filters if config["use_bias"] else 0))


for _rank in (1, 2, 3):
    register_conv(_rank)
    register_conv_transpose(_rank)
for _rank in (1, 2):
    register_depthwise(_rank)
    register_separable(_rank)
