"""Attention layers, called on a list of inputs: [query, value] or [query, value, key].

The key defaults to the value. MultiHeadAttention and GroupedQueryAttention project
each input with dense kernels per head; Attention and AdditiveAttention compare the
inputs directly and hold at most a scale.
"""

import math

from shapes.arguments import (
    ANYTHING,
    BOOL,
    Choice,
    Float,
    Int,
    IntList,
    Optional,
    arg,
    opaque,
    weight_options,
)
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer
from shapes.tensors import format_shape

CALL = "[query, value] or [query, value, key]"


def query_value_key(shapes):
    """(query, value, key) from the list a layer is called on; the key defaults to
    the value."""
    if not isinstance(shapes, list):
        raise ShapeError(
            f"takes a list of inputs, {CALL}; name them with `inputs: [query, value]`"
        )
    if not 2 <= len(shapes) <= 3:
        raise ShapeError(f"takes {CALL}, received {len(shapes)} inputs")
    query, value, key = (*shapes, shapes[1])[:3]
    return query, value, key


def same_steps(value, key):
    """Keras's refusal of a key that differs from the value before the last axis."""
    if value[1:-1] != key[1:-1]:
        raise ShapeError(
            f"needs the value and the key to match on every axis but the last; "
            f"received value {format_shape(value)} and key {format_shape(key)}"
        )


def known_last(shape, role):
    """The size of the last axis of an input, which a projection is sized from."""
    if shape[-1] is None:
        raise ShapeError(
            f"cannot size its {role} projection from the unknown last axis of "
            f"{format_shape(shape)}"
        )
    return shape[-1]


def projection(fan_in, outputs, use_bias):
    """A dense projection's weights: fan_in * outputs, plus outputs with a bias."""
    return fan_in * outputs + (outputs if use_bias else 0)


ATTENTION_OPTIONS = (
    arg("dropout", Float(0, 1), 0.0),
    arg("use_bias", BOOL, True),
)
ATTENTION_WEIGHTS = weight_options(kernel="glorot_uniform", bias="zeros")


@layer(
    "MultiHeadAttention",
    arg("num_heads", Int(1)),
    arg("key_dim", Int(1)),
    arg("value_dim", Optional(Int(1)), None),
    *ATTENTION_OPTIONS,
    arg("output_shape", Optional(IntList()), None),
    arg("attention_axes", Optional(IntList()), None),
    arg("sliding_window", Optional(Int(1)), None),
    arg("flash_attention", ANYTHING, None),
    *ATTENTION_WEIGHTS,
    arg("use_gate", BOOL, False),
    *opaque("seed"),
    merge=True,
)
def multi_head_attention(config, shapes):
    """Attention with num_heads heads; the output has the query's shape.

    The query and key are projected to key_dim per head, the value to value_dim
    (default key_dim), and the heads back to the query's last size, or to
    `output_shape`, which then replaces the query's last axis.

    Weights, with h heads, k = key_dim, v = value_dim and q, s, d the last sizes of
    query, key and value: (q + s) * h * k + d * h * v + h * v * out (+ biases; + a
    gate q * h * v with use_gate). On query (None, 10, 16) and value (None, 20, 12),
    2 heads of 4: 136 + 104 + 104 + 144 = 488 weights, output (None, 10, 16).
    """
    query, value, key = query_value_key(shapes)
    same_steps(value, key)
    heads, use_bias = config["num_heads"], config["use_bias"]
    key_dim = config["key_dim"]
    value_dim = config["value_dim"] or key_dim

    output_shape = config["output_shape"] or (known_last(query, "output"),)
    weights = (
        projection(known_last(query, "query"), heads * key_dim, use_bias)
        + projection(known_last(key, "key"), heads * key_dim, use_bias)
        + projection(known_last(value, "value"), heads * value_dim, use_bias)
    )
    if config["use_gate"]:
        weights += projection(query[-1], heads * value_dim, use_bias)
    weights += projection(heads * value_dim, math.prod(output_shape), use_bias)
    return Built((*query[:-1], *output_shape), weights)


