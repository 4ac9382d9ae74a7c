"""Helpers of the runner tests: migration files, quick run options, the command in process,
and dumps of a database without dbarch's history table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import typer
from typer.testing import CliRunner

from dbarch.commands.migrate import register
from dbarch.errors import DbarchError
from dbarch.migrate.runner.executor import RunOptions
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


_BLOCK = re.compile(r"^(?=--\n-- Name: )", re.MULTILINE)


def dump_without_history(dsn: str, bindir: Path, schema: str = "dbarch") -> str:
    """``pg_dump --schema-only`` of ``dsn`` without the blocks of dbarch's history schema
    (the ``SET`` lines pg_dump happened to put in them stay)."""
    kept = []
    for block in _BLOCK.split(dump_schema(dsn, bindir)):
        header = block.split("\n", 2)[1] if block.startswith("--\n-- Name: ") else ""
        if f"Schema: {schema};" in header or header.startswith(f"-- Name: {schema}; Type: SCHEMA;"):
            kept += [f"{line}\n\n" for line in block.splitlines() if line.startswith("SET ")]
        else:
            kept.append(block)
    return "".join(kept)
