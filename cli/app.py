"""The typer application: `layerplan summary`, `layerplan shape` and friends.

Exit codes (SPEC.md): 0 consistent, 1 the architecture is wrong, 2 the spec cannot be
read or the command line is wrong. Results go to stdout, diagnostics to stderr.
"""

import gc
import os
import sys
from enum import Enum
from typing import Annotated

import typer

from cli import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=(
        "Keras model summaries without Keras: output shapes and parameter counts of a "
        "layer-stack spec (YAML), in milliseconds.\n\n"
        "Example: layerplan summary examples/lenet5.yaml"
    ),
)


class SummaryFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    csv = "csv"


SpecArg = Annotated[
    str, typer.Argument(metavar="SPEC", help="A spec file, or - for stdin.")
]
InputShape = Annotated[
    str | None,
    typer.Option(
        "--input-shape",
        metavar="SIZES",
        help="One sample's shape, batch excluded, such as 250,250,3; overrides `input:`.",
    ),
]


class Exit(Exception):
    """Stop with an exit code after the message has been printed."""

    def __init__(self, code):
        self.code = code


def complain(message):
    print(message, file=sys.stderr)


def load(spec_path, input_shape, as_json=False):
    """Load a spec, printing its error and stopping with 2 if it cannot be read.

    With `as_json`, standard output also gets a JSON document with the diagnostic, so
    that scripts reading JSON always get one.
    """
    from modelspec import SpecError, load_spec, parse_shape_option

    try:
        shape = parse_shape_option(input_shape) if input_shape is not None else None
    except ValueError as error:
        complain(f"layerplan: error: {error}")
        raise Exit(2) from None
    try:
        return load_spec(spec_path, shape)
    except SpecError as error:
        complain(str(error.diagnostic))
        if as_json:
            import json

            print(json.dumps({"diagnostics": [error.diagnostic.as_json()]}, indent=2))
        raise Exit(2) from None


def finish(report):
    """Print a report's diagnostics and stop with its exit code."""
    for diagnostic in report.diagnostics:
        complain(str(diagnostic))
    raise Exit(1 if report.failed else 0)


def pick_layer(spec, name, option, inputs_too=False):
    """`name` if it names a layer, a shared call's handle or a block use (or, with
    `inputs_too`, an input) of the spec; else a usage error."""
    from modelspec.suggest import did_you_mean

    names = list(spec.tensors)
    if not inputs_too:
        names = [n for n in names if n not in {i.name for i in spec.inputs}]
    if name not in names:
        complain(
            f"layerplan: error: {option}: no layer named {name!r} in {spec.file}"
            f"{did_you_mean(name, names)}"
        )
        raise Exit(2)
    return name


def expand_depth(text):
    """`--expand 2` as 2, `--expand all` as every level; a usage error otherwise."""
    if text is None:
        return 0
    if text.lower() == "all":
        return sys.maxsize
    if text.isdigit():
        return int(text)
    complain(
        f"layerplan: error: --expand takes a depth (0, 1, 2, ...) or all; got {text!r}"
    )
    raise Exit(2)


