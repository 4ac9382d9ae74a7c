"""``dbarch migrate new|status|apply|rollback`` and the declarative ``dbarch apply SOURCE``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dbarch.cli_options import DevUrl, SourceArg

if TYPE_CHECKING:
    from dbarch.migrate.plan import PlanOptions
    from dbarch.migrate.runner.executor import RunOptions
    from dbarch.migrate.runner.versioned import Entry


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


Db = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="DBARCH_DATABASE_URL",
        show_envvar=True,
        help="The database to migrate (postgresql:// URL or key=value string).",
    ),
]
Dir = Annotated[Path, typer.Option("--dir", help="The migrations directory.")]
LockTimeout = Annotated[
    str,
    typer.Option("--lock-timeout", help="Longest wait for a lock before a statement retries."),
]
LockRetries = Annotated[
    int,
    typer.Option("--lock-retries", min=1, help="Attempts of a statement that times out on a lock."),
]
LockWait = Annotated[
    float,
    typer.Option("--lock-wait", min=0, help="Seconds to wait for another migration run to finish."),
]
HistorySchema = Annotated[
    str, typer.Option("--history-schema", help="Schema of the dbarch_schema_history table.")
]
Unsafe = Annotated[
    bool, typer.Option("--unsafe", help="Plain DDL instead of the zero-downtime plan.")
]
AllowDestructive = Annotated[
    bool,
    typer.Option(
        "--allow-destructive",
        help="Allow steps that lose data (drop a table or column, narrow a type).",
    ),
]

DEFAULT_DIR = Path("migrations")


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _run_options(
    lock_timeout: str, lock_retries: int, lock_wait: float, history_schema: str
) -> RunOptions:
    from dbarch.migrate.runner.executor import RunOptions

    return RunOptions(
        lock_timeout=lock_timeout,
        lock_retries=lock_retries,
        lock_wait=lock_wait,
        history_schema=history_schema,
    )


def _plan_options(
    unsafe: bool, allow_destructive: bool, lock_timeout: str, lock_retries: int
) -> PlanOptions:
    from dbarch.migrate.plan import PlanOptions

    return PlanOptions(
        zero_downtime=not unsafe,
        allow_destructive=allow_destructive,
        lock_timeout=lock_timeout,
        lock_retries=lock_retries,
    )


def _version(text: str | None) -> tuple[int, ...] | None:
    from dbarch.migrate.runner.files import parse_version

    return None if text is None else parse_version(text)


def _status_rows(entries: list[Entry]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for e in entries:
        run = e.row if e.state.value != "pending" else None
        rows.append(
            {
                "version": e.version_text,
                "description": e.description,
                "script": e.script,
                "state": e.state.value,
                "installed_on": run.installed_on.isoformat(timespec="seconds") if run else None,
                "execution_time_ms": run.execution_time_ms if run else None,
            }
        )
    return rows


def _status_text(rows: list[dict[str, object]]) -> str:
    header = ("version", "description", "state", "installed on")
    table = [header] + [
        (
            str(r["version"]),
            str(r["description"]),
            str(r["state"]),
            str(r["installed_on"] or ""),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    if not rows:
        lines.append("no migrations")
    return "\n".join(lines) + "\n"


def new(
    name: Annotated[str, typer.Argument(help="What the migration does, e.g. add_orders.")],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="SOURCE",
            help="The schema wanted: model file, .sql file or directory, or postgresql:// URL.",
        ),
    ],
    directory: Dir = DEFAULT_DIR,
    unsafe: Unsafe = False,
    allow_destructive: AllowDestructive = False,
    lock_timeout: LockTimeout = "2s",
    lock_retries: LockRetries = 10,
    dev_url: DevUrl = None,
) -> None:
    """Write the next V and U files: from the directory's end state to SOURCE."""
    from dbarch.migrate.runner.authoring import new_migration

    made = new_migration(
        directory,
        name,
        to,
        dev_url=dev_url,
        plan_options=_plan_options(unsafe, allow_destructive, lock_timeout, lock_retries),
    )
    if made.up is None or made.undo is None:
        _say("no differences: the migrations already build SOURCE; nothing written")
        return
    count = len(made.plan.steps)
    _say(f"wrote {made.up} ({count} step{'s' if count != 1 else ''})")
    _say(f"wrote {made.undo}")
    for warning in made.plan.warnings:
        _say(f"warning: {warning}")
    if made.data_loss and not made.irreversible:
        _say(f"{made.undo.name} brings the schema back, not the data:")
        for reason in made.data_loss:
            _say(f"  - {reason}")
    if made.irreversible:
        _say(f"{made.undo.name} cannot undo {made.up.name}; rollback will refuse it:")
        for reason in made.irreversible:
            _say(f"  - {reason}")


