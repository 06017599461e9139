"""The sliding window of a convolution or pooling layer, as the lint rules see it.

A `Window` holds what Keras's arithmetic needs per spatial axis (see
`shapes.windows`): the input size n, the effective window k_eff = d * (k - 1) + 1, the
stride s and the padding. Transposed convolutions, which grow their input, have none.
"""

from dataclasses import dataclass

from shapes.tensors import split_channels

AXIS_WORDS = {1: ("step",), 2: ("row", "column"), 3: ("slice", "row", "column")}


@dataclass(frozen=True)
class Window:
    """One layer's window over its input: sizes per spatial axis, None when unknown."""

    spatial: tuple
    windows: tuple
    strides: tuple
    padding: str
    what: str

    @property
    def axis_words(self):
        return AXIS_WORDS.get(len(self.spatial), ("position",) * len(self.spatial))


def input_shape(layer, report):
    """The shape of a layer's first input, or None when it is not a single tensor."""
    if not layer.sources:
        return None
    shape = report.shape(layer.sources[0])
    if not isinstance(shape, tuple):
        return None
    return shape


def window_of(layer, report):
    """The `Window` of a convolution or windowed pooling layer, else None."""
    config = layer.config
    if layer.type.endswith("Transpose") or "padding" not in config:
        return None
    if "kernel_size" in config:
        windows, what = config["kernel_size"], "kernel"
    elif "pool_size" in config:
        windows, what = config["pool_size"], "pool"
    else:
        return None

    shape = input_shape(layer, report)
    if shape is None or len(shape) != len(windows) + 2:
        return None
    spatial, _ = split_channels(shape, config.get("data_format", "channels_last"))
    dilations = config.get("dilation_rate") or (1,) * len(windows)
    effective = tuple(d * (k - 1) + 1 for k, d in zip(windows, dilations))
    return Window(
        spatial, effective, config["strides"] or windows, config["padding"], what
    )


def sizes(values):
    """`5x5` for (5, 5); `?` for an unknown size."""
    return "x".join("?" if v is None else str(v) for v in values)