def check_grouped_heads(config):
    if config["num_query_heads"] % config["num_key_value_heads"]:
        raise ArgumentError(
            "num_query_heads divisible by num_key_value_heads",
            config["num_query_heads"],
            message=(
                f"num_query_heads={config['num_query_heads']} is not divisible by "
                f"num_key_value_heads={config['num_key_value_heads']}; each key and "
                "value head serves the same number of query heads"
            ),
        )


@layer(
    "GroupedQueryAttention",
    arg("head_dim", Int(1)),
    arg("num_query_heads", Int(1)),
    arg("num_key_value_heads", Int(1)),
    *ATTENTION_OPTIONS,
    arg("sliding_window", Optional(Int(1)), None),
    arg("flash_attention", ANYTHING, None),
    *ATTENTION_WEIGHTS,
    arg("use_gate", BOOL, False),
    *opaque("seed"),
    check=check_grouped_heads,
    aliases=("GroupQueryAttention",),
    merge=True,
)
def grouped_query_attention(config, shapes):
    """Attention whose query heads share fewer key and value heads.

    num_query_heads query heads share num_key_value_heads key and value heads of
    head_dim each; the output has the query's shape, and the query and value must
    have the same last size.

    Weights, with hq and hkv heads of size h, and q, s, d the last sizes of query,
    key and value: q * hq * h + (s + d) * hkv * h + hq * h * q (+ biases; + a gate
    q * hq * h with use_gate). On (None, 10, 16) twice, 4 query and 2 key-value heads
    of 4: 272 + 136 + 136 + 272 = 816 weights.
    """
    query, value, key = query_value_key(shapes)
    if query[-1] != value[-1]:
        raise ShapeError(
            f"needs the query and the value to have the same last size; received "
            f"query {format_shape(query)} and value {format_shape(value)}"
        )
    same_steps(value, key)
    use_bias, size = config["use_bias"], config["head_dim"]
    query_heads = config["num_query_heads"] * size
    shared_heads = config["num_key_value_heads"] * size

    fan_in = known_last(query, "query")
    weights = (
        projection(fan_in, query_heads, use_bias)
        + projection(known_last(key, "key"), shared_heads, use_bias)
        + projection(known_last(value, "value"), shared_heads, use_bias)
        + projection(query_heads, fan_in, use_bias)
    )
    if config["use_gate"]:
        weights += projection(fan_in, query_heads, use_bias)
    return Built(query, weights)


@layer(
    "Attention",
    arg("use_scale", BOOL, False),
    arg("score_mode", Choice("dot", "concat"), "dot"),
    arg("dropout", Float(0, 1), 0.0),
    *opaque("seed"),
    merge=True,
)
def attention(config, shapes):
    """Dot-product attention: the query's steps with the value's features.

    One scalar weight with use_scale, one more with score_mode "concat". On query
    (None, 10, 8) and value (None, 20, 6): (None, 10, 6).
    """
    query, value, _ = query_value_key(shapes)
    weights = int(config["use_scale"]) + int(config["score_mode"] == "concat")
    return Built((*query[:-1], value[-1]), weights)


@layer(
    "AdditiveAttention",
    arg("use_scale", BOOL, True),
    arg("dropout", Float(0, 1), 0.0),
    merge=True,
)
def additive_attention(config, shapes):
    """Additive (Bahdanau) attention: the query's steps with the value's features.

    With use_scale, a scale of the query's last size. On query (None, 10, 8) and value
    (None, 20, 8): (None, 10, 8) with 8 weights.
    """
    query, value, _ = query_value_key(shapes)
    weights = known_last(query, "scale") if config["use_scale"] else 0
    return Built((*query[:-1], value[-1]), weights)
