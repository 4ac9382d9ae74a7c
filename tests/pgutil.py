"""Helpers for tests that talk to PostgreSQL: run SQL, dump a schema with the matching pg_dump."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from dbarch.pg.connect import connect
from dbarch.pg.devdb import server_install

# Lines of pg_dump output that differ between runs or pg_dump builds.
_VOLATILE = re.compile(r"-- Dumped (?:from|by) |\\(?:un)?restrict ")


def run_sql(dsn: str, text: str) -> list[tuple[Any, ...]]:
    """Run the SQL script ``text`` (autocommit); the rows of its last statement, if any."""
    with connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(text)
        return cur.fetchall() if cur.description else []


def server_major(dsn: str) -> int:
    """Major version of the server at ``dsn``."""
    with connect(dsn) as conn:
        return conn.info.server_version // 10000


def dump_schema(dsn: str, bindir: Path | None = None) -> str:
    """``pg_dump --schema-only`` of ``dsn`` by the pg_dump matching its server.

    The ``-- Dumped from/by`` comments and ``\\restrict``/``\\unrestrict`` lines are dropped.
    """
    if bindir is None:
        bindir = server_install(server_major(dsn)).bindir
    result = subprocess.run(
        [str(bindir / "pg_dump"), "--schema-only", "--dbname", dsn],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"pg_dump failed: {result.stderr.strip()}")
    lines = result.stdout.splitlines(keepends=True)
    return "".join(line for line in lines if not _VOLATILE.match(line))
