"""A plan as text: a SQL script psql runs unchanged, or JSON with exactly each step's facts.

In the script every step has its facts as a comment above it. A zero-downtime plan runs
each transactional step in a transaction of its own (so no lock outlives its step); a
plain plan runs each run of transactional steps in one transaction, ended early after a
step that needs its work committed. Steps that cannot run in a transaction block stand
outside any BEGIN/COMMIT.
"""

from __future__ import annotations

import json
from typing import Any

from dbarch.migrate.plan.steps import Plan, Step


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def step_facts(step: Step) -> str:
    """One comment line: locks, rewrite, scan and transaction facts of ``step``."""
    if step.effects.locks:
        locks = ", ".join(f"{mode.sql_name} on {table}" for table, mode in step.effects.locks)
    else:
        locks = "no table lock"
    transactional = "yes" if step.transactional else "no (runs outside a transaction block)"
    return (
        f"-- lock: {locks}; rewrites: {_yes(step.rewrites)}; scans: {_yes(step.scans)}; "
        f"transactional: {transactional}"
    )


def _comment(text: str) -> str:
    return "\n".join(f"-- {line}".rstrip() for line in text.splitlines())


def render_sql(plan: Plan) -> str:
    """The plan as a script for psql."""
    kind = "zero-downtime plan" if plan.zero_downtime else "plain DDL"
    count = len(plan.steps)
    lines = [f"-- dbarch migration: {count} step{'s' if count != 1 else ''} ({kind})"]
    lines += [_comment(f"warning: {w}") for w in plan.warnings]
    if not plan.steps:
        lines.append("-- no differences")
        return "\n".join(lines) + "\n"
    lines += ["", *plan.session]
    open_block = False
    committed = True  # the previous step wants its work committed before the next
    for number, step in enumerate(plan.steps, 1):
        header = [_comment(f"step {number}/{count}: {step.summary}"), step_facts(step)]
        if step.irreversible:
            header.append(_comment(f"irreversible: {step.irreversible}"))
        if open_block and (plan.zero_downtime or not step.transactional or committed):
            lines += ["COMMIT;"]
            open_block = False
        lines += ["", *header]
        if step.transactional and not open_block:
            lines.append("BEGIN;")
            open_block = True
        lines.append(step.sql)
        committed = step.needs_commit
    if open_block:
        lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def step_json(step: Step) -> dict[str, Any]:
    """The facts of one step as JSON data."""
    return {
        "summary": step.summary,
        "sql": step.sql,
        "reverse_sql": step.reverse_sql if step.reverse or not step.irreversible else None,
        "irreversible": step.irreversible,
        "lock": step.lock.sql_name if step.lock is not None else None,
        "tables": list(step.tables),
        "locks": [{"table": table, "mode": mode.sql_name} for table, mode in step.effects.locks],
        "rewrites": step.rewrites,
        "scans": step.scans,
        "transactional": step.transactional,
        "needs_commit": step.needs_commit,
    }


def render_json(plan: Plan) -> str:
    """The plan as JSON: its steps' facts, in order, and its warnings."""
    data = {
        "zero_downtime": plan.zero_downtime,
        "warnings": list(plan.warnings),
        "steps": [step_json(step) for step in plan.steps],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
