"""``docs/lint-rules.md``, generated from the rule registry."""

from __future__ import annotations

from dbarch.migrate.lint.registry import FAMILIES, all_rules


def rules_markdown() -> str:
    """The rule reference page: every family, every rule with why and fix."""
    rules = all_rules()
    lines = [
        "# dbarch lint rules",
        "",
        "Generated from the rule registry (`dbarch.migrate.lint.registry`); do not edit by "
        "hand. Codes are stable: a rule may be retired, its code is never reused.",
        "",
        "`dbarch lint FILE.sql... [--format text|json|sarif] [--assume-in-transaction]` "
        "exits 0 when clean, 1 with findings, 2 on an error. Suppress a rule for one "
        "statement with `-- dbarch:ignore DBA101` on the line before it (or on one of its "
        "lines), for a whole file with `-- dbarch:ignore-file DBA101`.",
        "",
        "Lock, rewrite and scan claims come from `dbarch.migrate.locks`, whose every fact is "
        "observed on PostgreSQL by the test suite. A table created earlier in the same file is "
        "new: nobody uses it yet, so lock rules do not apply to it.",
        "",
        "| code | name | severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {r.code} | {r.name} | {r.severity.value} | {r.summary} |" for r in rules]
    for family in FAMILIES:
        lines += ["", f"## DBA{family.digit}xx: {family.title}", "", family.description]
        for r in (r for r in rules if r.family == family):
            lines += [
                "",
                f"### {r.code} {r.name} ({r.severity.value})",
                "",
                r.summary + ".",
                "",
                f"**Why:** {r.why}",
                "",
                f"**Fix:** {r.fix}",
            ]
    return "\n".join(lines) + "\n"
