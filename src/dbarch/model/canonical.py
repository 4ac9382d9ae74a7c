"""Canonical order of a Schema: what makes two equal schemas compare and dump equal.

Order that PostgreSQL gives meaning to is kept (columns, enum labels, key columns,
grant order, trigger events as written); every named collection is sorted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from dbarch.model.objects import MaterializedView, Node, Schema, Table, View

T = TypeVar("T", bound=Node)


def updated(node: T, changes: Mapping[str, object]) -> T:
    """``node`` with the fields ``changes`` names set (not validated again); ``node``
    itself when they are all equal already."""
    for field, value in changes.items():
        if getattr(node, field) != value:
            return node.model_copy(update=changes)
    return node


def _by(items: Sequence[T], *fields: str) -> tuple[T, ...]:
    if len(items) < 2:
        return tuple(items)

    def key(item: T) -> tuple[str, ...]:
        return tuple(str(getattr(item, f) or "") for f in fields)

    return tuple(sorted(items, key=key))


def _table(t: Table) -> Table:
    return updated(
        t,
        {
            "unique": _by(t.unique, "name"),
            "checks": _by(t.checks, "name"),
            "foreign_keys": _by(t.foreign_keys, "name"),
            "exclusions": _by(t.exclusions, "name"),
            "indexes": _by(t.indexes, "name"),
            "policies": _by(t.policies, "name"),
            "triggers": _by(t.triggers, "name"),
        },
    )


def _view(v: View) -> View:
    return updated(v, {"triggers": _by(v.triggers, "name")})


def _matview(m: MaterializedView) -> MaterializedView:
    return updated(m, {"indexes": _by(m.indexes, "name")})


def canonical(schema: Schema) -> Schema:
    """``schema`` with every collection in canonical order."""
    return schema.model_copy(
        update={
            "roles": _by(schema.roles, "name"),
            "schemas": _by(schema.schemas, "name"),
            "extensions": _by(schema.extensions, "name"),
            "enums": _by(schema.enums, "schema_", "name"),
            "domains": _by(schema.domains, "schema_", "name"),
            "composite_types": _by(schema.composite_types, "schema_", "name"),
            "sequences": _by(schema.sequences, "schema_", "name"),
            "tables": tuple(_table(t) for t in _by(schema.tables, "schema_", "name")),
            "views": tuple(_view(v) for v in _by(schema.views, "schema_", "name")),
            "materialized_views": tuple(
                _matview(m) for m in _by(schema.materialized_views, "schema_", "name")
            ),
            "functions": _by(schema.functions, "schema_", "name", "arguments"),
            "aggregates": _by(schema.aggregates, "schema_", "name", "arguments"),
        }
    )
