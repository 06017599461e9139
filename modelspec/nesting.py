"""`Model:` entries: another spec file used as one layer, as Keras nests models.

    - Model: {spec: base.yaml, trainable: false, name: base,
              input: [null, null, 3], outputs: [block14_sepconv2_act]}

`input` and `outputs` override the nested spec's own, as keras.Model(base.input,
base.get_layer(...).output) does.
"""

from modelspec.model import LayerSpec, Place
from modelspec.naming import name_problem
from modelspec.suggest import refuse_unknown_keys, shown
from modelspec.yamlsource import Mapping
from shapes.models import NestedModel
from shapes.tensors import is_size

MODEL_KEYS = ("spec", "name", "trainable", "inputs", "input", "outputs", "lint")


def nested_layer(reader, body, mark, load_file):
    """The LayerSpec of a `Model:` entry; `load_file` reads the nested spec."""

    def fail(message, where):
        reader.fail("spec-structure", message, where, None, "Model")

    if not isinstance(body, Mapping) or not isinstance(body.get("spec"), str):
        fail(
            "`Model:` takes the path of another spec, relative to this file: "
            f"`Model: {{spec: base.yaml}}`; received {shown(body)}",
            mark,
        )
    refuse_unknown_keys(body, MODEL_KEYS, "`Model:`", fail)
    marks = body.value_marks
    trainable = body.get("trainable", True)
    if not isinstance(trainable, bool):
        fail(
            f"`trainable` is true or false; received {shown(trainable)}",
            marks["trainable"],
        )
    name = body.get("name")
    if name is not None and name_problem(name):
        fail(name_problem(name), marks["name"])
    sizes = body.get("input")
    if sizes is not None and not (
        isinstance(sizes, list) and all(s is None or is_size(s) for s in sizes)
    ):
        fail(
            "`input:` is one sample's shape, batch excluded, null for unknown, such as "
            f"[null, null, 3]; received {shown(sizes)}",
            marks["input"],
        )
    outputs = body.get("outputs")
    if isinstance(outputs, str):
        outputs = [outputs]
    if outputs is not None and not (outputs and all(isinstance(o, str) for o in outputs)):
        fail(
            f"`outputs:` names layers of the nested spec; received {shown(outputs)}",
            marks["outputs"],
        )

    spec = load_file(body["spec"], sizes, outputs, body)
    rule = NestedModel(spec)
    layer = LayerSpec(
        name=name or spec.name,
        type=rule.class_name,
        rule=rule,
        config={},
        place=Place.of(reader.file, mark),
        trainable=trainable,
    )
    if "inputs" in body:
        reader.set_inputs(layer, body["inputs"], marks["inputs"])
    if "lint" in body:
        layer.lint, layer.lint_place = body["lint"], Place.of(reader.file, marks["lint"])
    return layer
