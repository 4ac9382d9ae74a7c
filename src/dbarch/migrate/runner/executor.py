"""Running one migration script with its history row: all or nothing, or unit by unit.

A script that is one transactional unit (see :mod:`.script`) runs in one transaction
together with the insert of its history row. Any other script gets its history row first
(unfinished), then each unit commits with the row's ``progress``; after an error or a
crash the next run takes the row up again, runs the session settings again, skips the
units already committed and completes the interrupted one (see :mod:`.resume`).

Every statement runs under a short ``lock_timeout`` unless the script sets its own, or it
is a concurrent index or partition operation (those wait for other transactions by
design, blocking nobody). A unit that times out waiting for a lock
(``lock_not_available``, SQLSTATE 55P03) gives its locks back and is retried after a
pause that doubles each time, so the application never queues behind the migration.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors

from dbarch.errors import DatabaseError, DbarchError
from dbarch.migrate.plan.retry import MAX_PAUSE
from dbarch.migrate.runner.history import HistoryRow, HistoryTable, RunKind
from dbarch.migrate.runner.resume import rerun_sql
from dbarch.migrate.runner.script import Script, Statement, Unit, UnitKind

Report = Callable[[str], None]


class MigrationError(DbarchError):
    """A migration that failed; the message says where and what state it left."""


@dataclass(frozen=True)
class RunOptions:
    """How migrations run.

    ``lock_timeout`` bounds each wait for a lock; a unit that times out is tried up to
    ``lock_retries`` times, pausing ``retry_delay`` seconds, doubled each time (at most
    ten seconds). A run waits up to ``lock_wait`` seconds for another run on the same
    database to finish. The history table lives in ``history_schema``.
    """

    lock_timeout: str = "2s"
    lock_retries: int = 10
    retry_delay: float = 0.5
    lock_wait: float = 60.0
    history_schema: str = "dbarch"

    def __post_init__(self) -> None:
        if self.lock_retries < 1 or self.retry_delay < 0 or self.lock_wait < 0:
            raise DbarchError(
                "lock retries must be at least 1; retry delay and lock wait not negative"
            )

    @property
    def history(self) -> HistoryTable:
        return HistoryTable(self.history_schema)


@dataclass(frozen=True)
class Run:
    """What the history says about a script being run."""

    version: str | None
    description: str
    kind: RunKind
    script: str
    checksum: str
    plan_sql: str | None = None


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn an unexpected PostgreSQL error (a lost connection, a missing privilege on
    the history table...) into a DatabaseError."""
    try:
        yield
    except psycopg.Error as exc:
        raise DatabaseError(f"migration run failed: {str(exc).strip()}") from None


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


class _Failed(Exception):
    """A statement failed; carries it and PostgreSQL's error."""

    def __init__(self, stmt: Statement, error: psycopg.Error) -> None:
        super().__init__(str(error))
        self.stmt = stmt
        self.error = error


