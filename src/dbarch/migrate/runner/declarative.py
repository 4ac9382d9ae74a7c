"""Declarative apply: plan from the live database to a wanted Schema, and run the plan.

The plan runs like a migration file (:mod:`.executor`): under the migration lock, with a
short ``lock_timeout`` and retries, unit by unit with its progress in a ``declarative``
history row that also keeps the plan's SQL. A run that stopped half-way is finished
from that SQL first (the wanted Schema may have changed since), then the database is
planned against the wanted Schema again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import psycopg

from dbarch.migrate.diff.compare import compare
from dbarch.migrate.plan import Plan, PlanOptions, plan
from dbarch.migrate.render import render_sql
from dbarch.migrate.runner.exclusive import exclusive_run
from dbarch.migrate.runner.executor import Executor, Run, RunOptions, database_errors
from dbarch.migrate.runner.history import HistoryRow, RunKind, without_history
from dbarch.migrate.runner.script import parse_script
from dbarch.model.objects import Schema
from dbarch.pg.introspect import inspect_database

Report = Callable[[str], None]
PLAN_NAME = "<plan>"


def plan_to(
    conn: psycopg.Connection[Any], target: Schema, plan_options: PlanOptions, options: RunOptions
) -> Plan:
    """The plan from the database ``conn`` is connected to (without dbarch's history
    table) to ``target``; PlanError when a change is refused."""
    with database_errors():
        live = without_history(inspect_database(conn), options.history)
    return plan(compare(live, target), plan_options)


def _unfinished(rows: list[HistoryRow]) -> HistoryRow | None:
    runs = [r for r in rows if r.kind == RunKind.declarative]
    last = runs[-1] if runs else None
    return last if last is not None and not last.success and last.plan_sql else None


def _run(executor: Executor, sql: str, label: str, unfinished: HistoryRow | None) -> None:
    checksum = hashlib.sha256(sql.encode()).hexdigest()
    run = Run(None, f"apply {label}", RunKind.declarative, label, checksum, sql)
    executor.run(parse_script(sql, PLAN_NAME), run, unfinished)


def apply_declarative(
    conn: psycopg.Connection[Any],
    target: Schema,
    label: str,
    plan_options: PlanOptions,
    options: RunOptions,
    report: Report,
) -> Plan:
    """Bring the database to ``target`` (``label`` names it in the history); the plan run
    (no steps when the database already matched)."""
    with database_errors(), exclusive_run(conn, options.history, options.lock_wait):
        options.history.ensure(conn)
        executor = Executor(conn, options, report)
        unfinished = _unfinished(options.history.rows(conn))
        if unfinished is not None and unfinished.plan_sql is not None:
            report(f"finishing the interrupted run of {unfinished.script}")
            _run(executor, unfinished.plan_sql, unfinished.script, unfinished)
        result = plan_to(conn, target, plan_options, options)
        if result.steps:
            _run(executor, render_sql(result), label, None)
        return result
