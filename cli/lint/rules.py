"""The lint rules: a catalogue keyed by stable kebab-case codes, one check per rule.

A check takes a summarised `Report` and the settings in force and yields diagnostics.
Three rules have no check of their own: `size-collapse` and `expect-failed` are
reported by `summarise()` as `layerplan summary` reports them, and so is
`unused-layer`; the catalogue lists them so that they can be selected, ignored and
documented like the others. Each rule's docstring says when it fires, with an example.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from cli.lint.windows import input_shape, sizes, window_of
from cli.report import diagnostic_at
from shapes.graph import Ref
from shapes.tensors import format_shape, split_channels


@dataclass(frozen=True)
class Rule:
    """One lint rule: its code, default severity, one-line summary and check."""

    code: str
    severity: str
    summary: str
    check: Callable | None = None
    fixed: bool = False
    options: dict = field(default_factory=dict)

    @property
    def doc(self):
        return (self.check.__doc__ or "").strip() if self.check else self.summary


CATALOGUE: dict[str, Rule] = {}


def rule(code, severity, summary, options=None):
    """Register the decorated function as the check of the rule `code`."""

    def register(check):
        CATALOGUE[code] = Rule(code, severity, summary, check, options=options or {})
        return check

    return register


def reported(code, severity, summary, fixed=False):
    """Catalogue a rule whose diagnostics `summarise()` already makes."""
    CATALOGUE[code] = Rule(code, severity, summary, fixed=fixed)


reported(
    "size-collapse",
    "error",
    "a convolution or pooling window leaves a spatial size of zero or below; Keras "
    "refuses the model, so this rule can be neither ignored nor re-levelled",
    fixed=True,
)
reported("expect-failed", "error", "an `expect:` entry does not hold")
reported("unused-layer", "warning", "no output depends on the layer")


def option_names():
    """Every threshold a rule takes, with its default."""
    return {
        name: default for r in CATALOGUE.values() for name, default in r.options.items()
    }


def plural(count, word):
    """`row` for one, `3 rows` for more."""
    return word if count == 1 else f"{count} {word}s"


@rule(
    "stride-drops-input",
    "warning",
    "a valid-padded window whose stride leaves more than stride-drops-max-percent of "
    "an axis unread",
    options={"stride-drops-max-percent": 5},
)
def stride_drops_input(report, settings):
    """With padding="valid", the last (n - k_eff) % s rows of an axis are never read.

    MaxPooling2D(2) on a 7x7 map reads 6 rows and columns: (7 - 2) % 2 = 1, so the
    last row and column, 14% of each axis, are dropped. Smaller shares (one row of
    250) are left alone unless stride-drops-max-percent is lowered.
    """
    for row in report.rows:
        window = window_of(row.layer, report)
        if window is None or window.padding != "valid":
            continue
        limit = settings.option("stride-drops-max-percent", row.layer)
        dropped, sums = [], []
        for n, k, s, word in zip(
            window.spatial, window.windows, window.strides, window.axis_words
        ):
            lost = (n - k) % s if n is not None else 0
            if lost and lost * 100 > limit * n:
                dropped.append(f"the last {plural(lost, word)}")
                sums.append(f"({n} - {k}) % {s} = {lost}, {lost / n:.0%}")
        if dropped:
            message = (
                f'strides {sizes(window.strides)} with padding="valid" leave '
                f"{' and '.join(dropped)} of the {sizes(window.spatial)} input unread: "
                f"{'; '.join(dict.fromkeys(sums))}; resize the input so that the "
                f'windows fit, or use padding="same"'
            )
            yield diagnostic_at(row.layer, "stride-drops-input", message, "warning")


@rule(
    "asymmetric-padding",
    "warning",
    'padding="same" with an even window that pads one side more than the other',
)
def asymmetric_padding(report, settings):
    """padding="same" adds p = (ceil(n / s) - 1) * s + k_eff - n zeros, the odd one after.

    Conv2D(16, 4, strides=2, padding="same") on 32x32 pads (16 - 1) * 2 + 4 - 32 = 2,
    evenly; on 31x31 it pads 3: one before, two after, which frameworks that pad
    symmetrically (PyTorch's padding=k // 2) do not match.
    """
    for row in report.rows:
        window = window_of(row.layer, report)
        if window is None or window.padding != "same" or is_one_by_one(window):
            continue
        uneven = []
        for n, k, s in zip(window.spatial, window.windows, window.strides):
            if n is None or k % 2:
                continue
            padding = max(((n - 1) // s) * s + k - n, 0)
            if padding % 2:
                uneven.append(
                    f"(ceil({n} / {s}) - 1) * {s} + {k} - {n} = {padding}, "
                    f"{padding // 2} before and {padding - padding // 2} after"
                )
        if uneven:
            message = (
                f'the even {window.what} {sizes(window.windows)} with padding="same" '
                f"pads one side more: {'; '.join(dict.fromkeys(uneven))}; use an odd "
                "window, or pad explicitly with ZeroPadding if weights are ported "
                "from a framework that pads evenly"
            )
            yield diagnostic_at(row.layer, "asymmetric-padding", message, "warning")


@rule(
    "window-exceeds-input",
    "warning",
    'a padding="same" window larger than its input',
)
def window_exceeds_input(report, settings):
    """A window wider than its input under padding="same" mostly reads padding.

    Conv2D(8, 7, padding="same") on a 4x4 input: each output sees at most 4x4 real
    values of the 7x7 window.
    """
    for row in report.rows:
        window = window_of(row.layer, report)
        if window is None or window.padding != "same" or is_one_by_one(window):
            continue
        if any(n is not None and k > n for n, k in zip(window.spatial, window.windows)):
            message = (
                f"the {window.what} {sizes(window.windows)} is larger than the "
                f'{sizes(window.spatial)} input, so with padding="same" most of each '
                f"window is padding; use a smaller {window.what} or remove a "
                "downsampling step before it"
            )
            yield diagnostic_at(row.layer, "window-exceeds-input", message, "warning")


def is_one_by_one(window):
    return all(n == 1 for n in window.spatial)


@rule("pooling-on-1x1", "warning", "a pooling window over a map that is already 1x1")
def pooling_on_1x1(report, settings):
    """A pooling layer whose input is 1x1 (1 or 1x1x1) changes nothing.

    MaxPooling2D(2, padding="same") on (None, 1, 1, 64) gives (None, 1, 1, 64).
    """
    for row in report.rows:
        window = window_of(row.layer, report)
        if window is not None and window.what == "pool" and is_one_by_one(window):
            message = (
                f"the input is already {sizes(window.spatial)}, so this pooling "
                "changes nothing; remove it, or a downsampling step before it"
            )
            yield diagnostic_at(row.layer, "pooling-on-1x1", message, "warning")


@rule("dense-on-high-rank", "warning", "Dense applied to an input of rank above 2")
def dense_on_high_rank(report, settings):
    """Dense maps only the last axis; on a map or a sequence it runs at every position.

    Dense(10) on (None, 8, 8, 64) gives (None, 8, 8, 10), not (None, 10).
    """
    for row in report.rows:
        layer = row.layer
        shape = input_shape(layer, report)
        if layer.type != "Dense" or shape is None or len(shape) <= 2:
            continue
        message = (
            f"Dense acts on the last axis only: on {format_shape(shape)} it gives "
            f"{format_shape(row.output_shape)}, one output per position; add Flatten "
            "or global pooling before it if one vector per sample was meant"
        )
        yield diagnostic_at(layer, "dense-on-high-rank", message, "warning")


@rule(
    "large-flatten-dense",
    "warning",
    "a Dense fed by Flatten holds more weights than flatten-dense-max-params",
    options={"flatten-dense-max-params": 1_000_000},
)
def large_flatten_dense(report, settings):
    """A Dense after Flatten has (rows x cols x channels) x units weights.

    VGG16's fc1 takes 7x7x512 = 25,088 values to 4,096 units: 102,764,544 weights,
    74% of the model. Global pooling before the Dense keeps it to 2,101,248.
    """
    rows = {row.layer.name: row for row in report.rows}
    for row in report.model_rows:
        layer = row.layer
        source = rows.get(layer.sources[0].layer) if layer.sources else None
        if layer.type != "Dense" or source is None or source.layer.type != "Flatten":
            continue
        limit = settings.option("flatten-dense-max-params", layer)
        if row.params <= limit:
            continue
        share = row.params / report.total_params
        message = (
            f"takes the {source.output_shape[-1]:,} values of {source.layer.name} "
            f"(Flatten) and holds {row.params:,} parameters, {share:.1%} of the "
            f"model's {report.total_params:,}, more than flatten-dense-max-params "
            f"{limit:,}; pool the feature map (GlobalAveragePooling2D, or more "
            "downsampling) before it, or raise the limit"
        )
        yield diagnostic_at(layer, "large-flatten-dense", message, "warning")


def with_culprit(diagnostic, report):
    """A size-collapse error that also names the layer that made its input too small.

    Walks up the failing layer's first input to the nearest layer that shrank a
    spatial axis: `...; max_pooling2d_3 (MaxPooling2D, line 12) made it 2x2 from 4x4`.
    """
    layers = {layer.name: layer for layer in report.spec.layers}
    failed = layers.get(diagnostic.layer)
    if diagnostic.code != "size-collapse" or failed is None:
        return diagnostic

    data_format = failed.config.get("data_format", "channels_last")
    name = failed.sources[0].layer if failed.sources else None
    while name in layers:
        layer = layers[name]
        before, after = input_shape(layer, report), report.shape(Ref(name))
        if not (isinstance(after, tuple) and before and len(before) == len(after)):
            break
        was, now = (
            split_channels(before, data_format)[0],
            split_channels(after, data_format)[0],
        )
        if any(a is not None and b is not None and a < b for a, b in zip(now, was)):
            note = (
                f"; {layer.name} ({layer.type}, line {layer.place.line}) made it "
                f"{sizes(now)} from {sizes(was)}"
            )
            return replace(diagnostic, message=diagnostic.message + note)
        name = layer.sources[0].layer if layer.sources else None
    return diagnostic
