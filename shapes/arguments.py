"""Layer arguments as data: each one's name, kind and Keras default.

A kind normalises the value a user wrote (an int kernel becomes a tuple, `padding`
is lower-cased) or raises `ArgumentError` saying what it expected. Rules receive
only normalised values, so they never re-check form.
"""

from dataclasses import dataclass

from shapes.errors import ArgumentError

REQUIRED = object()


@dataclass(frozen=True)
class Arg:
    """One constructor argument of a Keras layer."""

    name: str
    kind: "Kind"
    default: object = REQUIRED

    @property
    def required(self):
        return self.default is REQUIRED


class Kind:
    """How an argument's value is checked and normalised."""

    expected = "a value"
    json_type: dict = {}

    def normalise(self, value):
        return value

    def fail(self, value):
        raise ArgumentError(self.expected, value)


class Anything(Kind):
    """Initializers, regularizers, constraints and seeds: accepted as written."""

    expected = "a Keras identifier, a mapping or null"


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class Int(Kind):
    def __init__(self, minimum=None):
        self.minimum = minimum
        if minimum == 1:
            self.expected = "a positive integer"
        elif minimum == 0:
            self.expected = "an integer >= 0"
        else:
            self.expected = "an integer"
        self.json_type = {"type": "integer"}
        if minimum is not None:
            self.json_type = {"type": "integer", "minimum": minimum}

    def normalise(self, value):
        if not _is_int(value) or (self.minimum is not None and value < self.minimum):
            self.fail(value)
        return value


