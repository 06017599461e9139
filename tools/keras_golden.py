"""Build layerplan specs in real Keras 3 and write what Keras reports, as golden files.

Development only: layerplan itself never imports Keras. For each SPEC.yaml given (a
directory is searched recursively), the architecture is built with the Functional API
and SPEC.expected.json is written beside it: per-layer output shapes and parameter
counts, or, where Keras refuses the architecture, the first layer it refuses.

    KERAS_BACKEND=torch python tools/keras_golden.py tests/golden [--check]

With --check nothing is written: the files that would change are listed, exit code 1.
A spec this script cannot read (unknown type, undefined input) stops it with exit code 2.
The spec is parsed here, independently of layerplan, to cross-check its parser.
"""

import argparse
import collections
import inspect
import json
import math
import os
import re
import sys
from pathlib import Path

if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    # Some Keras messages print a set: a fixed hash seed keeps reruns byte-identical.
    os.execve(
        sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
    )

import keras  # noqa: E402 (after the re-exec above)
import yaml  # noqa: E402
from keras.src.backend.common import global_state  # noqa: E402
from keras.src.utils import naming  # noqa: E402


class SpecError(Exception):
    """The spec itself is malformed (not something Keras refused)."""


class KerasRefused(Exception):
    """Keras raised while creating or calling layer number `index` of the spec."""

    def __init__(self, index, name, type_name, error):
        super().__init__(str(error))
        self.report = {
            "layer": name,
            "layer_type": type_name,
            "index": index,
            "type": type(error).__name__,
            "message": str(error),
        }


def shape_of(output):
    """A tensor's shape as a JSON list (None for unknown sizes); a list for several."""
    if isinstance(output, (list, tuple)):
        return [shape_of(t) for t in output]
    return list(output.shape)


def tensors_names(tensors):
    """The names of the layers (or inputs) that produced some symbolic tensors."""
    return [t._keras_history[0].name for t in tensors]


def layer_class(type_name):
    """The keras.layers class for a type name or a class name (aliases included)."""
    cls = getattr(keras.layers, str(type_name), None)
    if cls is None:
        exported = (getattr(keras.layers, n) for n in dir(keras.layers))
        cls = next(
            (c for c in exported if getattr(c, "__name__", None) == type_name), None
        )
    is_layer = isinstance(cls, type) and issubclass(cls, keras.layers.Layer)
    return cls if is_layer else None


# Layers whose call takes their inputs as separate arguments (query, value, key).
CALLED_WITH_ARGUMENTS = ("MultiHeadAttention", "GroupedQueryAttention")


def call_layer(layer, feed):
    """Call a layer as Keras users do: one tensor, a list, or separate arguments."""
    if len(feed) == 1:
        return layer(feed[0])
    if type(layer).__name__ in CALLED_WITH_ARGUMENTS:
        return layer(*feed)
    return layer(feed)


def lambda_arguments(kwargs):
    """Lambda's function is written as Python source (`lambda x: x`), and its
    output_shape as a list: Keras wants a function and a tuple."""
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("function"), str):
        kwargs["function"] = eval(kwargs["function"])  # dev-only, trusted specs
    if isinstance(kwargs.get("output_shape"), list):
        kwargs["output_shape"] = tuple(kwargs["output_shape"])
    return kwargs


def split_entry(entry):
    """(type name, positional args, kwargs) of one `layers` entry, in any of its forms."""
    if isinstance(entry, str):
        return entry, [], {}
    if not (isinstance(entry, dict) and len(entry) == 1):
        raise SpecError(f"a layer entry must be a name or a one-key mapping: {entry!r}")
    type_name, value = next(iter(entry.items()))
    if value is None:
        return type_name, [], {}
    if isinstance(value, dict):
        kwargs = dict(value)
        kwargs.pop("lint", None)  # layerplan's own lint settings, not a Keras argument
        return type_name, [], kwargs
    if isinstance(value, list):
        return type_name, list(value), {}
    return type_name, [value], {}


LAYER_ARGUMENTS = ("layer", "backward_layer")


def argument(value, key=None):
    """A YAML argument value for Keras; a one-key {LayerType: ...} mapping is a layer,
    and so is a bare type name given as a wrapper's `layer`."""
    if isinstance(value, dict) and len(value) == 1 and layer_class(next(iter(value))):
        return create_layer(*split_entry(value))
    if key in LAYER_ARGUMENTS and isinstance(value, str) and layer_class(value):
        return create_layer(value, [], {})
    if isinstance(value, list):
        return [argument(v) for v in value]
    return value


def create_layer(type_name, args, kwargs):
    """Create a layer; layer arguments first, so Keras names the inner layers first."""
    cls = layer_class(type_name)
    if cls is None:
        raise SpecError(f"unknown layer type {type_name!r}")
    names = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    args = [argument(a, key) for a, key in zip(args, names)]
    kwargs = {k: argument(v, k) for k, v in kwargs.items()}
    if cls is keras.layers.Lambda:
        kwargs = lambda_arguments(dict(zip(("function", "output_shape"), args), **kwargs))
        args = []
    return cls(*args, **kwargs)


