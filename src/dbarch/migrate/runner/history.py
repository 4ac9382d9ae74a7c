"""The history table: one row per migration run, with the file's checksum and progress.

``dbarch.dbarch_schema_history`` (the schema is configurable; it is created on first use)
holds, like Flyway's table, the version, description, kind (``versioned``, ``undo`` or
``declarative``), script, sha256 checksum, who installed it, when, how long it took and
whether it succeeded. ``progress`` counts the units of a migration already committed, so
a migration that stopped half-way resumes after them; ``plan_sql`` keeps the SQL of a
declarative run (there is no file to read it from again).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import psycopg
from psycopg.rows import class_row

from dbarch.model.objects import Schema
from dbarch.pg.quote import qualified, quote_ident

TABLE = "dbarch_schema_history"
DEFAULT_SCHEMA = "dbarch"


class RunKind(StrEnum):
    versioned = "versioned"
    undo = "undo"
    declarative = "declarative"


@dataclass(frozen=True)
class HistoryRow:
    """One row of the history table."""

    installed_rank: int
    version: str | None
    description: str
    kind: str
    script: str
    checksum: str
    installed_by: str
    installed_on: datetime
    execution_time_ms: int
    success: bool
    progress: int
    plan_sql: str | None


_COLUMNS = (
    "installed_rank, version, description, kind, script, checksum, installed_by, "
    "installed_on, execution_time_ms, success, progress, plan_sql"
)


@dataclass(frozen=True)
class HistoryTable:
    """The history table in ``schema``."""

    schema: str = DEFAULT_SCHEMA

    @property
    def sql(self) -> str:
        """The table's qualified name as SQL."""
        return qualified(self.schema, TABLE)

    @property
    def advisory_key(self) -> int:
        """The advisory lock key of runs that use this table: a signed 64-bit number
        derived from ``dbarch`` and the table's name."""
        digest = hashlib.sha256(f"dbarch:{self.schema}.{TABLE}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    def exists(self, conn: psycopg.Connection[Any]) -> bool:
        """True when the table is there."""
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (self.sql,)).fetchone()
        return bool(row and row[0])

    def ensure(self, conn: psycopg.Connection[Any]) -> None:
        """Create the schema and table unless they exist (call under the advisory lock)."""
        if self.exists(conn):
            return
        with conn.transaction():
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(self.schema)}")
            conn.execute(
                f"CREATE TABLE {self.sql} (\n"
                "    installed_rank integer PRIMARY KEY,\n"
                "    version text,\n"
                "    description text NOT NULL,\n"
                "    kind text NOT NULL CHECK (kind IN ('versioned', 'undo', 'declarative')),\n"
                "    script text NOT NULL,\n"
                "    checksum text NOT NULL,\n"
                "    installed_by text NOT NULL DEFAULT current_user,\n"
                "    installed_on timestamptz NOT NULL DEFAULT now(),\n"
                "    execution_time_ms integer NOT NULL DEFAULT 0,\n"
                "    success boolean NOT NULL,\n"
                "    progress integer NOT NULL DEFAULT 0,\n"
                "    plan_sql text\n"
                ")"
            )

    def rows(self, conn: psycopg.Connection[Any]) -> list[HistoryRow]:
        """Every row, oldest first (none when the table does not exist yet)."""
        if not self.exists(conn):
            return []
        with conn.cursor(row_factory=class_row(HistoryRow)) as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM {self.sql} ORDER BY installed_rank")
            return cur.fetchall()

    def start(
        self,
        conn: psycopg.Connection[Any],
        *,
        version: str | None,
        description: str,
        kind: RunKind,
        script: str,
        checksum: str,
        plan_sql: str | None = None,
        success: bool = False,
    ) -> int:
        """Insert the row of a run (unfinished unless ``success``); its rank."""
        row = conn.execute(
            f"INSERT INTO {self.sql} (installed_rank, version, description, kind, script, "
            "checksum, success, plan_sql) "
            f"SELECT coalesce(max(installed_rank), 0) + 1, %s, %s, %s, %s, %s, %s, %s "
            f"FROM {self.sql} RETURNING installed_rank",
            (version, description, kind.value, script, checksum, success, plan_sql),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def restart(self, conn: psycopg.Connection[Any], rank: int, checksum: str) -> None:
        """Take up an unfinished row again (its file may have been fixed meanwhile)."""
        conn.execute(
            f"UPDATE {self.sql} SET checksum = %s, installed_by = current_user, "
            "installed_on = now() WHERE installed_rank = %s",
            (checksum, rank),
        )

    def set_progress(self, conn: psycopg.Connection[Any], rank: int, done: int) -> None:
        """Record that the first ``done`` units of the run are committed."""
        conn.execute(f"UPDATE {self.sql} SET progress = %s WHERE installed_rank = %s", (done, rank))

    def finish(
        self, conn: psycopg.Connection[Any], rank: int, *, success: bool, elapsed_ms: int
    ) -> None:
        """Record the end of a run."""
        conn.execute(
            f"UPDATE {self.sql} SET success = %s, execution_time_ms = %s, installed_on = now() "
            "WHERE installed_rank = %s",
            (success, elapsed_ms, rank),
        )


def without_history(schema: Schema, history: HistoryTable) -> Schema:
    """``schema`` without the history table (and its schema, when nothing else is in it):
    dbarch's own bookkeeping is no part of the user's schema."""
    tables = tuple(
        t for t in schema.tables if not (t.schema_ == history.schema and t.name == TABLE)
    )
    update: dict[str, object] = {"tables": tables}
    groups = (
        tables,
        schema.views,
        schema.materialized_views,
        schema.sequences,
        schema.functions,
        schema.aggregates,
        schema.enums,
        schema.domains,
        schema.composite_types,
    )
    used = any(obj.schema_ == history.schema for group in groups for obj in group)
    if not used and history.schema != "public":
        update["schemas"] = tuple(s for s in schema.schemas if s.name != history.schema)
    return schema.model_copy(update=update)
