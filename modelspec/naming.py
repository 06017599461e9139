"""Keras's automatic layer names, counted per type prefix within one file."""

from collections import Counter


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
