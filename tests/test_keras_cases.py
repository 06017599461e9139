"""Every spec with Keras's answer beside it: the shared cases and the golden corpus."""

from pathlib import Path

import pytest

from tests.keras_truth import check_against_keras, outcome, specs_with_truth

HERE = Path(__file__).parent
SPECS = specs_with_truth(HERE / "cases") + specs_with_truth(HERE / "golden")


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: str(p.relative_to(HERE)))
def test_agrees_with_keras(spec):
    check_against_keras(spec)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: str(p.relative_to(HERE)))
def test_rows_add_up_to_totals(spec):
    code, document, _ = outcome(spec)
    if document is None:
        pytest.skip("the spec is refused before any row is computed")
    layers = [row for row in document["layers"] if not row.get("unused")]
    for row in layers:
        assert row["params"] == row["trainable_params"] + row["non_trainable_params"]
    assert document["trainable_params"] == sum(r["trainable_params"] for r in layers)
    assert document["non_trainable_params"] == sum(
        r["non_trainable_params"] for r in layers
    )
    assert document["total_params"] == sum(r["params"] for r in layers)


def test_every_registered_layer_has_keras_truth():
    """Each rule in the registry is checked against Keras by at least one spec."""
    from shapes import RULES
    from tests.keras_truth import expected_of

    covered = set()
    for spec in SPECS:
        expected = expected_of(spec)
        if "error" in expected:
            covered.add(expected["error"]["layer_type"])
        else:
            covered.update(row["type"] for row in expected["layers"])

    assert sorted(set(RULES) - covered) == []
