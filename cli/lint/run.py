"""Linting files: each spec summarised, checked by the rules in force, and filtered.

One file that cannot be read, or that trips a bug of ours, becomes a diagnostic of its
own and never stops the others.
"""

from dataclasses import dataclass, field, replace

from cli.lint.config import ConfigError, Settings, layer_settings
from cli.lint.paths import spec_files
from cli.lint.rules import CATALOGUE, with_culprit
from cli.report import diagnostic_at, summarise
from modelspec import Diagnostic, SpecError, load_spec


@dataclass
class FileResult:
    """The findings of one file; `unreadable` when it could not be read as a spec."""

    file: str
    diagnostics: list
    unreadable: bool = False


@dataclass
class LintRun:
    """The results of every linted file, and how many files `exclude` skipped."""

    results: list = field(default_factory=list)
    excluded: int = 0

    @property
    def diagnostics(self):
        return [d for result in self.results for d in result.diagnostics]

    def count(self, severity):
        return sum(d.severity == severity for d in self.diagnostics)

    @property
    def internal_error(self):
        """Whether layerplan itself failed on some file (not the file's fault)."""
        return any(d.code == "internal-error" for d in self.diagnostics)

    def exit_code(self, strict=False):
        """SPEC.md's codes: 2 unreadable, 1 errors (or warnings when strict), 0 clean."""
        if any(result.unreadable for result in self.results):
            return 2
        if self.count("error") or (strict and self.count("warning")):
            return 1
        return 0


class FileSettings:
    """The settings in force for one spec: its pyproject's and each layer's own."""

    def __init__(self, settings, layers):
        self.settings = settings
        self.layers = layers

    def option(self, name, layer):
        own = self.layers.get(layer.name)
        if own is not None and name in own.options:
            return own.options[name]
        return self.settings.option(name)

    def keeps(self, diagnostic):
        own = self.layers.get(diagnostic.layer)
        ignored = own is not None and diagnostic.code in own.ignore
        return self.settings.runs(diagnostic.code) and not ignored

    def relevel(self, diagnostic):
        if diagnostic.code not in CATALOGUE:
            return diagnostic
        return replace(
            diagnostic, severity=self.settings.level(diagnostic.code, diagnostic.severity)
        )


def check_file(path, settings: Settings):
    """Lint one spec; a bug of ours raises (`lint_file` turns it into a diagnostic)."""
    try:
        spec = load_spec(path)
    except SpecError as error:
        return FileResult(error.diagnostic.file, [error.diagnostic], unreadable=True)
    except RecursionError:
        message = "the spec is nested too deeply to read"
        diagnostic = Diagnostic("error", "spec-structure", message, str(path))
        return FileResult(str(path), [diagnostic], unreadable=True)

    layers, problems = {}, []
    for layer in spec.layers:
        if layer.lint is None:
            continue
        try:
            layers[layer.name] = layer_settings(layer)
        except ConfigError as error:
            diagnostic = diagnostic_at(layer, "spec-structure", str(error))
            problems.append(
                replace(
                    diagnostic, line=layer.lint_place.line, column=layer.lint_place.column
                )
            )
    if problems:
        return FileResult(spec.file, problems, unreadable=True)

    file_settings = FileSettings(settings, layers)
    report = summarise(spec)
    found = [with_culprit(d, report) for d in report.diagnostics]
    for rule in CATALOGUE.values():
        if rule.check is not None and settings.runs(rule.code):
            found.extend(rule.check(report, file_settings))
    kept = [file_settings.relevel(d) for d in found if file_settings.keeps(d)]
    kept.sort(key=lambda d: (d.line, d.column))
    return FileResult(spec.file, kept)


def lint_file(path, settings):
    """`check_file`, with a bug of ours reported as a diagnostic rather than raised."""
    try:
        return check_file(path, settings)
    except Exception as error:  # one file's bug must not stop the others
        message = (
            f"layerplan failed on this file: {type(error).__name__}: {error}; please "
            "report it with the spec that caused it"
        )
        return FileResult(
            str(path), [Diagnostic("error", "internal-error", message, str(path))], True
        )


def lint_paths(paths, finder, force_exclude=False):
    """Lint every spec that `paths` name; `finder` gives each file's settings."""
    run = LintRun()
    for path, explicit in spec_files(paths):
        settings = finder.settings_for(path)
        if (force_exclude or not explicit) and path != "-" and settings.excludes(path):
            run.excluded += 1
            continue
        run.results.append(lint_file(path, settings))
    return run
