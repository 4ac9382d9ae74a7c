"""Statistics and sample rows of a live database, for the rules that judge data.

Read with a fixed number of queries whatever the size of the schema: table sizes
(``pg_class.reltuples``), per-column statistics (``pg_stats``: ``null_frac``,
``n_distinct``, most common values), index usage (``pg_stat_user_indexes``) and, in one
statement, the first non-null values of the columns asked for. Everything runs in a
read-only transaction with a statement timeout, and nothing is written: tables that were
never analysed simply have no statistics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from dbarch.errors import DatabaseError
from dbarch.pg.quote import qualified, quote_ident

SAMPLE_SIZE = 100
TIMEOUT_MS = 30_000
_SYSTEM_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"

_TABLES = f"""
SELECT n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS rows,
       has_table_privilege(c.oid, 'SELECT') AS readable
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND {_SYSTEM_SCHEMAS}
"""

_COLUMNS = """
SELECT s.schemaname AS schema, s.tablename AS table, s.attname AS column,
       s.null_frac::float8 AS null_frac, s.n_distinct::float8 AS n_distinct,
       s.most_common_vals::text::text[] AS common_values,
       s.most_common_freqs::float8[] AS common_freqs
FROM pg_stats s
WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema') AND s.schemaname !~ '^pg_'
ORDER BY s.schemaname, s.tablename, s.attname, s.inherited
"""

_INDEXES = """
SELECT schemaname AS schema, indexrelname AS name, idx_scan::int8 AS scans
FROM pg_stat_user_indexes
"""


@dataclass(frozen=True)
class ColumnStats:
    """``pg_stats`` of one column. ``n_distinct`` > 0 is a count of distinct values,
    < 0 minus a fraction of the rows (-1: all distinct)."""

    null_frac: float
    n_distinct: float
    common_values: tuple[str, ...] = ()
    common_freqs: tuple[float, ...] = ()

    def distinct_values(self, rows: float) -> float:
        """The estimated number of distinct values in a table of ``rows`` rows."""
        return self.n_distinct if self.n_distinct >= 0 else -self.n_distinct * rows


@dataclass(frozen=True)
class TableStats:
    """A table's estimated row count (``None`` before the first ANALYZE or VACUUM), its
    column statistics, and samples of non-null values (as text) by column."""

    rows: float | None
    columns: Mapping[str, ColumnStats] = field(default_factory=dict)
    samples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Statistics:
    """What :func:`collect_statistics` read, by ``(schema, name)``."""

    tables: Mapping[tuple[str, str], TableStats] = field(default_factory=dict)
    index_scans: Mapping[tuple[str, str], int] = field(default_factory=dict)
    sample_size: int = SAMPLE_SIZE

    def table(self, schema: str, name: str) -> TableStats | None:
        """The statistics of table ``schema.name``, or ``None``."""
        return self.tables.get((schema, name))


Column = tuple[str, str, str]  # schema, table, column


def collect_statistics(
    conn: psycopg.Connection[Any],
    sample: Iterable[Column] = (),
    *,
    sample_size: int = SAMPLE_SIZE,
) -> Statistics:
    """Statistics of every user table of the database ``conn`` is connected to, with up to
    ``sample_size`` non-null values of each ``(schema, table, column)`` in ``sample``
    (tables the role may not read are not sampled).

    Raises :class:`DatabaseError` when the server refuses a query.
    """
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SET TRANSACTION READ ONLY")
            cur.execute("SELECT set_config('statement_timeout', %s, true)", (str(TIMEOUT_MS),))
            tables = cur.execute(_TABLES).fetchall()
            columns = cur.execute(_COLUMNS).fetchall()
            scans = {(s, n): int(k or 0) for s, n, k in cur.execute(_INDEXES).fetchall()}
            readable = {(s, n) for s, n, _, ok in tables if ok}
            wanted = sorted({c for c in sample if (c[0], c[1]) in readable})
            samples = _samples(cur, wanted, sample_size)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot read statistics: {str(exc).strip()}") from None
    by_table: dict[tuple[str, str], dict[str, ColumnStats]] = {}
    for schema, table, column, null_frac, n_distinct, values, freqs in columns:
        stats = by_table.setdefault((schema, table), {})
        if column not in stats:  # the table's own row comes before the inherited one
            stats[column] = ColumnStats(
                null_frac=null_frac,
                n_distinct=n_distinct,
                common_values=tuple(values or ()),
                common_freqs=tuple(freqs or ()),
            )
    return Statistics(
        tables={
            (schema, name): TableStats(
                rows=rows if rows >= 0 else None,
                columns=by_table.get((schema, name), {}),
                samples=samples.get((schema, name), {}),
            )
            for schema, name, rows, _ in tables
        },
        index_scans=scans,
        sample_size=sample_size,
    )


def _samples(
    cur: psycopg.Cursor[Any], columns: list[Column], size: int
) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    """Up to ``size`` non-null values of each column, read in one statement."""
    if not columns:
        return {}
    parts = [
        sql.SQL(
            "SELECT {i}::int4, ARRAY(SELECT {c}::text FROM {t} WHERE {c} IS NOT NULL LIMIT {n})"
        ).format(
            i=sql.Literal(i),
            c=sql.SQL(quote_ident(column)),
            t=sql.SQL(qualified(schema, table)),
            n=sql.Literal(size),
        )
        for i, (schema, table, column) in enumerate(columns)
    ]
    rows = cur.execute(sql.SQL(" UNION ALL ").join(parts)).fetchall()
    result: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for i, values in rows:
        schema, table, column = columns[i]
        result.setdefault((schema, table), {})[column] = tuple(values)
    return result
