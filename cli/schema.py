"""A JSON Schema (draft 2020-12) of the spec format, drawn from the layer registry.

Editors that read it complete layer types and their arguments. It checks form only:
what a block instance, a `$param` string or a layer name refers to, and every shape,
are the loader's and the rules' business. Inside a block any argument may be a
`$param` string, so the schema accepts such a string wherever a value goes.
"""

from cli.lint.rules import CATALOGUE, option_names
from shapes import COMMON_ARGS, RULES
from shapes.arguments import Nested, Optional
from shapes.registry import ALIASES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
PARAM = {"type": "string", "pattern": r"\$", "description": "a block parameter"}
COUNT = {"type": "integer", "minimum": 0}
SIZE = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}, PARAM]}
SHAPE = {"anyOf": [{"type": "array", "items": SIZE}, {"type": "integer", "minimum": 1}]}
NAME = {"type": "string", "minLength": 1, "pattern": "^[^/]*$"}
TENSOR = {
    "type": "string",
    "minLength": 1,
    "description": "a layer or input name, or name[call] or name[call][tensor]",
}


def ref(name):
    return {"$ref": f"#/$defs/{name}"}


def kind_schema(kind):
    """The JSON Schema of an argument kind; a layer given as an argument is an entry."""
    if isinstance(kind, Nested):
        entry = ref("entry")
        return {"anyOf": [entry, {"type": "null"}]} if kind.optional else entry
    if isinstance(kind, Optional):
        return {"anyOf": [kind_schema(kind.kind), {"type": "null"}]}
    return dict(kind.json_type)


def as_json(value):
    """A default as JSON: tuples become lists; None where JSON has no equivalent."""
    if isinstance(value, (tuple, list)):
        return [as_json(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return None


def argument_schema(argument):
    """One argument's value: its kind, or a `$param` string; described and defaulted."""
    schema = {"anyOf": [kind_schema(argument.kind), PARAM]}
    schema["description"] = argument.kind.expected
    if not argument.required:
        schema["default"] = as_json(argument.default)
    return schema


def layer_schema(rule):
    """The four forms of a layer's arguments: mapping, positional list, scalar, none."""
    properties = {
        a.name: argument_schema(a) for a in rule.args + rule.keywords + COMMON_ARGS
    }
    properties["inputs"] = ref("tensors")
    properties["lint"] = ref("lint")
    required = [a.name for a in rule.args if a.required]
    mapping = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    forms = [{"type": "null"}, mapping]
    if rule.args:
        forms.append(
            {
                "type": "array",
                "prefixItems": [argument_schema(a) for a in rule.args],
                "items": False,
                "minItems": len(required),
            }
        )
        first = argument_schema(rule.args[0])
        forms.append({"not": {"type": ["object", "array", "null"]}, **first})
    return {
        "description": (rule.doc.splitlines() or [rule.class_name])[0],
        "anyOf": forms,
    }


def special_entries():
    """Entries that are not Keras layers: Repeat, Shared and nested Model."""
    return {
        "Repeat": {
            "type": "object",
            "description": "repeat entries `times` times with $i = start, start + 1, ...",
            "properties": {
                "times": {"anyOf": [{"type": "integer", "minimum": 1}, PARAM]},
                "start": {"anyOf": [{"type": "integer"}, PARAM]},
                "layers": ref("layers"),
            },
            "required": ["times", "layers"],
            "additionalProperties": False,
        },
        "Shared": {
            "type": "object",
            "description": "call an earlier layer or model again on other inputs",
            "properties": {"layer": TENSOR, "inputs": ref("tensors"), "name": NAME},
            "required": ["layer"],
            "additionalProperties": False,
        },
        "Model": {
            "type": "object",
            "description": "a nested model from another spec file",
            "properties": {
                "spec": {"type": "string", "minLength": 1},
                "trainable": {"type": "boolean"},
                "name": NAME,
                "inputs": ref("tensors"),
                "input": ref("input"),
                "outputs": ref("tensors"),
                "lint": ref("lint"),
            },
            "required": ["spec"],
            "additionalProperties": False,
        },
    }


def definitions():
    layer_types = {name: layer_schema(rule) for name, rule in RULES.items()}
    layer_types |= {alias: layer_schema(RULES[name]) for alias, name in ALIASES.items()}
    codes = [code for code, rule in CATALOGUE.items() if not rule.fixed]
    block_instance = {
        "description": "an instance of a block defined under `blocks:`",
        "anyOf": [{"type": "null"}, {"type": "object"}],
    }
    return {
        "input": {
            "anyOf": [
                SHAPE,
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "shape": SHAPE,
                        "batch_size": {"type": "integer", "minimum": 1},
                        "name": NAME,
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "tensors": {"anyOf": [TENSOR, {"type": "array", "items": TENSOR, "minItems": 1}]},
        "lint": {
            "type": "object",
            "description": "lint settings for this layer",
            "properties": {
                "ignore": {
                    "anyOf": [
                        {"enum": codes},
                        {"type": "array", "items": {"enum": codes}},
                    ]
                },
                **{name: COUNT for name in option_names()},
            },
            "additionalProperties": False,
        },
        "layers": {"type": "array", "items": ref("entry"), "minItems": 1},
        "entry": {
            "anyOf": [
                {"enum": sorted(layer_types)},
                {
                    "type": "object",
                    "minProperties": 1,
                    "maxProperties": 1,
                    "properties": layer_types | special_entries(),
                    "additionalProperties": block_instance,
                },
            ]
        },
        "block": {
            "type": "object",
            "properties": {
                "params": {"type": "object"},
                "layers": ref("layers"),
                "output": TENSOR,
            },
            "required": ["layers"],
            "additionalProperties": False,
        },
    }


def spec_schema():
    """The whole schema, as a dict ready for json.dumps."""
    expect = {key: COUNT for key in ("total_params", "trainable_params")}
    expect |= {"non_trainable_params": COUNT, "max_params": COUNT}
    expect["output_shape"] = {"type": "array"}
    return {
        "$schema": DRAFT,
        "title": "layerplan spec",
        "description": "A Keras model as a layer stack or graph, for layerplan.",
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "input": ref("input"),
            "inputs": {
                "type": "object",
                "additionalProperties": ref("input"),
                "minProperties": 1,
            },
            "layers": ref("layers"),
            "outputs": ref("tensors"),
            "expect": {
                "type": "object",
                "properties": expect,
                "additionalProperties": False,
            },
            "blocks": {"type": "object", "additionalProperties": ref("block")},
        },
        "required": ["layers"],
        "additionalProperties": False,
        "$defs": definitions(),
    }
