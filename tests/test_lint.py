"""`layerplan lint`: every rule at its line, in every format; settings; exit codes."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.app import app
from cli.lint.formats import render_text
from cli.lint.run import LintRun, lint_file

ROOT = Path(__file__).parent.parent
CASES = "tests/lint_cases"
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"
runner = CliRunner()

# (file, line, column, severity, code, layer) of every finding in tests/lint_cases.
EXPECTED = [
    ("asymmetric_padding", 4, 5, "warning", "asymmetric-padding", "conv2d"),
    ("bad_lint_key", 3, 29, "error", "spec-structure", "dense"),
    ("bad_yaml", 4, 10, "error", "yaml-syntax", None),
    ("dense_on_high_rank", 5, 5, "warning", "dense-on-high-rank", "dense"),
    ("expect_failed", 7, 3, "error", "expect-failed", None),
    ("large_flatten_dense", 6, 5, "warning", "large-flatten-dense", "dense"),
    ("size_collapse", 8, 5, "error", "size-collapse", "conv2d_2"),
    ("stride_drops_input", 5, 5, "warning", "stride-drops-input", "max_pooling2d"),
    ("unknown_layer", 4, 5, "error", "unknown-layer", None),
    ("unused_layer", 6, 5, "warning", "unused-layer", "forgotten"),
    ("window_exceeds_input", 5, 5, "warning", "window-exceeds-input", "conv2d"),
    ("window_exceeds_input", 7, 5, "warning", "pooling-on-1x1", "max_pooling2d_1"),
]
PLACES = [
    (f"{CASES}/{name}.yaml", line, col, code) for name, line, col, _, code, _ in EXPECTED
]


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def lint(*args):
    return runner.invoke(app, ["lint", *map(str, args)])


def test_the_examples_are_clean():
    result = lint("examples/")

    assert result.exit_code == 0
    assert result.stdout == "13 files linted (1 excluded): no problems\n"


def test_text_names_each_mistake_at_its_line():
    result = lint(CASES)

    pattern = re.compile(r"^(.+?):(\d+):(\d+): (\w+): ([\w-]+): (?:(\w+) \((\w+)\): )?")
    found = []
    for line in result.stdout.splitlines()[:-1]:
        file, row, col, severity, code, layer, _ = pattern.match(line).groups()
        found.append((Path(file).stem, int(row), int(col), severity, code, layer))
    assert found == EXPECTED
    assert result.stdout.splitlines()[-1] == "5 errors and 7 warnings in 11 of 11 files"
    assert result.exit_code == 2


def test_text_shows_the_arithmetic_and_the_layer_that_shrank_the_map():
    result = lint(f"{CASES}/size_collapse.yaml")

    assert result.stdout.splitlines()[0] == (
        f"{CASES}/size_collapse.yaml:8:5: error: size-collapse: conv2d_2 (Conv2D): "
        'kernel 3x3 does not fit the 2x2 input with padding="valid": (2 - 3) // 1 + 1 = '
        '0 on spatial axis 1; use padding="same" or remove a downsampling step; '
        "max_pooling2d_1 (MaxPooling2D, line 7) made it 2x2 from 4x4"
    )
    assert result.exit_code == 1


def test_stride_drops_input_says_how_much_is_dropped():
    result = lint(f"{CASES}/stride_drops_input.yaml")

    assert "leave the last row and the last column of the 7x7 input unread: " in (
        result.stdout
    )
    assert "(7 - 2) % 2 = 1, 14%" in result.stdout
    assert result.exit_code == 0


def test_large_flatten_dense_gives_the_share_of_parameters():
    result = lint(f"{CASES}/large_flatten_dense.yaml")

    assert (
        "takes the 65,536 values of flatten (Flatten) and holds 33,554,944 parameters, "
        "100.0% of the model's 33,561,866, more than flatten-dense-max-params 1,000,000"
    ) in result.stdout


def test_json_lists_the_same_findings():
    result = lint(CASES, "--format", "json")

    document = json.loads(result.stdout)
    found = [
        (d["file"], d["line"], d["column"], d["code"]) for d in document["diagnostics"]
    ]
    assert found == PLACES
    assert document["diagnostics"][0]["layer_type"] == "Conv2D"
    assert document["summary"] == {"files": 11, "excluded": 0, "errors": 5, "warnings": 7}
    assert "5 errors and 7 warnings" in result.stderr


def test_github_annotations():
    result = lint(CASES, "--format", "github")

    lines = result.stdout.splitlines()
    pattern = re.compile(
        r"^::(error|warning) file=(.+),line=(\d+),col=(\d+),title=(.+)::"
    )
    found = []
    for line in lines:
        _, file, row, col, code = pattern.match(line).groups()
        found.append((file, int(row), int(col), code))
    assert found == PLACES
    assert lines[3].startswith(
        f"::warning file={CASES}/dense_on_high_rank.yaml,line=5,col=5,"
        "title=dense-on-high-rank::dense (Dense): Dense acts on the last axis only"
    )


def test_github_escapes_newlines_and_percent_signs():
    from cli.lint.formats import escape

    assert escape("50% of\nit") == "50%25 of%0Ait"
    assert escape("a:b,c", property_value=True) == "a%3Ab%2Cc"


def test_sarif_validates_against_the_schema():
    result = lint(CASES, "--format", "sarif")

    log = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    found = []
    for item in run["results"]:
        location = item["locations"][0]["physicalLocation"]
        region = location["region"]
        uri = location["artifactLocation"]["uri"]
        found.append((uri, region["startLine"], region["startColumn"], item["ruleId"]))
    assert found == PLACES
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    collapse = next(r for r in run["results"] if r["ruleId"] == "size-collapse")
    assert rules[collapse["ruleIndex"]] == "size-collapse"
    unreadable = next(r for r in run["results"] if r["ruleId"] == "spec-structure")
    assert rules[unreadable["ruleIndex"]] == "spec-structure"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_of_a_clean_run_validates():
    result = lint("examples/", "--format", "sarif")

    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    assert log["runs"][0]["results"] == []
    assert result.exit_code == 0


def test_warnings_fail_only_under_strict():
    spec = f"{CASES}/dense_on_high_rank.yaml"

    assert lint(spec).exit_code == 0
    assert lint(spec, "--strict").exit_code == 1


def test_one_unreadable_file_does_not_stop_the_others():
    result = lint("missing.yaml", f"{CASES}/dense_on_high_rank.yaml")

    lines = result.stdout.splitlines()
    assert lines[0] == "missing.yaml:1:1: error: unreadable: no such file"
    assert "dense-on-high-rank" in lines[1]
    assert result.exit_code == 2


def test_globs_and_directories():
    result = lint(f"{CASES}/s*.yaml", "examples")

    assert (
        result.stdout.splitlines()[-1]
        == "1 error and 1 warning in 2 of 15 files (1 excluded)"
    )


def test_ignore_and_select():
    spec = f"{CASES}/window_exceeds_input.yaml"

    ignored = lint(spec, "--ignore", "pooling-on-1x1,window-exceeds-input")
    selected = lint(spec, "--select", "pooling-on-1x1")
    relevelled = lint(spec, "--select", "all", "--select", "pooling-on-1x1=error")

    assert ignored.stdout == "1 file linted: no problems\n"
    assert [line.split(": ")[2] for line in selected.stdout.splitlines()[:-1]] == [
        "pooling-on-1x1"
    ]
    assert ": error: pooling-on-1x1: " in relevelled.stdout
    assert ": warning: window-exceeds-input: " in relevelled.stdout
    assert relevelled.exit_code == 1


def test_a_threshold_from_the_command_line():
    spec = f"{CASES}/large_flatten_dense.yaml"

    result = lint(spec, "--option", "flatten-dense-max-params=40_000_000")

    assert result.stdout == "1 file linted: no problems\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--ignore", "dense-on-hihg-rank"],
            "layerplan: error: the command line: ignore: unknown rule "
            "'dense-on-hihg-rank' (did you mean \"dense-on-high-rank\"?); `layerplan "
            "rules` lists them",
        ),
        (
            ["--ignore", "size-collapse"],
            "layerplan: error: the command line: ignore: size-collapse cannot be "
            "ignored: Keras refuses such a model",
        ),
        (
            ["--select", "unused-layer=fatal"],
            "layerplan: error: the command line: select: unused-layer=fatal: a severity "
            "is one of error, warning",
        ),
        (
            ["--option", "flatten-dense-max-params=many"],
            "layerplan: error: the command line: flatten-dense-max-params is a number "
            ">= 0; received 'many'",
        ),
    ],
)
def test_bad_settings_on_the_command_line(args, message):
    result = lint(f"{CASES}/dense_on_high_rank.yaml", *args)

    assert result.stderr.splitlines() == [message]
    assert result.exit_code == 2


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_settings_from_the_nearest_pyproject(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[tool.layerplan]\nignore = ["stride-drops-input"]\n'
        'exclude = ["old/"]\nselect = ["all", "dense-on-high-rank=error"]\n',
    )
    spec_text = (ROOT / CASES / "dense_on_high_rank.yaml").read_text()
    write(tmp_path / "models" / "a.yaml", spec_text)
    write(tmp_path / "old" / "b.yaml", "not: [a spec")
    write(
        tmp_path / "models" / "c.yaml",
        (ROOT / CASES / "stride_drops_input.yaml").read_text(),
    )

    result = lint(tmp_path)

    assert ": error: dense-on-high-rank: " in result.stdout
    assert "stride-drops-input" not in result.stdout
    assert (
        result.stdout.splitlines()[-1]
        == "1 error and 0 warnings in 1 of 2 files (1 excluded)"
    )
    assert result.exit_code == 1


def test_exclude_spares_named_files_unless_forced(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.layerplan]\nexclude = ["*.yaml"]\n')
    spec = write(tmp_path / "a.yaml", "input: [4]\nlayers: [Dense: 2]\n")

    assert lint(spec).stdout == "1 file linted: no problems\n"
    assert (
        lint(spec, "--force-exclude").stdout
        == "0 files linted (1 excluded): no problems\n"
    )


def test_a_bad_pyproject_is_a_usage_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.layerplan]\nignroe = []\n")
    spec = write(tmp_path / "a.yaml", "input: [4]\nlayers: [Dense: 2]\n")

    result = lint(spec)

    assert result.stderr == (
        f"layerplan: error: {tmp_path / 'pyproject.toml'} [tool.layerplan]: unknown "
        "key 'ignroe' (did you mean \"ignore\"?); it takes select, ignore, exclude, "
        "stride-drops-max-percent, flatten-dense-max-params\n"
    )
    assert result.exit_code == 2


def test_a_layer_ignores_a_rule_and_sets_a_threshold(tmp_path):
    spec = write(
        tmp_path / "a.yaml",
        "input: [32, 32, 3]\n"
        "layers:\n"
        "  - Flatten\n"
        "  - Dense: {units: 512, lint: {flatten-dense-max-params: 2000000}}\n"
        "  - Dense: {units: 512, lint: {ignore: [dense-on-high-rank]}}\n"
        "  - Reshape: [[8, 64]]\n"
        "  - Dense: {units: 4, lint: {ignore: dense-on-high-rank}}\n",
    )

    assert lint(spec).stdout == "1 file linted: no problems\n"


def test_summary_and_lint_agree_on_the_code():
    summary = runner.invoke(
        app, ["summary", f"{CASES}/size_collapse.yaml", "--format", "json"]
    )

    codes = [d["code"] for d in json.loads(summary.stdout)["diagnostics"]]
    assert codes == ["size-collapse"]


def test_the_lint_key_does_not_change_the_summary():
    result = runner.invoke(app, ["summary", "examples/vgg16.yaml", "--format", "json"])

    assert json.loads(result.stdout)["total_params"] == 138_357_544
    assert result.exit_code == 0


def test_colour_only_when_asked():
    run = LintRun([lint_file(f"{CASES}/dense_on_high_rank.yaml", settings())])

    assert "\033[33mwarning\033[0m" in render_text(run, colour=True)
    assert "\033" not in render_text(run)


def test_rules_lists_the_catalogue():
    result = runner.invoke(app, ["rules"])

    assert result.stdout.splitlines()[-1] == (
        "large-flatten-dense (warning) [flatten-dense-max-params=1_000_000]: a Dense fed "
        "by Flatten holds more weights than flatten-dense-max-params"
    )


def settings():
    from cli.lint.config import Settings

    return Settings()


def test_a_file_named_twice_is_linted_once(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text("input: [4]\nlayers:\n  - Dense: 2\n")

    result = lint(spec, f"{tmp_path}/../{tmp_path.name}/model.yaml")

    assert result.stdout == "1 file linted: no problems\n"


def test_paths_without_specs_are_an_error(tmp_path):
    result = lint(tmp_path)

    assert result.exit_code == 2
    assert result.stderr == (
        f"layerplan: error: no spec files (*.yaml, *.yml, *.json) in {tmp_path}; is the "
        "path right?\n"
    )


def test_sarif_gives_absolute_paths_as_file_uris(tmp_path):
    spec = tmp_path / "model.yaml"
    spec.write_text("input: [4]\nlayers:\n  - Dense: {units: 2, nme: x}\n")

    log = json.loads(lint(spec, "--format", "sarif").stdout)

    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == spec.as_uri()


def test_thresholds_take_any_number():
    result = lint(
        f"{CASES}/stride_drops_input.yaml", "--option", "stride-drops-max-percent=20.5"
    )

    assert result.stdout == "1 file linted: no problems\n"
