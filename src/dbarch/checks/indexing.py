"""Indexing: indexes that are missing, duplicated, redundant or not worth their cost."""

from __future__ import annotations

from collections.abc import Iterator

from dbarch.checks.context import KeyAccess, RuleContext
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import Param, rule
from dbarch.checks.sqltext import create_index, drop, rel
from dbarch.model.objects import ForeignKey, MaterializedView, PrimaryKey, Table
from dbarch.pg.quote import quote_ident, quote_literal


def _owners(ctx: RuleContext) -> Iterator[Table | MaterializedView]:
    yield from ctx.schema.tables
    yield from ctx.schema.materialized_views


def _leads_with(access: KeyAccess, columns: tuple[str, ...]) -> bool:
    """True when a plain btree index starts with ``columns`` (in any order)."""
    n = len(columns)
    return (
        access.method == "btree"
        and access.where is None
        and len(access.columns) >= n
        and set(access.columns[:n]) == set(columns)
    )


def _serves(access: KeyAccess, foreign_keys: tuple[ForeignKey, ...]) -> bool:
    return any(_leads_with(access, fk.columns) for fk in foreign_keys)


@rule(
    code="DBA401",
    name="foreign-key-without-index",
    severity=Severity.warning,
    summary="A foreign key has no index that leads with its columns.",
    rationale="""
        Deleting or updating a referenced row makes PostgreSQL look for referencing
        rows; without an index on the foreign key columns that is a full scan of the
        referencing table, per row, under lock. Joins along the key suffer the same
        (seeds 002 and 003: index foreign keys).
    """,
    fix="Create an index whose first columns are the foreign key's columns.",
    bad="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false, references: customers.id}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false, references: customers.id}
    indexes:
      - {columns: [customer_id]}
""",
)
def foreign_key_without_index(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        access = ctx.facts.access(t)
        for fk in t.foreign_keys:
            if any(_leads_with(a, fk.columns) for a in access):
                continue
            message = (
                f"foreign key {fk.name} of {t.schema_}.{t.name} ({', '.join(fk.columns)})"
                " has no index leading with its columns"
            )
            fix = create_index(ctx.schema, t, list(fk.columns))
            yield Hit(Target.constraint(t, fk), message, fix)


def _rank(a: KeyAccess) -> tuple[int, str]:
    """Which of two equal indexes to keep: primary key, unique constraint, unique index."""
    node = a.target.nodes[-1]
    if isinstance(node, PrimaryKey):
        return 0, a.name
    if a.constraint:
        return 1, a.name
    return (2 if a.unique else 3), a.name


def _signature(a: KeyAccess) -> tuple[object, ...]:
    return a.method, a.keys, a.where, tuple(sorted(a.include))


@rule(
    code="DBA402",
    name="duplicate-index",
    severity=Severity.warning,
    summary="Two indexes (or keys) of a table have the same definition.",
    rationale="""
        A duplicate index doubles the write cost and the space and never helps a read:
        the planner uses one of them (seeds 002 and 003: no duplicate indexes). A plain
        index equal to a primary key or unique constraint is a duplicate too.
    """,
    fix="Drop the duplicate; keep the primary key or unique constraint if one of them is.",
    bad="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false, unique: true}
    indexes:
      - {name: idx_users_email, columns: [email]}
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false, unique: true}
""",
)
def duplicate_index(ctx: RuleContext) -> Iterator[Hit]:
    for owner in _owners(ctx):
        groups: dict[tuple[object, ...], list[KeyAccess]] = {}
        for a in ctx.facts.access(owner):
            groups.setdefault(_signature(a), []).append(a)
        for group in groups.values():
            keeper, *others = sorted(group, key=_rank)
            for other in others:
                message = (
                    f"{other.target.kind} {other.name} on {owner.schema_}.{owner.name}"
                    f" duplicates {keeper.target.kind} {keeper.name}"
                )
                yield Hit(other.target, message, drop(other.target))


