"""Convolutional recurrent layers: ConvLSTM1D, ConvLSTM2D and ConvLSTM3D.

Each step of a (batch, time, *frame, channels) input is convolved as the ConvND of the
same arguments would convolve it, so a step's output is that convolution's output.
The four LSTM gates each hold an input kernel, a recurrent kernel over the `filters`
channels of the state, and a bias: 4 * (K * C_in * f + K * f * f + f) weights, with
K = prod(kernel_size).
"""

import math

from shapes.arguments import DATA_FORMAT, Choice, Int, IntTuple, arg
from shapes.convolution import check_strides_with_dilation, convolve
from shapes.errors import ShapeError
from shapes.recurrent import LSTM_GATES, RECURRENT_WEIGHTS, returned, rnn_options
from shapes.registry import Built, layer
from shapes.tensors import expect_rank, format_shape, spatial_meaning, split_channels


def frame_of(shape, rank, data_format):
    """One step's shape, (batch, *frame, channels), refusing what ConvLSTM refuses."""
    meaning = spatial_meaning(rank, data_format).replace("(batch, ", "(batch, time, ")
    expect_rank(shape, ndim=rank + 3, meaning=meaning)
    step = (shape[0], *shape[2:])
    spatial, channels = split_channels(step, data_format)
    if None in spatial:
        raise ShapeError(
            f"needs every frame size known, received {format_shape(shape)}; give the "
            "input's frame sizes (only the number of steps may be null)"
        )
    if channels is None:
        raise ShapeError(
            f"the channel axis of the input {format_shape(shape)} must have a known size"
        )
    return step, channels


def register_conv_lstm(rank):
    @layer(
        f"ConvLSTM{rank}D",
        arg("filters", Int(1)),
        arg("kernel_size", IntTuple(rank)),
        arg("strides", IntTuple(rank), 1),
        arg("padding", Choice("valid", "same"), "valid"),
        arg("data_format", DATA_FORMAT, None),
        arg("dilation_rate", IntTuple(rank), 1),
        *LSTM_GATES,
        *RECURRENT_WEIGHTS[3:],
        *rnn_options(seed_first=True)[:-1],
        check=check_strides_with_dilation,
    )
    def conv_lstm(config, shape):
        """An LSTM whose gates are convolutions: each step is convolved as ConvND.

        ConvLSTM2D(8, 3) on (None, 5, 16, 16, 3) gives (None, 14, 14, 8) with
        4 * (9 * 3 * 8 + 9 * 8 * 8 + 8) = 3,200 weights; return_sequences keeps the
        5 steps, return_state adds the states h and c, each of the last step's shape.
        """
        step, channels = frame_of(shape, rank, config["data_format"])
        filters = config["filters"]
        frame = convolve(config, step, rank, filters)

        kernel = math.prod(config["kernel_size"])
        weights = 4 * (kernel * channels * filters + kernel * filters * filters)
        if config["use_bias"]:
            weights += 4 * filters
        return Built(returned(config, shape, frame[1:], states=2), weights)


for _rank in (1, 2, 3):
    register_conv_lstm(_rank)
