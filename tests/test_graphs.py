"""Graphs beyond a stack: blocks, Repeat, shared layers and nested models.

Keras's own numbers for these features are in tests/golden/graphs (checked by
test_keras_cases.py); here, block specs are held to their flat twins, and every graph
mistake is held to its message.
"""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.render import report_json
from cli.report import summarise
from modelspec import SpecError, load_spec

TESTS = Path(__file__).parent
runner = CliRunner()


def document(path):
    """The JSON summary of a spec, without the places of its diagnostics."""
    result = report_json(summarise(load_spec(str(path))))
    for diagnostic in result["diagnostics"]:
        for key in ("file", "line", "column"):
            diagnostic.pop(key)
    return result


def test_blocks_expand_to_their_flat_twin_which_keras_checked():
    twin = TESTS / "golden" / "graphs" / "residual_flat.yaml"

    assert twin.with_suffix(".expected.json").exists()
    assert document(TESTS / "blocks" / "residual.yaml") == document(twin)


def test_block_names_follow_the_instance():
    names = [
        row["name"] for row in document(TESTS / "blocks" / "residual.yaml")["layers"]
    ]

    assert names[:8] == [
        "stage1_block1_0_conv",
        "stage1_block1_1_conv",
        "stage1_block1_1_bn",
        "activation",
        "stage1_block1_2_conv",
        "stage1_block1_2_bn",
        "stage1_block1_add",
        "stage1_block1_out",
    ]
    assert "stage1_block3_out" in names
    assert names[-2:] == ["dense", "dense_1"]


def refusal(tmp_path, text, name="model.yaml"):
    """The message a spec gets, with the file name left out."""
    spec = tmp_path / name
    spec.write_text(text)
    with pytest.raises(SpecError) as caught:
        load_spec(str(spec))
    return str(caught.value.diagnostic).removeprefix(f"{spec}:")


BLOCK = """input: [4]
blocks:
  mlp:
    params: {units: null, extra: 2}
    layers:
      - Dense: {units: UNITS, name: fc}
layers:
"""


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "input: [4]\nlayers:\n  - Dense: {units: 4, name: a, inputs: c}\n"
            "  - Dense: {units: 4, name: b}\n  - Dense: {units: 4, name: c}\n",
            "3:40: error: a (Dense): the layers form a cycle: a -> b -> c -> a; "
            "break the loop",
        ),
        (
            "input: [4]\nlayers:\n  - Dense: {units: 4, name: encoder}\n"
            "  - Dense: {units: 4, inputs: encodr}\n",
            "4:31: error: dense (Dense): takes 'encodr', which is not defined (did you "
            'mean "encoder"?); name an earlier layer or input',
        ),
        (
            "input: [4]\nlayers:\n  - Dense: 4\noutputs: [dens]\n",
            "4:10: error: output 'dens' is not a layer (did you mean \"dense\"?)",
        ),
        (
            BLOCK.replace("UNITS", "$units") + "  - mlp: {unit: 3}\n",
            "8:11: error: block mlp has no parameter 'unit' (did you mean \"units\"?); "
            "its parameters are units, extra",
        ),
        (
            BLOCK.replace("UNITS", "$units") + "  - mlp\n",
            "8:5: error: block mlp needs the parameter units",
        ),
        (
            BLOCK.replace("UNITS", "$unit") + "  - mlp: {units: 3}\n",
            '6:24: error: $unit is not a parameter here (did you mean "units"?); the '
            "parameters are $units, $extra",
        ),
        (
            BLOCK.replace("UNITS", "$units / $extra") + "  - mlp: {units: 3}\n",
            "6:24: error: '$units / $extra' gives '3 / 2', which is not integer "
            "arithmetic with + - * // and parentheses",
        ),
        (
            BLOCK.replace("UNITS", "$units") + "  - mlp: {units: 3, name: m}\n"
            "  - mlp: {units: 3, name: m}\n",
            "9:5: error: the name 'm' is already used; give this use of block mlp "
            "another name",
        ),
        (
            "input: [4]\nblocks:\n  a:\n    layers: [b]\n  b:\n    layers: [a]\n"
            "layers:\n  - a\n",
            "6:14: error: block a uses itself: a -> b -> a",
        ),
        (
            "input: [4]\nblocks:\n  Dense:\n    layers: [Flatten]\nlayers:\n  - Dense\n",
            "3:3: error: Dense is a layer type or a reserved word; give the block "
            "another name",
        ),
        (
            "input: [4]\nlayers:\n  - Repeat: {times: -1, layers: [Dense: 3]}\n",
            "3:21: error: `times:` is a count from 0 to 200,000; received -1",
        ),
        (
            "input: [4]\nlayers:\n  - Repeat: {times: 2, layers: [Dense: {units: 3, "
            "name: fc}]}\n",
            "3:33: error: fc (Dense): the name 'fc' is already used by an earlier repeat "
            "of this entry; put $i in it, as in `fc_$i`",
        ),
        (
            "input: [4]\nlayers:\n  - Dense: 3\n  - Shared: {layer: dense_9}\n",
            "4:21: error: `layer:` names an earlier layer to call again; 'dense_9' is "
            "not one",
        ),
        (
            "input: [4]\nlayers:\n  - Model: {spec: missing.yaml}\n",
            "3:19: error: the nested spec TMP/missing.yaml: no such file; `spec:` is a "
            "path relative to the including file",
        ),
    ],
)
def test_graph_refusals(tmp_path, text, message):
    assert refusal(tmp_path, text) == message.replace("TMP", str(tmp_path))


