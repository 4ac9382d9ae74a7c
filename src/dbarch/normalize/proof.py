"""Proof on the real rows: run a decomposition's migration on a scratch copy of the table
and check that the natural join of the parts gives back exactly the original rows.

Rows are compared as bags (``EXCEPT ALL`` both ways) of their text values, and the join
matches values as text with NULL matching NULL, the way the dependencies were found. The
join condition is written with plain equalities (a NULL flag and the text with NULL made
empty) so that PostgreSQL can hash it: ``IS NOT DISTINCT FROM`` would force nested loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from dbarch.ddl.render import add_primary_key, add_unique, create_table
from dbarch.model.objects import Column, Table
from dbarch.normalize.decompose import DecompositionPlan, migration_sql, table_key
from dbarch.pg.connect import connect
from dbarch.pg.quote import qualified, quote_ident


@dataclass(frozen=True)
class LosslessProof:
    """Rows before and after, and the rows only one side has (``error``: the migration
    itself failed, with PostgreSQL's message)."""

    original_rows: int
    joined_rows: int
    missing: int
    extra: int
    typed: bool = True
    error: str | None = None

    @property
    def holds(self) -> bool:
        """The join of the parts is exactly the original bag of rows."""
        return self.error is None and self.missing == 0 and self.extra == 0


def _columns(names: Sequence[str], alias: dict[str, str]) -> str:
    return ", ".join(f"{alias[c]}.{quote_ident(c)}::text AS c{i}" for i, c in enumerate(names))


def _same(a: str, b: str) -> str:
    """``a`` and ``b`` are equal as text, or both NULL (a hashable condition)."""
    return (
        f"({a} IS NULL) = ({b} IS NULL) AND "
        f"coalesce({a}::text, '') COLLATE \"C\" = coalesce({b}::text, '') COLLATE \"C\""
    )


def _next_table(pending: list[tuple[int, Table]], joined: set[str]) -> int:
    """Which pending table to join next: one whose key is among the joined columns (each
    row then finds at most one partner, so the join never grows), else one sharing a
    column, else the first."""
    for k, (_, table) in enumerate(pending):
        key = table_key(table)
        if key is not None and set(key) <= joined:
            return k
    for k, (_, table) in enumerate(pending):
        if any(c.name in joined for c in table.columns):
            return k
    return 0


def natural_join(tables: Sequence[Table], columns: Sequence[str]) -> str:
    """``SELECT`` of ``columns`` (as text) from the natural join of ``tables``, joined in
    order of keys (see :func:`_next_table`) with NULL matching NULL."""
    first, *rest = tables
    alias = {c.name: "t0" for c in first.columns}
    sql = f"FROM {qualified(first.schema_, first.name)} AS t0"
    pending = list(enumerate(rest, start=1))
    while pending:
        i, table = pending.pop(_next_table(pending, set(alias)))
        shared = [c.name for c in table.columns if c.name in alias]
        on = " AND ".join(
            _same(f"t{i}.{quote_ident(c)}", f"{alias[c]}.{quote_ident(c)}") for c in shared
        )
        sql += f" JOIN {qualified(table.schema_, table.name)} AS t{i} ON {on or 'TRUE'}"
        for c in table.columns:
            alias.setdefault(c.name, f"t{i}")
    return f"SELECT {_columns(columns, alias)} {sql}"


def _count(conn: psycopg.Connection[Any], sql: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM ({sql}) AS x").fetchone()
    assert row is not None
    return int(row[0])


def prove_lossless(dsn: str, plan: DecompositionPlan) -> LosslessProof:
    """Apply ``plan``'s migration to the table in database ``dsn`` (a scratch copy holding
    the real rows) in a transaction that is rolled back, and compare the natural join of
    the parts with the original rows."""
    original = plan.original
    names = [c.name for c in original.columns]
    snapshot = "pg_temp.dbarch_original"
    alias = {c: "o" for c in names}
    with connect(dsn) as conn, conn.transaction(force_rollback=True):
        conn.execute(
            f"CREATE TEMP TABLE dbarch_original AS SELECT {_columns(names, alias)} "
            f"FROM {qualified(original.schema_, original.name)} AS o"
        )
        before = _count(conn, f"SELECT * FROM {snapshot}")
        try:
            with conn.transaction():
                conn.execute(migration_sql(plan))
        except psycopg.Error as exc:
            return LosslessProof(before, 0, before, 0, error=str(exc).strip().splitlines()[0])
        # the join order chosen above is the cheap one: the planner must keep it (with
        # dozens of parts it would otherwise search, or guess, a join order)
        conn.execute("SET LOCAL join_collapse_limit = 1")
        joined = natural_join(plan.tables, names)
        return LosslessProof(
            original_rows=before,
            joined_rows=_count(conn, joined),
            missing=_count(conn, f"SELECT * FROM {snapshot} EXCEPT ALL {joined}"),
            extra=_count(conn, f"{joined} EXCEPT ALL SELECT * FROM {snapshot}"),
        )


def _text_columns(table: Table) -> Table:
    columns = tuple(c.model_copy(update={"type": "text", "collation": None}) for c in table.columns)
    return table.model_copy(update={"columns": columns})


def as_text(plan: DecompositionPlan) -> DecompositionPlan:
    """``plan`` with every column of type text: for a copy made with text columns."""
    return DecompositionPlan(
        _text_columns(plan.original),
        _text_columns(plan.main),
        tuple(_text_columns(t) for t in plan.new_tables),
        plan.moved,
    )


def self_contained(plan: DecompositionPlan) -> DecompositionPlan:
    """``plan`` without the foreign keys that point at tables outside it: for a scratch copy
    that holds only the original table's rows."""
    inside = {(t.schema_, t.name) for t in plan.tables}

    def local(table: Table) -> Table:
        fks = tuple(
            fk
            for fk in table.foreign_keys
            if (fk.references.schema_, fk.references.table) in inside
        )
        return table.model_copy(update={"foreign_keys": fks})

    return DecompositionPlan(
        local(plan.original), local(plan.main), tuple(map(local, plan.new_tables)), plan.moved
    )


def _bare(table: Table, as_text: bool) -> Table:
    """``table`` with only its columns (types, or text) and keys: enough to hold its rows."""
    columns = tuple(
        Column(
            name=c.name,
            type="text" if as_text else c.type,
            nullable=c.nullable,
            collation=None if as_text else c.collation,
        )
        for c in table.columns
    )
    return Table(
        name=table.name,
        schema=table.schema_,
        columns=columns,
        primary_key=table.primary_key,
        unique=table.unique,
    )


def _create(conn: psycopg.Connection[Any], table: Table) -> None:
    statements = [create_table(table, table.columns, [], [])]
    if table.primary_key is not None:
        statements.append(add_primary_key(table, table.primary_key, only=False))
    statements.extend(add_unique(table, u, only=False) for u in table.unique)
    with conn.transaction():
        conn.execute("\n".join(statements))


def create_copy(conn: psycopg.Connection[Any], table: Table) -> bool:
    """Create an empty copy of ``table`` with its column types, or with text columns when
    the scratch database lacks a type; True when the types were kept."""
    if table.schema_ != "public":
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(table.schema_)}")
    try:
        _create(conn, _bare(table, as_text=False))
    except psycopg.Error:
        _create(conn, _bare(table, as_text=True))
        return False
    return True


def copy_rows(source_dsn: str, table: Table, target_dsn: str) -> bool:
    """Copy ``table`` with all its rows from ``source_dsn`` into ``target_dsn`` (COPY in
    text form); True when the column types were kept."""
    names = ", ".join(quote_ident(c.name) for c in table.columns)
    name = qualified(table.schema_, table.name)
    with connect(source_dsn) as source, connect(target_dsn) as target:
        typed = create_copy(target, table)
        with (
            source.cursor() as out_cur,
            target.cursor() as in_cur,
            out_cur.copy(f"COPY (SELECT {names} FROM {name}) TO STDOUT") as out,
            in_cur.copy(f"COPY {name} ({names}) FROM STDIN") as into,
        ):
            for block in out:
                into.write(block)
    return typed


def load_rows(target_dsn: str, table: Table, rows: Iterable[Sequence[str | None]]) -> None:
    """Create ``table`` in ``target_dsn`` and fill it with ``rows`` (text values)."""
    names = ", ".join(quote_ident(c.name) for c in table.columns)
    with connect(target_dsn) as target:
        create_copy(target, table)
        with (
            target.cursor() as cur,
            cur.copy(f"COPY {qualified(table.schema_, table.name)} ({names}) FROM STDIN") as into,
        ):
            for row in rows:
                into.write_row(row)
