"""Spec files that cannot be read: each refused with its place and what to change."""

import pytest

from modelspec import SpecError, load_spec


def refusal(tmp_path, text):
    """The one-line message a spec gets, with the file name left out."""
    spec = tmp_path / "model.yaml"
    spec.write_text(text)
    with pytest.raises(SpecError) as caught:
        load_spec(str(spec))
    return str(caught.value.diagnostic).removeprefix(f"{spec}:")


STACK = "input: [28, 28, 1]\nlayers:\n"


@pytest.mark.parametrize(
    "entries, message",
    [
        (
            "  - Conv2d: [8, 3]\n",
            "3:5: error: unknown layer type 'Conv2d' (did you mean \"Conv2D\"?); "
            "`layerplan layers` lists them",
        ),
        (
            "  - Dens: 3\n",
            "3:5: error: unknown layer type 'Dens' (did you mean \"Dense\"?); "
            "`layerplan layers` lists them",
        ),
        (
            "  - EinsumDense: {equation: ab,bc->ac, output_shape: 4}\n",
            "3:5: error: EinsumDense is a Keras layer that layerplan does not "
            "support yet; the README's limitations list what is missing",
        ),
        (
            "  - Lambda: {function: 'lambda x: x[:, 0]'}\n",
            "3:5: error: lambda (Lambda): the shape a Lambda returns cannot be known "
            "without running its function; give it as `output_shape: [4, 5]`, one "
            "sample's shape without the batch axis (null for an unknown size)",
        ),
        (
            "  - Lambda: {function: f, output_shape: [0]}\n",
            "3:41: error: lambda (Lambda): `output_shape` expects a list of positive "
            "sizes (null for unknown), batch excluded; received [0]",
        ),
        (
            "  - TimeDistributed: {layer: 8}\n",
            "3:30: error: time_distributed (TimeDistributed): `layer` expects a layer "
            "entry such as {LSTM: {units: 8}}; received 8",
        ),
        (
            "  - Conv2D: {filter: 8, kernel_size: 3}\n",
            "3:14: error: conv2d (Conv2D): Conv2D has no argument 'filter' (did you mean "
            '"filters"?); its arguments are filters, kernel_size, strides, padding, '
            "data_format, dilation_rate, groups, activation, use_bias, "
            "kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, "
            "activity_regularizer, kernel_constraint, bias_constraint",
        ),
        (
            "  - Conv2D: {filters: -3, kernel_size: 3}\n",
            "3:23: error: conv2d (Conv2D): `filters` expects a positive integer; "
            "received -3",
        ),
        (
            "  - Conv2D: {filters: 8, kernel_size: 3, padding: vaild, name: c1}\n",
            '3:51: error: c1 (Conv2D): `padding` expects one of "valid", "same"; '
            "received 'vaild' (did you mean \"valid\"?)",
        ),
        (
            "  - Conv2D: {filters: 8, kernel_size: [3, 3, 3]}\n",
            "3:39: error: conv2d (Conv2D): `kernel_size` expects an integer or a list of "
            "2 positive integers; received [3, 3, 3]",
        ),
        (
            "  - Conv1D: {filters: 8, kernel_size: 3, padding: sideways}\n",
            '3:51: error: conv1d (Conv1D): `padding` expects one of "valid", "same", '
            "\"causal\"; received 'sideways'",
        ),
        (
            "  - Dense: {units: 4, activation: rellu}\n",
            "3:35: error: dense (Dense): `activation` expects the name of a Keras "
            "activation or null; received 'rellu' (did you mean \"relu\"?)",
        ),
        (
            "  - Dense\n",
            "3:5: error: dense (Dense): Dense needs the argument `units` "
            "(a positive integer)",
        ),
        (
            "  - Dense: [4, relu, true, a, b, c, d, e, f, g, h, i, j, k]\n",
            "3:12: error: dense (Dense): takes at most 13 positional arguments (units, "
            "activation, use_bias, kernel_initializer, bias_initializer, "
            "kernel_regularizer, bias_regularizer, activity_regularizer, "
            "kernel_constraint, bias_constraint, lora_rank, lora_alpha, "
            "quantization_config); received 14",
        ),
        (
            "  - Dense:\n    units: 4\n",
            "3:5: error: a layer entry has one key, the layer type, but this one has 2: "
            "Dense, units; indent the arguments under `Dense:` by two more spaces",
        ),
        (
            "  - [Dense, 4]\n",
            "3:5: error: a layer entry is a type name or a one-key mapping such as "
            "`- Dense: {units: 10}`; received ['Dense', 4]",
        ),
        (
            "  - Dense: {units: 4, name: head}\n  - Dense: {units: 2, name: head}\n",
            "4:5: error: head (Dense): the name 'head' is already used at line 3; give "
            "this layer another name",
        ),
        (
            "  - Conv2DTranspose: {filters: 1, kernel_size: 4, strides: 2, "
            "output_padding: 2}\n",
            "3:5: error: conv2d_transpose (Conv2DTranspose): output_padding must be "
            "smaller than strides on every axis; on axis 0 output_padding is 2 and "
            "strides is 2. Received output_padding=[2, 2], strides=[2, 2]",
        ),
    ],
)
def test_bad_layer_entries(tmp_path, entries, message):
    assert refusal(tmp_path, STACK + entries) == message


