"""Layer entries: the four forms of SPEC.md turned into validated `LayerSpec`s.

- Conv2D: {filters: 32, kernel_size: 3}   # a mapping of arguments
- Conv2D: [32, 3]                         # positional arguments, in Keras order
- Dense: 10                               # the first positional argument
- Flatten                                 # no arguments
"""

from modelspec.diagnostics import Diagnostic, SpecError
from modelspec.model import LayerSpec, Place
from modelspec.naming import name_problem
from modelspec.suggest import did_you_mean, shown
from modelspec.yamlsource import Mapping, Sequence
from shapes import COMMON_ARGS, ArgumentError, known_types, lookup
from shapes.arguments import Nested
from shapes.catalogue import KERAS_LAYERS

GRAPH_KEYS = ("inputs", "lint")


class EntryReader:
    """Reads the layer entries of one file, naming them as Keras would."""

    def __init__(self, file, namer):
        self.file = file
        self.namer = namer

    def fail(self, code, message, where, name=None, type_name=None):
        """Raise a `SpecError` at `where`, a PyYAML mark or a `Place`."""
        place = where if isinstance(where, Place) else Place.of(self.file, where)
        raise SpecError(
            Diagnostic(
                "error",
                code,
                message,
                place.file,
                place.line,
                place.column,
                name,
                type_name,
            )
        )

    def read(self, entry, mark):
        """One entry of `layers` (or a layer given as an argument) as a `LayerSpec`."""
        type_name, body, body_mark = self.split(entry, mark)
        rule = self.rule_for(type_name, mark)
        written_name = body.get("name") if isinstance(body, Mapping) else None
        if not isinstance(written_name, str):
            written_name = self.namer.peek(rule.default_name)
        who = (written_name, rule.class_name)

        keywords, marks = self.keywords(rule, body, body_mark, who)
        key_marks = body.key_marks if isinstance(body, Mapping) else marks
        inputs = keywords.pop("inputs", None)
        lint = keywords.pop("lint", None)
        config = self.config(rule, keywords, (marks, key_marks), mark, who)

        name = config.pop("name")
        if name is not None and name_problem(name):
            self.fail("bad-argument", name_problem(name), marks.get("name", mark), *who)
        name = name or self.namer.next(rule.default_name)
        layer = LayerSpec(
            name=name,
            type=rule.class_name,
            rule=rule,
            config=config,
            place=Place.of(self.file, mark),
            trainable=config.pop("trainable"),
        )
        config.pop("dtype")
        if lint is not None:
            layer.lint, layer.lint_place = lint, Place.of(self.file, marks["lint"])
        if inputs is not None:
            self.set_inputs(layer, inputs, marks["inputs"])
        return layer

    def split(self, entry, mark):
        """(type name, arguments as written, where the arguments are) of one entry."""
        if isinstance(entry, str):
            return entry, None, mark
        if not isinstance(entry, Mapping) or not entry:
            self.fail(
                "spec-structure",
                f"a layer entry is a type name or a one-key mapping such as "
                f"`- Dense: {{units: 10}}`; received {shown(entry)}",
                mark,
            )
        if len(entry) > 1:
            keys = list(entry)
            hint = ""
            if entry[keys[0]] is None:
                hint = f"; indent the arguments under `{keys[0]}:` by two more spaces"
            self.fail(
                "spec-structure",
                f"a layer entry has one key, the layer type, but this one has "
                f"{len(keys)}: {', '.join(map(str, keys))}{hint}",
                mark,
            )
        ((type_name, body),) = entry.items()
        return type_name, body, entry.value_marks[type_name]

    def rule_for(self, type_name, mark):
        rule = lookup(type_name) if isinstance(type_name, str) else None
        if rule is not None:
            return rule
        if type_name in ("Model", "Sequential", "Functional"):
            self.fail(
                "unsupported-layer",
                f"a nested model is written `- Model: {{spec: other.yaml}}`, as an entry "
                f"of `layers:`, with its layers in that file; {type_name} cannot be "
                "written here",
                mark,
            )
        if type_name in KERAS_LAYERS:
            self.fail(
                "unsupported-layer",
                f"{type_name} is a Keras layer that layerplan does not support yet; "
                "the README's limitations list what is missing",
                mark,
            )
        self.fail(
            "unknown-layer",
            f"unknown layer type {shown(type_name)}"
            f"{did_you_mean(type_name, known_types())}; `layerplan layers` lists them",
            mark,
        )

    def keywords(self, rule, body, body_mark, who):
        """The arguments as a dict of keyword to value, and where each was written."""
        if body is None:
            return {}, {}
        if isinstance(body, Mapping):
            return dict(body), dict(body.value_marks)
        values = body if isinstance(body, Sequence) else [body]
        value_marks = body.item_marks if isinstance(body, Sequence) else [body_mark]
        if len(values) > len(rule.args):
            self.fail(
                "bad-argument",
                f"takes at most {len(rule.args)} positional arguments "
                f"({', '.join(a.name for a in rule.args)}); received {len(values)}",
                body_mark,
                *who,
            )
        names = [a.name for a in rule.args[: len(values)]]
        return dict(zip(names, values)), dict(zip(names, value_marks))

    def config(self, rule, keywords, all_marks, mark, who):
        """Every argument of the rule, normalised, with Keras's defaults filled in."""
        marks, key_marks = all_marks
        config = {}
        for keyword, value in keywords.items():
            argument = rule.argument(keyword) if isinstance(keyword, str) else None
            if argument is None:
                valid = [a.name for a in rule.args + COMMON_ARGS] + list(GRAPH_KEYS)
                self.fail(
                    "unknown-argument",
                    f"{rule.class_name} has no argument {shown(keyword)}"
                    f"{did_you_mean(keyword, valid)}; its arguments are "
                    f"{', '.join(a.name for a in rule.args) or 'none of its own'}",
                    key_marks.get(keyword, mark),
                    *who,
                )
            config[keyword] = self.value(argument, value, marks.get(keyword, mark), who)

        for argument in rule.args:
            if argument.required and argument.name not in config:
                self.fail(
                    "bad-argument",
                    f"{rule.class_name} needs the argument `{argument.name}` "
                    f"({argument.kind.expected})",
                    mark,
                    *who,
                )
        config = rule.defaults | config

        if rule.check:
            try:
                rule.check(config)
            except ArgumentError as error:
                self.fail("bad-argument", str(error), mark, *who)
        return config

    def value(self, argument, value, mark, who):
        """One argument's value, normalised by its kind."""
        if isinstance(argument.kind, Nested):
            if value is None and argument.kind.optional:
                return None
            if not isinstance(value, (Mapping, str)):
                self.fail(
                    "bad-argument",
                    f"`{argument.name}` expects "
                    f"{argument.kind.expected}; received {shown(value)}",
                    mark,
                    *who,
                )
            return self.read(value, mark)
        try:
            return argument.kind.normalise(value)
        except ArgumentError as error:
            suggestion = did_you_mean(value, error.choices)
            self.fail(
                "bad-argument",
                f"`{argument.name}` expects {error.expected}; received "
                f"{shown(value)}{suggestion}",
                mark,
                *who,
            )

    def set_inputs(self, layer, inputs, mark):
        """Record the names a layer is called on, as written (checked by the loader)."""
        listed = isinstance(inputs, list)
        names = inputs if listed else [inputs]
        if not names or not all(isinstance(n, str) for n in names):
            self.fail(
                "spec-structure",
                f"`inputs` names earlier layers or model inputs, as a name or a list of "
                f"names; received {shown(inputs)}",
                mark,
                layer.name,
                layer.type,
            )
        layer.inputs, layer.listed = list(names), listed
        layer.inputs_place = Place.of(self.file, mark)
