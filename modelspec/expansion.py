"""The entries of `layers:` turned into layer calls, in file order.

Besides plain layer entries, a list may hold block uses, `Repeat`, `Shared` (a layer
called again) and `Model` (a nested spec). Each call's inputs are resolved as it is
read, since a layer may only take what is written above it; a name that is not
defined yet is kept, and the loader reports it once everything is known.
"""

import re
from dataclasses import dataclass, field, replace

from modelspec.model import LayerSpec, Place
from modelspec.naming import name_problem
from modelspec.suggest import did_you_mean, refuse_unknown_keys, shown
from modelspec.templates import TemplateError, substitute
from modelspec.yamlsource import Mapping, Sequence
from shapes.graph import Ref

MAX_LAYERS = 200_000
REFERENCE = re.compile(r"(.+?)(?:\[(\d+)\])?(?:\[(\d+)\])?")
SHARED_KEYS = ("layer", "inputs", "name")
REPEAT_KEYS = ("times", "start", "layers")


@dataclass
class Scope:
    """Where entries are read: a block use's name, parameter values and input."""

    prefix: str | None = None
    values: dict = field(default_factory=dict)
    input: Ref | None = None
    local: dict = field(default_factory=dict)
    chain: tuple = ()
    parent: "Scope | None" = None

    def full_name(self, name):
        return f"{self.prefix}_{name}" if self.prefix else name

    def name_local(self, name):
        """The full name of a layer named `name` here, known by its local name in this
        scope and in every enclosing one (`2_bn` in a block holding a block `2`)."""
        full = self.full_name(name)
        scope = self
        while scope is not None and scope.prefix:
            if full.startswith(scope.prefix + "_"):
                scope.local[full[len(scope.prefix) + 1 :]] = full
            scope = scope.parent
        return full


