"""Formatters for a `Report`: Keras-like text, markdown, CSV and SPEC.md's JSON."""

from cli.report import as_lists
from shapes.models import NestedModel
from shapes.tensors import format_shape

HEADERS = ("Layer (type)", "Output Shape", "Param #")
ROW_KEYS = (
    "name",
    "type",
    "inputs",
    "output_shape",
    "params",
    "trainable_params",
    "non_trainable_params",
)


def memory_size(count):
    """Keras's size of float32 weights: 13,610 weights -> `53.16 KB`.

    Decimal keeps it exact and finite for counts beyond a float's range.
    """
    from decimal import Decimal

    size = Decimal(count) * 4
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def nested_rows(rows, expand, depth=0):
    """(depth, row) for each row, with the rows of nested models down to `expand`."""
    for row in rows:
        yield depth, row
        if depth < expand and isinstance(row.layer.rule, NestedModel):
            yield from nested_rows(row.inner, expand, depth + 1)


def table_rows(report, connected, expand):
    rows = []
    for depth, row in nested_rows(report.model_rows, expand):
        layer = row.layer
        indent = "   " * depth + "└ " if depth else ""
        cells = [
            f"{indent}{layer.name} ({layer.type})",
            format_shape(row.output_shape),
            f"{row.params:,}",
        ]
        if connected:
            cells.append(", ".join(connected_to(layer)))
        rows.append(cells)
    return rows


def connected_to(layer):
    """Keras's "Connected to" cell: every call's inputs, as `name[node][tensor]`."""
    calls = [layer, *layer.calls]
    return [ref.keras for call in calls for ref in call.sources]


def totals_lines(report):
    lines = []
    for label, count in (
        ("Total params", report.total_params),
        ("Trainable params", report.trainable_params),
        ("Non-trainable params", report.non_trainable_params),
    ):
        lines.append(f" {label}: {count:,} ({memory_size(count)})")
    return lines


def layer_table(report, tablefmt, expand=0):
    """Keras's columns, with "Connected to" for a graph, in a tabulate format; a `|`
    in a name is escaped in markdown, where it would end a cell."""
    from tabulate import tabulate

    connected = report.is_graph
    rows = table_rows(report, connected, expand)
    if tablefmt == "github":
        rows = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    return tabulate(
        rows,
        headers=HEADERS + (("Connected to",) if connected else ()),
        tablefmt=tablefmt,
        colalign=("left", "left", "right") + (("left",) if connected else ()),
        disable_numparse=True,
        preserve_whitespace=True,
    )


def render_text(report, expand=0, unicode=True):
    """The summary as Keras prints it: a table, then the three totals."""
    table = layer_table(report, "simple_outline" if unicode else "outline", expand)
    return (
        "\n".join([f'Model: "{report.spec.name}"', table, *totals_lines(report)]) + "\n"
    )


def render_markdown(report, expand=0):
    table = layer_table(report, "github", expand)
    totals = "\n".join(f"-{line}" for line in totals_lines(report))
    return f"### Model: `{report.spec.name}`\n\n{table}\n\n{totals}\n"


def row_json(row, expand=0):
    """One summary row under SPEC.md's keys (ROW_KEYS); a nested model's own rows
    under `layers` when `expand` reaches them."""
    layer = row.layer
    values = (
        layer.name,
        layer.type,
        list(layer.inputs),
        as_lists(row.output_shape),
        row.params,
        row.trainable,
        row.non_trainable,
    )
    document = dict(zip(ROW_KEYS, values))
    if layer.calls:
        calls = (layer, *layer.calls)
        document["calls"] = [[str(ref) for ref in call.sources] for call in calls]
    if expand and isinstance(layer.rule, NestedModel):
        document["layers"] = [row_json(r, expand - 1) for r in row.inner]
    return document


def render_csv(report, expand=0):
    """One line per layer of the model (nested layers are not expanded) under the JSON
    keys, plain numbers, for spreadsheets."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROW_KEYS, lineterminator="\n")
    writer.writeheader()
    for row in report.model_rows:
        cells = row_json(row)
        cells["inputs"] = " ".join(cells["inputs"])
        cells["output_shape"] = format_shape(row.output_shape)
        writer.writerow(cells)
    return out.getvalue()


def report_json(report, expand=0):
    """SPEC.md's JSON document as a dict."""
    spec = report.spec
    return {
        "name": spec.name,
        "inputs": [{"name": i.name, "shape": as_lists(i.shape)} for i in spec.inputs],
        "layers": [
            row_json(row, expand)
            | ({"unused": True} if row.layer.name in report.unused else {})
            for row in report.rows
        ],
        "outputs": [
            {"name": str(ref), "shape": as_lists(report.shape(ref))}
            for ref in report.outputs
            if report.shape(ref) is not None
        ],
        "total_params": report.total_params,
        "trainable_params": report.trainable_params,
        "non_trainable_params": report.non_trainable_params,
        "diagnostics": [d.as_json() for d in report.diagnostics],
    }


def render_json(report, expand=0):
    import json

    return json.dumps(report_json(report, expand), indent=2) + "\n"


FORMATTERS = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "csv": render_csv,
}