def test_a_spec_including_itself_is_refused_with_the_chain(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("first.yaml").write_text("input: [4]\nlayers:\n  - Model: {spec: second.yaml}\n")
    Path("second.yaml").write_text("layers:\n  - Model: {spec: first.yaml}\n")

    result = runner.invoke(app, ["summary", "first.yaml"])

    assert result.exit_code == 2
    assert result.stderr == (
        "second.yaml:2:19: error: the spec includes itself: first.yaml -> second.yaml "
        "-> first.yaml\n"
    )


def test_repeat_with_i_in_names(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text(
        "input: [4]\nlayers:\n  - Repeat:\n      times: 3\n      start: 0\n"
        "      layers:\n        - Dense: {units: 2, name: fc_$i}\n        - ReLU\n"
    )

    rows = report_json(summarise(load_spec(str(spec))))["layers"]

    assert [r["name"] for r in rows] == [
        "fc_0",
        "re_lu",
        "fc_1",
        "re_lu_1",
        "fc_2",
        "re_lu_2",
    ]
    assert [r["params"] for r in rows[::2]] == [10, 6, 6]


def test_shared_layer_is_one_row_connected_to_every_call():
    result = runner.invoke(
        app,
        ["summary", str(TESTS / "golden" / "graphs" / "shared_dense_two_inputs.yaml")],
    )

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "Connected to" in lines[2]
    assert [line.split("│")[1].strip() for line in lines[4:-4]] == [
        "encoder (Dense)",
        "concatenate (Concatenate)",
        "dense (Dense)",
    ]
    assert "left[0][0], right[0][0]" in lines[4]
    assert "encoder[0][0], encoder[1][0]" in lines[5]
    assert lines[-3] == " Total params: 45 (180.00 B)"


NESTED = TESTS / "golden" / "graphs" / "nested_frozen.yaml"


def test_nested_model_is_one_row_unless_expanded():
    folded = runner.invoke(app, ["summary", str(NESTED)])
    expanded = runner.invoke(app, ["summary", str(NESTED), "--expand", "1"])

    assert folded.exit_code == expanded.exit_code == 0
    rows = [line.split("│")[1].rstrip() for line in expanded.stdout.splitlines()[4:-4]]
    assert rows == [
        " inner (Sequential)",
        "    └ dense (Dense)",
        "    └ batch_normalization (BatchNormalization)",
        " dense (Dense)",
    ]
    assert " └ " not in folded.stdout
    assert folded.stdout.splitlines()[-2:] == [
        " Trainable params: 8 (32.00 B)",
        " Non-trainable params: 39 (156.00 B)",
    ]


def test_expanded_json_nests_the_rows():
    result = runner.invoke(
        app, ["summary", str(NESTED), "--expand", "all", "--format", "json"]
    )

    inner = json.loads(result.stdout)["layers"][0]
    assert [(r["name"], r["params"]) for r in inner["layers"]] == [
        ("dense", 27),
        ("batch_normalization", 12),
    ]


def test_expand_takes_a_depth():
    result = runner.invoke(app, ["summary", str(NESTED), "--expand", "deep"])

    assert result.exit_code == 2
    assert "--expand takes a depth (0, 1, 2, ...) or all; got 'deep'" in result.stderr


def test_error_inside_a_nested_model_points_into_its_file(tmp_path):
    (tmp_path / "base.yaml").write_text("layers:\n  - Conv2D: [4, 5]\n")
    outer = tmp_path / "outer.yaml"
    outer.write_text("input: [3, 3, 1]\nlayers:\n  - Model: {spec: base.yaml}\n")

    result = runner.invoke(app, ["summary", str(outer)])

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{tmp_path / 'base.yaml'}:2:5: error: conv2d (Conv2D)"
    )


def test_the_readme_block_example(tmp_path):
    readme = (TESTS.parent / "README.md").read_text()
    example = readme.split("A smaller example:\n\n```yaml\n")[1].split("```")[0]
    spec = tmp_path / "blocks.yaml"
    spec.write_text(example)

    result = document(spec)

    assert result["diagnostics"] == []
    assert result["outputs"] == [{"name": "dense", "shape": [None, 10]}]
    assert (result["total_params"], result["non_trainable_params"]) == (29402, 320)
    assert [r["name"] for r in result["layers"]][3:7] == [
        "stage1_a_conv",
        "stage1_a_bn",
        "stage1_a_relu",
        "stage1_b_conv",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            'inputs: {x: [4]}\nlayers:\n  - Dense: {units: 3, inputs: "x[3]"}\n',
            "3:31: error: dense (Dense): 'x[3]' names call 3 of x, which has 1 call so "
            "far, counted from 0; call a layer again with `Shared:`",
        ),
        (
            "input: [4]\nlayers:\n  - Dense: 3\n  - Dense: {units: 2, inputs: "
            '"dense[1]"}\n',
            "4:31: error: dense_1 (Dense): 'dense[1]' names call 1 of dense, which has 1 "
            "call so far, counted from 0; call a layer again with `Shared:`",
        ),
        (
            "input: [4]\nblocks:\n  mlp:\n    layers: [Dense: 3]\n    output: nope\n"
            "layers:\n  - mlp\n",
            "4:5: error: block mlp's `output:` 'nope' is not one of its layers; name one "
            "of them, by its name inside the block",
        ),
        (
            "input: [4]\nblocks:\n  mlp:\n    params: {u: 4}\n"
            "    layers: [Dense: $u // 0]\nlayers:\n  - mlp\n",
            "5:21: error: '$u // 0' gives '4 // 0', which divides by zero",
        ),
        (
            "input: [4]\nlayers:\n  - Model: {spec: base.yaml, outputs: [nope]}\n",
            "3:39: error: output 'nope' is not a layer of the nested spec TMP/base.yaml",
        ),
    ],
)
def test_reference_refusals(tmp_path, text, message):
    (tmp_path / "base.yaml").write_text("input: [4]\nlayers:\n  - Dense: 2\n")

    assert refusal(tmp_path, text) == message.replace("TMP", str(tmp_path))