def status(
    db: Db,
    directory: Dir = DEFAULT_DIR,
    fmt: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="Output format.")
    ] = StatusFormat.text,
    history_schema: HistorySchema = "dbarch",
) -> None:
    """Show each migration's state: pending, applied, failed, checksum-mismatch, missing."""
    from dbarch.migrate.runner.executor import RunOptions
    from dbarch.migrate.runner.files import read_migrations
    from dbarch.migrate.runner.versioned import read_status
    from dbarch.pg.connect import connect

    migrations = read_migrations(directory)
    with connect(db) as conn:
        entries = read_status(conn, migrations, RunOptions(history_schema=history_schema))
    rows = _status_rows(entries)
    if fmt is StatusFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_status_text(rows))
    sys.stdout.flush()


def apply(
    db: Db,
    directory: Dir = DEFAULT_DIR,
    target: Annotated[
        str | None, typer.Option("--target", help="Apply up to this version only.")
    ] = None,
    lock_timeout: LockTimeout = "2s",
    lock_retries: LockRetries = 10,
    lock_wait: LockWait = 60.0,
    history_schema: HistorySchema = "dbarch",
) -> None:
    """Apply the pending migrations in version order (an edited applied file is refused)."""
    from dbarch.migrate.runner.files import read_migrations
    from dbarch.migrate.runner.versioned import apply_migrations
    from dbarch.pg.connect import connect

    migrations = read_migrations(directory)
    options = _run_options(lock_timeout, lock_retries, lock_wait, history_schema)
    with connect(db) as conn:
        done = apply_migrations(conn, migrations, options, _say, target=_version(target))
    if done:
        _say(f"applied {len(done)} migration{'s' if len(done) != 1 else ''}")
    else:
        _say("up to date: no pending migrations")


def rollback(
    db: Db,
    directory: Dir = DEFAULT_DIR,
    steps: Annotated[
        int | None, typer.Option("--steps", min=1, help="Undo this many (default 1).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Undo every version after this one.")
    ] = None,
    lock_timeout: LockTimeout = "2s",
    lock_retries: LockRetries = 10,
    lock_wait: LockWait = 60.0,
    history_schema: HistorySchema = "dbarch",
) -> None:
    """Undo applied migrations, newest first, with their U files."""
    from dbarch.errors import DbarchError
    from dbarch.migrate.runner.files import read_migrations
    from dbarch.migrate.runner.versioned import rollback_migrations
    from dbarch.pg.connect import connect

    if steps is not None and target is not None:
        raise DbarchError("give --steps or --target, not both")
    migrations = read_migrations(directory)
    options = _run_options(lock_timeout, lock_retries, lock_wait, history_schema)
    with connect(db) as conn:
        done = rollback_migrations(
            conn, migrations, options, _say, steps=steps, target=_version(target)
        )
    if done:
        _say(f"rolled back {len(done)} migration{'s' if len(done) != 1 else ''}")
    else:
        _say("nothing to roll back")


def apply_source(
    source: SourceArg,
    db: Db,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change nothing.")
    ] = False,
    unsafe: Unsafe = False,
    allow_destructive: AllowDestructive = False,
    lock_timeout: LockTimeout = "2s",
    lock_retries: LockRetries = 10,
    lock_wait: LockWait = 60.0,
    history_schema: HistorySchema = "dbarch",
    dev_url: DevUrl = None,
) -> None:
    """Bring the database to SOURCE: plan from the live schema and run the plan safely."""
    from dbarch.migrate.canonical import load_for_diff
    from dbarch.migrate.render import render_sql
    from dbarch.migrate.runner.declarative import apply_declarative, plan_to
    from dbarch.pg.connect import connect
    from dbarch.sources import describe

    (target,) = load_for_diff([source], dev_url)
    options = _run_options(lock_timeout, lock_retries, lock_wait, history_schema)
    plan_options = _plan_options(unsafe, allow_destructive, lock_timeout, lock_retries)
    with connect(db) as conn:
        if dry_run:
            sys.stdout.write(render_sql(plan_to(conn, target, plan_options, options)))
            sys.stdout.flush()
            return
        done = apply_declarative(conn, target, describe(source), plan_options, options, _say)
    if not done.steps:
        _say("up to date: the database already matches SOURCE")
        return
    for number, step in enumerate(done.steps, 1):
        _say(f"step {number}/{len(done.steps)}: {step.summary}")
    _say(f"applied {len(done.steps)} step{'s' if len(done.steps) != 1 else ''}")


def register(app: typer.Typer) -> None:
    """Add ``migrate`` (new, status, apply, rollback) and ``apply`` to ``app``."""
    migrate = typer.Typer(
        name="migrate",
        help="Versioned migrations: V/U files, a history table with checksums, safe runs.",
        no_args_is_help=True,
    )
    migrate.command("new")(new)
    migrate.command("status")(status)
    migrate.command("apply")(apply)
    migrate.command("rollback")(rollback)
    app.add_typer(migrate, name="migrate")
    app.command("apply")(apply_source)
