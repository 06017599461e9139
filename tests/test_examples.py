"""Every shipped example agrees with Keras row by row.

Keras's answers live in tests/examples_truth/, made by tools/keras_golden.py from a
copy of examples/ (see README, "Development"); an example without one fails here.
"""

from pathlib import Path

import pytest

from tests.keras_truth import check_against_keras, outcome

ROOT = Path(__file__).parent.parent
# The Keras Applications and the transfer model built on one of them are checked
# against keras.applications itself, in test_applications.py.
CHECKED_ELSEWHERE = ("applications", "transfer_learning.yaml")
EXAMPLES = sorted(
    p
    for p in (ROOT / "examples").rglob("*.yaml")
    if not set(CHECKED_ELSEWHERE) & set(p.relative_to(ROOT / "examples").parts)
)
TRUTH = Path(__file__).parent / "examples_truth"


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_example_agrees_with_keras(spec):
    check_against_keras(spec, TRUTH / f"{spec.stem}.expected.json")


def test_vgg16_total_is_the_applications_table():
    _, document, _ = outcome(ROOT / "examples" / "vgg16.yaml")

    assert document["total_params"] == 138_357_544


def test_the_broken_example_names_its_layer():
    code, _, error = outcome(ROOT / "examples" / "broken" / "too_far.yaml")

    assert code == 1
    assert (error.layer, error.line, error.column) == ("conv2d_4", 14, 5)
