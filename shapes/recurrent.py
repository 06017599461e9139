"""Recurrent layers (SimpleRNN, LSTM, GRU) and the Bidirectional wrapper.

With i input features and u units, the weights are gates * (i * u + u * u + u):
one gate for SimpleRNN, four for LSTM, three for GRU, whose default reset_after=True
keeps a second bias (3 * (i * u + u * u + 2u)).
"""

from shapes.arguments import (
    ACTIVATION,
    ANYTHING,
    BOOL,
    Choice,
    Float,
    Int,
    Nested,
    Optional,
    arg,
    opaque,
    weight_options,
)
from shapes.core import last_axis_size
from shapes.errors import ArgumentError
from shapes.registry import Built, layer
from shapes.tensors import expect_rank

SEQUENCE = "(batch, timesteps, features)"


def rnn_options(*, seed_first):
    """dropout, recurrent_dropout, seed and the return and running flags, in order."""
    dropouts = (
        arg("dropout", Float(0, 1), 0.0),
        arg("recurrent_dropout", Float(0, 1), 0.0),
    )
    seed = opaque("seed")
    flags = (
        arg("return_sequences", BOOL, False),
        arg("return_state", BOOL, False),
        arg("go_backwards", BOOL, False),
        arg("stateful", BOOL, False),
        arg("unroll", BOOL, False),
    )
    return dropouts + seed + flags if seed_first else dropouts + flags + seed


def returned(config, shape, step, states):
    """What a recurrent layer returns on `shape` when one step's output is `step`.

    Every step (batch, time, *step) with return_sequences, else the last one
    (batch, *step); with return_state, a list that adds the `states` final states.
    """
    batch = shape[0]
    if config["return_sequences"]:
        output = (batch, shape[1], *step)
    else:
        output = (batch, *step)
    if config["return_state"]:
        return [output] + [(batch, *step)] * states
    return output


def recurrent_output(config, shape, units, weights, states):
    """Output shape(s) of a recurrent layer: sequences or last step, then its states."""
    expect_rank(shape, ndim=3, meaning=SEQUENCE)
    return Built(returned(config, shape, (units,), states), weights)


def gate_weights(config, shape, gates, extra_bias=0):
    """gates * (i * u + u * u) kernels, plus the biases when use_bias."""
    units = config["units"]
    fan_in = last_axis_size(shape, "kernel")
    weights = gates * (fan_in * units + units * units)
    if config["use_bias"]:
        weights += gates * units * (1 + extra_bias)
    return weights


RECURRENT_WEIGHTS = weight_options(
    kernel="glorot_uniform", recurrent="orthogonal", bias="zeros"
)
LSTM_GATES = (
    arg("activation", ACTIVATION, "tanh"),
    arg("recurrent_activation", ACTIVATION, "sigmoid"),
    arg("use_bias", BOOL, True),
    arg("kernel_initializer", ANYTHING, "glorot_uniform"),
    arg("recurrent_initializer", ANYTHING, "orthogonal"),
    arg("bias_initializer", ANYTHING, "zeros"),
    arg("unit_forget_bias", BOOL, True),
)


@layer(
    "SimpleRNN",
    arg("units", Int(1)),
    arg("activation", ACTIVATION, "tanh"),
    arg("use_bias", BOOL, True),
    *RECURRENT_WEIGHTS,
    *rnn_options(seed_first=False),
)
def simple_rnn(config, shape):
    """A fully connected recurrence: i * u + u * u + u weights.

    SimpleRNN(8) on (None, 10, 4) gives (None, 8) with 104 weights.
    """
    weights = gate_weights(config, shape, 1)
    return recurrent_output(config, shape, config["units"], weights, states=1)


@layer(
    "LSTM",
    arg("units", Int(1)),
    *LSTM_GATES,
    *RECURRENT_WEIGHTS[3:],
    *rnn_options(seed_first=True),
    arg("use_cudnn", ANYTHING, "auto"),
)
def lstm(config, shape):
    """Long short-term memory: 4 * (i * u + u * u + u) weights, states h and c.

    LSTM(8) on (None, 10, 4) gives (None, 8) with 416 weights.
    """
    weights = gate_weights(config, shape, 4)
    return recurrent_output(config, shape, config["units"], weights, states=2)


@layer(
    "GRU",
    arg("units", Int(1)),
    arg("activation", ACTIVATION, "tanh"),
    arg("recurrent_activation", ACTIVATION, "sigmoid"),
    arg("use_bias", BOOL, True),
    *RECURRENT_WEIGHTS,
    *rnn_options(seed_first=True),
    arg("reset_after", BOOL, True),
    arg("use_cudnn", ANYTHING, "auto"),
)
def gru(config, shape):
    """Gated recurrent unit: 3 * (i * u + u * u + u), plus 3u with reset_after.

    GRU(5) on (None, 10, 4) gives (None, 5) with 165 weights (150 without reset_after).
    """
    extra_bias = 1 if config["reset_after"] else 0
    weights = gate_weights(config, shape, 3, extra_bias)
    return recurrent_output(config, shape, config["units"], weights, states=1)


RECURRENT_FAMILIES = ("recurrent", "convolutional_recurrent")


def check_bidirectional(config):
    for key in ("layer", "backward_layer"):
        inner = config[key]
        if inner is not None and (
            inner.rule.family not in RECURRENT_FAMILIES or inner.type == "Bidirectional"
        ):
            raise ArgumentError(
                "a recurrent layer such as LSTM, GRU or ConvLSTM2D", inner.type
            )


@layer(
    "Bidirectional",
    arg("layer", Nested()),
    arg("merge_mode", Optional(Choice("sum", "mul", "concat", "ave")), "concat"),
    *opaque("weights"),
    arg("backward_layer", Nested(optional=True), None),
    check=check_bidirectional,
)
def bidirectional(config, shape):
    """Runs a recurrent layer (ConvLSTM too) forwards and backwards: twice its weights.

    merge_mode `concat` doubles the last axis, `sum`, `mul` and `ave` keep it, and
    null returns both directions as two outputs. A `backward_layer` replaces the copy
    run backwards; its weights count, but Keras derives the output shape from the
    forward layer alone. Bidirectional(GRU(32)) on (None, 256, 64) gives (None, 64) with
    2 * 9,408 weights.
    """
    forward = run_inner(config["layer"], shape)
    backward = run_inner(config["backward_layer"] or config["layer"], shape)
    (output, *states), (_, *reverse_states) = forward[0], backward[0]
    mode = config["merge_mode"]
    if mode is None:
        merged = [output, output]
    elif mode == "concat":
        merged = [(*output[:-1], output[-1] * 2)]
    else:
        merged = [output]
    result = merged + states + reverse_states
    weights = forward[1] + backward[1]
    return Built(result if len(result) > 1 else result[0], weights)


def run_inner(inner, shape):
    """(output shapes as a list, trainable weights) of a wrapped layer."""
    built = inner.rule.output(inner.config, shape)
    outputs = built.shape if isinstance(built.shape, list) else [built.shape]
    return outputs, built.trainable
