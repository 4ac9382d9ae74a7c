"""Names for the temporary objects of a recipe (a column being built, a proving check)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dbarch.migrate.plan.planner import Planner

NAME_BYTES = 63


def _fit(base: str, suffix: str) -> str:
    room = NAME_BYTES - len(suffix.encode())
    raw = base.encode()[:room].decode(errors="ignore")
    return raw + suffix


def temp_name(base: str, suffix: str, taken: Collection[str] = ()) -> str:
    """``base`` + ``suffix`` within PostgreSQL's 63 bytes, numbered when ``taken`` has it."""
    name = _fit(base, suffix)
    n = 1
    while name in taken:
        n += 1
        name = _fit(base, f"{suffix}_{n}")
    return name


def relation_names(p: Planner, schema: str) -> set[str]:
    """Names of relations, indexes and constraints in ``schema`` before and after."""
    names: set[str] = set()
    for graph in (p.source, p.target):
        for table in (*graph.schema.tables, *graph.schema.materialized_views):
            if table.schema_ != schema:
                continue
            names.add(table.name)
            names |= {i.name for i in table.indexes if i.name}
        for table in graph.schema.tables:
            if table.schema_ == schema:
                keys = (table.primary_key, *table.unique, *table.exclusions)
                names |= {k.name for k in keys if k is not None and k.name}
        for relation in (*graph.schema.views, *graph.schema.sequences):
            if relation.schema_ == schema:
                names.add(relation.name)
    return names
