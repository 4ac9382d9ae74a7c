"""Inclusion dependencies between tables: every (non-NULL) value of one column occurs in
another column, the shape of a foreign key whether declared or not; and composite ones,
the shape of a foreign key of several columns.

Unary candidates are pruned with per-column statistics gathered in one query per table
(distinct count, smallest and largest value as text); each survivor is checked with an
``EXCEPT`` query on all rows. Composite candidates are built the Apriori way from the
unary dependencies found: columns ``a1..ak`` of one table against a unique combination
``x1..xk`` of another (a key found in the data or a declared primary key or unique
constraint) when every ``ai ⊆ xi`` holds, then checked with ``EXCEPT`` on the rows
where none of ``a1..ak`` is NULL (a foreign key's MATCH SIMPLE); declared composite
foreign keys are checked too. An undeclared one is missed when a single column holds
values outside the key only in rows that a NULL in another column exempts.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
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


@dataclass(frozen=True, order=True)
class ColumnsRef:
    """``schema.table(column, ...)``."""

    schema: str
    table: str
    columns: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.schema}.{self.table}({', '.join(self.columns)})"


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
        if _contained(
            conn, ColumnsRef(dep.schema, dep.name, (a,)), ColumnsRef(ref.schema, ref.name, (b,))
        ):
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


@dataclass(frozen=True)
class CompositeInclusionDependency:
    """Every combination of values of ``dependent`` without a NULL occurs in
    ``referenced``, a unique combination of its table: a composite foreign key could say
    so; ``declared``: one does already."""

    dependent: ColumnsRef
    referenced: ColumnsRef
    declared: bool


MAX_COMPOSITE_CANDIDATES = 10_000  # Apriori candidates checked at most, in order


def unique_combinations(table: Table) -> set[tuple[str, ...]]:
    """The declared primary key and unique constraints of ``table`` of two or more
    columns."""
    declared = [table.primary_key] if table.primary_key is not None else []
    declared += list(table.unique)
    return {tuple(k.columns) for k in declared if len(k.columns) > 1}


def _declared_composite(tables: Sequence[Table]) -> set[tuple[ColumnsRef, ColumnsRef]]:
    return {
        (
            ColumnsRef(t.schema_, t.name, tuple(fk.columns)),
            ColumnsRef(fk.references.schema_, fk.references.table, tuple(fk.references.columns)),
        )
        for t in tables
        for fk in t.foreign_keys
        if len(fk.columns) > 1
    }


def _composite_candidates(
    unary: Iterable[InclusionDependency],
    tables: Sequence[Table],
    keys: dict[tuple[str, str], set[tuple[str, ...]]],
) -> list[tuple[ColumnsRef, ColumnsRef]]:
    """``(dependent, referenced)`` pairs whose every column pair is a unary dependency (a
    column of a table trivially includes itself)."""
    contained: dict[tuple[tuple[str, str], tuple[str, str]], dict[str, set[str]]]
    contained = defaultdict(lambda: defaultdict(set))
    for ind in unary:
        dep, ref = ind.dependent, ind.referenced
        contained[(dep.schema, dep.table), (ref.schema, ref.table)][ref.column].add(dep.column)
    for t in tables:
        itself = contained[(t.schema_, t.name), (t.schema_, t.name)]
        for c in t.columns:
            itself[c.name].add(c.name)
    candidates = []
    for (dep_table, ref_table), by_referenced in sorted(contained.items()):
        for key in sorted(keys.get(ref_table, ())):
            choices = [sorted(by_referenced.get(column, ())) for column in key]
            for columns in itertools.product(*choices):
                if len(set(columns)) < len(columns) or (dep_table, columns) == (ref_table, key):
                    continue
                candidates.append((ColumnsRef(*dep_table, columns), ColumnsRef(*ref_table, key)))
    return candidates


def _contained(
    conn: psycopg.Connection[Any], dependent: ColumnsRef, referenced: ColumnsRef
) -> bool:
    """Every combination of values of ``dependent`` without a NULL is in ``referenced``."""
    dep = TableRef(dependent.schema, dependent.table, dependent.columns)
    ref = TableRef(referenced.schema, referenced.table, referenced.columns)
    present = " AND ".join(f"{quote_ident(c)} IS NOT NULL" for c in dependent.columns)
    row = conn.execute(
        f"SELECT NOT EXISTS (SELECT {', '.join(text(c) for c in dependent.columns)} "
        f"FROM {dep.sql} WHERE {present} "
        f"EXCEPT SELECT {', '.join(text(c) for c in referenced.columns)} FROM {ref.sql})"
    ).fetchone()
    assert row is not None
    return bool(row[0])


@dataclass(frozen=True)
class CompositeInds:
    """The composite inclusion dependencies found, and how many candidates were left
    unchecked (beyond :data:`MAX_COMPOSITE_CANDIDATES`)."""

    found: tuple[CompositeInclusionDependency, ...]
    unchecked: int


def discover_composite_inds(
    conn: psycopg.Connection[Any],
    tables: Sequence[Table],
    unary: Sequence[InclusionDependency],
    keys: dict[tuple[str, str], set[tuple[str, ...]]],
    progress: Progress = silent,
) -> CompositeInds:
    """The composite inclusion dependencies of ``tables`` into unique combinations:
    ``keys`` by ``(schema, table)`` (keys found in the data and declared ones, of two or
    more columns), candidates built from the ``unary`` dependencies found."""
    declared = _declared_composite(tables)
    every = sorted(declared | set(_composite_candidates(unary, tables, keys)))
    candidates = every[:MAX_COMPOSITE_CANDIDATES]
    found = []
    for done, (dependent, referenced) in enumerate(candidates):
        progress("composite inclusion dependencies", done, len(candidates))
        if _contained(conn, dependent, referenced):
            found.append(
                CompositeInclusionDependency(
                    dependent, referenced, (dependent, referenced) in declared
                )
            )
    ordered = sorted(found, key=lambda d: (d.dependent, d.referenced))
    return CompositeInds(tuple(ordered), len(every) - len(candidates))