def next_auto_name(type_name, kwargs):
    """The name Keras gives the layer about to be created (for errors at creation)."""
    if kwargs.get("name"):
        return kwargs["name"]
    prefix = naming.to_snake_case(layer_class(type_name).__name__)
    uids = global_state.get_global_attribute("object_name_uids") or {}
    return f"{prefix}_{uids[prefix]}" if uids.get(prefix) else prefix


def spec_inputs(spec):
    """[(name, shape, batch_size)] from `input` or `inputs`."""
    if "inputs" in spec:
        given = spec["inputs"]
    elif "input" in spec:
        given = spec["input"]
        if isinstance(given, dict):
            given = dict(given)
            given = {given.pop("name", "input_layer"): given}
        else:
            given = {"input_layer": given}
    else:
        raise SpecError("the spec has no `input` or `inputs`")
    result = []
    for name, value in given.items():
        value = value if isinstance(value, dict) else {"shape": value}
        result.append((name, value["shape"], value.get("batch_size")))
    return result


def param_counts(weights):
    """Number of scalars in a list of variables."""
    return sum(math.prod(w.shape) for w in weights)


def row(layer, sources, output):
    """One entry of `layers` in the JSON document."""
    trainable = param_counts(layer.trainable_weights)
    frozen = param_counts(layer.non_trainable_weights)
    return {
        "name": layer.name,
        "type": type(layer).__name__,
        "inputs": sources,
        "output_shape": shape_of(output),
        "params": trainable + frozen,
        "trainable_params": trainable,
        "non_trainable_params": frozen,
    }


def parts(reference):
    """(name, node, index) of `name`, `name[node]` or `name[node][index]`."""
    return re.fullmatch(r"(.+?)(?:\[(\d+)\])?(?:\[(\d+)\])?", reference).groups()


def tensor(tensors, reference):
    """The tensor a reference names."""
    name, node, index = parts(reference)
    output = tensors[name if not node or node == "0" else f"{name}[{node}]"]
    return output[int(index)] if index is not None else output


def canonical(reference, handles):
    """A reference as layerplan's JSON writes it: `name`, else `name[node][index]`."""
    name, node, index = parts(reference)
    if name in handles:
        name, node = handles[name]
    if node in (None, "0", 0) and index is None:
        return name
    return f"{name}[{node or 0}][{index or 0}]"


def is_stack(spec):
    """Whether a spec is a plain stack, which Keras shows as a Sequential."""
    if "inputs" in spec or "outputs" in spec:
        return False
    for entry in spec.get("layers") or []:
        type_name, _, kwargs = split_entry(entry)
        if type_name in ("Shared", "Model") or "inputs" in kwargs:
            return False
    return True


def nested_model(kwargs, folder):
    """A `Model: {spec: ...}` entry built as a model of its own.

    Automatic names inside it are counted afresh, as SPEC.md counts them per file.
    """
    path = folder / kwargs.pop("spec")
    spec = yaml.safe_load(path.read_text())
    if "input" in kwargs:
        spec["input"] = kwargs.pop("input")
    if "outputs" in kwargs:
        spec["outputs"] = kwargs.pop("outputs")
    name = kwargs.pop("name", spec.get("name", path.stem))
    uids = global_state.get_global_attribute("object_name_uids")
    global_state.set_global_attribute("object_name_uids", collections.defaultdict(int))
    try:
        model = build_model(spec, name, path.parent)
    finally:
        global_state.set_global_attribute("object_name_uids", uids)
    if is_stack(spec):
        ((_, shape, batch),) = spec_inputs(spec)
        layers = [
            lay for lay in model.layers if not isinstance(lay, keras.layers.InputLayer)
        ]
        model = keras.Sequential(
            [keras.Input(shape=shape, batch_size=batch), *layers], name=name
        )
    model.trainable = kwargs.pop("trainable", True)
    return model


