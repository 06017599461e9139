"""Core layers: Dense, Activation, Embedding, Masking, Identity and Lambda."""

from shapes.arguments import (
    ACTIVATION,
    ANYTHING,
    BOOL,
    Float,
    Int,
    Optional,
    Sizes,
    arg,
    opaque,
    weight_options,
)
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer
from shapes.tensors import expect_rank

LORA = (
    arg("lora_rank", Optional(Int(0)), None),
    arg("lora_alpha", Optional(Int(0)), None),
)


def last_axis_size(shape, what):
    """The size of the last axis, which a weight of this layer is sized from."""
    size = shape[-1]
    if size is None:
        raise ShapeError(
            f"cannot size its {what} from an unknown last axis: {shape}; give the input "
            "a known size, or use global pooling instead of Flatten before it"
        )
    return size


def with_lora(config, rows, columns, bias):
    """(trainable, non-trainable) of a rows x columns matrix plus a bias.

    With lora_rank r, Keras freezes the matrix and trains two factors instead:
    rows * r + r * columns.
    """
    rank = config["lora_rank"]
    if not rank:
        return rows * columns + bias, 0
    return rows * rank + rank * columns + bias, rows * columns


@layer(
    "Dense",
    arg("units", Int(1)),
    arg("activation", ACTIVATION, None),
    arg("use_bias", BOOL, True),
    *weight_options(kernel="glorot_uniform", bias="zeros"),
    *LORA,
    *opaque("quantization_config"),
)
def dense(config, shape):
    """Maps the last axis to `units`, on inputs of any rank >= 2.

    Weights: in * units + units (bias). Dense(400) on (None, 2, 2, 2) gives
    (None, 2, 2, 400) with 2 * 400 + 400 = 1,200 weights. See `with_lora` for lora_rank.
    """
    expect_rank(shape, min_ndim=2)
    units = config["units"]
    fan_in = last_axis_size(shape, "kernel")
    bias = units if config["use_bias"] else 0
    return Built((*shape[:-1], units), *with_lora(config, fan_in, units, bias))


@layer("Activation", arg("activation", ACTIVATION))
def activation(config, shape):
    """Applies an activation function; the shape is unchanged and there are no weights."""
    return Built(shape)


@layer(
    "Embedding",
    arg("input_dim", Int(1)),
    arg("output_dim", Int(1)),
    arg("embeddings_initializer", ANYTHING, "uniform"),
    *opaque("embeddings_regularizer", "embeddings_constraint"),
    arg("mask_zero", BOOL, False),
    *opaque("weights"),
    *LORA,
    *opaque("quantization_config"),
    # Keras 2's input_length: Keras 3 takes it, warns and ignores it; so does layerplan.
    keywords=(arg("input_length", ANYTHING, None),),
)
def embedding(config, shape):
    """Looks up a vector of `output_dim` for each integer index: appends an axis.

    Weights: input_dim * output_dim, whatever the sequence length. Embedding(10000, 32)
    on (None, 500) gives (None, 500, 32) with 320,000 weights.
    """
    rows, columns = config["input_dim"], config["output_dim"]
    return Built((*shape, columns), *with_lora(config, rows, columns, 0))


@layer("Masking", arg("mask_value", Float(), 0.0))
def masking(config, shape):
    """Marks the steps equal to `mask_value` as padding; shape unchanged, no weights."""
    return Built(shape)


@layer("Identity")
def identity(config, shape):
    """Returns its input: shape unchanged, no weights."""
    return Built(shape)


def check_lambda(config):
    """A Lambda's function is not run, so its output shape must be written down."""
    if config["output_shape"] is None:
        raise ArgumentError(
            "an output_shape",
            None,
            message=(
                "the shape a Lambda returns cannot be known without running its "
                "function; give it as `output_shape: [4, 5]`, one sample's shape "
                "without the batch axis (null for an unknown size)"
            ),
        )


@layer(
    "Lambda",
    arg("function", ANYTHING),
    arg("output_shape", Optional(Sizes()), None),
    *opaque("mask", "arguments"),
    check=check_lambda,
    merge=True,
)
def lambda_layer(config, shapes):
    """Runs a function; its output shape must be given as `output_shape`.

    The output is the batch axis of its (first) input, then `output_shape`; no
    weights. Lambda with output_shape [4, 5] on (None, 12, 5) gives (None, 4, 5). It
    takes one input or a list.
    """
    first = shapes[0] if isinstance(shapes, list) else shapes
    return Built((first[0], *config["output_shape"]))
