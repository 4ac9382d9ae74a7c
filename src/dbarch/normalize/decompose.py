"""From finding to fix: a proposed decomposition as a model change and a migration.

The part that keeps a candidate key (preferably the primary key) stays in the original
table; every other part becomes a new table, filled with ``INSERT ... SELECT DISTINCT``
from the original, keyed by its key (a primary key, or ``UNIQUE NULLS NOT DISTINCT`` when
a key column may be NULL) and referenced by foreign keys. A part whose key is empty (it holds
constant columns) becomes a one-row table, kept to one row by a unique index on ``(true)``;
nothing can reference it and the join with it is a cross join. A contract step then drops
the moved columns from the original table. When the original rows hold duplicates, the
table that stays keeps them and gets no new key (no key could hold).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from dbarch.ddl.render import (
    add_foreign_key,
    add_primary_key,
    add_unique,
    create_index,
    create_table,
)
from dbarch.model.dump import dump_model
from dbarch.model.objects import (
    Column,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Reference,
    Schema,
    Table,
    UniqueConstraint,
)
from dbarch.normalize.relation import Part, Proposal, Relation
from dbarch.pg.quote import qualified, quote_ident

MAX_NAME_BYTES = 63


@dataclass(frozen=True)
class DecompositionPlan:
    """The original table, what it becomes (``main``) and the tables split off from it."""

    original: Table
    main: Table
    new_tables: tuple[Table, ...]
    moved: tuple[str, ...]

    @property
    def tables(self) -> tuple[Table, ...]:
        """The main table first, then the new ones: together they hold the original."""
        return (self.main, *self.new_tables)


def _name(base: str, key: Sequence[str], taken: set[str]) -> str:
    stem = "_".join([base, *key])
    candidate, n = stem, 1
    while candidate in taken or len(candidate.encode()) > MAX_NAME_BYTES:
        n += 1
        suffix = f"_{n}"
        room = MAX_NAME_BYTES - len(suffix.encode())
        candidate = stem.encode()[:room].decode(errors="ignore") + suffix
    taken.add(candidate)
    return candidate


ONE_ROW = Index(columns=(IndexElement(expression="true"),), unique=True)
"""The index that keeps a table to at most one row: the key of a part with an empty key."""


def _key_constraint(key: tuple[str, ...], columns: dict[str, Column]) -> dict[str, object]:
    """A primary key when no key column may be NULL, else ``UNIQUE NULLS NOT DISTINCT``; the
    one-row index for the empty key."""
    if not key:
        return {"indexes": (ONE_ROW,)}
    if all(not columns[c].nullable for c in key):
        return {"primary_key": PrimaryKey(columns=key)}
    return {"unique": (UniqueConstraint(columns=key, nulls_not_distinct=True),)}


def _mentions(expression: str, names: Iterable[str]) -> bool:
    """``expression`` (SQL) refers to one of ``names`` as an identifier."""
    return any(
        re.search(rf'(?<![\w"$]){re.escape(n)}(?![\w"$])', expression) or f'"{n}"' in expression
        for n in names
    )


def _keeps(index: Index, kept: set[str], moved: Sequence[str]) -> bool:
    for key in index.columns:
        element = IndexElement(column=key) if isinstance(key, str) else key
        if element.column is not None and element.column not in kept:
            return False
        if element.expression is not None and _mentions(element.expression, moved):
            return False
    return not (index.where and _mentions(index.where, moved))


def _main_part(table: Table, relation: Relation, parts: Sequence[Part]) -> Part:
    """The part that stays in the original table: one holding a candidate key,
    preferably the one holding the primary key."""
    keys = [set(k) for k in relation.candidate_keys()]
    holding = [p for p in parts if any(k <= set(p.columns) for k in keys)]
    if table.primary_key is not None:
        for part in holding:
            if set(table.primary_key.columns) <= set(part.columns):
                return part
    return holding[0]


def _reduced_main(table: Table, part: Part, moved: Sequence[str], keyed: bool) -> Table:
    kept = set(part.columns)
    update: dict[str, object] = {
        "columns": tuple(c for c in table.columns if c.name in kept),
        "unique": tuple(u for u in table.unique if set(u.columns) <= kept),
        "foreign_keys": tuple(f for f in table.foreign_keys if set(f.columns) <= kept),
        "indexes": tuple(i for i in table.indexes if _keeps(i, kept, moved)),
        "checks": tuple(c for c in table.checks if not _mentions(c.check, moved)),
        "exclusions": tuple(
            e
            for e in table.exclusions
            if all(el.column in kept or el.column is None for el in e.elements)
        ),
        "functional_dependencies": (),
    }
    if table.primary_key is None or not set(table.primary_key.columns) <= kept:
        key = _key_constraint(part.key, {c.name: c for c in table.columns}) if keyed else {}
        update["primary_key"] = key.get("primary_key")
        update["unique"] = (*update["unique"], *key.get("unique", ()))  # type: ignore[misc]
        update["indexes"] = (*update["indexes"], *key.get("indexes", ()))  # type: ignore[misc]
    return table.model_copy(update=update)


def _prefer_not_null(part: Part, columns: dict[str, Column]) -> Part:
    """``part`` keyed by its first key without nullable columns, if it has one."""
    keys = sorted(part.keys, key=lambda k: any(columns[c].nullable for c in k))
    return Part(part.columns, keys[0], tuple(keys[1:]))


def plan_decomposition(
    table: Table, relation: Relation, proposal: Proposal, *, distinct_rows: bool = True
) -> DecompositionPlan:
    """The model change that splits ``table`` (whose columns ``relation`` describes) into
    the parts of ``proposal``; without ``distinct_rows`` (the rows hold duplicates) the
    table that stays gets no new key."""
    columns = {c.name: c for c in table.columns}
    main_part = _main_part(table, relation, proposal.parts)
    others = [_prefer_not_null(p, columns) for p in proposal.parts if p is not main_part]
    moved = tuple(c.name for c in table.columns if c.name not in main_part.columns)
    taken = {table.name}
    new_tables: list[Table] = []
    for part in others:
        new_columns = tuple(
            Column(
                name=c,
                type=columns[c].type,
                nullable=columns[c].nullable,
                collation=columns[c].collation,
            )
            for c in part.columns
        )
        # a foreign key of the original whose columns all moved here moves along (unnamed:
        # the original's constraint keeps its name until the contract step drops it)
        carried = tuple(
            fk.model_copy(update={"name": None})
            for fk in table.foreign_keys
            if set(fk.columns) <= set(part.columns)
            and not set(fk.columns) <= set(main_part.columns)
        )
        new_tables.append(
            Table(
                name=_name(table.name, part.key or part.columns, taken),
                schema=table.schema_,
                columns=new_columns,
                foreign_keys=carried,
                **_key_constraint(part.key, columns),  # type: ignore[arg-type]
            )
        )
    main = _reduced_main(table, main_part, moved, distinct_rows)
    parts = [main_part, *others]
    tables = [main, *new_tables]
    fks: list[list[ForeignKey]] = [list(t.foreign_keys) for t in tables]
    for j in range(1, len(parts)):
        for i, part in enumerate(parts):
            key = next(
                (k for k in parts[j].keys if i != j and k and set(k) <= set(part.columns)), None
            )
            if key is None:
                continue
            target = tables[j]
            if key != parts[j].key:
                alternate = UniqueConstraint(columns=key, nulls_not_distinct=True)
                tables[j] = target = target.model_copy(
                    update={"unique": (*target.unique, alternate)}
                )
            reference = Reference(table=target.name, schema=target.schema_, columns=key)
            fks[i].append(ForeignKey(columns=key, references=reference))
    linked = [
        t.model_copy(update={"foreign_keys": tuple(f)}) for t, f in zip(tables, fks, strict=True)
    ]
    return DecompositionPlan(table, linked[0], tuple(linked[1:]), moved)


def table_key(table: Table) -> tuple[str, ...] | None:
    """The key a plan gave ``table``: its primary key, its last unique constraint, ``()``
    for a one-row table, ``None`` for a table without one (duplicate rows)."""
    if table.primary_key is not None:
        return table.primary_key.columns
    if table.unique:
        return table.unique[-1].columns
    return () if ONE_ROW in table.indexes else None


def apply_plan(schema: Schema, plan: DecompositionPlan) -> Schema:
    """``schema`` with the original table replaced by the plan's tables (the model change)."""
    tables: list[Table] = []
    for table in schema.tables:
        if (table.schema_, table.name) == (plan.original.schema_, plan.original.name):
            tables.extend(plan.tables)
        else:
            tables.append(table)
    return schema.model_copy(update={"tables": tuple(tables)})


