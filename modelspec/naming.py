"""Keras's automatic layer names, counted per type prefix within one file."""

from collections import Counter

from modelspec.suggest import shown


class Namer:
    """Hands out `conv2d`, `conv2d_1`, ... as Keras does; explicit names don't count."""

    def __init__(self):
        self.counts = Counter()

    def peek(self, prefix):
        """The name the next unnamed layer of this prefix would get."""
        count = self.counts[prefix]
        return prefix if count == 0 else f"{prefix}_{count}"

    def next(self, prefix):
        count = self.counts[prefix]
        self.counts[prefix] += 1
        return prefix if count == 0 else f"{prefix}_{count}"


def name_problem(name):
    """Why Keras would refuse `name` as a layer or input name, or None if it would not."""
    if isinstance(name, str) and name and "/" not in name:
        return None
    return (
        f"a name is a non-empty string without `/`; received {shown(name)} (quote "
        "names that YAML reads as numbers or booleans)"
    )
