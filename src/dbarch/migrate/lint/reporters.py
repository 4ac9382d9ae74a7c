"""Findings as text for people, and as JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from dbarch.migrate.lint import Finding
from dbarch.migrate.lint.registry import Severity, find_rule


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def format_text(findings: Sequence[Finding]) -> str:
    """``file:line:col: severity CODE (name): message`` with why and fix indented below."""
    blocks = []
    for f in findings:
        rule = find_rule(f.rule)
        name = f" ({rule.name})" if rule is not None else ""
        head = f"{f.file}:{f.line}:{f.column}: {f.severity.value} {f.rule}{name}: {f.message}"
        blocks.append(f"{head}\n  why: {f.why}\n  fix:\n{_indent(f.fix, '    ')}\n")
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if not findings:
        return "no findings\n"
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    return "\n".join(blocks) + f"\n{len(findings)} findings ({summary})\n"


def format_json(findings: Sequence[Finding]) -> str:
    """A JSON list of objects with keys rule, severity, file, line, column, message, why, fix."""
    return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
