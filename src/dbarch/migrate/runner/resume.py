"""Running a statement again after it stopped half-way outside a transaction block.

A statement that runs outside a transaction block commits in several steps, so an error,
a lock timeout or a crash can leave part of its work behind. Before it runs again:

* ``CREATE INDEX CONCURRENTLY``: an INVALID index of that name (``pg_index.indisvalid``
  false) is dropped concurrently and built again; a valid one means the build finished
  and the statement is skipped;
* ``DROP INDEX CONCURRENTLY`` of an index that is gone is skipped;
* ``REINDEX ... CONCURRENTLY``: the INVALID ``*_ccnew``/``*_ccold`` copies it left are
  dropped concurrently;
* ``DETACH PARTITION ... CONCURRENTLY`` left pending is completed with ``FINALIZE``; one
  already detached is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import psycopg
from pglast import ast
from pglast.enums import AlterTableType, ObjectType, ReindexObjectType

from dbarch.pg.quote import qualified

Report = Callable[[str], None]

_INVALID_ON_TABLE = """
SELECT n.nspname, c.relname
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE i.indrelid = %(table)s::regclass AND NOT i.indisvalid
  AND (%(pattern)s::text IS NULL OR c.relname ~ %(pattern)s)
ORDER BY c.relname
"""
_COPY_SUFFIX = "_cc(new|old)[0-9]*$"  # what REINDEX CONCURRENTLY names its copies


def _rel(rv: ast.RangeVar) -> str:
    return qualified(rv.schemaname, rv.relname)


def _name(parts: list[str]) -> str:
    return qualified(parts[-2] if len(parts) > 1 else None, parts[-1])


def _index_state(conn: psycopg.Connection[Any], name: str) -> bool | None:
    """None when the index ``name`` does not exist, else whether it is valid."""
    row = conn.execute(
        "SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = to_regclass(%s)",
        (name,),
    ).fetchone()
    return None if row is None else bool(row[0])


def _drop_invalid(
    conn: psycopg.Connection[Any], table: str, pattern: str | None, report: Report
) -> None:
    """Drop the INVALID indexes of ``table`` (an oid or name) whose name matches the
    regular expression ``pattern`` (all of them when None)."""
    rows = conn.execute(_INVALID_ON_TABLE, {"table": table, "pattern": pattern}).fetchall()
    for schema, name in rows:
        index = qualified(schema, name)
        report(f"dropping INVALID index {index} left by an interrupted build")
        conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")


def _create_index(
    conn: psycopg.Connection[Any], node: ast.IndexStmt, text: str, report: Report
) -> str | None:
    table = _rel(node.relation)
    if not node.idxname:
        _drop_invalid(conn, table, None, report)
        return text
    name = qualified(node.relation.schemaname, node.idxname)
    state = _index_state(conn, name)
    if state is None:
        return text
    if state:
        report(f"index {name} is already built; skipping its CREATE INDEX")
        return None
    report(f"dropping INVALID index {name} left by an interrupted build, building it again")
    conn.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    return text


def _drop_index(conn: psycopg.Connection[Any], node: ast.DropStmt, text: str) -> str | None:
    names = [_name([n.sval for n in obj]) for obj in node.objects or ()]
    gone = all(_index_state(conn, name) is None for name in names)
    return None if gone else text


def _reindex(
    conn: psycopg.Connection[Any], node: ast.ReindexStmt, text: str, report: Report
) -> str:
    if node.relation is None:
        return text
    if node.kind == ReindexObjectType.REINDEX_OBJECT_INDEX:
        row = conn.execute(
            "SELECT i.indrelid::oid::text FROM pg_catalog.pg_index i "
            "WHERE i.indexrelid = to_regclass(%s)",
            (_rel(node.relation),),
        ).fetchone()
        if row is not None:
            pattern = "^" + re.escape(node.relation.relname) + _COPY_SUFFIX
            _drop_invalid(conn, row[0], pattern, report)
    else:
        _drop_invalid(conn, _rel(node.relation), _COPY_SUFFIX, report)
    return text


def _detach(conn: psycopg.Connection[Any], node: ast.AlterTableStmt, text: str) -> str | None:
    cmd = next(iter(node.cmds or ()), None)
    part = cmd.def_ if isinstance(cmd, ast.AlterTableCmd) else None
    if not isinstance(part, ast.PartitionCmd) or not part.concurrent:
        return text
    parent, partition = _rel(node.relation), _rel(part.name)
    row = conn.execute(
        "SELECT h.inhdetachpending FROM pg_catalog.pg_inherits h "
        "WHERE h.inhrelid = to_regclass(%s) AND h.inhparent = to_regclass(%s)",
        (partition, parent),
    ).fetchone()
    if row is None:
        return None
    if row[0]:
        return f"ALTER TABLE {parent} DETACH PARTITION {partition} FINALIZE"
    return text


def rerun_sql(
    conn: psycopg.Connection[Any], node: ast.Node, text: str, report: Report
) -> str | None:
    """The SQL that completes ``text`` after an interrupted run (see the module), or None
    when its work is already done."""
    if isinstance(node, ast.IndexStmt) and node.concurrent:
        return _create_index(conn, node, text, report)
    if (
        isinstance(node, ast.DropStmt)
        and node.concurrent
        and node.removeType == ObjectType.OBJECT_INDEX
    ):
        return _drop_index(conn, node, text)
    if isinstance(node, ast.ReindexStmt):
        return _reindex(conn, node, text, report)
    if isinstance(node, ast.AlterTableStmt) and any(
        isinstance(c, ast.AlterTableCmd) and c.subtype == AlterTableType.AT_DetachPartition
        for c in node.cmds or ()
    ):
        return _detach(conn, node, text)
    return text
