"""Diagnostics: one finding about a spec, with its place, in yamllint's manner."""

from dataclasses import dataclass

# The codes of the spec's own errors, beside the lint rules' (cli/lint/rules.py).
CODES = {
    "unreadable": "the spec file cannot be read",
    "yaml-syntax": "the spec is not valid YAML",
    "spec-structure": "the spec's layout is wrong: a key, a list or a name",
    "unknown-layer": "a layer type Keras does not have",
    "unsupported-layer": "a Keras layer that layerplan does not support yet",
    "unknown-argument": "an argument the layer does not take",
    "bad-argument": "an argument value the layer's constructor refuses",
    "duplicate-name": "two layers with one name",
    "undefined-name": "a name that no layer or input above defines",
    "missing-input": "no input shape, so the model cannot be built",
    "bad-usage": "the command line does not fit the spec",
    "shape-error": "a layer refuses the shape of its input, as Keras would",
    "internal-error": "layerplan itself failed on this spec",
}


@dataclass(frozen=True)
class Diagnostic:
    """A message about a spec: where (file:line:col), which layer, what to change."""

    severity: str
    code: str
    message: str
    file: str
    line: int = 1
    column: int = 1
    layer: str | None = None
    layer_type: str | None = None

    def __str__(self):
        """One line, control characters in names escaped so that it stays one."""
        who = f"{self.layer} ({self.layer_type}): " if self.layer else ""
        line = (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {who}{self.message}"
        )
        return line.replace("\r", "\\r").replace("\n", "\\n")

    def as_json(self):
        return {
            "severity": self.severity,
            "code": self.code,
            "layer": self.layer,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class SpecError(Exception):
    """A spec that cannot be read; the CLI prints its diagnostic and exits with 2."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic
