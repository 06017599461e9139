"""The two ways a layer can be wrong, both free of file positions.

`ArgumentError` is an argument Keras would refuse when the layer is created;
`ShapeError` is an input Keras would refuse when the layer is called. The loader and
the CLI add the file, line, column and layer name.
"""

import reprlib


class ShortRepr(reprlib.Repr):
    """reprlib's bounded repr, also for subclasses of list and dict (the loader's),
    which reprlib would otherwise show in full, however large (alias bombs)."""

    def repr1(self, x, level):
        if isinstance(x, dict):
            return self.repr_dict(x, level)
        if isinstance(x, list):
            return self.repr_list(x, level)
        return super().repr1(x, level)


_short = ShortRepr()
_short.maxlevel = 2


class ArgumentError(ValueError):
    """An argument value that the layer's constructor refuses."""

    def __init__(self, expected, received, choices=(), message=None):
        self.expected = expected
        self.received = received
        self.choices = tuple(choices)
        shown = _short.repr(received)
        super().__init__(message or f"expected {expected}, received {shown}")


class ShapeError(ValueError):
    """An input shape that the layer cannot take; the message says what to change."""

    code = "shape-error"


class SizeCollapse(ShapeError):
    """A sliding window that leaves a spatial size of zero or below."""

    code = "size-collapse"
