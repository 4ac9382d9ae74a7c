"""Findings as text (rich), JSON, or SARIF 2.1.0 for code-scanning tools."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.text import Text

from dbarch import __version__
from dbarch.checks.findings import Finding, Severity
from dbarch.checks.registry import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_FILE_SUFFIXES = (".sql", ".yaml", ".yml", ".json")  # a SOURCE that is one file
SARIF_LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
_STYLES = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


def summary(findings: Sequence[Finding]) -> str:
    """``3 findings: 1 error, 1 warning, 1 info`` (or ``no findings``)."""
    if not findings:
        return "no findings"
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {_noun(s, counts[s])}" for s in Severity if counts[s]]
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun}: " + ", ".join(parts)


def _noun(severity: Severity, count: int) -> str:
    plural = count != 1 and severity is not Severity.info
    return severity.value + ("s" if plural else "")


def print_text(
    findings: Sequence[Finding], rules: Sequence[Rule], console: Console, notes: Sequence[str] = ()
) -> None:
    """Each finding as ``where: severity CODE message`` with its fix; then, once per rule
    that fired, why it matters; then the notes and a summary line."""
    for f in findings:
        where = str(f.location) if f.location is not None else f.object
        line = Text(f"{where}: ")
        line.append(f.severity.value, style=_STYLES[f.severity])
        line.append(f" {f.rule} {f.message}")
        console.print(line, soft_wrap=True)
        console.print(Text(f"  fix: {f.fix}"), soft_wrap=True)
    fired = sorted({f.rule for f in findings})
    by_code = {r.code: r for r in rules}
    if fired:
        console.print()
    for code in fired:
        r = by_code[code]
        console.print(Text(f"{code} {r.name}: ", style="bold") + Text(r.rationale), soft_wrap=True)
    if fired:
        console.print()
    for note in notes:
        console.print(Text(note), soft_wrap=True)
    console.print(Text(summary(findings), style="bold"), soft_wrap=True)


def to_json(findings: Sequence[Finding]) -> str:
    """A JSON list of findings (see :meth:`Finding.to_dict`)."""
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _uri(file: str) -> str:
    """A file name as a URI reference: ``file://`` when absolute, else relative and
    percent-encoded."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())


def _sarif_rule(r: Rule) -> dict[str, object]:
    return {
        "id": r.code,
        "name": "".join(part.capitalize() for part in r.name.split("-")),
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.rationale},
        "help": {"text": r.fix},
        "defaultConfiguration": {"level": SARIF_LEVELS[r.severity]},
        "properties": {"tags": [r.family], "precision": "high"},
    }


def _sarif_result(f: Finding, index: dict[str, int], artifact: str | None) -> dict[str, object]:
    location: dict[str, object] = {
        "logicalLocations": [{"fullyQualifiedName": f.object, "kind": f.kind}]
    }
    file = f.location.file if f.location is not None else artifact
    if file is not None:
        physical: dict[str, object] = {"artifactLocation": {"uri": _uri(file)}}
        if f.location is not None and f.location.line is not None:
            region: dict[str, int] = {"startLine": f.location.line}
            if f.location.column is not None:
                region["startColumn"] = f.location.column
            physical["region"] = region
        elif Path(file).suffix.lower() in _FILE_SUFFIXES:
            # code scanning shows only results with a line: a file-wide one is on line 1
            physical["region"] = {"startLine": 1}
        location["physicalLocation"] = physical
    return {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": SARIF_LEVELS[f.severity],
        "message": {"text": f"{f.message}. Fix: {f.fix}"},
        "locations": [location],
        "partialFingerprints": {"dbarchObject/v1": f"{f.rule}:{f.object}:{f.message}"},
    }


def to_sarif(findings: Sequence[Finding], rules: Sequence[Rule], artifact: str | None) -> str:
    """A SARIF 2.1.0 log of one run. ``rules`` are the rules that ran; ``artifact`` is the
    SOURCE file findings without a position of their own are reported against."""
    ordered = sorted(rules, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(ordered)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dbarch",
                        "version": __version__,
                        "rules": [_sarif_rule(r) for r in ordered],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(f, index, artifact) for f in findings],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
