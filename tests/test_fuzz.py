"""Property tests: no spec, however broken, makes layerplan raise.

Random and mutated specs (wrong types, huge and negative numbers, deep nesting,
unknown keys, broken YAML, YAML tags, alias bombs) go through `check_file`, which
lets a bug of ours raise, and through every lint format. Each must end as findings
with a place (line and column from 1), or as an unreadable file with its place.
LAYERPLAN_FUZZ_EXAMPLES=5000 runs a longer hunt than CI's few seconds.
"""

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.lint.config import Settings
from cli.lint.formats import FORMATTERS, render_text
from cli.lint.run import LintRun, check_file
from shapes import RULES

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").rglob("*.yaml"))
FAST = settings(
    max_examples=int(os.environ.get("LAYERPLAN_FUZZ_EXAMPLES", 120)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TYPES = sorted(RULES)[:40] + ["Model", "Shared", "Repeat", "Nope", "conv_block"]
KEYS = [
    "name", "input", "inputs", "layers", "outputs", "expect", "blocks", "units",
    "filters", "kernel_size", "strides", "padding", "pool_size", "shape", "lint",
    "ignore", "data_format", "activation", "layer", "target_shape", "total_params",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(-3, 300),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 1, 2**31, 2**63, 10**100, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    st.sampled_from(["same", "valid", "relu", "image", "$x", "", "a/b", "None"]),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=20,
)
ENTRIES = st.one_of(
    st.sampled_from(TYPES),
    st.dictionaries(st.sampled_from(TYPES), VALUES, min_size=1, max_size=2),
    VALUES,
)
SPECS = st.fixed_dictionaries(
    {
        "input": st.one_of(st.lists(st.one_of(st.none(), NUMBERS), max_size=4), VALUES),
        "layers": st.lists(ENTRIES, max_size=6),
    },
    optional={
        "outputs": VALUES,
        "expect": VALUES,
        "name": SCALARS,
        "inputs": VALUES,
        "blocks": VALUES,
        "extra": VALUES,
    },
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def lint_text(folder, data):
    """Lint `data` (bytes) as a spec file; every outcome must carry a place."""
    path = folder / "spec.yaml"
    path.write_bytes(data)
    result = check_file(str(path), Settings())
    for diagnostic in result.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.code != "internal-error"
    run = LintRun([result])
    render_text(run)
    for render in FORMATTERS.values():
        render(run)
    return result


def dumped(document):
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


@FAST
@given(SPECS)
def test_random_specs(folder, spec):
    lint_text(folder, dumped(spec))


@FAST
@given(SPECS)
def test_random_specs_as_json(folder, spec):
    lint_text(folder, json.dumps(spec, default=str).encode())


@FAST
@given(
    st.sampled_from(EXAMPLES),
    st.lists(
        st.tuples(st.sampled_from(["cut", "insert", "number", "drop-line"]), st.data()),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_examples(folder, example, mutations):
    text = example.read_text()
    for mutation, data in mutations:
        text = mutate(text, mutation, data)
    lint_text(folder, text.encode("utf-8", "surrogatepass"))


def mutate(text, mutation, data):
    """One change to a spec's text: cut it, insert junk, change a number, drop a line."""
    at = data.draw(st.integers(0, len(text)))
    if mutation == "cut":
        return text[:at]
    if mutation == "insert":
        junk = data.draw(
            st.sampled_from(["{", "]", ":", "- ", "\t", "&a", "*a", "!!int", "'", "\n  "])
            | st.text(max_size=4)
        )
        return text[:at] + junk + text[at:]
    if mutation == "number":
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if not digits:
            return text
        i = data.draw(st.sampled_from(digits))
        value = data.draw(NUMBERS)
        return f"{text[:i]}{value}{text[i + 1 :]}"
    lines = text.splitlines(keepends=True)
    del lines[data.draw(st.integers(0, max(len(lines) - 1, 0))) : at % 7]
    return "".join(lines)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3000), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting(folder, depth, opener):
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    if opener == "- ":
        body = "".join("  " * i + "- \n" for i in range(min(depth, 400)))
    else:
        body = opener * depth + "1" + closer * depth
    result = lint_text(
        folder, f"input: [4]\nlayers:\n  - Dense: {{units: {body}}}\n".encode()
    )

    assert result.unreadable


TAGGED = [
    "!!python/object/apply:os.system ['echo hacked']",
    "!!python/object:__main__.Thing {a: 1}",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!timestamp 2001-12-14",
    "!custom 3",
    "!!omap [{a: 1}]",
    "!!float '1e3'",
    "!!str 10",
]


@pytest.mark.parametrize("value", TAGGED)
@pytest.mark.parametrize("where", ["units", "input", "layers"])
def test_yaml_tags(folder, value, where):
    specs = {
        "units": f"input: [4]\nlayers:\n  - Dense: {{units: {value}}}\n",
        "input": f"input: {value}\nlayers:\n  - Dense: 2\n",
        "layers": f"input: [4]\nlayers: {value}\n",
    }
    result = lint_text(folder, specs[where].encode())

    assert result.unreadable


def test_an_alias_bomb(folder):
    """Eleven levels of ten aliases: 10**11 leaves if anything walked them all."""
    anchors = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        anchors.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    first = f"  - Dense: {{units: 2, kernel_initializer: [{', '.join(anchors)}]}}\n"
    for use in (
        "  - Dense: {units: *a11}\n",
        "  - Dense: {units: 2, lint: {ignore: *a11}}\n",
        "  - Dense: {units: 2, inputs: *a11}\n",
        "  - *a11\n",
        "outputs: *a11\n",
        "expect: {output_shape: *a11}\n",
    ):
        lint_text(folder, ("input: [4]\nlayers:\n" + first + use).encode())


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes(folder, data):
    lint_text(folder, data)