def call_layers(spec, tensors, previous, folder):
    """Create and call each layer in file order; (rows, layers, name of the last)."""
    rows, layers, by_name, handles = [], [], {}, {}
    for index, entry in enumerate(spec.get("layers") or []):
        type_name, args, kwargs = split_entry(entry)
        if layer_class(type_name) is None and type_name not in ("Shared", "Model"):
            raise SpecError(f"layer {index}: unknown layer type {type_name!r}")
        sources = kwargs.pop("inputs", previous)
        sources = [sources] if isinstance(sources, str) else list(sources)
        try:
            feed = [tensor(tensors, s) for s in sources]
        except KeyError as missing:
            raise SpecError(f"layer {index}: undefined input {missing}") from None

        if type_name == "Shared":
            layer = by_name[kwargs["layer"]]
            node = len(layer._inbound_nodes)
            previous = kwargs.get("name", f"{layer.name}[{node}]")
            try:
                output = call_layer(layer, feed)
            except Exception as error:
                raise KerasRefused(
                    index, previous, type(layer).__name__, error
                ) from error
            tensors[previous] = tensors[f"{layer.name}[{node}]"] = output
            handles[previous] = (layer.name, node)
            rows[layers.index(layer)] = row(
                layer, rows[layers.index(layer)]["inputs"], output
            )
            continue
        layer_name = next_auto_name(type_name, kwargs) if type_name != "Model" else None
        try:
            if type_name == "Model":
                layer = nested_model(kwargs, folder)
            else:
                layer = create_layer(type_name, args, kwargs)
            layer_name = layer.name
            output = call_layer(layer, feed)
        except KerasRefused:
            raise  # a layer inside a nested model: Keras's refusal is that layer's
        except Exception as error:
            cls_name = (
                type_name if type_name == "Model" else layer_class(type_name).__name__
            )
            raise KerasRefused(index, layer_name, cls_name, error) from error

        tensors[layer.name] = output
        previous = layer.name
        rows.append(row(layer, [canonical(s, handles) for s in sources], output))
        layers.append(layer)
        by_name[layer.name] = layer
    return rows, layers, previous


def build_model(spec, name, folder):
    """The spec as a keras.Model, with `.golden` holding (rows, tensors, input names,
    outputs) for the JSON document."""
    first = (spec.get("layers") or [None])[0]
    if (
        "input" not in spec
        and "inputs" not in spec
        and isinstance(first, dict)
        and "Model" in first
    ):
        nested = yaml.safe_load((folder / first["Model"]["spec"]).read_text())
        spec["input"] = first["Model"].get("input", nested.get("input"))
    inputs = [
        keras.Input(shape=shape, batch_size=batch, name=input_name)
        for input_name, shape, batch in spec_inputs(spec)
    ]
    input_names = tensors_names(inputs)
    tensors = dict(zip(input_names, inputs))
    rows, layers, last = call_layers(spec, tensors, input_names[0], folder)

    outputs = spec.get("outputs") or [last]
    outputs = [outputs] if isinstance(outputs, str) else outputs
    try:
        found = [tensor(tensors, out) for out in outputs]
    except KeyError as missing:
        raise SpecError(f"undefined output {missing}") from None
    try:
        found = keras.tree.flatten(found)
        model = keras.Model(
            inputs[0] if len(inputs) == 1 else inputs,
            found[0] if len(found) == 1 else found,
            name=name,
        )
    except Exception as error:
        raise model_refusal(input_names, layers, error) from error
    model.golden = rows, tensors, input_names, outputs
    return model


def build(spec, name, folder):
    """Build the spec's model in Keras; the JSON document of Keras's numbers."""
    model = build_model(spec, name, folder)
    rows, tensors, input_names, outputs = model.golden

    trainable = param_counts(model.trainable_weights)
    frozen = param_counts(model.non_trainable_weights)
    return {
        "name": name,
        "inputs": [{"name": n, "shape": shape_of(tensors[n])} for n in input_names],
        "layers": rows,
        "outputs": [{"name": n, "shape": shape_of(tensor(tensors, n))} for n in outputs],
        "total_params": trainable + frozen,
        "trainable_params": trainable,
        "non_trainable_params": frozen,
    }


def model_refusal(input_names, layers, error):
    """A refusal of keras.Model: blamed on the first layer reusing a name, if any."""
    seen = set(input_names)
    for index, layer in enumerate(layers):
        if layer.name in seen:
            return KerasRefused(index, layer.name, type(layer).__name__, error)
        seen.add(layer.name)
    return KerasRefused(None, None, None, error)


def golden(path):
    """The text of the expected file for one spec."""
    spec = yaml.safe_load(path.read_text())
    if not isinstance(spec, dict):
        raise SpecError("the spec is not a mapping")
    keras.backend.clear_session()
    keras.config.disable_traceback_filtering()  # raw messages; reset by clear_session
    name = spec.get("name", path.stem)
    try:
        with keras.name_scope(name):
            document = build(spec, name, path.parent)
    except KerasRefused as refusal:
        document = {"error": refusal.report}
    return json.dumps(document, indent=1) + "\n"


def spec_files(targets):
    """The spec files named, directories searched recursively, in a stable order."""
    for target in map(Path, targets):
        if target.is_dir():
            yield from sorted(target.rglob("*.yaml"))
        else:
            yield target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="+", help="spec files or directories")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that would change (exit 1)",
    )
    options = parser.parse_args()

    changed = 0
    for path in spec_files(options.specs):
        target = path.with_suffix(".expected.json")
        try:
            text = golden(path)
        except (SpecError, yaml.YAMLError) as error:
            print(f"{path}: bad spec: {error}", file=sys.stderr)
            sys.exit(2)
        if target.exists() and target.read_text() == text:
            continue
        changed += 1
        if options.check:
            print(f"would change: {target}")
        else:
            target.write_text(text)
            print(f"wrote {target}")
    if options.check and changed:
        sys.exit(1)


if __name__ == "__main__":
    main()
