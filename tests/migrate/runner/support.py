"""Helpers of the runner tests: migration files, quick run options, the command in process,
and dumps of a database without dbarch's history table."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import typer
from typer.testing import CliRunner

from dbarch.commands.migrate import register
from dbarch.errors import DbarchError
from dbarch.migrate.runner.executor import RunOptions
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.quote import quote_ident
from tests.pgutil import dump_schema

FAST = RunOptions(lock_timeout="200ms", lock_retries=10, retry_delay=0.1, lock_wait=10)


def write(directory: Path, name: str, text: str) -> Path:
    """Write the migration file ``name``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Messages:
    """Collects what the runner reports."""

    lines: list[str] = field(default_factory=list)

    def __call__(self, message: str) -> None:
        self.lines.append(message)

    def __contains__(self, text: str) -> bool:
        return any(text in line for line in self.lines)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def dbarch(*args: str) -> Result:
    """``dbarch ARGS`` (migrate or apply) in this process; a DbarchError becomes exit 2
    with ``error: ...`` on stderr, as the command line's main() does."""
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, list(args))
    if isinstance(result.exception, DbarchError):
        return Result(2, result.stdout, result.stderr + f"error: {result.exception}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


@contextlib.contextmanager
def copy_of(server: DevServer, dsn: str) -> Iterator[str]:
    """DSN of a copy of the database at ``dsn`` (nobody may be connected to it)."""
    with connect(dsn) as conn:
        source = conn.info.dbname
    name = "runner_copy_" + secrets.token_hex(4)
    with connect(server.admin_dsn) as conn:
        conn.execute(f"CREATE DATABASE {quote_ident(name)} TEMPLATE {quote_ident(source)}")
    try:
        yield server.dsn(name)
    finally:
        server.drop_database(name)


def dump_without_history(server: DevServer, dsn: str, schema: str = "dbarch") -> str:
    """``pg_dump --schema-only`` of the database as it would be without dbarch's history."""
    with copy_of(server, dsn) as copy:
        with connect(copy) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {quote_ident(schema)} CASCADE")
        return dump_schema(copy, server.bindir)
