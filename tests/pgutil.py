"""Helpers for tests that talk to PostgreSQL: run SQL, dump a schema with the matching pg_dump."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbarch.pg import pgdump
from dbarch.pg.connect import connect
from dbarch.pg.devdb import server_install


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
    """``pg_dump --schema-only`` of ``dsn`` by the pg_dump matching its server (the
    version comments and ``\\restrict`` keys blanked, see :func:`dbarch.pg.pgdump.dump_schema`)."""
    if bindir is None:
        bindir = server_install(server_major(dsn)).bindir
    return pgdump.dump_schema(dsn, bindir)