class Executor:
    """Runs scripts on one connection (autocommit mode) and records them in ``history``."""

    def __init__(self, conn: psycopg.Connection[Any], options: RunOptions, report: Report) -> None:
        self.conn = conn
        self.options = options
        self.history = options.history
        self.report = report

    # ------------------------------------------------------------------ statements

    def _execute(self, stmt: Statement, text: str | None = None) -> None:
        try:
            self.conn.execute(stmt.text if text is None else text)
        except psycopg.Error as exc:
            raise _Failed(stmt, exc) from exc

    def _timeout(self, script: Script, unit: Unit, *, local: bool) -> None:
        if script.sets_lock_timeout or unit.concurrent:
            return
        self.conn.execute(
            "SELECT pg_catalog.set_config('lock_timeout', %s, %s)",
            (self.options.lock_timeout, local),
        )

    def _with_retries(self, script: Script, unit: Unit, attempt: Callable[[bool], None]) -> None:
        """Call ``attempt(again)`` until it does not time out on a lock."""
        tries = self.options.lock_retries
        for number in range(1, tries + 1):
            try:
                attempt(number > 1)
                return
            except _Failed as failed:
                if not isinstance(failed.error, errors.LockNotAvailable) or number == tries:
                    raise
                pause = min(self.options.retry_delay * 2 ** (number - 1), MAX_PAUSE)
                self.report(
                    f"{script.location(failed.stmt.start)}: lock not available "
                    f"(attempt {number} of {tries}); retrying in {pause:g} s"
                )
                time.sleep(pause)

    # ------------------------------------------------------------------ units

    def _transaction(self, script: Script, unit: Unit, after: Callable[[], None]) -> None:
        def attempt(_again: bool) -> None:
            with self.conn.transaction():
                self._timeout(script, unit, local=True)
                for stmt in unit.statements:
                    self._execute(stmt)
                after()

        self._with_retries(script, unit, attempt)

    def _alone(self, script: Script, unit: Unit, resuming: bool) -> None:
        (stmt,) = unit.statements

        def attempt(again: bool) -> None:
            text: str | None = stmt.text
            if resuming or again:
                try:
                    text = rerun_sql(self.conn, stmt.node, stmt.text, self.report)
                except psycopg.Error as exc:
                    raise _Failed(stmt, exc) from exc
            if text is None:
                return
            self._timeout(script, unit, local=False)
            try:
                self._execute(stmt, text)
            finally:
                if not (script.sets_lock_timeout or unit.concurrent):
                    self.conn.execute("RESET lock_timeout")

        self._with_retries(script, unit, attempt)

    # ------------------------------------------------------------------ scripts

    def run(self, script: Script, run: Run, unfinished: HistoryRow | None = None) -> None:
        """Run ``script`` and record it; ``unfinished`` is the row of an earlier run of
        the same script that stopped (resumed after its committed units)."""
        started = time.monotonic()
        try:
            self.conn.execute("RESET ALL")
            if script.single_transaction and (unfinished is None or unfinished.progress == 0):
                self._run_whole(script, run, unfinished, started)
            else:
                self._run_units(script, run, unfinished, started)
        finally:
            if not self.conn.closed:
                self.conn.execute("RESET ALL")

    def _row(self, run: Run, unfinished: HistoryRow | None) -> int:
        """The rank of the run's history row: a new one, or the unfinished one taken up."""
        if unfinished is None:
            return self.history.start(
                self.conn,
                version=run.version,
                description=run.description,
                kind=run.kind,
                script=run.script,
                checksum=run.checksum,
                plan_sql=run.plan_sql,
            )
        self.history.restart(self.conn, unfinished.installed_rank, run.checksum)
        return unfinished.installed_rank

    def _run_whole(
        self, script: Script, run: Run, unfinished: HistoryRow | None, started: float
    ) -> None:
        def record() -> None:
            rank = self._row(run, unfinished)
            self.history.finish(self.conn, rank, success=True, elapsed_ms=_elapsed_ms(started))

        try:
            self._transaction(script, script.units[0], record)
        except _Failed as failed:
            rank = self._row(run, unfinished)
            self.history.finish(self.conn, rank, success=False, elapsed_ms=_elapsed_ms(started))
            state = "nothing was changed: it runs in one transaction"
            raise self._error(script, failed, state) from None

    def _run_units(
        self, script: Script, run: Run, unfinished: HistoryRow | None, started: float
    ) -> None:
        rank = self._row(run, unfinished)
        done = unfinished.progress if unfinished is not None else 0
        total = len(script.units)
        if done:
            self.report(f"{script.name}: resuming after {done} of {total} units")
        resuming = unfinished is not None
        for number, unit in enumerate(script.units):
            if number < done and unit.kind is not UnitKind.session:
                continue
            try:
                self._run_unit(script, unit, rank, number, resuming=resuming and number == done)
            except _Failed as failed:
                self.history.finish(self.conn, rank, success=False, elapsed_ms=_elapsed_ms(started))
                state = (
                    f"stopped at unit {number + 1} of {total} (line {unit.line}); the units "
                    "before it are committed: fix the cause and run again to resume"
                )
                raise self._error(script, failed, state) from None
        self.history.finish(self.conn, rank, success=True, elapsed_ms=_elapsed_ms(started))

    def _run_unit(
        self, script: Script, unit: Unit, rank: int, number: int, *, resuming: bool
    ) -> None:
        def progress() -> None:
            self.history.set_progress(self.conn, rank, number + 1)

        if unit.kind is UnitKind.transaction:
            self._transaction(script, unit, progress)
        elif unit.kind is UnitKind.alone:
            self._alone(script, unit, resuming)
            progress()
        else:
            for stmt in unit.statements:
                self._execute(stmt)
            progress()

    def _error(self, script: Script, failed: _Failed, state: str) -> MigrationError:
        diag = failed.error.diag
        stmt = failed.stmt
        if diag.statement_position:
            where = script.location(stmt.start + int(diag.statement_position) - 1)
        else:
            where = script.location(stmt.start)
        lines = [f"{where}: {diag.message_primary or str(failed.error).strip()}"]
        lines += [f"DETAIL: {diag.message_detail}"] if diag.message_detail else []
        lines += [f"HINT: {diag.message_hint}"] if diag.message_hint else []
        lines.append(f"{script.name}: {state}")
        return MigrationError("\n".join(lines))
