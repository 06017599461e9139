"""Reading a spec file into a validated `ModelSpec`.

Every problem is a `SpecError` naming the file, line and column, so that the CLI can
print it and exit with 2 before any shape rule runs.
"""

import os
import sys
from pathlib import Path

from modelspec.blocks import read_blocks
from modelspec.diagnostics import Diagnostic, SpecError
from modelspec.entries import EntryReader
from modelspec.expansion import Expansion, Scope
from modelspec.model import ModelInput, ModelSpec, Place
from modelspec.naming import Namer, name_problem
from modelspec.nesting import nested_layer
from modelspec.suggest import did_you_mean, refuse_unknown_keys, shown
from modelspec.yamlsource import Mapping, Sequence, load_yaml
from shapes import known_types
from shapes.models import NestedModel
from shapes.tensors import is_size

TOP_KEYS = ("name", "input", "inputs", "blocks", "layers", "outputs", "expect")
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
    """Reads one spec: inputs, layers, outputs and expectations, in that order.

    `chain` holds the resolved paths of the specs that include this one, so that a
    spec that includes itself is refused.
    """

    def __init__(self, file, chain=(), outputs_place=None):
        self.file = file
        self.chain = chain
        self.outputs_place = outputs_place
        self.entries = EntryReader(file, Namer())

    def fail(self, code, message, mark, name=None, type_name=None):
        self.entries.fail(code, message, mark, name, type_name)

    def structure_error(self, message, mark):
        self.fail("spec-structure", message, mark)

    def load(self, document, input_shape=None, outputs=None, nested=False):
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
        refuse_unknown_keys(document, TOP_KEYS, "a spec", self.structure_error)

        inputs = self.inputs(document, input_shape)
        blocks = read_blocks(
            document.get("blocks"),
            document.value_marks.get("blocks"),
            lambda message, mark: self.fail("spec-structure", message, mark),
            known_types(),
        )
        expansion = Expansion(self.entries, blocks, inputs, self.nested)
        layers = self.layers(document, expansion)
        self.adopt_input(inputs, layers)
        if inputs[0].shape is None and not nested:
            self.fail(
                "missing-input",
                "the spec has no input shape, so the model cannot "
                "be built; add `input: [250, 250, 3]` (one sample's shape, without "
                "the batch) or pass --input-shape 250,250,3",
                document.mark,
            )
        return ModelSpec(
            name=self.name(document),
            file=self.file,
            inputs=inputs,
            layers=layers,
            outputs=self.outputs(document, expansion, outputs),
            expect=self.expect(document),
            place=Place.of(self.file, document.mark),
            expect_places={
                k: Place.of(self.file, m)
                for k, m in getattr(document.get("expect"), "key_marks", {}).items()
            },
            tensors=expansion.defined,
            outputs_place=Place.of(self.file, document.value_marks.get("outputs")),
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
        if name_problem(name):
            self.fail("spec-structure", name_problem(name), mark)

    def one_input(self, value, mark, name):
        """One input: a list of sizes, or a mapping with shape, batch_size and name."""
        batch_size = None
        if isinstance(value, Mapping):
            refuse_unknown_keys(value, INPUT_KEYS, "an input", self.structure_error)
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

    def layers(self, document, expansion):
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
        for entry, entry_mark in entries:
            if is_input_layer(entry):
                self.fail(
                    "spec-structure",
                    "an InputLayer may only be the first entry, in place of `input:`",
                    entry_mark,
                )
        expansion.expand(entries, Scope())
        if expansion.pending:
            self.undefined(*expansion.pending[0], expansion)
        return expansion.layers

    def adopt_input(self, inputs, layers):
        """Sequential([base_model, ...]) without an input takes the base model's."""
        first = layers[0] if layers else None
        if inputs[0].shape is None and first and isinstance(first.rule, NestedModel):
            inputs[0].shape = first.rule.spec.inputs[0].shape

    def nested(self, body, mark):
        return nested_layer(self.entries, body, mark, self.load_file)

    def load_file(self, written, input_shape, outputs, body):
        """Load a nested spec, its path relative to this file, refusing a loop."""
        mark = body.value_marks["spec"]
        base = os.path.dirname(self.file) if self.file != "<stdin>" else ""
        path = os.path.normpath(os.path.join(base, written))
        resolved = os.path.realpath(path)
        if resolved in self.chain:
            files = [*self.chain[self.chain.index(resolved) :], resolved]
            loop = " -> ".join(os.path.relpath(f) for f in files)
            self.fail("spec-structure", f"the spec includes itself: {loop}", mark)
        try:
            data, file = read_source(path)
        except SpecError as error:
            self.fail(
                "unreadable",
                f"the nested spec {path}: {error.diagnostic.message}; `spec:` is a path "
                "relative to the including file",
                mark,
            )
        document = load_yaml(data, file)
        outputs_place = Place.of(self.file, body.value_marks.get("outputs"))
        loader = SpecLoader(file, (*self.chain, resolved), outputs_place)
        return loader.load(document, input_shape, outputs, nested=True)

    def undefined(self, layer, name, expansion):
        """Refuse a layer that takes a name not defined above it: a loop, a layer
        further down, or a name defined nowhere (with a suggestion)."""
        place = layer.inputs_place or layer.place
        all_names = expansion.by_name
        loop = find_cycle(layer, all_names) if name in all_names else None
        if loop:
            message = f"the layers form a cycle: {' -> '.join(loop)}; break the loop"
        elif name in expansion.defined:
            line = f" (line {all_names[name].place.line})" if name in all_names else ""
            message = (
                f"takes {name!r}, which is defined below it{line}; a layer may only "
                "take earlier layers or inputs"
            )
        else:
            message = (
                f"takes {name!r}, which is not defined"
                f"{did_you_mean(name, expansion.defined)}; name an earlier layer or "
                "input"
            )
        self.fail("undefined-name", message, place, layer.name, layer.type)

    def outputs(self, document, expansion, override):
        """The tensors the model returns: `outputs:`, else what the last entry gave."""
        value = document.get("outputs") if override is None else override
        if value is None:
            return [expansion.previous]
        mark = document.value_marks.get("outputs", document.mark)
        if override is not None:
            mark = self.outputs_place
        names = value if isinstance(value, list) else [value]
        if not names:
            self.fail("spec-structure", "`outputs:` names at least one layer", mark)
        refs = []
        for name in names:
            ref = None
            if isinstance(name, str):
                ref = expansion.resolve(name, Scope(), where=mark)
            if ref is None:
                self.fail(
                    "undefined-name",
                    f"output {shown(name)} is not a layer"
                    f"{did_you_mean(name, expansion.defined)}"
                    + ("" if override is None else f" of the nested spec {self.file}"),
                    mark,
                )
            refs.append(ref)
        return refs

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
        refuse_unknown_keys(expect, EXPECT_KEYS, "`expect:`", self.structure_error)
        for key, value in expect.items():
            mark = expect.value_marks[key]
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
    chain = () if path == "-" else (os.path.realpath(path),)
    try:
        document = load_yaml(data, file)
        return SpecLoader(file, chain).load(document, input_shape)
    except RecursionError:
        message = (
            "the spec is nested too deeply to read (YAML, blocks in blocks or nested "
            "models); flatten it"
        )
        raise SpecError(Diagnostic("error", "spec-structure", message, file)) from None