def test_explicit_name_collides_with_an_automatic_one(tmp_path):
    entries = "  - Conv2D: {filters: 8, kernel_size: 3, name: conv2d_1}\n"
    entries += "  - Conv2D: [8, 3]\n  - Conv2D: [8, 3]\n"

    assert refusal(tmp_path, STACK + entries) == (
        "5:5: error: conv2d_1 (Conv2D): the name 'conv2d_1' is already used at line 3; "
        "give this layer another name"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("layers:\n  - Dense: 3\n", "1:1: error: the spec has no input shape"),
        ("", "1:1: error: the spec is empty"),
        ("input: [8]\nlayers: [Dense: 3\n", "3:1: error: not valid YAML"),
        ("input: [8]\ninput: [9]\nlayers: [Flatten]\n", "2:1: error: not valid YAML"),
        ("!!python/object:os.system 1\n", "1:1: error: not valid YAML: could not"),
        ("- Dense: 3\n", "1:1: error: a spec is a mapping"),
        ("input: [8]\nlayer:\n  - Dense: 3\n", "2:1: error: a spec has no key 'layer'"),
        ("input: [8, -1]\nlayers: [Flatten]\n", "1:8: error: an input shape is a list"),
        ("input: [8]\nlayers: []\n", "2:9: error: `layers:` is a list of layer entries"),
        ("input: [8]\nlayers: [Flatten]\noutputs: [flaten]\n", "3:10: error: output"),
        ("input: [8]\nlayers: [Flatten]\nexpect: {total: 3}\n", "3:10: error: `expect:`"),
    ],
)
def test_bad_specs(tmp_path, text, message):
    assert refusal(tmp_path, text).startswith(message)


def test_undefined_input_name_suggests(tmp_path):
    text = (
        "inputs:\n  image: [8, 8, 3]\nlayers:\n"
        "  - Conv2D: {filters: 4, kernel_size: 3, inputs: imgae}\n"
    )

    assert refusal(tmp_path, text) == (
        "4:50: error: conv2d (Conv2D): takes 'imgae', which is not defined "
        '(did you mean "image"?); name an earlier layer or input'
    )


def test_cycle_is_named(tmp_path):
    text = (
        "inputs:\n  x: [8]\nlayers:\n"
        "  - Dense: {units: 4, name: a, inputs: b}\n"
        "  - Dense: {units: 4, name: b, inputs: a}\n"
    )

    assert refusal(tmp_path, text) == (
        "4:40: error: a (Dense): the layers form a cycle: a -> b -> a; break the loop"
    )


def test_positional_and_scalar_forms_follow_keras_order(tmp_path):
    spec = tmp_path / "forms.yaml"
    spec.write_text(STACK + "  - Conv2D: [8, 3, 2, same]\n  - MaxPooling2D: 3\n")

    model = load_spec(str(spec))

    conv, pool = model.layers
    assert conv.config["strides"] == (2, 2)
    assert conv.config["padding"] == "same"
    assert pool.config["pool_size"] == (3, 3)


def test_input_layer_entry_gives_the_input(tmp_path):
    spec = tmp_path / "input_layer.yaml"
    spec.write_text("layers:\n  - InputLayer: {shape: [5], name: x}\n  - Dense: 2\n")

    model = load_spec(str(spec))

    assert [(i.name, i.shape) for i in model.inputs] == [("x", (None, 5))]
    assert model.layers[0].inputs == ["x"]


def test_scientific_notation_is_a_number(tmp_path):
    spec = tmp_path / "epsilon.yaml"
    spec.write_text(STACK + "  - BatchNormalization: {epsilon: 1e-5}\n")

    assert load_spec(str(spec)).layers[0].config["epsilon"] == 1e-5
