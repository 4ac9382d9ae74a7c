"""What a rule sees: the Schema, lookups over it, its parameters and, on a live
database, statistics."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from dbarch.checks.findings import Target
from dbarch.checks.registry import ParamValue
from dbarch.checks.typenames import TypeInfo, resolve_type
from dbarch.model.objects import (
    Column,
    ForeignKey,
    Index,
    IndexKey,
    MaterializedView,
    Schema,
    Table,
)
from dbarch.pg.quote import quote_ident
from dbarch.pg.stats import Statistics, TableStats


@dataclass(frozen=True)
class KeyAccess:
    """An index, or the index behind a primary key or unique constraint.

    ``keys`` describe each key fully (column or expression, opclass, collation, order);
    ``columns`` are the plain column of each key (``None`` for an expression).
    """

    name: str
    method: str
    keys: tuple[str, ...]
    columns: tuple[str | None, ...]
    include: tuple[str, ...]
    where: str | None
    unique: bool
    constraint: bool
    target: Target


def key_text(key: IndexKey) -> str:
    """One index key as SQL: ``email``, ``(lower(email)) text_pattern_ops DESC``..."""
    if isinstance(key, str):
        return quote_ident(key)
    parts = [quote_ident(key.column) if key.column is not None else f"({key.expression})"]
    if key.collation:
        parts.append(f"COLLATE {_dotted(key.collation)}")
    if key.opclass:
        parts.append(_dotted(key.opclass))
    if key.descending:
        parts.append("DESC")
    if key.nulls_first is not None:
        parts.append("NULLS FIRST" if key.nulls_first else "NULLS LAST")
    return " ".join(parts)


def _dotted(name: str) -> str:
    """A possibly schema-qualified name (``schema.name``, raw parts) as SQL."""
    return ".".join(quote_ident(part) for part in name.split("."))


def key_column(key: IndexKey) -> str | None:
    """The column an index key is, or ``None`` for an expression."""
    return key if isinstance(key, str) else key.column


class SchemaFacts:
    """Lookups over one Schema, computed once and shared by every rule."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._tables = {(t.schema_, t.name): t for t in schema.tables}
        self._types: dict[str, TypeInfo | None] = {}
        self._access: dict[tuple[str, str, str], list[KeyAccess]] = {}

    def table(self, schema: str, name: str) -> Table | None:
        """The table ``schema.name``, or ``None``."""
        return self._tables.get((schema, name))

    @staticmethod
    def column(table: Table, name: str) -> Column | None:
        """The column ``name`` of ``table``, or ``None``."""
        return next((c for c in table.columns if c.name == name), None)

    def type_of(self, column: Column) -> TypeInfo | None:
        """The column's type in canonical form, domains resolved."""
        if column.type not in self._types:
            self._types[column.type] = resolve_type(self.schema, column.type)
        return self._types[column.type]

    @cached_property
    def _incoming(self) -> dict[tuple[str, str], list[tuple[Table, ForeignKey]]]:
        found: dict[tuple[str, str], list[tuple[Table, ForeignKey]]] = {}
        for t in self.schema.tables:
            for fk in t.foreign_keys:
                key = (fk.references.schema_, fk.references.table)
                found.setdefault(key, []).append((t, fk))
        return found

    def referencing(self, table: Table) -> list[tuple[Table, ForeignKey]]:
        """The foreign keys (with their tables) that reference ``table``."""
        return self._incoming.get((table.schema_, table.name), [])

    def access(self, owner: Table | MaterializedView) -> list[KeyAccess]:
        """The indexes of ``owner``, those behind its primary key and unique constraints
        included."""
        key = (type(owner).__name__, owner.schema_, owner.name)
        if key not in self._access:
            self._access[key] = self._read_access(owner)
        return self._access[key]

    def _read_access(self, owner: Table | MaterializedView) -> list[KeyAccess]:
        found: list[KeyAccess] = []
        if isinstance(owner, Table):
            keys = [owner.primary_key] if owner.primary_key else []
            for c in (*keys, *owner.unique):
                found.append(
                    KeyAccess(
                        name=c.name or "",
                        method="btree",
                        keys=tuple(key_text(k) for k in c.columns),
                        columns=c.columns,
                        include=c.include,
                        where=None,
                        unique=True,
                        constraint=True,
                        target=Target.constraint(owner, c),
                    )
                )
        found += [_index_access(owner, i) for i in owner.indexes]
        return found

    def unique_keys(self, table: Table) -> list[tuple[str, ...]]:
        """Column lists whose values are unique in ``table``: the primary key, unique
        constraints and unique indexes without a predicate or expression."""
        return [
            tuple(c for c in a.columns if c is not None)
            for a in self.access(table)
            if a.unique and a.where is None and None not in a.columns
        ]


def _index_access(owner: Table | MaterializedView, index: Index) -> KeyAccess:
    return KeyAccess(
        name=index.name or "",
        method=index.using,
        keys=tuple(key_text(k) for k in index.columns),
        columns=tuple(key_column(k) for k in index.columns),
        include=index.include,
        where=index.where,
        unique=index.unique,
        constraint=False,
        target=Target.index(owner, index),
    )


@dataclass(frozen=True)
class RuleContext:
    """Everything one rule's check function gets."""

    schema: Schema
    facts: SchemaFacts
    params: Mapping[str, ParamValue]
    stats: Statistics | None = None

    def number(self, name: str) -> int:
        """The integer parameter ``name``."""
        value = self.params[name]
        assert isinstance(value, int)
        return value

    def text(self, name: str) -> str:
        """The string parameter ``name``."""
        value = self.params[name]
        assert isinstance(value, str)
        return value

    def words(self, name: str) -> tuple[str, ...]:
        """The list-of-strings parameter ``name``."""
        value = self.params[name]
        assert isinstance(value, tuple)
        return value

    def table_stats(self, table: Table) -> TableStats | None:
        """Statistics of ``table`` on a live database (``None`` offline or unknown)."""
        if self.stats is None:
            return None
        return self.stats.table(table.schema_, table.name)


def all_targets(schema: Schema) -> Iterator[Target]:
    """Every object of ``schema`` a finding can be about, parents before their parts."""
    for s in schema.schemas:
        yield Target.namespace(s)
    for t in schema.tables:
        yield Target.relation(t)
        for c in t.columns if t.partition_of is None else ():  # a partition's are its parent's
            yield Target.column(t, c)
        keys = (t.primary_key,) if t.primary_key else ()
        for k in (*keys, *t.unique, *t.checks, *t.foreign_keys, *t.exclusions):
            yield Target.constraint(t, k)
        for i in t.indexes:
            yield Target.index(t, i)
        for trg in t.triggers:
            yield Target.trigger(t, trg)
        for p in t.policies:
            yield Target.policy(t, p)
    for v in schema.views:
        yield Target.relation(v)
        for trg in v.triggers:
            yield Target.trigger(v, trg)
    for m in schema.materialized_views:
        yield Target.relation(m)
        for i in m.indexes:
            yield Target.index(m, i)
    for f in schema.functions:
        yield Target.function(f)
    for q in schema.sequences:
        yield Target.sequence(q)
    for u in (*schema.enums, *schema.domains, *schema.composite_types):
        yield Target.user_type(u)