class Float(Kind):
    def __init__(self, minimum=None, maximum=None):
        self.minimum, self.maximum = minimum, maximum
        self.expected = "a number"
        if minimum is not None and maximum is not None:
            self.expected = f"a number from {minimum} to {maximum}"
        elif minimum is not None:
            self.expected = f"a number >= {minimum}"
        self.json_type = {"type": "number"}

    def normalise(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(value)
        too_low = self.minimum is not None and value < self.minimum
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            self.fail(value)
        return value


class Bool(Kind):
    expected = "true or false"
    json_type = {"type": "boolean"}

    def normalise(self, value):
        if not isinstance(value, bool):
            self.fail(value)
        return value


class Text(Kind):
    expected = "a string"
    json_type = {"type": "string"}

    def normalise(self, value):
        if not isinstance(value, str):
            self.fail(value)
        return value


class Choice(Kind):
    """One of a few strings, compared without case as Keras does."""

    def __init__(self, *choices):
        self.choices = choices
        self.expected = "one of " + ", ".join(f'"{c}"' for c in choices)
        spellings = ((c, c.upper(), c.capitalize()) for c in choices)
        self.json_type = {
            "enum": list(dict.fromkeys(s for group in spellings for s in group))
        }

    def normalise(self, value):
        if not isinstance(value, str) or value.lower() not in self.choices:
            raise ArgumentError(self.expected, value, choices=self.choices)
        return value.lower()


class ExactChoice(Choice):
    """One of a few strings, compared with case, as Keras's image layers compare them."""

    def __init__(self, *choices):
        super().__init__(*choices)
        self.json_type = {"enum": list(choices)}

    def normalise(self, value):
        if not isinstance(value, str) or value not in self.choices:
            raise ArgumentError(self.expected, value, choices=self.choices)
        return value


class Optional(Kind):
    """A kind that also takes null (Keras's None)."""

    def __init__(self, kind):
        self.kind = kind
        self.expected = f"{kind.expected} or null"
        self.json_type = {"anyOf": [kind.json_type, {"type": "null"}]}

    def normalise(self, value):
        if value is None:
            return None
        return self.kind.normalise(value)


class DataFormat(Kind):
    """`channels_last` (Keras's default image_data_format) or `channels_first`."""

    expected = '"channels_last", "channels_first" or null'
    json_type = {"enum": ["channels_last", "channels_first", None]}

    def normalise(self, value):
        if value is None:
            return "channels_last"
        return Choice("channels_last", "channels_first").normalise(value)


class IntTuple(Kind):
    """An int or a list of `rank` ints, as a tuple (Keras's standardize_tuple).

    `minimum` None takes any integer, negative axes included.
    """

    def __init__(self, rank, minimum=1):
        self.rank, self.minimum = rank, minimum
        least = "positive integers" if minimum == 1 else f"integers >= {minimum}"
        if minimum is None:
            least = "integers"
        if rank == 1:
            self.expected = (
                f"an integer >= {minimum}" if minimum != 1 else "a positive integer"
            )
        else:
            self.expected = f"an integer or a list of {rank} {least}"
        item = {"type": "integer"}
        if minimum is not None:
            item["minimum"] = minimum
        items = {"type": "array", "items": item, "minItems": rank, "maxItems": rank}
        self.json_type = {"anyOf": [item, items]}

    def normalise(self, value):
        if _is_int(value):
            value = [value] * self.rank
        if not isinstance(value, (list, tuple)) or len(value) != self.rank:
            self.fail(value)
        least = self.minimum
        if not all(_is_int(v) and (least is None or v >= least) for v in value):
            self.fail(value)
        return tuple(value)


class SidePairs(Kind):
    """Padding or cropping per spatial axis: an int, one int per axis, or a pair per axis.

    Normalised to a tuple of (before, after) pairs, as ZeroPadding and Cropping
    layers store them. ZeroPadding2D and 3D take a single negative int as Keras does
    (it crops); `negative_int` allows that.
    """

    def __init__(self, rank, negative_int=False):
        self.rank = rank
        self.negative_int = negative_int
        if rank == 1:
            self.expected = "an integer or a list of 2 integers >= 0"
        else:
            self.expected = (
                f"an integer, a list of {rank} integers, or a list of {rank} pairs "
                "of integers, all >= 0"
            )
        item = {"type": "integer", "minimum": 0}
        pair = {"type": "array", "items": item, "minItems": 2, "maxItems": 2}
        one = {"type": "integer"} if negative_int else item
        self.json_type = {"anyOf": [one, {"type": "array"}, pair]}

    def normalise(self, value):
        if _is_int(value) and self.negative_int:
            return ((value, value),) * self.rank
        if _is_int(value):
            pairs = [(value, value)] * self.rank
        elif self.rank == 1 and isinstance(value, (list, tuple)) and len(value) == 2:
            pairs = [tuple(value)]
        elif isinstance(value, (list, tuple)) and len(value) == self.rank:
            pairs = []
            for side in value:
                if _is_int(side):
                    pairs.append((side, side))
                elif isinstance(side, (list, tuple)) and len(side) == 2:
                    pairs.append(tuple(side))
                else:
                    self.fail(value)
        else:
            self.fail(value)
        if not all(_is_int(v) and v >= 0 for pair in pairs for v in pair):
            self.fail(value)
        return tuple(pairs)


class Shape(Kind):
    """A target shape: a list of positive ints, with at most one -1."""

    expected = "a list of positive integers, with at most one -1"
    json_type = {"type": "array", "items": {"type": "integer"}}

    def normalise(self, value):
        if _is_int(value):
            value = [value]
        if not isinstance(value, (list, tuple)):
            self.fail(value)
        if not all(_is_int(v) and (v > 0 or v == -1) for v in value):
            self.fail(value)
        if list(value).count(-1) > 1:
            self.fail(value)
        return tuple(value)


class Sizes(Kind):
    """One sample's shape as the user gives it: positive sizes, null for unknown."""

    expected = "a list of positive sizes (null for unknown), batch excluded"
    json_type = {"type": "array", "items": {"anyOf": [{"type": "integer"}, {}]}}

    def normalise(self, value):
        if _is_int(value):
            value = [value]
        if not isinstance(value, (list, tuple)):
            self.fail(value)
        if not all(v is None or (_is_int(v) and v > 0) for v in value):
            self.fail(value)
        return tuple(value)


class IntList(Kind):
    """One int or a list of ints (axes, dims), normalised to a tuple."""

    expected = "an integer or a list of integers"
    json_type = {"anyOf": [{"type": "integer"}, {"type": "array"}]}

    def normalise(self, value):
        if _is_int(value):
            return (value,)
        if not isinstance(value, (list, tuple)) or not all(_is_int(v) for v in value):
            self.fail(value)
        return tuple(value)


class Activation(Kind):
    """An activation by name, as `keras.activations.get` accepts it."""

    names = (
        "celu",
        "elu",
        "exponential",
        "gelu",
        "glu",
        "hard_shrink",
        "hard_sigmoid",
        "hard_silu",
        "hard_swish",
        "hard_tanh",
        "leaky_relu",
        "linear",
        "log_sigmoid",
        "log_softmax",
        "mish",
        "relu",
        "relu6",
        "selu",
        "sigmoid",
        "silu",
        "soft_shrink",
        "softmax",
        "softplus",
        "softsign",
        "sparse_plus",
        "sparse_sigmoid",
        "sparsemax",
        "squareplus",
        "swish",
        "tanh",
        "tanh_shrink",
        "threshold",
    )
    expected = "the name of a Keras activation or null"
    json_type = {"anyOf": [{"enum": list(names)}, {"type": "null"}]}

    def normalise(self, value):
        if value is None:
            return None
        if not isinstance(value, str) or value not in self.names:
            raise ArgumentError(self.expected, value, choices=self.names)
        return value


class Nested(Kind):
    """A layer given as an argument (Bidirectional's `layer`); the loader builds it."""

    expected = "a layer entry such as {LSTM: {units: 8}}"
    json_type = {"type": "object"}

    def __init__(self, optional=False):
        self.optional = optional
        if optional:
            self.expected += " or null"


ANYTHING = Anything()
BOOL = Bool()
ACTIVATION = Activation()
DATA_FORMAT = DataFormat()


def arg(name, kind, default=REQUIRED):
    """Shorthand for `Arg`, so that argument tables read as one line each."""
    return Arg(name, kind, default)


def opaque(*names):
    """Arguments that never change a shape or a count (initializers and the like)."""
    return tuple(Arg(name, ANYTHING, None) for name in names)


def weight_options(**initializers):
    """The initializer, regularizer and constraint arguments Keras gives each weight.

    Called as `weight_options(kernel="glorot_uniform", bias="zeros")`, in Keras's order.
    """
    init = tuple(Arg(f"{w}_initializer", ANYTHING, d) for w, d in initializers.items())
    rest = opaque(
        *(f"{w}_regularizer" for w in initializers),
        "activity_regularizer",
        *(f"{w}_constraint" for w in initializers),
    )
    return init + rest