def guarded(command):
    """Run a command body, turning every outcome into an exit code and no traceback."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        command()
    except Exit as stop:
        raise typer.Exit(stop.code) from None
    except (KeyboardInterrupt, BrokenPipeError):
        raise typer.Exit(2) from None
    except RecursionError:
        complain("layerplan: error: the spec is nested too deeply to read")
        raise typer.Exit(2) from None
    except Exception as error:  # a bug of ours must still not end in a traceback
        complain(
            f"layerplan: internal error: {type(error).__name__}: {error}; please "
            "report it with the spec that caused it"
        )
        raise typer.Exit(2) from None


def version_callback(value: bool):
    if value:
        print(f"layerplan {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = None,
):
    """Keras model summaries without Keras."""


@app.command()
def summary(
    spec: SpecArg,
    format: Annotated[
        SummaryFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SummaryFormat.text,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="LAYER",
            help="Summarise only up to this layer, as add() then summary().",
        ),
    ] = None,
    input_shape: InputShape = None,
    expand: Annotated[
        str | None,
        typer.Option(
            "--expand",
            metavar="DEPTH",
            help="Show the layers of nested models, DEPTH levels deep (a number, or "
            "all), as Keras's expand_nested.",
        ),
    ] = None,
):
    """Print each layer's output shape and parameter count, as Keras's model.summary().

    Exit 0 when the architecture is consistent, 1 when Keras would refuse it (the rows
    before the failing layer are still printed), 2 when the spec cannot be read.

    Example: layerplan summary examples/vgg16.yaml --format json
    """

    def run():
        from cli.render import FORMATTERS
        from cli.report import summarise

        depth = expand_depth(expand)
        model = load(spec, input_shape, as_json=format is SummaryFormat.json)
        if until is not None:
            pick_layer(model, until, "--until")
        report = summarise(model, until)
        if format is SummaryFormat.text:
            encoding = (sys.stdout.encoding or "").lower()
            text = FORMATTERS["text"](report, depth, encoding.startswith("utf"))
        else:
            text = FORMATTERS[format.value](report, depth)
        sys.stdout.write(text)
        sys.stdout.flush()
        finish(report)

    guarded(run)


@app.command()
def shape(
    spec: SpecArg,
    layer: Annotated[str, typer.Argument(metavar="LAYER", help="A layer or input name.")],
    input_shape: InputShape = None,
):
    """Print one layer's output shape, such as (None, 121, 121, 32).

    For scripts and for feature extraction: the shape a base model hands to a new head.
    The whole model is checked, `expect:` included: exit 1 when it is wrong.

    Example: layerplan shape examples/feature_extractor.yaml my_intermediate_layer
    """

    def run():
        from cli.report import summarise
        from shapes.errors import ShapeError
        from shapes.tensors import format_shape

        model = load(spec, input_shape)
        pick_layer(model, layer, "LAYER", inputs_too=True)
        report = summarise(model)
        try:
            shape = report.shape(model.tensors[layer])
        except ShapeError as error:
            complain(f"layerplan: error: {layer}: {error}")
            raise Exit(1) from None
        if shape is not None:
            print(format_shape(shape))
        finish(report)

    guarded(run)


@app.command()
def layers(
    types: Annotated[
        list[str] | None,
        typer.Argument(metavar="[TYPE]...", help="Layer types to show (default: all)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
):
    """List the supported layer types with their arguments and Keras's defaults.

    Drawn from the same registry that specs are checked against.

    Example: layerplan layers Conv2D MaxPooling2D
    """

    def run():
        from cli.catalogue import render_layers
        from modelspec.suggest import did_you_mean
        from shapes import RULES, known_types, lookup

        names = []
        for name in types or sorted(RULES):
            rule = lookup(name)
            if rule is None:
                complain(
                    f"layerplan: error: unknown layer type {name!r}"
                    f"{did_you_mean(name, known_types())}"
                )
                raise Exit(2)
            names.append(rule.class_name)
        sys.stdout.write(render_layers(names, as_json))
        raise Exit(0)

    guarded(run)


def entry_point():
    """The `layerplan` console script.

    A run is short and builds many small objects that never form cycles, so the cycle
    collector only costs time (a third of it on a 100,000-layer spec).
    """
    gc.disable()
    app()


# `layerplan lint`, `layerplan rules` and `layerplan schema`.


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@app.command()
def lint(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Spec files, directories (*.yaml, *.yml, *.json inside) or globs; - "
            "for stdin.",
        ),
    ],
    format: Annotated[
        LintFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LintFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with 1 on warnings too.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODE[=LEVEL]",
            help="Run only these rules (comma-separated, repeatable; `all` for every "
            "rule); CODE=error or CODE=warning also sets a rule's severity.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODE", help="Do not run these rules."),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            metavar="NAME=VALUE",
            help="Set a threshold, such as flatten-dense-max-params=5000000.",
        ),
    ] = None,
    force_exclude: Annotated[
        bool,
        typer.Option(
            "--force-exclude",
            help="Apply pyproject's `exclude` to files named on the command line too "
            "(for pre-commit).",
        ),
    ] = False,
):
    """Check specs for architecture mistakes; print each finding with its place.

    Every finding is `file:line:col: severity: CODE: layer (Type): message`, then a
    summary line. Settings come from [tool.layerplan] in the nearest pyproject.toml,
    these options, and a layer's own `lint:` key. Exit 0 clean, 1 errors (or warnings
    with --strict), 2 a spec that cannot be read or a bad command line.

    Example: layerplan lint examples/ --format github
    """

    def run():
        from cli.lint.config import (
            ConfigError,
            ConfigFinder,
            parse_pairs,
            settings_from,
            split_codes,
        )
        from cli.lint.formats import FORMATTERS, render_text, summary_line
        from cli.lint.run import lint_paths

        try:
            command_line = settings_from(
                split_codes(select) if select else None,
                split_codes(ignore or []),
                parse_pairs(option or [], "--option"),
                where="the command line",
            )
            result = lint_paths(paths, ConfigFinder(command_line), force_exclude)
        except ConfigError as error:
            complain(f"layerplan: error: {error}")
            raise Exit(2) from None
        if not result.results and not result.excluded:
            complain(
                "layerplan: error: no spec files (*.yaml, *.yml, *.json) in "
                f"{', '.join(paths)}; is the path right?"
            )
            raise Exit(2)

        if format is LintFormat.text:
            colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
            sys.stdout.write(render_text(result, colour))
        else:
            sys.stdout.write(FORMATTERS[format.value](result))
            complain(summary_line(result))
        sys.stdout.flush()
        raise Exit(result.exit_code(strict))

    guarded(run)


@app.command()
def rules():
    """List the lint rules: code, default severity, what each finds, and thresholds.

    Example: layerplan rules
    """

    def run():
        from cli.lint.rules import CATALOGUE

        for rule in CATALOGUE.values():
            options = "".join(f" [{k}={v:_}]" for k, v in rule.options.items())
            print(f"{rule.code} ({rule.severity}){options}: {rule.summary}")
        raise Exit(0)

    guarded(run)


@app.command()
def schema():
    """Print a JSON Schema (draft 2020-12) of the spec format, for editors.

    Drawn from the layer registry: every layer type, its arguments and their kinds.
    Save it and point your editor's YAML support at it, for instance with a first line
    `# yaml-language-server: $schema=layerplan.schema.json`.

    Example: layerplan schema > layerplan.schema.json
    """

    def run():
        import json

        from cli.schema import spec_schema

        print(json.dumps(spec_schema(), indent=2))
        raise Exit(0)

    guarded(run)