@rule(
    code="DBA403",
    name="redundant-index",
    severity=Severity.info,
    summary="An index's keys are the leading keys of another index of the table.",
    rationale="""
        A btree index on (a, b) serves every lookup an index on (a) serves, with the same
        predicate; the shorter index only adds write cost and space. Unique indexes are
        kept: they enforce a rule, not only speed.
    """,
    fix="Drop the shorter index.",
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false}
      - {name: created_at, type: timestamptz, nullable: false}
    indexes:
      - {name: idx_orders_customer_id, columns: [customer_id]}
      - {name: idx_orders_customer_id_created_at, columns: [customer_id, created_at]}
""",
    good="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false}
      - {name: created_at, type: timestamptz, nullable: false}
    indexes:
      - {name: idx_orders_customer_id_created_at, columns: [customer_id, created_at]}
""",
)
def redundant_index(ctx: RuleContext) -> Iterator[Hit]:
    for owner in _owners(ctx):
        access = ctx.facts.access(owner)
        for a in access:
            if a.unique or a.method != "btree":
                continue
            for b in access:
                n = len(a.keys)
                covered = set(a.include) <= {c for c in b.columns if c} | set(b.include)
                if (
                    b.method == "btree"
                    and b.where == a.where
                    and len(b.keys) > n
                    and b.keys[:n] == a.keys
                    and covered
                ):
                    message = (
                        f"index {a.name} on {owner.schema_}.{owner.name} is covered by"
                        f" {b.target.kind} {b.name}, which starts with the same keys"
                    )
                    yield Hit(a.target, message, drop(a.target))
                    break


@rule(
    code="DBA404",
    name="too-many-indexes",
    severity=Severity.warning,
    summary="A table has more indexes than the configured maximum.",
    rationale="""
        Every index is updated by every insert and by updates of its columns (and blocks
        HOT updates), takes space and cache, and slows vacuum. Past a handful, some are
        usually unused or redundant (seeds 002 and 003: no over-indexing).
    """,
    fix="Look up how often each index is used and drop the ones that are not.",
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: a, type: integer}
      - {name: b, type: integer}
      - {name: c, type: integer}
    indexes:
      - {columns: [a]}
      - {columns: [b]}
      - {columns: [c]}
      - {columns: [a, b]}
      - {columns: [b, c]}
      - {columns: [c, a]}
      - {columns: [a, c]}
      - {columns: [b, a]}
      - {columns: [c, b]}
      - {columns: [a, b, c]}
""",
    good="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: a, type: integer}
      - {name: b, type: integer}
    indexes:
      - {columns: [a, b]}
""",
    params=(Param("max_indexes", 10, "Most indexes (keys included) a table may have."),),
)
def too_many_indexes(ctx: RuleContext) -> Iterator[Hit]:
    most = ctx.number("max_indexes")
    for t in ctx.schema.tables:
        count = len(ctx.facts.access(t))
        if count > most:
            usage = (
                "SELECT indexrelname, idx_scan FROM pg_stat_user_indexes"
                f" WHERE relid = {quote_literal(rel(t))}::regclass ORDER BY idx_scan;"
            )
            message = f"table {t.schema_}.{t.name} has {count} indexes (at most {most} wanted)"
            yield Hit(Target.relation(t), message, f"{usage} Then drop the unused ones.")


def _scans(ctx: RuleContext, owner: Table, a: KeyAccess) -> str:
    assert ctx.stats is not None
    scans = ctx.stats.index_scans.get((owner.schema_, a.name))
    return "" if scans is None else f"; used by {scans} scans since statistics were reset"


