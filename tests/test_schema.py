"""`layerplan schema`: a JSON Schema that every example meets and broken specs fail."""

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.app import app
from modelspec import SpecError, load_spec
from modelspec.loader import TOP_KEYS
from modelspec.yamlsource import load_yaml
from shapes import RULES

ROOT = Path(__file__).parent.parent
SPECS = sorted((ROOT / "examples").rglob("*.yaml")) + sorted(
    (ROOT / "tests" / "golden").rglob("*.yaml")
)


@pytest.fixture(scope="module")
def validator():
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def document(text):
    return load_yaml(text.encode(), "spec.yaml")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_spec_meets_the_schema(validator, spec):
    try:
        load_spec(spec)
    except SpecError:
        pytest.skip("the loader refuses it (a golden case of a refused argument)")

    errors = list(validator.iter_errors(document(spec.read_text())))

    assert errors == []


BROKEN = {
    "unknown top-level key": "input: [4]\nlayer:\n  - Dense: 2\n",
    "layers not a list": "input: [4]\nlayers: {Dense: 2}\n",
    "unknown argument": "input: [4]\nlayers:\n  - Dense: {units: 2, unit: 3}\n",
    "wrong type": "input: [4]\nlayers:\n  - Dense: {units: two}\n",
    "bad choice": "input: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 2, kernel_size: 3,"
    " padding: full}\n",
    "missing required argument": "input: [8, 8, 3]\nlayers:\n  - Conv2D: {filters: 2}\n",
    "too many positional arguments": "input: [4]\nlayers:\n  - Dropout: [0.5, 1, 2, 3]\n",
    "two keys in an entry": "input: [4]\nlayers:\n  - Dense: 2\n    Dropout: 0.1\n",
    "unknown bare layer": "input: [4]\nlayers:\n  - Flaten\n",
    "negative size": "input: [-4]\nlayers:\n  - Dense: 2\n",
    "unknown lint rule": "input: [4]\nlayers: [Dense: {units: 2, lint: {ignore: [x]}}]",
    "bad expect": "input: [4]\nlayers:\n  - Dense: 2\nexpect: {params: 3}\n",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_broken_specs_fail_the_schema(validator, text):
    assert not validator.is_valid(document(text))


def test_issue_3_syntax_meets_the_schema(validator):
    text = """
blocks:
  conv_block:
    params: {filters: null, stride: 2}
    layers:
      - Conv2D: {filters: $filters * 4, kernel_size: 1, strides: $stride, name: 0_conv}
      - Add: {inputs: [0_conv, input], name: add}
    output: add
layers:
  - Model: {spec: base.yaml, trainable: false, name: base, input: [null, null, 3]}
  - conv_block: {name: conv2_block1, filters: 64, stride: 1}
  - Repeat:
      times: 2
      start: 2
      layers:
        - conv_block: {name: conv2_block$i, filters: 64}
  - Dense: {units: 64, name: encoder, inputs: "base[0][1]"}
  - Shared: {layer: encoder, inputs: right, name: encoded_right}
"""
    assert list(validator.iter_errors(document(text))) == []


def test_the_schema_covers_the_registry_and_the_top_level_keys(validator):
    schema = validator.schema
    entries = schema["$defs"]["entry"]["anyOf"][1]["properties"]

    assert set(RULES) <= set(entries)
    assert set(TOP_KEYS) <= set(schema["properties"])
    conv = entries["Conv2D"]["anyOf"][1]["properties"]
    assert conv["padding"]["default"] == "valid"
    assert (
        conv["kernel_size"]["description"]
        == "an integer or a list of 2 positive integers"
    )
