"""SARIF 2.1.0 output of `deliver check`, so CI shows findings inline.

Loader and validation problems are reported under the rule `input`; findings
silenced by `lint_ignore` are kept as results with an in-source suppression
carrying the reason, which code-scanning tools hide but keep on record.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from deliverables import __version__
from deliverables.lint import RULES
from deliverables.lint.base import FileReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INPUT_RULE = {
    "id": "input",
    "name": "input",
    "shortDescription": {"text": "The client file cannot be read or does not match the client-file contract."},
    "help": {"text": "Fix the file at the position given; `deliver schema --markdown` documents every key."},
    "defaultConfiguration": {"level": "error"},
}


def rules() -> list[dict[str, Any]]:
    """The driver's rule descriptors: `input` first, then every lint rule."""
    described = [INPUT_RULE]
    for item in RULES.values():
        described.append(
            {
                "id": item.id,
                "name": item.id,
                "shortDescription": {"text": item.summary},
                "help": {"text": f"Fix: {item.fix}."},
                "defaultConfiguration": {"level": item.severity},
            }
        )
    return described


def _location(file: str, line: int, column: int) -> dict[str, Any]:
    path = PurePath(file)
    # Relative paths stay relative (CI resolves them against the checkout); absolute ones become file URIs.
    uri = Path(file).resolve().as_uri() if path.is_absolute() else quote(path.as_posix())
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}


def _result(rule_id: str, index: int, level: str, text: str, location: dict[str, Any]) -> dict[str, Any]:
    return {
        "ruleId": rule_id,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [location],
    }


def results(reports: list[FileReport]) -> list[dict[str, Any]]:
    """Every problem and finding of every file as SARIF results."""
    index = {rule["id"]: i for i, rule in enumerate(rules())}
    out = []
    for report in reports:
        for problem in report.problems:
            text = f"{problem.where}: {problem.message}" if problem.where else problem.message
            where = _location(problem.file, problem.line, problem.column)
            out.append(_result("input", 0, problem.severity, text, where))
        for finding in report.findings:
            text = f"{finding.where}: {finding.message} (fix: {finding.fix})"
            where = _location(finding.file, finding.line, finding.column)
            result = _result(finding.rule, index[finding.rule], finding.severity, text, where)
            if finding.ignored is not None:
                result["suppressions"] = [{"kind": "inSource", "justification": finding.ignored}]
            out.append(result)
    return out


def sarif(reports: list[FileReport]) -> dict[str, Any]:
    """The SARIF log of a `deliver check` run."""
    driver = {"name": "deliver", "version": __version__, "rules": rules()}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results(reports)}],
    }
