"""Write what real Keras 3 reports for five Keras Applications, as golden files.

Development only: layerplan itself never imports Keras. For ResNet50, VGG16,
MobileNetV2, Xception and DenseNet121 (weights=None, default input size, the
1000-class top) and for the transfer-learning model of the Keras Sequential guide
(a frozen Xception base with average pooling, then Dense(1000)), this writes
tests/applications/NAME.expected.json: every layer of `model.layers` in order (input
layers excepted), with its inputs, output shape and parameter counts, and the totals,
in the layout of tools/keras_golden.py. It stops with exit code 1 if a total differs
from the Keras Applications table.

    KERAS_BACKEND=torch /work/kerasenv/bin/python tools/keras_applications.py [--check]

With --check nothing is written: the files that would change are listed, exit code 1.
"""

import argparse
import json
import math
import sys
from pathlib import Path

import keras

TRUTH = Path(__file__).parent.parent / "tests" / "applications"

# (total, trainable, non-trainable) parameters as the Keras Applications table and
# the Sequential guide give them.
APPLICATIONS = {
    "resnet50": (keras.applications.ResNet50, (25_636_712, 25_583_592, 53_120)),
    "vgg16": (keras.applications.VGG16, (138_357_544, 138_357_544, 0)),
    "mobilenet_v2": (keras.applications.MobileNetV2, (3_538_984, 3_504_872, 34_112)),
    "xception": (keras.applications.Xception, (22_910_480, 22_855_952, 54_528)),
    "densenet121": (keras.applications.DenseNet121, (8_062_504, 7_978_856, 83_648)),
}
TRANSFER_TOTALS = (22_910_480, 2_049_000, 20_861_480)


def transfer_learning():
    """The Sequential guide's model: a frozen, pooled Xception base and a new top."""
    base = keras.applications.Xception(weights=None, include_top=False, pooling="avg")
    base.trainable = False
    return keras.Sequential([base, keras.layers.Dense(1000)], name="transfer_learning")


def shape_of(tensor):
    """A tensor's shape as a JSON list, None for unknown sizes."""
    return list(tensor.shape)


def reference(tensor):
    """How a spec names a tensor: `layer`, or `layer[call][output]` past the first."""
    history = tensor._keras_history
    name = history.operation.name
    if (history.node_index, history.tensor_index) == (0, 0):
        return name
    return f"{name}[{history.node_index}][{history.tensor_index}]"


def param_counts(weights):
    """Number of scalars in a list of variables."""
    return sum(math.prod(w.shape) for w in weights)


def row(layer):
    """One entry of `layers`: the layer's single call, its output and its weights."""
    node = layer._inbound_nodes[0]
    outputs = node.output_tensors
    trainable = param_counts(layer.trainable_weights)
    frozen = param_counts(layer.non_trainable_weights)
    return {
        "name": layer.name,
        "type": type(layer).__name__,
        "inputs": [reference(t) for t in node.input_tensors],
        "output_shape": shape_of(outputs[0])
        if len(outputs) == 1
        else [shape_of(t) for t in outputs],
        "params": trainable + frozen,
        "trainable_params": trainable,
        "non_trainable_params": frozen,
    }


def document(model):
    """The JSON document of Keras's numbers for one built model."""
    trainable = param_counts(model.trainable_weights)
    frozen = param_counts(model.non_trainable_weights)
    layers = [
        layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)
    ]
    return {
        "name": model.name,
        "inputs": [{"name": reference(t), "shape": shape_of(t)} for t in model.inputs],
        "layers": [row(layer) for layer in layers],
        "outputs": [{"name": reference(t), "shape": shape_of(t)} for t in model.outputs],
        "total_params": trainable + frozen,
        "trainable_params": trainable,
        "non_trainable_params": frozen,
    }


def models():
    """(file stem, model, expected totals) for each application, then the guide's."""
    for stem, (application, totals) in APPLICATIONS.items():
        keras.backend.clear_session()
        yield stem, application(weights=None), totals
    keras.backend.clear_session()
    yield "transfer_learning", transfer_learning(), TRANSFER_TOTALS


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that would change (exit 1)",
    )
    options = parser.parse_args()

    TRUTH.mkdir(parents=True, exist_ok=True)
    failed = False
    for stem, model, totals in models():
        result = document(model)
        got = (
            result["total_params"],
            result["trainable_params"],
            result["non_trainable_params"],
        )
        if got != totals:
            print(
                f"{stem}: totals {got} differ from the table's {totals}", file=sys.stderr
            )
            failed = True
            continue

        target = TRUTH / f"{stem}.expected.json"
        text = json.dumps(result, indent=1) + "\n"
        if target.exists() and target.read_text() == text:
            continue
        failed = failed or options.check
        if options.check:
            print(f"would change: {target}")
        else:
            target.write_text(text)
            print(f"wrote {target} ({len(result['layers'])} layers)")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
