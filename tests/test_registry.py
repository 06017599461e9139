"""The registry's argument tables against the signatures of Keras's own classes.

tests/golden/keras_signatures.json is written by tools/keras_signatures.py from real
Keras; positional entries (`Conv2D: [32, 3]`) rely on the order being Keras's.
"""

import json
from pathlib import Path

import pytest

from shapes import RULES
from shapes.arguments import REQUIRED
from shapes.registry import ALIASES, snake_case

SIGNATURES = json.loads(
    (Path(__file__).parent / "golden" / "keras_signatures.json").read_text()
)["layers"]


def plain(value):
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


@pytest.mark.parametrize("class_name", sorted(RULES))
def test_arguments_match_keras(class_name):
    keras_args = SIGNATURES[class_name]
    ours = RULES[class_name].args

    assert [a.name for a in ours] == [a["name"] for a in keras_args]
    for arg, keras_arg in zip(ours, keras_args):
        assert arg.required == keras_arg["required"], arg.name
        if not arg.required:
            assert plain(arg.default) == keras_arg["default"], arg.name


@pytest.mark.parametrize("class_name", sorted(RULES))
def test_defaults_pass_their_own_checks(class_name):
    for arg in RULES[class_name].args:
        if arg.default is not REQUIRED:
            arg.kind.normalise(arg.default)


def test_unsupported_catalogue_leaves_out_supported_layers():
    """A supported layer is never reported as known but unsupported."""
    from shapes.catalogue import KERAS_LAYERS

    assert sorted(set(KERAS_LAYERS) & (set(RULES) | set(ALIASES))) == []


@pytest.mark.parametrize(
    "class_name, prefix",
    [
        ("Conv2D", "conv2d"),
        ("MaxPooling2D", "max_pooling2d"),
        ("GlobalMaxPooling2D", "global_max_pooling2d"),
        ("BatchNormalization", "batch_normalization"),
        ("Conv2DTranspose", "conv2d_transpose"),
        ("ReLU", "re_lu"),
        ("PReLU", "p_re_lu"),
        ("LSTM", "lstm"),
        ("ConvLSTM2D", "conv_lstm2d"),
        ("GroupedQueryAttention", "grouped_query_attention"),
        ("RMSNormalization", "rms_normalization"),
        (
            "ContrastLimitedAdaptiveHistogramEqualization",
            "contrast_limited_adaptive_histogram_equalization",
        ),
    ],
)
def test_automatic_name_prefix(class_name, prefix):
    assert snake_case(class_name) == prefix
