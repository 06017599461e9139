"""What a spec file describes, once read and validated."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where something was written: file, line and column, counted from 1."""

    file: str
    line: int = 1
    column: int = 1

    @classmethod
    def of(cls, file, mark):
        if mark is None:
            return cls(file)
        return cls(file, mark.line + 1, mark.column + 1)


@dataclass
class ModelInput:
    """One input of the model: its name and its full shape, batch axis first."""

    name: str
    shape: tuple
    place: Place


@dataclass
class LayerSpec:
    """One call of a layer: its Keras class, normalised arguments and its inputs.

    `inputs` are the names as written, `sources` the tensors they name once resolved.
    A shared layer's later calls are LayerSpecs too, with `shares` set to the first
    and `node` counting the calls; the first keeps them in `calls`.
    """

    name: str
    type: str
    rule: object
    config: dict
    place: Place
    inputs: list = field(default_factory=list)
    listed: bool = False
    trainable: bool = True
    inputs_place: Place | None = None
    sources: list = field(default_factory=list)
    shares: "LayerSpec | None" = None
    node: int = 0
    calls: list = field(default_factory=list)
    lint: object = None
    lint_place: Place | None = None


@dataclass
class ModelSpec:
    """A whole spec: inputs, layers in file order, outputs (`Ref`s) and expectations."""

    name: str
    file: str
    inputs: list
    layers: list
    outputs: list
    expect: dict
    place: Place
    expect_places: dict = field(default_factory=dict)
    tensors: dict = field(default_factory=dict)
    outputs_place: Place | None = None
