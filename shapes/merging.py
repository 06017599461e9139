"""Merge layers, which join a list of inputs: the elementwise ones and Concatenate.

Elementwise merges broadcast as Keras does: sizes are matched from the last axis, a
size of 1 stretches, an unknown size stays unknown. (None, 8, 8, 16) with (None, 16)
gives (None, 8, 8, 16).
"""

from shapes.arguments import BOOL, Int, IntTuple, arg
from shapes.errors import ShapeError
from shapes.registry import Built, layer
from shapes.tensors import format_shape


def input_list(shapes, least=1, most=None):
    """Refuse a merge that was not given a list of as many inputs as it takes."""
    if most == least:
        wanted = f"a list of exactly {least} inputs"
    else:
        wanted = f"a list of at least {least} inputs"
    if not isinstance(shapes, list):
        raise ShapeError(f"takes {wanted}; name them with `inputs: [first, second]`")
    if len(shapes) < least or (most is not None and len(shapes) > most):
        raise ShapeError(f"takes {wanted}, received {len(shapes)}")
    return shapes


def broadcast(first, second, shapes):
    """The broadcast of two shapes without their batch axis."""
    if len(first) < len(second):
        first, second = second, first
    if not second:
        return first
    output = list(first[: len(first) - len(second)])
    for i, j in zip(first[len(first) - len(second) :], second):
        if i is None or j is None:
            output.append(None)
        elif i == 1 or j == 1 or i == j:
            output.append(j if i == 1 else i)
        else:
            shown = " and ".join(format_shape(s) for s in shapes)
            raise ShapeError(f"cannot broadcast the inputs' shapes {shown}")
    return tuple(output)


def elementwise(shapes):
    """The output shape of an elementwise merge of `shapes`."""
    batches = {s[0] for s in shapes} - {None}
    if len(batches) > 1:
        raise ShapeError(f"cannot merge different batch sizes: {shapes}")
    output = shapes[0][1:]
    for shape in shapes[1:]:
        output = broadcast(output, shape[1:], shapes)
    return (batches.pop() if batches else None, *output)


def register_elementwise(class_name, operation, least=1, most=None):
    @layer(class_name, merge=True)
    def merge(config, shapes):
        return Built(elementwise(input_list(shapes, least, most)))

    merge.__doc__ = f"""{operation}, with broadcasting; no weights."""


register_elementwise("Add", "Adds its inputs elementwise")
register_elementwise(
    "Subtract", "Subtracts its second input from its first", least=2, most=2
)
register_elementwise("Multiply", "Multiplies its inputs elementwise")
register_elementwise("Average", "Averages its inputs elementwise")
register_elementwise("Maximum", "Takes the elementwise maximum of its inputs")
register_elementwise("Minimum", "Takes the elementwise minimum of its inputs")


@layer("Concatenate", arg("axis", Int(), -1), merge=True)
def concatenate(config, shapes):
    """Joins its inputs along `axis`; every other size must match (unknown ones aside).

    Concatenate on (None, 88, 88, 128) and (None, 88, 88, 64) gives (None, 88, 88, 192).
    """
    shapes = input_list(shapes)
    axis = config["axis"]
    ranks = {len(s) for s in shapes}
    shown = ", ".join(format_shape(s) for s in shapes)
    if len(ranks) > 1 or not -len(shapes[0]) <= axis < len(shapes[0]):
        raise ShapeError(f"cannot join inputs of shapes {shown} on axis {axis}")
    rank = ranks.pop()
    axis %= rank
    for position in range(1, rank):
        sizes = {s[position] for s in shapes} - {None}
        if position != axis and len(sizes) > 1:
            raise ShapeError(
                f"needs the inputs' sizes to match on every axis but axis {axis}; "
                f"received {shown}, which differ on axis {position}"
            )
    output = list(shapes[0])
    lengths = [s[axis] for s in shapes]
    output[axis] = None if None in lengths else sum(lengths)
    return Built(tuple(output))


@layer(
    "Dot",
    arg("axes", IntTuple(2, minimum=None)),
    arg("normalize", BOOL, False),
    merge=True,
)
def dot(config, shapes):
    """The dot product of two samples along `axes` (one for both, or one each).

    Dot(axes=(1, 2)) on (None, 5, 8) and (None, 4, 5) gives (None, 8, 4); a product
    that leaves one axis gains a size-1 axis, as Keras's batch_dot does.
    """
    first, second = (list(s) for s in input_list(shapes, 2, 2))
    axes = config["axes"]
    for shape, axis in zip((first, second), axes):
        if not -len(shape) <= axis < len(shape):
            raise ShapeError(f"has no axis {axis} in an input of shape {shape}")
    if first[axes[0]] != second[axes[1]]:
        raise ShapeError(
            f"needs the same size on the axes it multiplies; received "
            f"{first[axes[0]]} on axis {axes[0]} of {format_shape(tuple(first))} and "
            f"{second[axes[1]]} on axis {axes[1]} of {format_shape(tuple(second))}"
        )
    first.pop(axes[0])
    second.pop(axes[1])
    output = first + second[1:]
    return Built(tuple(output + [1] if len(output) == 1 else output))
