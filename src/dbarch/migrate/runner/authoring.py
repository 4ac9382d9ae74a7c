"""``migrate new``: the next V and U files, from the directory's end state to a SOURCE.

The end state is what the versioned files build: they are applied in order (by the
runner itself, so files that cannot run in a transaction work too) to a scratch database
on the dev server and read back. The diff from there to SOURCE, planned, is the V file;
the plan's reverse is the U file. When some step cannot be undone, the U file is only a
``-- dbarch:irreversible`` comment saying why, and rollback refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dbarch.errors import DbarchError
from dbarch.migrate.canonical import load_for_diff
from dbarch.migrate.diff.compare import compare
from dbarch.migrate.plan import Plan, PlanOptions, plan
from dbarch.migrate.render import render_sql
from dbarch.migrate.runner.executor import RunOptions
from dbarch.migrate.runner.files import (
    IRREVERSIBLE_MARK,
    FileKind,
    Migrations,
    migration_name,
    read_migrations,
)
from dbarch.migrate.runner.history import without_history
from dbarch.migrate.runner.versioned import apply_migrations
from dbarch.model.objects import Schema
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer, dev_server
from dbarch.pg.introspect import inspect_database


@dataclass(frozen=True)
class NewMigration:
    """The files written (None when there was nothing to change) and the plan."""

    up: Path | None
    undo: Path | None
    plan: Plan
    irreversible: tuple[str, ...]
    """Why steps cannot be undone (the U file then only says so)."""
    data_loss: tuple[str, ...]
    """What the U file cannot bring back although it undoes the schema change."""


def end_state(migrations: Migrations, server: DevServer) -> Schema:
    """The Schema the versioned files of ``migrations`` build, on a scratch database."""
    options = RunOptions()
    with server.scratch() as dsn, connect(dsn) as conn:
        apply_migrations(conn, migrations, options, lambda _message: None)
        return without_history(inspect_database(conn), options.history)


def irreversible_steps(migration: Plan, *, undone: bool = False) -> tuple[str, ...]:
    """``summary: reason`` of each step that loses something: that has no reverse at all,
    or (``undone``) whose reverse undoes the schema change but not the data loss."""
    return tuple(
        f"{step.summary}: {step.irreversible}"
        for step in migration.steps
        if step.irreversible and bool(step.reverse) == undone
    )


def undo_text(migration: Plan, up_name: str) -> str:
    """The U file: the reversed plan, or the reasons it cannot be undone."""
    reasons = irreversible_steps(migration)
    if not reasons:
        return render_sql(migration.reversed())
    lines = [f"{IRREVERSIBLE_MARK}: {up_name} cannot be undone"]
    lines += [f"-- - {reason}" for reason in reasons]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise DbarchError(f"{path}: already exists") from None
    except OSError as exc:
        raise DbarchError(f"{path}: cannot write: {exc.strerror}") from None


def new_migration(
    directory: Path,
    name: str,
    source: str,
    *,
    dev_url: str | None = None,
    plan_options: PlanOptions | None = None,
) -> NewMigration:
    """Write ``V<next>__<name>.sql`` and ``U<next>__<name>.sql`` into ``directory`` (made
    when missing) taking its end state to ``source``; nothing when they already match."""
    words = migration_name(name)
    migrations = read_migrations(directory) if directory.exists() else Migrations(directory, (), {})
    with dev_server(dev_url) as server:
        old = end_state(migrations, server)
        (new,) = load_for_diff([source], server.admin_dsn)
    migration = plan(compare(old, new), plan_options or PlanOptions())
    if not migration.steps:
        return NewMigration(None, None, migration, (), ())
    _, version = migrations.next_version()
    up = directory / f"{FileKind.versioned.value}{version}__{words}.sql"
    undo = directory / f"{FileKind.undo.value}{version}__{words}.sql"
    _write(up, render_sql(migration))
    _write(undo, undo_text(migration, up.name))
    return NewMigration(
        up,
        undo,
        migration,
        irreversible_steps(migration),
        irreversible_steps(migration, undone=True),
    )
