"""Reading a spec file into a validated `ModelSpec`.

Every problem is a `SpecError` naming the file, line and column, so that the CLI can
print it and exit with 2 before any shape rule runs.
"""

import sys
from pathlib import Path

from modelspec.diagnostics import Diagnostic, SpecError
from modelspec.entries import EntryReader
from modelspec.model import ModelInput, ModelSpec, Place
from modelspec.naming import Namer
from modelspec.suggest import did_you_mean, shown
from modelspec.yamlsource import Mapping, Sequence, load_yaml

TOP_KEYS = ("name", "input", "inputs", "layers", "outputs", "expect")
EXPECT_KEYS = (
    "output_shape",
    "total_params",
    "trainable_params",
    "non_trainable_params",
    "max_params",
)
INPUT_KEYS = ("shape", "batch_size", "name")


MAX_BYTES = 64 * 1024 * 1024


def read_source(path):
    """The bytes of a spec file, or of standard input for `-`, up to MAX_BYTES."""
    name = "<stdin>" if path == "-" else str(path)
    if not path:
        raise SpecError(Diagnostic("error", "unreadable", "the spec path is empty", "''"))
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as source:
                data = source.read(MAX_BYTES + 1)
    except FileNotFoundError:
        message = "no such file"
    except IsADirectoryError:
        message = "is a directory, not a spec file"
    except OSError as error:
        message = f"cannot be read: {error.strerror}"
    else:
        if len(data) <= MAX_BYTES:
            return data, name
        message = f"is larger than {MAX_BYTES // 2**20} MiB; is it really a spec?"
    raise SpecError(Diagnostic("error", "unreadable", message, name))


def parse_shape_option(text):
    """`--input-shape 250,250,3` as [250, 250, 3]; `None` or `?` for an unknown size."""
    sizes = []
    for part in text.replace(" ", "").strip("()[]").split(","):
        if part.lower() in ("none", "?", "null"):
            sizes.append(None)
        elif part.isdigit() and int(part) > 0:
            sizes.append(int(part))
        else:
            raise ValueError(
                f"--input-shape takes sizes separated by commas, such as 250,250,3 "
                f"(None for unknown); received {text!r}"
            )
    return sizes