class Expansion:
    """Reads a list of entries into `layers`, with their inputs resolved."""

    def __init__(self, entries, blocks, inputs, nested):
        self.entries = entries
        self.blocks = blocks
        self.nested = nested
        self.layers = []
        self.by_name = {}
        self.defined = {i.name: Ref(i.name) for i in inputs}
        self.previous = Ref(inputs[0].name)
        self.pending = []
        self.sizes = {}

    def fail(self, message, where, code="spec-structure", name=None, type_name=None):
        self.entries.fail(code, message, where, name, type_name)

    def define(self, name, ref, place, layer=None, repeated=False):
        """Make `name` usable by later entries, refusing a second use of a name."""
        if name in self.defined:
            earlier = self.by_name.get(name)
            line = f" at line {earlier.place.line}" if earlier else ""
            advice = "give this layer another name"
            if repeated and earlier and earlier.place == place:
                line = " by an earlier repeat of this entry"
                advice = f"put $i in it, as in `{name}_$i`"
            self.fail(
                f"the name {name!r} is already used{line}; {advice}",
                place,
                "duplicate-name",
                name,
                layer.type if layer else None,
            )
        self.defined[name] = ref

    def expand(self, items, scope):
        """Read `(entry, mark)` pairs in order."""
        for entry, mark in items:
            kind = entry_kind(entry)
            try:
                if kind == "Repeat":
                    self.repeat(entry, mark, scope)
                    continue
                if scope.values or scope.prefix:
                    entry = substitute(entry, scope.values, mark)
            except TemplateError as error:
                self.fail(str(error), error.mark or mark)
            body, body_mark = None, mark
            if isinstance(entry, Mapping) and kind is not None:
                body, body_mark = entry[kind], entry.value_marks[kind]
            if kind in self.blocks:
                self.use_block(self.blocks[kind], body, mark, scope)
            elif kind == "Shared":
                self.shared(body, body_mark, scope)
            elif kind == "Model":
                self.add(self.nested(body, body_mark), body, scope)
            else:
                layer = self.entries.read(entry, mark)
                self.add(layer, body, scope)

    def add(self, layer, body, scope):
        """Name a new layer in its scope, resolve its inputs and make it usable."""
        if len(self.layers) >= MAX_LAYERS:
            self.fail(f"the spec expands to more than {MAX_LAYERS:,} layers", layer.place)
        if isinstance(body, Mapping) and "name" in body and scope.prefix:
            local = layer.name
            layer.name = scope.name_local(local)
        self.connect(layer, scope)
        self.define(layer.name, Ref(layer.name), layer.place, layer, "i" in scope.values)
        self.by_name[layer.name] = layer
        self.layers.append(layer)
        self.previous = Ref(layer.name)

    def connect(self, layer, scope):
        """Resolve the names a layer is called on; by default, the entry above."""
        if not layer.inputs:
            layer.sources = [self.previous]
        else:
            where = layer.inputs_place or layer.place
            layer.sources = [
                self.resolve(name, scope, layer, where) for name in layer.inputs
            ]
        layer.inputs = [str(ref) for ref in layer.sources]

    def resolve(self, written, scope, layer=None, where=None):
        """The tensor a name stands for: a layer, input, block use or shared call.

        A name not defined yet is kept pending for the layer that takes it, or gives
        None when no layer takes it (an output). `where` places a bad call number.
        """
        name, node, tensor = REFERENCE.fullmatch(written).groups()
        if name == "input" and scope.input is not None:
            target = scope.input
        else:
            target = self.defined.get(scope.local.get(name, name))
        if target is None:
            if layer is None:
                return None
            self.pending.append((layer, written))
            return Ref(written)

        node = int(node) if node else 0
        if target.node:
            if node:
                self.fail(
                    f"{written!r}: {name} is one call already; write {name} or "
                    f"{name}[0][N] for its output N",
                    where,
                    "undefined-name",
                    *labels(layer),
                )
            node = target.node
        else:
            first = self.by_name.get(target.layer)
            calls = 1 + len(first.calls) if first else 1
            if node >= calls:
                self.fail(
                    f"{written!r} names call {node} of {target.layer}, which has "
                    f"{calls} call{'s' if calls > 1 else ''} so far, counted from 0; "
                    "call a layer again with `Shared:`",
                    where,
                    "undefined-name",
                    *labels(layer),
                )
        return Ref(target.layer, node, int(tensor) if tensor else target.tensor)

    def repeat(self, entry, mark, scope):
        """`Repeat: {times: N, start: S, layers: [...]}`, with `$i` counting from S."""
        body = entry.get("Repeat") if isinstance(entry, Mapping) else None
        mark = entry.value_marks["Repeat"] if isinstance(entry, Mapping) else mark
        if not isinstance(body, Mapping) or not isinstance(body.get("layers"), Sequence):
            self.fail(
                "`Repeat:` takes `times:` and `layers:`, such as "
                "`Repeat: {times: 3, layers: [{Dense: 64}]}`",
                mark,
            )
        refuse_unknown_keys(body, REPEAT_KEYS, "`Repeat:`", self.fail)
        times = substitute(body.get("times"), scope.values, mark)
        start = substitute(body.get("start", 1), scope.values, mark)
        if not is_count(times, 0) or times > MAX_LAYERS:
            self.fail(
                f"`times:` is a count from 0 to {MAX_LAYERS:,}; received {shown(times)}",
                body.value_marks.get("times", mark),
            )
        if not is_count(start, -(2**31)):
            self.fail(
                f"`start:` is an integer; received {shown(start)}",
                body.value_marks["start"],
            )
        items = list(zip(body["layers"], body["layers"].item_marks))
        self.check_size(times * self.size([entry for entry, _ in items]), mark)
        for index in range(start, start + times):
            self.expand(items, replace(scope, values={**scope.values, "i": index}))

    def use_block(self, block, body, mark, scope):
        """Expand one use of a block under its own name."""
        if block.name in scope.chain:
            loop = " -> ".join((*scope.chain, block.name))
            self.fail(f"block {block.name} uses itself: {loop}", mark)
        if body is None:
            body = Mapping()
            body.mark = mark
        elif not isinstance(body, Mapping):
            self.fail(
                f"a use of block {block.name} takes a mapping of its parameters, such "
                f"as `- {block.name}: {{name: ..., {next(iter(block.params), 'x')}: "
                f"...}}`; received {shown(body)}",
                mark,
            )
        values = block.bind(body, self.fail)
        self.check_size(self.size(block.layers), mark)
        name = body.get("name")
        if name is None:
            name = self.entries.namer.next(block.name)
        elif name_problem(name):
            self.fail(name_problem(name), body.value_marks["name"])
        else:
            name = scope.name_local(name)
        if name in self.defined:
            self.fail(
                f"the name {name!r} is already used; give this use of block "
                f"{block.name} another name",
                mark,
                "duplicate-name",
            )
        block_input = self.previous
        if "inputs" in body:
            block_input = self.block_input(body, scope)

        inner = Scope(name, values, block_input, {}, (*scope.chain, block.name), scope)
        self.previous = block_input
        self.expand(list(zip(block.layers, block.layers.item_marks)), inner)
        output = self.previous
        if block.output is not None:
            output = self.resolve(block.output, inner, where=block.mark)
            if output is None:
                self.fail(
                    f"block {block.name}'s `output:` {block.output!r} is not one of its "
                    "layers; name one of them, by its name inside the block",
                    block.mark,
                )
        self.define(name, output, Place.of(self.entries.file, mark))
        self.previous = output

    def size(self, entries, seen=()):
        """How many layers `entries` expand to, counting a `$param` repeat once: a
        quick bound that refuses a runaway spec before it is expanded."""
        total = 0
        for entry in entries:
            kind = entry_kind(entry)
            body = entry.get(kind) if isinstance(entry, Mapping) else None
            if kind in self.blocks and kind not in seen:
                if kind not in self.sizes:
                    self.sizes[kind] = self.size(self.blocks[kind].layers, (*seen, kind))
                total += self.sizes[kind]
            elif kind == "Repeat" and isinstance(body, Mapping):
                times = body.get("times")
                inner = body.get("layers")
                times = times if is_count(times, 0) else 1
                total += times * self.size(inner if isinstance(inner, list) else [], seen)
            else:
                total += 1
            if total > MAX_LAYERS:
                break
        return total

    def check_size(self, size, mark):
        """Refuse an entry that would take the spec past MAX_LAYERS."""
        if len(self.layers) + size > MAX_LAYERS:
            self.fail(f"the spec expands to more than {MAX_LAYERS:,} layers", mark)

    def block_input(self, body, scope):
        """The one tensor a block use names in `inputs:`."""
        value = body["inputs"]
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if not isinstance(value, str):
            self.fail(
                f"a block takes one input, named by `inputs:`; received {shown(value)}",
                body.value_marks["inputs"],
            )
        mark = body.value_marks["inputs"]
        ref = self.resolve(value, scope, where=mark)
        if ref is None:
            self.fail(
                f"the block takes {value!r}, which is not defined"
                f"{did_you_mean(value, self.defined)}; name an earlier layer or input",
                mark,
                "undefined-name",
            )
        return ref

    def shared(self, body, mark, scope):
        """`Shared: {layer: encoder, inputs: b}`: an earlier layer called again."""
        if not isinstance(body, Mapping) or "layer" not in body:
            self.fail(
                "`Shared:` calls an earlier layer again: `Shared: {layer: encoder, "
                f"inputs: other}}`; received {shown(body)}",
                mark,
            )
        refuse_unknown_keys(body, SHARED_KEYS, "`Shared:`", self.fail)
        written = body["layer"]
        target = None
        if isinstance(written, str):
            target = self.defined.get(scope.local.get(written, written))
        first = self.by_name.get(target.layer) if target else None
        if first is None or first.shares is not None:
            self.fail(
                f"`layer:` names an earlier layer to call again; {shown(written)} is not "
                "one",
                body.value_marks["layer"],
            )
        name = body.get("name")
        if name is not None and name_problem(name):
            self.fail(name_problem(name), body.value_marks["name"])
        first.calls.append(None)
        node = len(first.calls)
        layer = LayerSpec(
            name=f"{first.name}[{node}]" if name is None else name,
            type=first.type,
            rule=first.rule,
            config=first.config,
            place=Place.of(self.entries.file, mark),
            trainable=first.trainable,
            shares=first,
            node=node,
        )
        first.calls[-1] = layer
        if "inputs" in body:
            self.entries.set_inputs(layer, body["inputs"], body.value_marks["inputs"])
        if name is not None and scope.prefix:
            layer.name = scope.name_local(name)
        self.connect(layer, scope)
        self.define(layer.name, Ref(first.name, node), layer.place, layer)
        self.layers.append(layer)
        self.previous = Ref(first.name, node)


def labels(layer):
    """(name, type) of a layer for a message, or nothing to say."""
    return (layer.name, layer.type) if layer is not None else (None, None)


def entry_kind(entry):
    """The type (or block, Repeat, Shared, Model) an entry names, if any."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and len(entry) == 1:
        return next(iter(entry))
    return None


def is_count(value, least):
    return isinstance(value, int) and not isinstance(value, bool) and value >= least