def test_an_output_past_the_last_tensor_exits_1(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text('input: [4]\nlayers:\n  - Dense: 3\noutputs: ["dense[0][5]"]\n')

    result = runner.invoke(app, ["summary", str(spec)])

    assert result.exit_code == 1
    assert result.stderr == (
        f"{spec}:4:10: error: output dense[0][5] does not exist: dense has 1 output, "
        "counted from 0\n"
    )


def test_yaml_merge_keys_give_way_to_the_mapping_s_own(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text(
        "input: [4]\nlayers:\n  - Dense: &base {units: 3, activation: relu}\n"
        "  - Dense: {<<: *base, units: 2}\n"
    )

    rows = document(spec)["layers"]

    assert [(r["output_shape"], r["params"]) for r in rows] == [
        ([None, 3], 15),
        ([None, 2], 8),
    ]


SHARED_LSTM = TESTS / "golden" / "graphs" / "shared_handle_tensor_index.yaml"


def test_shape_and_until_take_handles_and_block_uses():
    handle = runner.invoke(app, ["shape", str(SHARED_LSTM), "lb"])
    block = runner.invoke(
        app, ["shape", str(TESTS / "blocks" / "residual.yaml"), "stage1_block2"]
    )
    until = runner.invoke(
        app,
        [
            "summary",
            str(TESTS / "blocks" / "residual.yaml"),
            "--until",
            "stage1_block1",
            "-f",
            "json",
        ],
    )

    assert (handle.exit_code, handle.stdout) == (
        0,
        "[(None, 7, 4), (None, 4), (None, 4)]\n",
    )
    assert (block.exit_code, block.stdout) == (0, "(None, 8, 8, 16)\n")
    assert json.loads(until.stdout)["outputs"] == [
        {"name": "stage1_block1_out", "shape": [None, 8, 8, 16]}
    ]


def test_json_lists_every_call_of_a_shared_layer():
    rows = document(SHARED_LSTM)["layers"]

    assert rows[0]["calls"] == [["a"], ["b"]]
    assert rows[0]["output_shape"] == [[None, 7, 4], [None, 4], [None, 4]]


def test_a_frozen_nested_model_freezes_its_expanded_rows():
    result = runner.invoke(
        app, ["summary", str(NESTED), "--expand", "1", "--format", "json"]
    )

    inner = json.loads(result.stdout)["layers"][0]["layers"]
    assert [(r["trainable_params"], r["non_trainable_params"]) for r in inner] == [
        (0, 27),
        (0, 12),
    ]


def test_a_runaway_expansion_is_refused_before_it_is_built(tmp_path):
    blocks = ["  b0:\n    layers: [ReLU]\n"] + [
        f"  b{k}:\n    layers: [b{k - 1}: {{name: x}}, b{k - 1}: {{name: y}}]\n"
        for k in range(1, 30)
    ]
    text = "input: [8]\nblocks:\n" + "".join(blocks) + "layers:\n  - b29\n"

    assert refusal(tmp_path, text) == (
        "64:5: error: the spec expands to more than 200,000 layers"
    )


def test_names_in_blocks_stay_text(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text(
        "input: [4]\nblocks:\n  b:\n    params: {stage: 2, block: 1}\n"
        '    layers: [Dense: {units: $stage * 3, name: "${stage}-${block}"}]\n'
        "layers:\n  - b\n"
    )

    rows = document(spec)["layers"]

    assert [(r["name"], r["output_shape"]) for r in rows] == [("b_2-1", [None, 6])]


def test_a_shared_call_s_name_is_checked(tmp_path):
    text = "input: [4]\nlayers:\n  - Dense: {units: 2, name: d}\n"
    text += "  - Shared: {layer: d, name: a/b}\n"

    assert refusal(tmp_path, text) == (
        "4:30: error: a name is a non-empty string without `/`; received 'a/b' (quote "
        "names that YAML reads as numbers or booleans)"
    )


def test_until_a_block_that_ends_in_a_shared_call(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text(
        "input: [4]\nblocks:\n  again:\n    layers: [Shared: {layer: d}]\nlayers:\n"
        "  - Dense: {units: 4, name: d}\n  - again: {name: blk}\n  - Dense: 3\n"
    )

    result = runner.invoke(app, ["summary", str(spec), "--until", "blk", "-f", "json"])

    assert result.exit_code == 0
    assert json.loads(result.stdout)["outputs"] == [
        {"name": "d[1][0]", "shape": [None, 4]}
    ]


def test_shape_of_a_tensor_past_the_last_output_exits_1(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text(
        "input: [5, 4]\nblocks:\n  rnn:\n    layers: [LSTM: {units: 3, return_state: "
        'true, name: l}]\n    output: "l[0][7]"\nlayers:\n  - rnn: {name: r}\n'
        '  - Dense: {units: 2, inputs: "r_l[0][0]"}\n'
    )

    result = runner.invoke(app, ["shape", str(spec), "r"])

    assert result.exit_code == 1
    assert result.stderr == (
        "layerplan: error: r: r_l[0][7] does not exist: r_l has 3 outputs, counted "
        "from 0\n"
    )