class SpecLoader:
    """Reads one spec: inputs, layers, outputs and expectations, in that order."""

    def __init__(self, file):
        self.file = file
        self.entries = EntryReader(file, Namer())

    def fail(self, code, message, mark, name=None, type_name=None):
        self.entries.fail(code, message, mark, name, type_name)

    def load(self, document, input_shape=None):
        if document is None:
            self.fail(
                "spec-structure",
                "the spec is empty; it needs `input:` and `layers:`",
                None,
            )
        if not isinstance(document, Mapping):
            self.fail(
                "spec-structure",
                "a spec is a mapping with `input:` and "
                f"`layers:`; received {shown(document)}",
                getattr(document, "mark", None),
            )
        for key in document:
            if key not in TOP_KEYS:
                self.fail(
                    "spec-structure",
                    f"unknown top-level key {shown(key)}"
                    f"{did_you_mean(key, TOP_KEYS)}; a spec has "
                    f"{', '.join(TOP_KEYS)}",
                    document.key_marks[key],
                )

        inputs = self.inputs(document, input_shape)
        layers = self.layers(document, inputs)
        self.connect(inputs, layers)
        return ModelSpec(
            name=self.name(document),
            file=self.file,
            inputs=inputs,
            layers=layers,
            outputs=self.outputs(document, layers, inputs),
            expect=self.expect(document),
            place=Place.of(self.file, document.mark),
            expect_places={
                k: Place.of(self.file, m)
                for k, m in getattr(document.get("expect"), "key_marks", {}).items()
            },
        )

    def name(self, document):
        name = document.get("name")
        if name is None:
            return Path(self.file).stem if self.file != "<stdin>" else "model"
        if not isinstance(name, str) or not name:
            self.fail(
                "spec-structure",
                f"`name` is a string; received {shown(name)}",
                document.value_marks["name"],
            )
        return name

    def inputs(self, document, override):
        """The model inputs from `input:`, `inputs:` or a first InputLayer entry."""
        if "input" in document and "inputs" in document:
            self.fail(
                "spec-structure",
                "give either `input:` (one input) or `inputs:` (named inputs), not both",
                document.key_marks["inputs"],
            )
        layers = document.get("layers")
        if "inputs" in document:
            inputs = self.named_inputs(document["inputs"], document.value_marks["inputs"])
        elif "input" in document:
            mark = document.value_marks["input"]
            inputs = [self.one_input(document["input"], mark, None)]
        elif isinstance(layers, Sequence) and layers and is_input_layer(layers[0]):
            entry = layers[0]
            if isinstance(entry, Mapping):
                value, mark = entry["InputLayer"], entry.value_marks["InputLayer"]
            else:
                value, mark = None, layers.item_marks[0]
            inputs = [self.one_input(value, mark, None)]
        else:
            inputs = [ModelInput("input_layer", None, Place.of(self.file, document.mark))]

        if override is not None:
            if len(inputs) > 1:
                self.fail(
                    "bad-usage",
                    "--input-shape sets the shape of a model with one "
                    f"input; this spec has {len(inputs)}",
                    document.mark,
                )
            inputs[0].shape = (None, *override)
        if inputs[0].shape is None:
            self.fail(
                "missing-input",
                "the spec has no input shape, so the model cannot "
                "be built; add `input: [250, 250, 3]` (one sample's shape, without "
                "the batch) or pass --input-shape 250,250,3",
                document.mark,
            )
        return inputs

    def named_inputs(self, value, mark):
        if not isinstance(value, Mapping) or not value:
            self.fail(
                "spec-structure",
                "`inputs:` maps each input's name to its shape, "
                f"such as `image: [32, 32, 3]`; received {shown(value)}",
                mark,
            )
        for name in value:
            self.check_name(name, value.key_marks[name])
        return [
            self.one_input(shape, value.value_marks[name], name)
            for name, shape in value.items()
        ]

    def check_name(self, name, mark):
        """Refuse a name Keras refuses: not a string, empty, or holding a `/`."""
        if not isinstance(name, str) or not name or "/" in name:
            self.fail(
                "spec-structure",
                f"a name is a non-empty string without `/`; received {shown(name)}"
                " (quote names that YAML reads as numbers or booleans)",
                mark,
            )

    def one_input(self, value, mark, name):
        """One input: a list of sizes, or a mapping with shape, batch_size and name."""
        batch_size = None
        if isinstance(value, Mapping):
            for key in value:
                if key not in INPUT_KEYS:
                    self.fail(
                        "spec-structure",
                        f"an input has no key {shown(key)}"
                        f"{did_you_mean(key, INPUT_KEYS)}; it has "
                        f"{', '.join(INPUT_KEYS)}",
                        value.key_marks[key],
                    )
            batch_size = value.get("batch_size")
            if batch_size is not None and not is_size(batch_size):
                self.fail(
                    "spec-structure",
                    f"`batch_size` is a positive integer; received {shown(batch_size)}",
                    value.value_marks["batch_size"],
                )
            name = value.get("name", name)
            if "name" in value:
                self.check_name(name, value.value_marks["name"])
            mark = value.value_marks.get("shape", mark)
            value = value.get("shape")
        if name is None:
            name = self.entries.namer.next("input_layer")
        if value is None:
            return ModelInput(name, None, Place.of(self.file, mark))
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not all(v is None or is_size(v) for v in value):
            self.fail(
                "spec-structure",
                "an input shape is a list of positive sizes, batch "
                f"excluded, null for unknown, such as [28, 28, 1]; received "
                f"{shown(value)}",
                mark,
            )
        return ModelInput(name, (batch_size, *value), Place.of(self.file, mark))

    def layers(self, document, inputs):
        layers = document.get("layers")
        mark = document.value_marks.get("layers", document.mark)
        if not isinstance(layers, Sequence) or not layers:
            self.fail(
                "spec-structure",
                "`layers:` is a list of layer entries such as "
                f"`- Dense: 10`; received {shown(layers)}",
                mark,
            )
        entries = list(zip(layers, layers.item_marks))
        if (
            is_input_layer(layers[0])
            and "input" not in document
            and "inputs" not in document
        ):
            entries = entries[1:]
        result = []
        for entry, entry_mark in entries:
            if is_input_layer(entry):
                self.fail(
                    "spec-structure",
                    "an InputLayer may only be the first entry, in place of `input:`",
                    entry_mark,
                )
            result.append(self.entries.read(entry, entry_mark))
        return result

    def connect(self, inputs, layers):
        """Give each layer its inputs (the one above by default) and check every name."""
        defined = {}
        for model_input in inputs:
            defined[model_input.name] = model_input.place
        all_names = {layer.name: layer for layer in layers}
        previous = inputs[0].name
        for layer in layers:
            if layer.name in defined:
                self.fail(
                    "duplicate-name",
                    f"the name {layer.name!r} is already used at "
                    f"line {defined[layer.name].line}; give this layer another name",
                    layer.place,
                    layer.name,
                    layer.type,
                )
            if not layer.inputs:
                layer.inputs = [previous]
            for name in layer.inputs:
                if name not in defined:
                    self.undefined(layer, name, defined, all_names)
            defined[layer.name] = layer.place
            previous = layer.name

    def undefined(self, layer, name, defined, all_names):
        place = layer.inputs_place or layer.place
        if name in all_names:
            loop = find_cycle(layer, all_names)
            message = (
                f"takes {name!r}, which is defined below it (line "
                f"{all_names[name].place.line}); a layer may only take earlier "
                "layers or inputs"
            )
            if loop:
                message = f"the layers form a cycle: {' -> '.join(loop)}; break the loop"
        else:
            message = (
                f"takes {name!r}, which is not defined"
                f"{did_you_mean(name, defined)}; name an earlier layer or input"
            )
        self.fail("undefined-name", message, place, layer.name, layer.type)

    def outputs(self, document, layers, inputs):
        value = document.get("outputs")
        if value is None:
            return [layers[-1].name]
        mark = document.value_marks["outputs"]
        names = value if isinstance(value, list) else [value]
        if not names:
            self.fail("spec-structure", "`outputs:` names at least one layer", mark)
        known = {layer.name for layer in layers} | {i.name for i in inputs}
        for name in names:
            if not isinstance(name, str) or name not in known:
                self.fail(
                    "undefined-name",
                    f"output {shown(name)} is not a layer{did_you_mean(name, known)}",
                    mark,
                )
        return list(names)

    def expect(self, document):
        expect = document.get("expect")
        if expect is None:
            return {}
        if not isinstance(expect, Mapping):
            self.fail(
                "spec-structure",
                f"`expect:` is a mapping of {', '.join(EXPECT_KEYS)}"
                f"; received {shown(expect)}",
                document.value_marks["expect"],
            )
        for key, value in expect.items():
            mark = expect.value_marks[key]
            if key not in EXPECT_KEYS:
                self.fail(
                    "spec-structure",
                    f"`expect:` has no key {shown(key)}"
                    f"{did_you_mean(key, EXPECT_KEYS)}; it takes "
                    f"{', '.join(EXPECT_KEYS)}",
                    expect.key_marks[key],
                )
            if key == "output_shape":
                if not is_shape_or_shapes(value):
                    self.fail(
                        "spec-structure",
                        "`expect: output_shape` is a shape with "
                        f"the batch axis, such as [null, 10]; received {shown(value)}",
                        mark,
                    )
            elif not (
                isinstance(value, int) and not isinstance(value, bool) and value >= 0
            ):
                self.fail(
                    "spec-structure",
                    f"`expect: {key}` is a count; received {shown(value)}",
                    mark,
                )
        return dict(expect)


def is_size(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def is_shape_or_shapes(value):
    """A shape (a list of sizes and nulls) or a list of shapes, for `expect:`."""
    if not isinstance(value, list):
        return False
    if all(v is None or isinstance(v, int) for v in value):
        return True
    return all(
        isinstance(s, list) and all(v is None or isinstance(v, int) for v in s)
        for s in value
    )


def is_input_layer(entry):
    if isinstance(entry, Mapping):
        return list(entry) == ["InputLayer"]
    return entry == "InputLayer"


def find_cycle(start, layers):
    """The loop through `start` in the direction data flows (`a -> b -> a`), if any."""
    taken_by = {start.name: None}
    stack = [start.name]
    while stack:
        name = stack.pop()
        for source in layers[name].inputs if name in layers else ():
            if source == start.name:
                chain = [name]
                while taken_by[chain[-1]] is not None:
                    chain.append(taken_by[chain[-1]])
                return [start.name, *chain]
            if source not in taken_by:
                taken_by[source] = name
                stack.append(source)
    return None


def load_spec(path, input_shape=None):
    """Read and validate the spec at `path` (`-` for standard input)."""
    data, file = read_source(path)
    document = load_yaml(data, file)
    return SpecLoader(file).load(document, input_shape)
