"""Formatters for a `LintRun`: text, JSON, GitHub workflow commands and SARIF 2.1.0."""

import json
import os
from pathlib import Path
from urllib.parse import quote

from cli import __version__
from cli.lint.rules import CATALOGUE
from modelspec.diagnostics import CODES

COLOURS = {"error": "\033[31m", "warning": "\033[33m"}
RESET, BOLD = "\033[0m", "\033[1m"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def finding(diagnostic):
    """`layer (Type): message`, or the message alone when no layer is concerned."""
    if diagnostic.layer:
        return f"{diagnostic.layer} ({diagnostic.layer_type}): {diagnostic.message}"
    return diagnostic.message


def counted(count, word):
    """`1 error`, `2 errors`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(run):
    """`2 errors and 1 warning in 2 of 5 files`, or that the files are clean."""
    files = counted(len(run.results), "file")
    troubled = sum(bool(result.diagnostics) for result in run.results)
    excluded = f" ({run.excluded} excluded)" if run.excluded else ""
    if not troubled:
        return f"{files} linted{excluded}: no problems"
    errors = counted(run.count("error"), "error")
    warnings = counted(run.count("warning"), "warning")
    return f"{errors} and {warnings} in {troubled} of {files}{excluded}"


def render_text(run, colour=False):
    """One `file:line:col: severity: CODE: layer (Type): message` line per finding."""
    lines = []
    for d in run.diagnostics:
        severity = d.severity
        if colour:
            severity = f"{COLOURS.get(severity, '')}{severity}{RESET}"
        lines.append(f"{d.file}:{d.line}:{d.column}: {severity}: {d.code}: {finding(d)}")
    summary = summary_line(run)
    lines.append(f"{BOLD}{summary}{RESET}" if colour else summary)
    return "\n".join(lines) + "\n"


def render_json(run):
    """{"files": [...], "diagnostics": [...], "summary": {...}} for scripts."""
    document = {
        "files": [
            {"file": r.file, "readable": not r.unreadable, "findings": len(r.diagnostics)}
            for r in run.results
        ],
        "diagnostics": [
            d.as_json() | {"layer_type": d.layer_type} for d in run.diagnostics
        ],
        "summary": {
            "files": len(run.results),
            "excluded": run.excluded,
            "errors": run.count("error"),
            "warnings": run.count("warning"),
        },
    }
    return json.dumps(document, indent=2) + "\n"


def escape(text, property_value=False):
    """GitHub's escaping of workflow command data (and of property values)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(run):
    """`::error file=...,line=...,col=...,title=CODE::message` workflow annotations."""
    lines = []
    for d in run.diagnostics:
        properties = ",".join(
            f"{key}={escape(str(value), True)}"
            for key, value in (
                ("file", d.file),
                ("line", d.line),
                ("col", d.column),
                ("title", d.code),
            )
        )
        lines.append(f"::{d.severity} {properties}::{escape(finding(d))}")
    return "".join(f"{line}\n" for line in lines)


def sarif_rule(rule):
    return {
        "id": rule.code,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "defaultConfiguration": {"level": rule.severity},
    }


def sarif_spec_rule(code, summary):
    """A rule entry for one of the spec's own error codes (modelspec's CODES)."""
    return {
        "id": code,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": "error"},
    }


def sarif_uri(path):
    """A file URI for an absolute path, else the relative path as a URI reference."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace("\\", "/"))


def sarif_result(diagnostic, rule_index):
    result = {
        "ruleId": diagnostic.code,
        "level": diagnostic.severity,
        "message": {"text": finding(diagnostic)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": sarif_uri(diagnostic.file)},
                    "region": {
                        "startLine": diagnostic.line,
                        "startColumn": diagnostic.column,
                    },
                }
            }
        ],
    }
    if diagnostic.layer:
        result["locations"][0]["logicalLocations"] = [
            {"name": diagnostic.layer, "kind": "object"}
        ]
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    return result


def render_sarif(run):
    """A SARIF 2.1.0 log with one run, the rule catalogue as the driver's rules."""
    rules = [sarif_rule(rule) for rule in CATALOGUE.values()]
    rules += [sarif_spec_rule(c, s) for c, s in CODES.items() if c not in CATALOGUE]
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "layerplan",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": not run.internal_error}],
                "results": [sarif_result(d, rule_index) for d in run.diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


FORMATTERS = {
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
