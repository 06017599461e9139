"""Comparing layerplan's JSON summary of a spec with Keras's, row by row.

Each `NAME.expected.json` beside a `NAME.yaml` was written by tools/keras_golden.py
from real Keras: either a summary, or the layer Keras refused.
"""

import json
from pathlib import Path

from cli.render import ROW_KEYS, report_json
from cli.report import summarise
from modelspec import SpecError, load_spec

ROW_FIELDS = tuple(key for key in ROW_KEYS if key != "name")
TOTALS = ("total_params", "trainable_params", "non_trainable_params")


def specs_with_truth(folder):
    """Every spec below `folder` that has Keras's answer beside it."""
    return sorted(
        p
        for p in Path(folder).rglob("*.yaml")
        if p.with_suffix(".expected.json").exists()
    )


def expected_of(spec, truth=None):
    """Keras's answer for `spec`: beside it, or `truth` when given."""
    truth = truth or spec.with_suffix(".expected.json")
    return json.loads(truth.read_text())


def outcome(spec):
    """(exit code, JSON document or None, first error diagnostic or None) of a spec."""
    try:
        model = load_spec(str(spec))
    except SpecError as error:
        return 2, None, error.diagnostic
    report = summarise(model)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    return (1 if errors else 0), report_json(report), (errors[0] if errors else None)


def differences(expected, got):
    """(field, Keras's value, ours) for every disagreement between two summaries."""
    found = []
    for key in ("name", "inputs", "outputs", *TOTALS):
        if expected[key] != got[key]:
            found.append((key, expected[key], got[key]))
    rows = {row["name"]: row for row in got["layers"]}
    for row in expected["layers"]:
        ours = rows.get(row["name"])
        if ours is None:
            found.append((f"layers[{row['name']}]", "present", "absent"))
            continue
        for field in ROW_FIELDS:
            if row[field] != ours[field]:
                found.append((f"layers[{row['name']}].{field}", row[field], ours[field]))
    order = [row["name"] for row in expected["layers"]]
    if [row["name"] for row in got["layers"]] != order:
        found.append(("layers.order", order, [row["name"] for row in got["layers"]]))
    return found


def check_against_keras(spec, truth=None):
    """Assert that layerplan agrees with Keras on `spec`."""
    expected = expected_of(spec, truth)
    code, document, error = outcome(spec)
    if "error" in expected:
        keras_error = expected["error"]
        assert code in (1, 2), f"Keras refused {keras_error['layer']}: {keras_error}"
        assert error.layer == keras_error["layer"], (error, keras_error["message"])
        return
    assert code == 0, str(error)
    assert differences(expected, document) == []
