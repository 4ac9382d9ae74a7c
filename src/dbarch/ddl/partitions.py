"""What partitions and inheritance children take from their parents.

A partition is created like pg_dump creates it: as a table of its own with all of its
columns, then attached. An index or key of a partitioned table is created ``ON ONLY``
the parent when every partition has its own matching one, which is then attached;
otherwise it is created on the whole tree and PostgreSQL creates (or adopts) the
partitions' indexes itself.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from dbarch.ddl.lookup import Catalog, Key
from dbarch.ddl.render import as_element
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    ExclusionConstraint,
    Index,
    PrimaryKey,
    Table,
    UniqueConstraint,
)


@dataclass(frozen=True)
class IndexItem:
    """A primary key, unique or exclusion constraint, or an index, of one table.

    ``key`` is the key of the step that creates it; ``signature`` what makes two items
    equivalent (PostgreSQL attaches only equivalent indexes).
    """

    key: Key
    schema: str
    name: str | None
    signature: Hashable
    obj: PrimaryKey | UniqueConstraint | ExclusionConstraint | Index


def item_key(table: Table, kind: str, name: str | None, position: int) -> Key:
    """Step key of an index item (``kind``: primary_key, unique, exclusion, index)."""
    return (kind, table.schema_, table.name, name if name is not None else f"#{position}")


def index_items(table: Table) -> list[IndexItem]:
    """The index-backed objects of ``table``."""
    items = []

    def add(
        kind: str,
        obj: PrimaryKey | UniqueConstraint | ExclusionConstraint | Index,
        position: int,
        signature: Hashable,
    ) -> None:
        key = item_key(table, kind, obj.name, position)
        items.append(IndexItem(key, table.schema_, obj.name, (kind, signature), obj))

    if table.primary_key is not None:
        key = table.primary_key
        add("primary_key", key, 0, (key.columns, key.include))
    for i, unique in enumerate(table.unique):
        add("unique", unique, i, (unique.columns, unique.include, unique.nulls_not_distinct))
    for i, exclusion in enumerate(table.exclusions):
        signature = (exclusion.using, exclusion.elements, exclusion.include, exclusion.where)
        add("exclusion", exclusion, i, signature)
    for i, index in enumerate(table.indexes):
        elements = tuple(as_element(k) for k in index.columns)
        signature = (
            index.using,
            index.unique,
            elements,
            index.include,
            index.nulls_not_distinct,
            index.where,
        )
        add("index", index, i, signature)
    return items


@dataclass(frozen=True)
class IndexPlan:
    """How each index item of a partitioned table is built.

    ``attach`` maps an item created ``ON ONLY`` its table to the partitions' items to
    attach to it; ``adopt`` maps an item created on the whole tree to the partitions'
    items that must exist before it so that PostgreSQL adopts them.
    """

    attach: dict[Key, list[IndexItem]]
    adopt: dict[Key, list[IndexItem]]


def plan_indexes(catalog: Catalog) -> IndexPlan:
    """Match every partitioned table's index items with its partitions' items."""
    attach: dict[Key, list[IndexItem]] = {}
    adopt: dict[Key, list[IndexItem]] = {}
    for table in catalog.schema.tables:
        partitions = catalog.partitions(table)
        if not partitions:
            continue
        free = {id(p): index_items(p) for p in partitions}
        for item in index_items(table):
            matches = []
            for partition in partitions:
                match = _take_match(item, free[id(partition)])
                if match is not None:
                    matches.append(match)
            if item.name is not None and len(matches) == len(partitions):
                attach[item.key] = matches
            else:
                adopt[item.key] = matches
    return IndexPlan(attach, adopt)


def _take_match(item: IndexItem, candidates: list[IndexItem]) -> IndexItem | None:
    for candidate in candidates:
        if candidate.name is not None and candidate.signature == item.signature:
            candidates.remove(candidate)
            return candidate
    return None


def not_null_columns(table: Table) -> frozenset[str]:
    """Columns that are NOT NULL in the catalog: declared so, or in the primary key."""
    declared = {c.name for c in table.columns if not c.nullable}
    key = set(table.primary_key.columns) if table.primary_key is not None else set()
    return frozenset(declared | key)


def table_columns(table: Table, catalog: Catalog) -> tuple[Column, ...]:
    """All columns of ``table``; a partition written without columns has its parent's
    (without identity, comments or the parent's primary-key nullability lost)."""
    if table.columns or table.partition_of is None:
        return table.columns
    parent = catalog.parents(table)[0]
    not_null = not_null_columns(parent)
    return tuple(
        c.model_copy(update={"identity": None, "comment": None, "nullable": c.name not in not_null})
        for c in table_columns(parent, catalog)
    )


def inheritable_checks(table: Table, catalog: Catalog) -> list[CheckConstraint]:
    """Checks of ``table`` that its children get: its own and its parents', by name."""
    found: dict[str, CheckConstraint] = {}
    for parent in catalog.parents(table):
        for check in inheritable_checks(parent, catalog):
            found.setdefault(check.name or "", check)
    for check in table.checks:
        if not check.no_inherit and check.name is not None:
            found.setdefault(check.name, check)
    return list(found.values())
