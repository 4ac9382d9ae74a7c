"""Findings as SARIF 2.1.0, the format code-scanning tools (e.g. GitHub) load."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from dbarch import __version__
from dbarch.migrate.lint import Finding
from dbarch.migrate.lint.registry import Rule, Severity, all_rules

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.fix, "markdown": f"**Why:** {rule.why}\n\n**Fix:** {rule.fix}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family.title, rule.name]},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. {finding.why}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(finding.file.replace("\\", "/"))},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
        "properties": {"why": finding.why, "fix": finding.fix},
    }


def sarif_log(findings: Sequence[Finding]) -> dict[str, Any]:
    """The SARIF log object: one run, every rule in ``tool.driver.rules``, one result each."""
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "dbarch",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(rule) for rule in rules],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{"tool": {"driver": driver}, "results": [_result(f, index) for f in findings]}],
    }


def format_sarif(findings: Sequence[Finding]) -> str:
    """:func:`sarif_log` as JSON text."""
    return json.dumps(sarif_log(findings), indent=2, ensure_ascii=False) + "\n"
