"""The result of summarising a spec: rows, totals and diagnostics, ready to render."""

from dataclasses import dataclass, field

from modelspec import Diagnostic
from shapes.errors import ShapeError
from shapes.graph import Ref, infer, tensor_shape, used_layers
from shapes.models import NestedError, is_functional


@dataclass
class Report:
    """Everything a formatter needs, and nothing about how it looks."""

    spec: object
    rows: list
    shapes: dict
    outputs: list
    diagnostics: list = field(default_factory=list)
    unused: set = field(default_factory=set)
    model_rows: list = None
    trainable_params: int = 0
    non_trainable_params: int = 0

    def __post_init__(self):
        self.leave_out(self.unused)

    def leave_out(self, unused):
        """Leave `unused` rows out of the model, as keras.Model does; total the rest."""
        self.unused = unused
        self.model_rows = [row for row in self.rows if row.layer.name not in unused]
        self.trainable_params = sum(row.trainable for row in self.model_rows)
        self.non_trainable_params = sum(row.non_trainable for row in self.model_rows)

    @property
    def total_params(self):
        return self.trainable_params + self.non_trainable_params

    @property
    def failed(self):
        return any(d.severity == "error" for d in self.diagnostics)

    @property
    def is_graph(self):
        """Whether Keras would show it as a Functional graph rather than a stack."""
        return is_functional(self.spec)

    def shape(self, ref):
        """The shape of a tensor; None when inference stopped before its layer.

        A tensor index past a layer's outputs is a ShapeError.
        """
        if (ref.layer, ref.node) not in self.shapes:
            return None
        return tensor_shape(self.shapes, ref)


def diagnostic_at(layer, code, message, severity="error"):
    place = layer.place
    return Diagnostic(
        severity,
        code,
        message,
        place.file,
        place.line,
        place.column,
        layer.name,
        layer.type,
    )


def summarise(spec, until=None):
    """Infer every layer's shape and weights, then check the spec's `expect:`."""
    inputs = {model_input.name: model_input.shape for model_input in spec.inputs}
    outputs = spec.outputs
    if until is not None:
        outputs = [spec.tensors.get(until, Ref(until))]
    inference = infer(inputs, spec.layers, outputs[0] if until else None)
    report = Report(spec, inference.rows, inference.shapes, outputs)
    if inference.failed is not None:
        report.diagnostics.append(refusal(inference))
        return report
    for ref in outputs:
        try:
            report.shape(ref)
        except ShapeError as error:
            place = spec.outputs_place or spec.place
            report.diagnostics.append(
                Diagnostic("error", error.code, f"output {error}", *place_of(place))
            )
            return report
    report.diagnostics.extend(drop_unused(report))
    if until is None:
        report.diagnostics.extend(check_expectations(report))
    return report


def place_of(place):
    return place.file, place.line, place.column


def refusal(inference):
    """The error of the layer Keras would refuse, inside nested models too."""
    error = inference.error
    while isinstance(error, NestedError):
        inference = error.inference
        error = inference.error
    return diagnostic_at(inference.failed, error.code, str(error))


def drop_unused(report):
    """Mark the rows no output depends on, which keras.Model leaves out, and warn."""
    used = used_layers(report.spec.layers, report.outputs)
    warnings = []
    for row in report.rows:
        if row.layer.name not in used:
            message = (
                f"no output depends on this layer, so Keras leaves it and its "
                f"{row.params:,} parameters out of the model; list it in `outputs:` or "
                "remove it"
            )
            warnings.append(diagnostic_at(row.layer, "unused-layer", message, "warning"))
    report.leave_out({row.layer.name for row in report.rows} - used)
    return warnings


def check_expectations(report):
    """A failed `expect:` entry is an error at the line that states it."""
    spec = report.spec
    actual = {
        "total_params": report.total_params,
        "trainable_params": report.trainable_params,
        "non_trainable_params": report.non_trainable_params,
    }
    found = []
    for key, wanted in spec.expect.items():
        place = spec.expect_places[key]
        message = None
        if key == "output_shape":
            shapes = [report.shape(ref) for ref in report.outputs]
            got = shapes[0] if len(shapes) == 1 else shapes
            if as_lists(got) != as_lists(wanted):
                message = f"expected output shape {as_lists(wanted)}, got {as_lists(got)}"
        elif key == "max_params":
            if report.total_params > wanted:
                message = (
                    f"the model has {report.total_params:,} parameters, more than "
                    f"max_params {wanted:,}"
                )
        elif actual[key] != wanted:
            message = f"expected {key} {wanted:,}, got {actual[key]:,}"
        if message:
            found.append(
                Diagnostic(
                    "error",
                    "expect-failed",
                    message,
                    place.file,
                    place.line,
                    place.column,
                )
            )
    return found


def as_lists(shape):
    """A shape or a list of shapes as nested lists, for comparing and for JSON."""
    if isinstance(shape, (list, tuple)):
        return [as_lists(s) for s in shape]
    return shape
