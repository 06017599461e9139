"""YAML (and JSON) read with PyYAML's safe loader, keeping where every value was written.

Mappings and lists come back as `Mapping` and `Sequence`, which remember the start
mark of themselves, their keys and their values, so that any later message can point
at a line and column. PyYAML's C loader is used where it is installed.
"""

import gc
import re

import yaml

from modelspec.diagnostics import Diagnostic, SpecError

BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Mapping(dict):
    """A YAML mapping that knows where it, its keys and its values were written."""

    mark = None

    def __init__(self):
        super().__init__()
        self.key_marks = {}
        self.value_marks = {}
        self.merged_keys = set()


class Sequence(list):
    """A YAML list that knows where it and its items were written."""

    mark = None

    def __init__(self):
        super().__init__()
        self.item_marks = []


class Loader(BaseLoader):
    """The safe loader, building `Mapping` and `Sequence` and refusing duplicate keys."""

    def construct_object(self, node, deep=False):
        """PyYAML's, with a value its tag cannot read (`!!int ""`) refused at its place
        rather than raised as a bare Python error."""
        try:
            return super().construct_object(node, deep)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, IndexError, TypeError, OverflowError, KeyError):
            value = node.value if isinstance(node.value, str) else "..."
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.tag} cannot read {value[:40]!r}", node.start_mark
            ) from None


def construct_mapping(loader, node):
    """A `Mapping`; keys merged in with `<<: *anchor` give way to the mapping's own."""
    own = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own
    mapping = Mapping()
    mapping.mark = node.start_mark
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, type(None))):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in mapping and index >= merged and key not in mapping.merged_keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice", key_node.start_mark
            )
        if index < merged:
            mapping.merged_keys.add(key)
        else:
            mapping.merged_keys.discard(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_marks[key] = key_node.start_mark
        mapping.value_marks[key] = value_node.start_mark
    return mapping


def construct_sequence(loader, node):
    sequence = Sequence()
    sequence.mark = node.start_mark
    for item in node.value:
        sequence.append(loader.construct_object(item, deep=True))
        sequence.item_marks.append(item.start_mark)
    return sequence


Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
# YAML 1.1 reads 1e-3 as a string; Keras users write it as a number.
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def load_yaml(data, filename):
    """Parse one YAML document, turning every parser complaint into a `SpecError`.

    The cycle collector is paused while the document is built: a spec makes no cycles,
    and its many small objects would otherwise be scanned over and over (a quarter of
    the time of a 10,000-layer spec, and more as specs grow).
    """
    loader = Loader(data)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = ", ".join(filter(None, [error.context, error.problem]))
        problem = problem or "cannot be parsed"
        raise SpecError(
            Diagnostic(
                "error",
                "yaml-syntax",
                f"not valid YAML: {problem}",
                filename,
                mark.line + 1 if mark else 1,
                mark.column + 1 if mark else 1,
            )
        ) from None
    except yaml.reader.ReaderError as error:
        message = f"not UTF-8 or UTF-16 text: {error.reason} at byte {error.position}"
        raise SpecError(Diagnostic("error", "yaml-syntax", message, filename)) from None
    except yaml.YAMLError as error:
        message = f"not valid YAML: {str(error).splitlines()[0]}"
        raise SpecError(Diagnostic("error", "yaml-syntax", message, filename)) from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
