"""Database tables as discovery input: reading rows (all, or a repeatable sample) and
checking dependencies on every row with aggregate queries.

Values are compared as their text output under the ``"C"`` collation (byte equality);
``GROUP BY`` and ``DISTINCT`` put NULLs together, so NULL equals NULL as in the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from dbarch.pg.quote import qualified, quote_ident

Row = tuple[str | None, ...]
RowId = tuple[int, str]  # (tableoid, ctid): a row's identity while a scan runs


@dataclass(frozen=True)
class TableRef:
    """A table and the columns discovery looks at."""

    schema: str
    name: str
    columns: tuple[str, ...]

    @property
    def sql(self) -> str:
        """The quoted, schema-qualified name."""
        return qualified(self.schema, self.name)

    @property
    def display(self) -> str:
        """``schema.name`` for people."""
        return f"{self.schema}.{self.name}"


def text(column: str, alias: str | None = None) -> str:
    """A column's value as text compared byte by byte (``alias.column`` with an alias)."""
    name = quote_ident(column) if alias is None else f"{alias}.{quote_ident(column)}"
    return f'{name}::text COLLATE "C"'


def _select_list(ref: TableRef, alias: str | None = None) -> str:
    return ", ".join(text(c, alias) for c in ref.columns) or "NULL"


def _group_by(columns: Sequence[str]) -> str:
    return ", ".join(text(c) for c in columns) or "()"


def _null_flag(column: str) -> str:
    return f"max(CASE WHEN {quote_ident(column)} IS NULL THEN 1 ELSE 0 END)"


def count_rows(conn: psycopg.Connection[Any], ref: TableRef) -> int:
    """The number of rows."""
    return int(conn.execute(f"SELECT count(*) FROM {ref.sql}").fetchone()[0])  # type: ignore[index]


def read_all(conn: psycopg.Connection[Any], ref: TableRef) -> list[Row]:
    """Every row as text (``None`` for NULL), streamed with COPY."""
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY (SELECT {_select_list(ref)} FROM {ref.sql}) TO STDOUT") as copy,
    ):
        return [tuple(row) for row in copy.rows()]


def read_sample(conn: psycopg.Connection[Any], ref: TableRef, percent: float) -> dict[RowId, Row]:
    """A repeatable Bernoulli sample of about ``percent`` % of the rows, by row identity."""
    rows = conn.execute(
        f"SELECT tableoid::int, ctid::text, {_select_list(ref)} "
        f"FROM {ref.sql} TABLESAMPLE BERNOULLI (%s) REPEATABLE (0)",
        [percent],
    ).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def fd_violations(
    conn: psycopg.Connection[Any], ref: TableRef, lhs: Sequence[str], rhs: Sequence[str]
) -> list[bool]:
    """For each ``rhs`` column, whether some rows agree on ``lhs`` but not on it."""
    counts = ", ".join(
        f"count(DISTINCT {text(a)}) + {_null_flag(a)} AS n{i}" for i, a in enumerate(rhs)
    )
    worst = ", ".join(f"coalesce(max(n{i}), 0)" for i in range(len(rhs)))
    row = conn.execute(
        f"SELECT {worst} FROM (SELECT {counts} FROM {ref.sql} GROUP BY {_group_by(lhs)}) AS g"
    ).fetchone()
    assert row is not None
    return [int(n) > 1 for n in row]


def fd_removals(conn: psycopg.Connection[Any], ref: TableRef, lhs: Sequence[str], rhs: str) -> int:
    """The fewest rows to delete for ``lhs -> rhs`` to hold (g3 times the row count)."""
    keys = ", ".join(f"{text(c)} AS k{i}" for i, c in enumerate(lhs))
    inner_select = f"{keys}, count(*) AS c" if keys else "count(*) AS c"
    inner_group = ", ".join([*(text(c) for c in lhs), text(rhs)])
    outer_group = ", ".join(f"k{i}" for i in range(len(lhs))) or "()"
    row = conn.execute(
        f"SELECT coalesce(sum(total - best), 0) FROM ("
        f"SELECT sum(c) AS total, max(c) AS best FROM ("
        f"SELECT {inner_select} FROM {ref.sql} GROUP BY {inner_group}) AS p "
        f"GROUP BY {outer_group}) AS q"
    ).fetchone()
    assert row is not None
    return int(row[0])


def is_unique(conn: psycopg.Connection[Any], ref: TableRef, columns: Sequence[str]) -> bool:
    """No two rows agree on ``columns``."""
    row = conn.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM {ref.sql} GROUP BY {_group_by(columns)} "
        f"HAVING count(*) > 1)"
    ).fetchone()
    assert row is not None
    return bool(row[0])


def _witnesses(
    conn: psycopg.Connection[Any],
    ref: TableRef,
    keys: Sequence[str],
    having: str,
    distinct_on: Sequence[str],
) -> dict[RowId, Row]:
    """Rows of the first few groups (by ``keys``) that satisfy ``having``: at least two of
    the first group, one per value of ``distinct_on`` (every row when it is empty)."""
    if keys:
        bad = ", ".join(f"{text(c)} AS k{i}" for i, c in enumerate(keys))
        order = ", ".join(str(i + 1) for i in range(len(keys)))
        join = " AND ".join(
            f"{text(c, 'src')} IS NOT DISTINCT FROM bad.k{i}" for i, c in enumerate(keys)
        )
    else:
        bad, order, join = "1 AS k", "1", "TRUE"
    by = [text(c, "src") for c in [*keys, *distinct_on]]
    distinct = f"DISTINCT ON ({', '.join(by)}) " if distinct_on else ""
    ordering = ", ".join([*by, "1", "2"])
    rows = conn.execute(
        f"WITH bad AS (SELECT {bad} FROM {ref.sql} GROUP BY {_group_by(keys)} "
        f"HAVING {having} ORDER BY {order} LIMIT 3) "
        f"SELECT {distinct}src.tableoid::int, src.ctid::text, {_select_list(ref, 'src')} "
        f"FROM {ref.sql} AS src JOIN bad ON {join} ORDER BY {ordering} LIMIT 20"
    ).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def fd_witnesses(
    conn: psycopg.Connection[Any], ref: TableRef, lhs: Sequence[str], rhs: str
) -> dict[RowId, Row]:
    """Rows that agree on ``lhs`` and differ on ``rhs``: evidence against ``lhs -> rhs``."""
    having = f"count(DISTINCT {text(rhs)}) + {_null_flag(rhs)} > 1"
    return _witnesses(conn, ref, lhs, having, [rhs])


def duplicate_witnesses(
    conn: psycopg.Connection[Any], ref: TableRef, columns: Sequence[str]
) -> dict[RowId, Row]:
    """Rows that agree on ``columns``: evidence that they are not unique."""
    return _witnesses(conn, ref, columns, "count(*) > 1", [])