@rule(
    code="DBA405",
    name="low-cardinality-index",
    severity=Severity.info,
    summary="A single-column index is on a column with few distinct values (statistics).",
    rationale="""
        An index on a column with a handful of values (a flag, a status) rarely beats a
        sequential scan: each value matches a large part of the table. A partial index
        on the rare value, or a composite index that starts with a selective column,
        serves the queries better (seed 002: do not index low-cardinality columns
        alone). An index that serves a foreign key is not judged: deleting a referenced
        row needs it (foreign-key-without-index). Read from the live database's planner
        statistics.
    """,
    fix="Drop the index, or replace it by a partial index for the rare value.",
    bad="""
CREATE TABLE tickets (id bigint PRIMARY KEY, is_open boolean NOT NULL);
CREATE INDEX idx_tickets_is_open ON tickets (is_open);
INSERT INTO tickets SELECT i, i % 50 = 0 FROM generate_series(1, 20000) i;
ANALYZE tickets;
""",
    good="""
CREATE TABLE tickets (id bigint PRIMARY KEY, is_open boolean NOT NULL);
CREATE INDEX idx_tickets_open ON tickets (id) WHERE is_open;
INSERT INTO tickets SELECT i, i % 50 = 0 FROM generate_series(1, 20000) i;
ANALYZE tickets;
""",
    params=(
        Param("max_distinct", 10, "Most distinct values of a low-cardinality column."),
        Param("min_rows", 1000, "Fewest rows of a table to judge (smaller ones: DBA406)."),
    ),
    statistics=True,
)
def low_cardinality_index(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        stats = ctx.table_stats(t)
        if stats is None or stats.rows is None or stats.rows < ctx.number("min_rows"):
            continue
        for a in ctx.facts.access(t):
            if a.unique or a.where is not None or a.method != "btree" or len(a.columns) != 1:
                continue
            if _serves(a, t.foreign_keys):
                continue  # dropping it would bring foreign-key-without-index back
            column = a.columns[0]
            column_stats = stats.columns.get(column or "")
            if column is None or column_stats is None:
                continue
            distinct = column_stats.distinct_values(stats.rows)
            if distinct > ctx.number("max_distinct"):
                continue
            message = (
                f"index {a.name} on {t.schema_}.{t.name} ({column}): about {distinct:.0f}"
                f" distinct values in about {stats.rows:.0f} rows (statistics)" + _scans(ctx, t, a)
            )
            fix = drop(a.target)
            if column_stats.common_values:
                rare = min(
                    zip(column_stats.common_freqs, column_stats.common_values, strict=False)
                )[1]
                name = quote_ident(f"{a.name}_partial")
                fix += (
                    f" Or, for queries that look for a rare value: CREATE INDEX {name} ON"
                    f" {rel(t)} ({quote_ident(column)}) WHERE {quote_ident(column)} ="
                    f" {quote_literal(rare)};"
                )
            yield Hit(a.target, message, fix)


@rule(
    code="DBA406",
    name="index-on-tiny-table",
    severity=Severity.info,
    summary="A small table has secondary indexes it does not need (statistics).",
    rationale="""
        A table of a few hundred rows fits in a few pages: a sequential scan reads it as
        fast as an index lookup, so the index only costs writes and space (seed 002: do
        not index small tables unnecessarily). Primary keys, unique indexes and indexes
        that serve foreign keys are left alone. Read from the live database's
        statistics.
    """,
    fix="Drop the index (re-create it if the table grows).",
    bad="""
CREATE TABLE currencies (code text PRIMARY KEY, name text NOT NULL);
CREATE INDEX idx_currencies_name ON currencies (name);
INSERT INTO currencies SELECT 'C' || i, 'currency ' || i FROM generate_series(1, 40) i;
ANALYZE currencies;
""",
    good="""
CREATE TABLE currencies (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO currencies SELECT 'C' || i, 'currency ' || i FROM generate_series(1, 40) i;
ANALYZE currencies;
""",
    params=(Param("max_rows", 1000, "Most rows of a table considered tiny."),),
    statistics=True,
)
def index_on_tiny_table(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        stats = ctx.table_stats(t)
        if stats is None or stats.rows is None or stats.rows > ctx.number("max_rows"):
            continue
        for a in ctx.facts.access(t):
            if a.unique or _serves(a, t.foreign_keys):
                continue
            message = (
                f"index {a.name} on {t.schema_}.{t.name}, a table of about {stats.rows:.0f}"
                " rows (statistics)" + _scans(ctx, t, a)
            )
            yield Hit(a.target, message, drop(a.target))
