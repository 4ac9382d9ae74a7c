"""Versioned migrations: the state of each file, applying the pending ones, rolling back.

The state of a version comes from its latest ``versioned`` or ``undo`` history row:
*applied* (and *checksum-mismatch* when its file changed since), *failed* (a run that
stopped; the next run resumes it), *pending* (never applied, or rolled back), or
*missing* (applied, but its file is gone from the directory).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import psycopg

from dbarch.errors import DbarchError
from dbarch.migrate.runner.exclusive import exclusive_run
from dbarch.migrate.runner.executor import Executor, Run, RunOptions, database_errors
from dbarch.migrate.runner.files import (
    MigrationFile,
    Migrations,
    Version,
    irreversible_reason,
    parse_version,
    version_label,
)
from dbarch.migrate.runner.history import HistoryRow, RunKind
from dbarch.migrate.runner.script import Script, parse_script

Report = Callable[[str], None]


class State(StrEnum):
    pending = "pending"
    applied = "applied"
    failed = "failed"
    checksum_mismatch = "checksum-mismatch"
    missing = "missing"


@dataclass(frozen=True)
class Entry:
    """One version: its file (None when missing), latest history row and state."""

    version: Version
    file: MigrationFile | None
    row: HistoryRow | None
    state: State

    @property
    def version_text(self) -> str:
        return self.file.version_text if self.file else version_label(self.version)

    @property
    def description(self) -> str:
        if self.file is not None:
            return self.file.description
        return self.row.description if self.row else ""

    @property
    def script(self) -> str:
        if self.file is not None:
            return self.file.name
        return self.row.script if self.row else ""

    @property
    def undoing(self) -> bool:
        """True when the latest run of this version is an unfinished rollback."""
        return self.row is not None and self.row.kind == RunKind.undo and not self.row.success


class MigrationStateError(DbarchError):
    """The database and the directory disagree in a way that stops a run."""


def _latest(rows: list[HistoryRow]) -> dict[Version, HistoryRow]:
    latest: dict[Version, HistoryRow] = {}
    for row in rows:
        if row.version is not None and row.kind in (RunKind.versioned, RunKind.undo):
            latest[parse_version(row.version)] = row
    return latest


def _state(file: MigrationFile | None, row: HistoryRow | None) -> State:
    if row is None or (row.kind == RunKind.undo and row.success):
        return State.pending
    if not row.success:
        return State.failed
    if file is None:
        return State.missing
    return State.applied if row.checksum == file.checksum else State.checksum_mismatch


def status(migrations: Migrations, rows: list[HistoryRow]) -> list[Entry]:
    """Every version of the directory and of the history, in version order."""
    latest = _latest(rows)
    files = {f.version: f for f in migrations.versioned}
    entries = []
    for version in sorted(files.keys() | latest.keys()):
        file, row = files.get(version), latest.get(version)
        state = _state(file, row)
        if file is None and state is State.pending:
            continue  # rolled back, and its file removed since: nothing left of it
        entries.append(Entry(version, file, row, state))
    return entries


def read_status(
    conn: psycopg.Connection[Any], migrations: Migrations, options: RunOptions
) -> list[Entry]:
    """:func:`status` of the database ``conn`` is connected to (read only)."""
    with database_errors():
        return status(migrations, options.history.rows(conn))


def _scripts(files: list[MigrationFile]) -> list[Script]:
    """Every file parsed before any runs, so a syntax error stops the run up front."""
    return [parse_script(f.text, str(f.path)) for f in files]


def _refuse_mismatches(entries: list[Entry]) -> None:
    changed = [e for e in entries if e.state is State.checksum_mismatch and e.file is not None]
    if changed:
        names = ", ".join(str(e.file.path) for e in changed if e.file is not None)
        raise MigrationStateError(
            f"already applied, but changed since (checksum mismatch): {names}; "
            "restore the applied version, and put new changes in a new migration"
        )


def _to_apply(entries: list[Entry], target: Version | None) -> list[Entry]:
    _refuse_mismatches(entries)
    for entry in entries:
        if entry.undoing:
            raise MigrationStateError(
                f"the rollback of {entry.script} stopped half-way; run migrate rollback "
                "again to finish it first"
            )
    wanted = [
        e
        for e in entries
        if e.state in (State.pending, State.failed) and (target is None or e.version <= target)
    ]
    applied = [e.version for e in entries if e.state in (State.applied, State.missing)]
    if wanted and applied and wanted[0].version < max(applied):
        raise MigrationStateError(
            f"{wanted[0].script} is pending but version {version_label(max(applied))} is "
            "already applied; give it a version after the applied ones"
        )
    for entry in wanted:
        row, file = entry.row, entry.file
        if file is None:
            raise MigrationStateError(
                f"{entry.script} stopped half-way and is no longer in the directory; "
                "restore it so the run can finish"
            )
        if (
            entry.state is State.failed
            and row is not None
            and row.progress
            and row.checksum != file.checksum
        ):
            raise MigrationStateError(
                f"{file.path}: a run stopped half-way through it and the file changed since; "
                "restore it to finish the run, then change the schema in a new migration"
            )
    return wanted


def apply_migrations(
    conn: psycopg.Connection[Any],
    migrations: Migrations,
    options: RunOptions,
    report: Report,
    *,
    target: Version | None = None,
) -> list[MigrationFile]:
    """Apply the pending versioned files (up to ``target``) in version order, each under
    the migration lock; the files applied."""
    with database_errors(), exclusive_run(conn, options.history, options.lock_wait):
        options.history.ensure(conn)
        entries = _to_apply(status(migrations, options.history.rows(conn)), target)
        files = [e.file for e in entries if e.file is not None]
        executor = Executor(conn, options, report)
        for entry, script in zip(entries, _scripts(files), strict=True):
            file = entry.file
            assert file is not None
            report(f"applying {file.name}")
            run = Run(
                version_label(file.version),
                file.description,
                RunKind.versioned,
                file.name,
                file.checksum,
            )
            unfinished = entry.row if entry.state is State.failed else None
            executor.run(script, run, unfinished)
        return files


def _untouched(entry: Entry) -> bool:
    """A failed run that changed nothing (it ran in one transaction)."""
    row = entry.row
    return (
        entry.state is State.failed and not entry.undoing and row is not None and not row.progress
    )


def _to_undo(
    entries: list[Entry], migrations: Migrations, steps: int | None, target: Version | None
) -> list[tuple[Entry, MigrationFile]]:
    done = [e for e in reversed(entries) if e.state is not State.pending and not _untouched(e)]
    if target is not None:
        chosen = [e for e in done if e.version > target]
    else:
        chosen = done[: 1 if steps is None else steps]
    plan = []
    for entry in chosen:
        if entry.state is State.failed and not entry.undoing:
            raise MigrationStateError(f"{entry.script} stopped half-way; apply it again first")
        undo = migrations.undo.get(entry.version)
        if undo is None:
            raise MigrationStateError(
                f"no U{entry.version_text}__*.sql in {migrations.directory} to undo {entry.script}"
            )
        reason = irreversible_reason(undo.text)
        if reason is not None:
            raise MigrationStateError(f"{undo.path}: {entry.script} is irreversible: {reason}")
        plan.append((entry, undo))
    return plan


def rollback_migrations(
    conn: psycopg.Connection[Any],
    migrations: Migrations,
    options: RunOptions,
    report: Report,
    *,
    steps: int | None = None,
    target: Version | None = None,
) -> list[MigrationFile]:
    """Undo the last ``steps`` applied versions (default 1), or every one after ``target``,
    newest first, by their U files; the U files run."""
    if steps is not None and steps < 1:
        raise DbarchError("--steps must be at least 1")
    with database_errors(), exclusive_run(conn, options.history, options.lock_wait):
        options.history.ensure(conn)
        entries = status(migrations, options.history.rows(conn))
        chosen = _to_undo(entries, migrations, steps, target)
        undos = [undo for _, undo in chosen]
        executor = Executor(conn, options, report)
        for (entry, undo), script in zip(chosen, _scripts(undos), strict=True):
            report(f"undoing {entry.script} with {undo.name}")
            run = Run(
                version_label(undo.version),
                undo.description,
                RunKind.undo,
                undo.name,
                undo.checksum,
            )
            executor.run(script, run, entry.row if entry.undoing else None)
        return undos
