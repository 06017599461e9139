"""The command line as users and scripts meet it: formats, exit codes, messages."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import __version__
from cli.app import app

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_text_summary_of_lenet5():
    result = run("summary", EXAMPLES / "lenet5.yaml")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == 'Model: "lenet5"'
    assert "conv2d (Conv2D)" in result.stdout
    assert "(None, 28, 28, 6)" in result.stdout
    assert "48,120" in result.stdout
    assert lines[-3:] == [
        " Total params: 61,706 (241.04 KB)",
        " Trainable params: 61,706 (241.04 KB)",
        " Non-trainable params: 0 (0.00 B)",
    ]


def test_json_summary_of_vgg16():
    result = run("summary", EXAMPLES / "vgg16.yaml", "--format", "json")

    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["total_params"] == 138_357_544
    assert document["inputs"] == [{"name": "input_layer", "shape": [None, 224, 224, 3]}]
    assert document["outputs"] == [{"name": "predictions", "shape": [None, 1000]}]
    assert document["layers"][0] == {
        "name": "block1_conv1",
        "type": "Conv2D",
        "inputs": ["input_layer"],
        "output_shape": [None, 224, 224, 64],
        "params": 1792,
        "trainable_params": 1792,
        "non_trainable_params": 0,
    }
    assert document["diagnostics"] == []


def test_markdown_summary():
    result = run("summary", EXAMPLES / "three_dense.yaml", "--format", "markdown")

    assert result.exit_code == 0
    assert "### Model: `three_dense`" in result.stdout
    assert "| layer1 (Dense) | (None, 2)      |        10 |" in result.stdout
    assert "- Total params: 35 (140.00 B)" in result.stdout


def test_csv_summary():
    result = run("summary", EXAMPLES / "three_dense.yaml", "--format", "csv")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "name,type,inputs,output_shape,params,trainable_params,non_trainable_params",
        'layer1,Dense,input_layer,"(None, 2)",10,10,0',
        'layer2,Dense,layer1,"(None, 3)",9,9,0',
        'layer3,Dense,layer2,"(None, 4)",16,16,0',
    ]


def test_until_stops_at_the_layer():
    spec = EXAMPLES / "downsampling_convnet.yaml"
    result = run("summary", spec, "--until", "max_pooling2d", "--format", "json")

    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [row["name"] for row in document["layers"]] == [
        "conv2d",
        "conv2d_1",
        "max_pooling2d",
    ]
    assert document["outputs"] == [{"name": "max_pooling2d", "shape": [None, 40, 40, 32]}]
    assert document["total_params"] == 11680


def test_until_an_unknown_layer_is_a_usage_error():
    result = run("summary", EXAMPLES / "lenet5.yaml", "--until", "conv2d_9")

    assert result.exit_code == 2
    assert "no layer named 'conv2d_9'" in result.stderr
    assert 'did you mean "conv2d_1"?' in result.stderr


def test_shape_prints_one_line():
    result = run("shape", EXAMPLES / "feature_extractor.yaml", "my_intermediate_layer")

    assert result.exit_code == 0
    assert result.stdout == "(None, 121, 121, 32)\n"


def test_shape_of_the_input():
    result = run("shape", EXAMPLES / "lenet5.yaml", "input_layer")

    assert result.stdout == "(None, 32, 32, 1)\n"


def test_shape_error_exits_1_and_keeps_the_rows():
    spec = EXAMPLES / "broken" / "too_far.yaml"
    result = run("summary", spec, "--format", "json")

    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert len(document["layers"]) == 8
    assert document["diagnostics"][0]["layer"] == "conv2d_4"
    assert document["diagnostics"][0]["line"] == 14
    assert result.stderr.strip() == (
        f"{spec}:14:5: error: conv2d_4 (Conv2D): kernel 3x3 does not fit the 2x2 input "
        'with padding="valid": (2 - 3) // 1 + 1 = 0 on spatial axis 1; use '
        'padding="same" or remove a downsampling step'
    )


def test_shape_after_the_error_exits_1():
    result = run("shape", EXAMPLES / "broken" / "too_far.yaml", "dense")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "conv2d_4 (Conv2D)" in result.stderr


def test_spec_from_standard_input():
    spec = "input: [8]\nlayers:\n  - Dense: 3\n"
    result = run("summary", "-", "--format", "json", input=spec)

    assert result.exit_code == 0
    assert json.loads(result.stdout)["total_params"] == 27


def test_input_shape_option_gives_the_missing_shape(tmp_path):
    spec = tmp_path / "unbuilt.yaml"
    spec.write_text("layers:\n  - Dense: 3\n")

    assert run("shape", spec, "dense", "--input-shape", "8").stdout == "(None, 3)\n"
    missing = run("summary", spec)
    assert missing.exit_code == 2
    assert "has no input shape" in missing.stderr
    assert "--input-shape" in missing.stderr


def test_input_shape_option_overrides_the_spec():
    spec = EXAMPLES / "feature_extractor.yaml"
    result = run("shape", spec, "conv2d_1", "--input-shape", "64,64,3")

    assert result.stdout == "(None, 26, 26, 32)\n"


def test_bad_input_shape_option():
    result = run("summary", EXAMPLES / "lenet5.yaml", "--input-shape", "3x3")

    assert result.exit_code == 2
    assert "--input-shape takes sizes separated by commas" in result.stderr


def test_expect_failure_exits_1(tmp_path):
    spec = tmp_path / "expect.yaml"
    spec.write_text(
        "input: [8]\nlayers:\n  - Dense: 3\nexpect:\n  total_params: 30\n"
        "  output_shape: [null, 4]\n  max_params: 10\n"
    )
    result = run("summary", spec)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{spec}:5:3: error: expected total_params 30, got 27",
        f"{spec}:6:3: error: expected output shape [None, 4], got [None, 3]",
        f"{spec}:7:3: error: the model has 27 parameters, more than max_params 10",
    ]


def test_missing_file_exits_2():
    result = run("summary", "no/such/spec.yaml")

    assert result.exit_code == 2
    assert result.stderr.strip() == "no/such/spec.yaml:1:1: error: no such file"


def test_unknown_format_is_a_usage_error():
    result = run("summary", EXAMPLES / "lenet5.yaml", "--format", "xml")

    assert result.exit_code == 2


@pytest.mark.parametrize("command", ["summary", "shape", "layers"])
def test_help_has_an_example(command):
    result = run(command, "--help")

    assert result.exit_code == 0
    assert "Example: layerplan " + command in result.stdout


def test_version():
    result = run("--version")

    assert result.stdout == f"layerplan {__version__}\n"


def test_layers_lists_the_registry():
    from shapes import RULES

    result = run("layers", "--json")

    listed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [entry["type"] for entry in listed] == sorted(RULES)


def test_layers_shows_arguments_and_defaults():
    result = run("layers", "MaxPool2D", "--json")

    (entry,) = json.loads(result.stdout)
    assert entry["type"] == "MaxPooling2D"
    assert entry["aliases"] == ["MaxPool2D"]
    assert [(a["name"], a["default"]) for a in entry["arguments"]] == [
        ("pool_size", [2, 2]),
        ("strides", None),
        ("padding", "valid"),
        ("data_format", None),
    ]


def test_layers_unknown_type():
    result = run("layers", "Conv2d")

    assert result.exit_code == 2
    assert result.stderr == (
        "layerplan: error: unknown layer type 'Conv2d' (did you mean \"Conv2D\"?)\n"
    )


def write(tmp_path, text, name="model.yaml"):
    spec = tmp_path / name
    spec.write_text(text)
    return spec


def test_json_format_prints_json_for_an_unreadable_spec(tmp_path):
    spec = write(tmp_path, "input: [8]\nlayers:\n  - Dens: 3\n")
    result = run("summary", spec, "--format", "json")

    assert result.exit_code == 2
    (diagnostic,) = json.loads(result.stdout)["diagnostics"]
    assert (diagnostic["code"], diagnostic["line"], diagnostic["column"]) == (
        "unknown-layer",
        3,
        5,
    )


def test_shape_checks_the_whole_model(tmp_path):
    spec = write(
        tmp_path, "input: [8]\nlayers:\n  - Dense: 3\nexpect: {total_params: 1}\n"
    )
    result = run("shape", spec, "dense")

    assert result.exit_code == 1
    assert result.stdout == "(None, 3)\n"
    assert "expected total_params 1, got 27" in result.stderr


def test_until_takes_a_layer_not_an_input():
    result = run("summary", EXAMPLES / "lenet5.yaml", "--until", "input_layer")

    assert result.exit_code == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("input: [8]\nlayers: [Flatten]\noutputs: []\n", "`outputs:` names at least one"),
        ("input: [8]\nlayers:\n  - Dense: {units: 2, name: a/b}\n", "without `/`"),
        ("inputs: {1: [4]}\nlayers: [Dense: 2]\n", "quote names that YAML reads"),
        ("input: [8]\nlayers: [Flatten]\n---\ninput: [9]\n", "single document"),
    ],
)
def test_more_refusals(tmp_path, text, message):
    result = run("summary", write(tmp_path, text))

    assert result.exit_code == 2
    assert message in result.stderr


def test_empty_sizes_in_input_shape_are_refused():
    result = run("summary", EXAMPLES / "lenet5.yaml", "--input-shape", "28,,1")

    assert result.exit_code == 2


def test_alias_bomb_is_refused_quickly(tmp_path):
    levels = ["  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = "input: [8]\nlayers:\n  - Dense:\n      units: 2\n      name:\n"
    text += "\n".join("    " + line for line in levels) + "\n"
    result = run("summary", write(tmp_path, text))

    assert result.exit_code == 2
    assert len(result.stderr) < 400


def test_huge_counts_stay_exact(tmp_path):
    spec = write(tmp_path, f"input: [{', '.join(['100000'] * 40)}]\nlayers: [Flatten]\n")
    result = run("shape", spec, "flatten")

    assert result.stdout == f"(None, {10**200})\n"


def test_unused_layer_is_left_out_with_a_warning():
    spec = ROOT / "tests" / "golden" / "merging" / "unused_branch.yaml"
    result = run("summary", spec, "--format", "json")

    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["total_params"] == 19
    assert [r["name"] for r in document["layers"] if r.get("unused")] == ["dense_1"]
    assert document["diagnostics"][0]["code"] == "unused-layer"
