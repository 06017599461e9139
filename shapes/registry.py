"""The one registry of layer rules, keyed by Keras class name.

Each family module registers its rules with `@layer(...)`. The loader validates specs
against these argument tables, and `layerplan layers`, the JSON Schema and the docs
are drawn from them, so there is no second list to keep in step.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from shapes.arguments import ANYTHING, BOOL, Arg, Optional, Text

COMMON_ARGS = (
    Arg("name", Optional(Text()), None),
    Arg("trainable", BOOL, True),
    Arg("dtype", ANYTHING, None),
)


@dataclass(frozen=True)
class Built:
    """What a rule computes for one call of a layer: its output shape(s) and weights,
    and for a nested model the rows of its own layers."""

    shape: object
    trainable: int = 0
    non_trainable: int = 0
    inner: tuple = ()


@dataclass(frozen=True)
class LayerRule:
    """A Keras layer class as layerplan knows it."""

    class_name: str
    family: str
    args: tuple
    output: Callable
    check: Callable | None = None
    aliases: tuple = ()
    merge: bool = False
    keywords: tuple = ()

    @property
    def default_name(self):
        return snake_case(self.class_name)

    @property
    def arguments(self):
        """Every argument by name: the rule's own, `**kwargs` ones and the common ones."""
        table = ARGUMENTS.get(self.class_name)
        if table is None:
            every = self.args + self.keywords + COMMON_ARGS
            table = ARGUMENTS[self.class_name] = {a.name: a for a in every}
        return table

    @property
    def defaults(self):
        """The normalised default of every optional argument, worked out once."""
        table = DEFAULTS.get(self.class_name)
        if table is None:
            table = DEFAULTS[self.class_name] = {
                a.name: a.kind.normalise(a.default)
                for a in self.args + COMMON_ARGS
                if not a.required
            }
        return table

    @property
    def doc(self):
        return (self.output.__doc__ or "").strip()

    def argument(self, name):
        return self.arguments.get(name)


RULES: dict[str, LayerRule] = {}
ARGUMENTS: dict[str, dict] = {}
DEFAULTS: dict[str, dict] = {}
ALIASES: dict[str, str] = {}


def layer(class_name, *args, check=None, aliases=(), merge=False, keywords=()):
    """Register the decorated function as the output rule of `class_name`.

    `args` are the constructor arguments in Keras's order; `check` refuses argument
    combinations that Keras's constructor refuses; `merge` rules take a list of shapes.
    `keywords` are arguments Keras reads from **kwargs: accepted by name only, and
    absent from the config unless written.
    """

    def register(output):
        family = output.__module__.rsplit(".", 1)[-1]
        rule = LayerRule(
            class_name, family, tuple(args), output, check, aliases, merge, keywords
        )
        RULES[class_name] = rule
        for alias in aliases:
            ALIASES[alias] = class_name
        return output

    return register


def lookup(type_name):
    """The rule for a class name or alias, or None."""
    return RULES.get(ALIASES.get(type_name, type_name))


def known_types():
    """Every name a spec may use as a layer type, aliases included."""
    return sorted([*RULES, *ALIASES])


@functools.cache
def snake_case(class_name):
    """Keras's automatic layer name prefix: `Conv2D` -> `conv2d`, `ReLU` -> `re_lu`."""
    name = re.sub(r"\W+", "", class_name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
