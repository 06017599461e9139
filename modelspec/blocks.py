"""Block definitions: named, parameterised groups of layers used like one layer.

blocks:
  identity_block:
    params: {filters: null, kernel_size: 3}   # null: the use must give it
    layers: [...]
    output: out                               # default: the last layer
"""

from dataclasses import dataclass

from modelspec.suggest import did_you_mean, refuse_unknown_keys, shown
from modelspec.yamlsource import Mapping, Sequence

BLOCK_KEYS = ("params", "layers", "output")
USE_KEYS = ("name", "inputs")
RESERVED = ("Repeat", "Shared", "Model", "input", "i")


@dataclass
class Block:
    """One definition: its parameters with defaults (None when required), its layers."""

    name: str
    params: dict
    layers: Sequence
    output: str | None
    mark: object

    def bind(self, use, fail):
        """The parameter values of one use: the use's arguments over the defaults."""
        values = dict(self.params)
        for key, value in use.items():
            if key in USE_KEYS:
                continue
            if key not in self.params:
                fail(
                    f"block {self.name} has no parameter {shown(key)}"
                    f"{did_you_mean(key, self.params)}; its parameters are "
                    f"{', '.join(self.params) or 'none'}",
                    use.key_marks[key],
                )
            values[key] = value
        missing = [k for k, v in values.items() if v is None]
        if missing:
            fail(
                f"block {self.name} needs the parameter"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                use.mark,
            )
        return values


def read_blocks(value, mark, fail, reserved_types):
    """The `blocks:` mapping as Blocks, each checked for its shape, not yet expanded."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        fail(
            "`blocks:` maps each block's name to its `params:` and `layers:`; "
            f"received {shown(value)}",
            mark,
        )
    blocks = {}
    for name, body in value.items():
        key_mark = value.key_marks[name]
        if not isinstance(name, str) or not name.isidentifier():
            fail(
                f"a block name is a word such as `bottleneck`; received {shown(name)}",
                key_mark,
            )
        if name in RESERVED or name in reserved_types:
            fail(
                f"{name} is a layer type or a reserved word; give the block another name",
                key_mark,
            )
        blocks[name] = read_block(name, body, value.value_marks[name], fail)
    return blocks


def read_block(name, body, mark, fail):
    if not isinstance(body, Mapping) or not isinstance(body.get("layers"), Sequence):
        fail(f"block {name} needs `layers:`, a list of layer entries", mark)
    refuse_unknown_keys(body, BLOCK_KEYS, f"block {name}", fail)
    if not body["layers"]:
        fail(f"block {name} has no layers", body.value_marks["layers"])

    params = body.get("params") or Mapping()
    if not isinstance(params, Mapping):
        fail(
            f"`params:` maps each parameter of block {name} to its default (null when "
            f"every use must give it); received {shown(params)}",
            body.value_marks["params"],
        )
    for param in params:
        if not isinstance(param, str) or not param.isidentifier() or param in RESERVED:
            fail(
                f"a parameter name is a word other than {', '.join(RESERVED)}; "
                f"received {shown(param)}",
                params.key_marks[param],
            )
        if param in USE_KEYS:
            fail(
                f"`{param}` is given to every block; it is not a parameter",
                params.key_marks[param],
            )
    output = body.get("output")
    if output is not None and not isinstance(output, str):
        fail(
            f"`output:` names one layer of block {name}; received {shown(output)}",
            body.value_marks["output"],
        )
    return Block(name, dict(params), body["layers"], output, mark)
