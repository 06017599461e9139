"""Dump the constructor signature of every Keras layer that layerplan supports.

Development only, with real Keras installed (see README, "Development"):

    KERAS_BACKEND=torch /work/kerasenv/bin/python tools/keras_signatures.py

writes tests/golden/keras_signatures.json, which tests/test_registry.py compares with
the argument tables of the registry: names, order and defaults.
"""

import inspect
import json
import sys
from pathlib import Path

import keras

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapes import RULES  # noqa: E402  (after the path is set)

SKIPPED = {"self", "kwargs", "name", "dtype", "trainable"}


def plain(value):
    """A default as JSON: tuples become lists, anything odd its repr."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def signature(cls):
    params = inspect.signature(cls.__init__).parameters.values()
    return [
        {
            "name": p.name,
            "default": None if p.default is p.empty else plain(p.default),
            "required": p.default is p.empty,
        }
        for p in params
        if p.name not in SKIPPED and p.kind is not p.VAR_KEYWORD
    ]


def keras_class(name):
    """The keras.layers class of a rule: by its name, or by an alias Keras exports
    (GroupedQueryAttention is exported as GroupQueryAttention)."""
    for exported in (name, *RULES[name].aliases):
        if hasattr(keras.layers, exported):
            return getattr(keras.layers, exported)
    raise SystemExit(f"keras.layers has no {name}")


def main():
    table = {name: signature(keras_class(name)) for name in sorted(RULES)}
    out = ROOT / "tests" / "golden" / "keras_signatures.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"keras": keras.__version__, "layers": table}, indent=1) + "\n"
    )
    print(
        f"wrote {out.relative_to(ROOT)}: {len(table)} layers, Keras {keras.__version__}"
    )


if __name__ == "__main__":
    main()
