"""Unary inclusion dependencies between tables: every (non-NULL) value of one column
occurs in another column, the shape of a foreign key whether declared or not.

Candidates are pruned with per-column statistics gathered in one query per table
(distinct count, smallest and largest value as text); each survivor is checked with an
``EXCEPT`` query on all rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from dbarch.model.objects import Table
from dbarch.normalize.discovery.database import TableRef, text
from dbarch.normalize.discovery.progress import Progress, silent
from dbarch.pg.quote import quote_ident


@dataclass(frozen=True, order=True)
class ColumnRef:
    """``schema.table.column``."""

    schema: str
    table: str
    column: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.table}.{self.column}"


@dataclass(frozen=True)
class InclusionDependency:
    """Every value of ``dependent`` occurs in ``referenced``.

    ``referenced_unique``: the referenced column is unique, so this could be a foreign
    key; ``declared``: a foreign key says so already.
    """

    dependent: ColumnRef
    referenced: ColumnRef
    referenced_unique: bool
    declared: bool


@dataclass(frozen=True)
class _Stats:
    distinct: int
    low: str | None
    high: str | None


def _stats(conn: psycopg.Connection[Any], ref: TableRef) -> dict[str, _Stats]:
    parts = [f"count(DISTINCT {text(c)}), min({text(c)}), max({text(c)})" for c in ref.columns]
    if not parts:
        return {}
    row = conn.execute(f"SELECT {', '.join(parts)} FROM {ref.sql}").fetchone()
    assert row is not None
    return {
        c: _Stats(int(row[3 * i]), row[3 * i + 1], row[3 * i + 2])
        for i, c in enumerate(ref.columns)
    }


def _contained(conn: psycopg.Connection[Any], dep: TableRef, a: str, ref: TableRef, b: str) -> bool:
    row = conn.execute(
        f"SELECT NOT EXISTS (SELECT {text(a)} FROM {dep.sql} WHERE {quote_ident(a)} IS NOT NULL "
        f"EXCEPT SELECT {text(b)} FROM {ref.sql})"
    ).fetchone()
    assert row is not None
    return bool(row[0])


def _declared(tables: Sequence[Table]) -> set[tuple[ColumnRef, ColumnRef]]:
    pairs = set()
    for t in tables:
        for fk in t.foreign_keys:
            if len(fk.columns) == 1:
                target = fk.references
                pairs.add(
                    (
                        ColumnRef(t.schema_, t.name, fk.columns[0]),
                        ColumnRef(target.schema_, target.table, target.columns[0]),
                    )
                )
    return pairs


def discover_inds(
    conn: psycopg.Connection[Any],
    tables: Sequence[Table],
    unique: set[ColumnRef],
    progress: Progress = silent,
) -> list[InclusionDependency]:
    """All unary inclusion dependencies between two columns of ``tables`` (of different
    tables, or two columns of one table, the shape of a self-reference such as
    ``reports_to ⊆ employee_id``); ``unique`` names the columns known to be unique (for
    :attr:`InclusionDependency.referenced_unique`)."""
    refs = [TableRef(t.schema_, t.name, tuple(c.name for c in t.columns)) for t in tables]
    stats = {(r.schema, r.name): _stats(conn, r) for r in refs}
    declared = _declared(tables)
    candidates = [
        (dep, a, ref, b)
        for dep in refs
        for a, sa in stats[(dep.schema, dep.name)].items()
        if sa.distinct > 0
        for ref in refs
        for b, sb in stats[(ref.schema, ref.name)].items()
        if (ref.schema, ref.name, b) != (dep.schema, dep.name, a)
        and sa.distinct <= sb.distinct
        and sb.low is not None
        and sa.low is not None
        and sa.high is not None
        and sb.high is not None
        and sb.low <= sa.low
        and sa.high <= sb.high
    ]
    found = []
    for done, (dep, a, ref, b) in enumerate(candidates):
        progress("inclusion dependencies", done, len(candidates))
        if _contained(conn, dep, a, ref, b):
            dependent = ColumnRef(dep.schema, dep.name, a)
            referenced = ColumnRef(ref.schema, ref.name, b)
            found.append(
                InclusionDependency(
                    dependent,
                    referenced,
                    referenced in unique,
                    (dependent, referenced) in declared,
                )
            )
    return sorted(found, key=lambda d: (d.dependent, d.referenced))
