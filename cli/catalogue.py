"""`layerplan layers`: the registry's layer types, arguments and defaults."""

import json

from shapes import RULES
from shapes.arguments import REQUIRED


def describe_default(arg):
    if arg.default is REQUIRED:
        return "required"
    return json.dumps(
        list(arg.default) if isinstance(arg.default, tuple) else arg.default
    )


def rule_json(rule):
    return {
        "type": rule.class_name,
        "family": rule.family,
        "aliases": list(rule.aliases),
        "merge": rule.merge,
        "doc": rule.doc,
        "arguments": [
            {
                "name": a.name,
                "required": a.required,
                "default": None if a.required else json.loads(describe_default(a)),
                "expects": a.kind.expected,
            }
            for a in rule.args + rule.keywords
        ],
    }


def rule_text(rule):
    aliases = f"  (also {', '.join(rule.aliases)})" if rule.aliases else ""
    summary = rule.doc.splitlines()[0] if rule.doc else ""
    lines = [f"{rule.class_name}  [{rule.family}]{aliases}", f"  {summary}"]
    every = rule.args + rule.keywords
    width = max((len(a.name) for a in every), default=0)
    for a in every:
        by_name = "  by name only" if a in rule.keywords else ""
        lines.append(
            f"    {a.name:<{width}}  {describe_default(a)}  ({a.kind.expected}){by_name}"
        )
    return "\n".join(lines)


def render_layers(names, as_json):
    rules = [RULES[name] for name in names]
    if as_json:
        return json.dumps([rule_json(rule) for rule in rules], indent=2) + "\n"
    return "\n\n".join(rule_text(rule) for rule in rules) + "\n"
