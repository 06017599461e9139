"""`$param` substitution inside blocks and Repeat entries.

`$filters` or `${filters}` in a string is replaced by the parameter's value. A string
that is exactly one reference takes the value itself (a number, a list); a string that
becomes integer arithmetic (`$filters * 4`) takes its result. Names (`name`, `inputs`,
`output`, `layer`, `spec`) stay text: `${stage}-${block}` is a name, not a subtraction.
"""

import ast
import operator
import re

from modelspec.suggest import did_you_mean
from modelspec.yamlsource import Mapping, Sequence

PARAMETER = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
NAME_KEYS = ("name", "inputs", "output", "layer", "spec")
ARITHMETIC = re.compile(r"[-+*/()\d\s]+")
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
}


class TemplateError(ValueError):
    """A reference to no parameter, or arithmetic that is not plain integer sums."""

    def __init__(self, message, mark):
        super().__init__(message)
        self.mark = mark


def substitute(node, values, mark=None, names=False):
    """A copy of a YAML value with every `$param` replaced; marks are kept. With
    `names`, strings are only ever text."""
    if isinstance(node, str):
        return substitute_text(node, values, mark, names) if "$" in node else node
    if isinstance(node, Mapping):
        copy = Mapping()
        copy.mark, copy.key_marks = node.mark, node.key_marks
        copy.value_marks = node.value_marks
        for key, value in node.items():
            is_name = names or key in NAME_KEYS
            copy[key] = substitute(value, values, node.value_marks[key], is_name)
        return copy
    if isinstance(node, Sequence):
        copy = Sequence()
        copy.mark, copy.item_marks = node.mark, node.item_marks
        copy.extend(
            substitute(v, values, m, names) for v, m in zip(node, node.item_marks)
        )
        return copy
    return node


def substitute_text(text, values, mark, names=False):
    for match in PARAMETER.finditer(text):
        name = match.group(1) or match.group(2)
        if name not in values:
            known = ", ".join(f"${v}" for v in values) or "none"
            raise TemplateError(
                f"${name} is not a parameter here{did_you_mean(name, values)}; "
                f"the parameters are {known}",
                mark,
            )
    whole = PARAMETER.fullmatch(text)
    if whole and not names:
        return values[whole.group(1) or whole.group(2)]

    result = PARAMETER.sub(lambda m: str(values[m.group(1) or m.group(2)]), text)
    if not names and ARITHMETIC.fullmatch(result) and any(c in result for c in "+-*/"):
        return evaluate(result, text, mark)
    return result


def evaluate(expression, written, mark):
    """The integer value of `+ - * //` arithmetic, with parentheses."""
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
        return evaluate_node(tree)
    except ZeroDivisionError:
        raise TemplateError(
            f"{written!r} gives {expression.strip()!r}, which divides by zero", mark
        ) from None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise TemplateError(
            f"{written!r} gives {expression.strip()!r}, which is not integer arithmetic "
            "with + - * // and parentheses",
            mark,
        ) from None


def evaluate_node(node):
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -evaluate_node(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](
            evaluate_node(node.left), evaluate_node(node.right)
        )
    raise ValueError("not integer arithmetic")