def model_change(plan: DecompositionPlan, fmt: Literal["yaml", "json"]) -> str:
    """The model change as a model file: the tables that replace the original one (the
    original's name stays with the table that keeps its key); :func:`apply_plan` makes
    the same change to a whole Schema."""
    return dump_model(Schema(tables=plan.tables), fmt)


def _key_statements(table: Table) -> list[str]:
    out = [add_unique(table, u, only=False) for u in table.unique]
    if table.primary_key is not None:
        out.insert(0, add_primary_key(table, table.primary_key, only=False))
    out.extend(create_index(table.schema_, table.name, i, only=False) for i in table.indexes)
    return out


def migration_sql(plan: DecompositionPlan) -> str:
    """The migration: expand (new tables, data, keys, foreign keys), then contract (drop
    the moved columns from the original table)."""
    source = qualified(plan.original.schema_, plan.original.name)
    out = [f"-- expand: split {plan.original.schema_}.{plan.original.name}"]
    for t in plan.new_tables:
        names = ", ".join(quote_ident(c.name) for c in t.columns)
        out.append(create_table(t, t.columns, [], []))
        out.append(
            f"INSERT INTO {qualified(t.schema_, t.name)} ({names})\n"
            f"SELECT DISTINCT {names} FROM {source};"
        )
        out.extend(_key_statements(t))
    original_fks = set(plan.original.foreign_keys)
    for t in plan.tables:
        for fk in t.foreign_keys:
            if t is not plan.main or fk not in original_fks:
                out.append(add_foreign_key(t, fk, only=False))
    if plan.moved:
        out.append(
            f"-- contract: the moved columns leave {plan.original.schema_}.{plan.original.name}"
        )
        drops = ", ".join(f"DROP COLUMN {quote_ident(c)}" for c in plan.moved)
        out.append(f"ALTER TABLE {source} {drops};")
    if plan.main.primary_key is not None and plan.main.primary_key != plan.original.primary_key:
        out.append(add_primary_key(plan.main, plan.main.primary_key, only=False))
    for unique in plan.main.unique:
        if unique not in plan.original.unique:
            out.append(add_unique(plan.main, unique, only=False))
    for index in plan.main.indexes:
        if index not in plan.original.indexes:
            out.append(create_index(plan.main.schema_, plan.main.name, index, only=False))
    return "\n\n".join(out) + "\n"
