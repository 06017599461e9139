"""Diagnostics: one finding about a spec, with its place, in yamllint's manner."""

from dataclasses import dataclass


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
        who = f"{self.layer} ({self.layer_type}): " if self.layer else ""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {who}{self.message}"
        )

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
