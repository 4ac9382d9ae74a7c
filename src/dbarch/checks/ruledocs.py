"""The rule registry for people: ``dbarch rules`` (text, JSON) and ``docs/rules.md``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from dbarch.checks.registry import FAMILIES, Param, Rule, all_rules

_TITLES = {
    "suppression": "Suppression",
    "integrity": "Integrity",
    "naming": "Naming",
    "types": "Data types",
    "indexing": "Indexing",
    "structure": "Structure and anti-patterns",
    "security": "Security",
    "normalization": "Normalization",
}


def _default(p: Param) -> str:
    if isinstance(p.default, tuple):
        return json.dumps(list(p.default))
    return json.dumps(p.default)


def rule_dict(r: Rule) -> dict[str, object]:
    """One rule as JSON-ready data."""
    return {
        "code": r.code,
        "name": r.name,
        "family": r.family,
        "severity": r.severity.value,
        "summary": r.summary,
        "rationale": r.rationale,
        "fix": r.fix,
        "statistics": r.statistics,
        "parameters": [
            {
                "name": p.name,
                "default": list(p.default) if isinstance(p.default, tuple) else p.default,
                "help": p.help,
                **({"choices": list(p.choices)} if p.choices else {}),
            }
            for p in r.params
        ],
        "bad": r.bad,
        "good": r.good,
        "config": r.config,
    }


def rules_json(rules: Sequence[Rule] | None = None) -> str:
    """Every rule as a JSON list."""
    items = [rule_dict(r) for r in (all_rules() if rules is None else rules)]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def print_rules(console: Console, rules: Sequence[Rule] | None = None) -> None:
    """The rules by family, one line each: code, severity, name and summary."""
    rules = list(all_rules() if rules is None else rules)
    for family in FAMILIES:
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        console.print(Text(_TITLES[family], style="bold"))
        for r in members:
            line = Text(f"  {r.code}  {r.severity.value:<7}  {r.name}: {r.summary}")
            if r.statistics:
                line.append(" [live database]", style="dim")
            console.print(line, soft_wrap=True)


def _anchor(r: Rule) -> str:
    return f"{r.code.lower()}-{r.name}"


def _example(title: str, r: Rule, text: str) -> list[str]:
    language = "sql" if r.statistics else "yaml"
    return [f"{title}:", "", f"```{language}", text, "```", ""]


def _section(r: Rule) -> list[str]:
    lines = [f"### {r.code} {r.name}", "", f"**{r.summary}**", ""]
    facts = f"Severity: {r.severity.value}. Family: {r.family}."
    if r.statistics:
        facts += " Needs a live database: reads its statistics or samples its rows."
    lines += [facts, "", r.rationale, "", f"Fix: {r.fix}", ""]
    if r.params:
        lines += ["| Parameter | Default | Meaning |", "|---|---|---|"]
        for p in r.params:
            meaning = p.help + (f" One of: {', '.join(p.choices)}." if p.choices else "")
            lines.append(f"| `{p.name}` | `{_default(p)}` | {meaning} |")
        lines.append("")
    if r.config:
        lines += ["With this configuration:", "", "```toml", r.config, "```", ""]
    lines += _example("Bad", r, r.bad) + _example("Good", r, r.good)
    return lines


_INTRO = """\
# dbarch check rules

Generated from the rule registry by `dbarch rules --format markdown`; do not edit by hand.

`dbarch check SOURCE` runs these rules on a model file, SQL files or a live database.
Rules marked *live database* read planner statistics or sample rows and only run when
SOURCE is a connection string.

## Configuration

In `dbarch.toml` (or under `[tool.dbarch]` in `pyproject.toml`):

```toml
[check]
disable = ["naming", "DBA508"]   # "all", a family, a rule code or a rule name
enable = ["DBA205"]              # applied after disable

[check.rules.god-table]          # a rule by code or name
severity = "error"               # error, warning or info
max_columns = 40                 # the rule's parameters, listed below
```

## Suppression

On one object (and its parts) in the model file: `ignore: [DBA101, plural-table-names]`
on a table, column, constraint, index, view, function... In the database, in the
object's comment, which survives the trip through SQL and the catalog:
`COMMENT ON TABLE t IS 'Staging copy. dbarch:ignore DBA101, DBA509'`.
"""


def rules_markdown(rules: Sequence[Rule] | None = None) -> str:
    """``docs/rules.md``: an index of every rule, then each rule with its examples."""
    rules = list(all_rules() if rules is None else rules)
    lines = [_INTRO, "## Rules", "", "| Code | Name | Severity | Summary |", "|---|---|---|---|"]
    for r in rules:
        summary = r.summary + (" *(live database)*" if r.statistics else "")
        lines.append(f"| [{r.code}](#{_anchor(r)}) | {r.name} | {r.severity.value} | {summary} |")
    lines.append("")
    for family in FAMILIES:
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        lines += [f"## {_TITLES[family]}", ""]
        for r in members:
            lines += _section(r)
    return "\n".join(lines).rstrip("\n") + "\n"
