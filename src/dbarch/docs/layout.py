"""Which diagrams to draw so that each stays readable, even at thousands of tables.

* one diagram per schema, or per configured group of tables (``groups`` maps a group name
  to ``fnmatch`` patterns over ``schema.table``; the first group that matches wins);
* a group larger than :data:`MAX_TABLES` is cut along its foreign-key components into
  parts of at most that many tables;
* one diagram of everything when that is small enough and there is more than one group;
* a neighbourhood diagram per table: the table and the tables one foreign key away;
* the whole schema in one picture (seed 002's ``erd.png``): every table when they are
  few enough to read, else a :class:`SchemaMap` of the diagrams and the foreign keys
  between them.

Partitions are left out of the overview diagrams: they repeat their parent's structure.
Tables of other diagrams that a diagram's tables reference (or are referenced by) appear
as *context*: their name and key columns only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

from dbarch.docs.catalog import Catalog, Link, TableKey, display_name, slug
from dbarch.model.objects import Column, Table

MAX_TABLES = 50

DiagramKind = Literal["all", "schema", "group", "table"]


@dataclass(frozen=True)
class Diagram:
    """One diagram: ``tables`` drawn in full, ``context`` tables by name and keys."""

    slug: str
    title: str
    kind: DiagramKind
    tables: tuple[TableKey, ...]
    context: tuple[TableKey, ...]
    links: tuple[Link, ...]


def shown_columns(catalog: Catalog, diagram: Diagram, key: TableKey) -> tuple[Column, ...]:
    """The columns a diagram draws of table ``key``: all of them for its own tables; the
    primary key and the columns its links use for a context table."""
    table = catalog.by_key[key]
    if key not in diagram.context:
        return table.columns
    used = set(table.primary_key.columns) if table.primary_key else set()
    for link in diagram.links:
        if link.source == key:
            used.update(link.fk.columns)
        if link.target == key:
            used.update(link.fk.references.columns)
    return tuple(c for c in table.columns if c.name in used)


def key_marks(table: Table) -> dict[str, tuple[str, ...]]:
    """``PK``, ``FK`` and ``UK`` marks of each column of ``table`` that has some."""
    marks: dict[str, list[str]] = {}
    keys = [("PK", table.primary_key.columns if table.primary_key else ())]
    keys += [("FK", fk.columns) for fk in table.foreign_keys]
    keys += [("UK", unique.columns) for unique in table.unique]
    for mark, columns in keys:
        for column in columns:
            if mark not in marks.setdefault(column, []):
                marks[column].append(mark)
    return {column: tuple(m) for column, m in marks.items()}


def overview_diagrams(
    catalog: Catalog, groups: Mapping[str, Sequence[str]] | None = None
) -> list[Diagram]:
    """The schema (or group) diagrams of ``catalog``, split where too large, and the
    diagram of everything when it is small enough to read."""
    members: dict[tuple[DiagramKind, str], list[TableKey]] = {}
    for name in groups or {}:
        members[("group", name)] = []
    for schema in catalog.schemas():
        members[("schema", schema)] = []
    shown = [k for k in catalog.by_key if catalog.parent(k) is None]
    for key in shown:
        members[_group_of(key, groups or {})].append(key)
    diagrams: list[Diagram] = []
    for (kind, name), keys in members.items():
        parts = _split(catalog, keys)
        for number, part in enumerate(parts, start=1):
            stem = slug(kind, name) + (f"-{number}" if len(parts) > 1 else "")
            title = f"{kind.capitalize()} {name}" + (
                f" (part {number} of {len(parts)})" if len(parts) > 1 else ""
            )
            diagrams.append(_diagram(catalog, stem, title, kind, part))
    if len(diagrams) > 1 and len(shown) <= MAX_TABLES:
        diagrams.insert(0, _diagram(catalog, "all", "All tables", "all", shown))
    return diagrams


def neighbourhood(catalog: Catalog, key: TableKey) -> Diagram:
    """Table ``key`` and the tables one foreign key away from it."""
    links = [*catalog.outgoing(key), *catalog.incoming(key)]
    links = [link for link in links if catalog.has(link.target) and catalog.has(link.source)]
    return Diagram(
        slug=catalog.slug(key),
        title=f"Table {display_name(key)} and its neighbours",
        kind="table",
        tables=(key,),
        context=tuple(catalog.neighbours(key)),
        links=tuple(sorted(set(links), key=_link_order)),
    )


def _group_of(key: TableKey, groups: Mapping[str, Sequence[str]]) -> tuple[DiagramKind, str]:
    qualified = f"{key[0]}.{key[1]}"
    for name, patterns in groups.items():
        if any(fnmatchcase(qualified, pattern) for pattern in patterns):
            return ("group", name)
    return ("schema", key[0])


def _diagram(
    catalog: Catalog, stem: str, title: str, kind: DiagramKind, keys: Iterable[TableKey]
) -> Diagram:
    tables = sorted(keys)
    inside = set(tables)
    links: set[Link] = set()
    context: set[TableKey] = set()
    for key in tables:
        for link in (*catalog.outgoing(key), *catalog.incoming(key)):
            other = link.target if link.source == key else link.source
            if other in inside:
                links.add(link)
            elif catalog.has(other) and catalog.parent(other) is None:
                links.add(link)
                context.add(other)
    return Diagram(
        slug=stem,
        title=title,
        kind=kind,
        tables=tuple(tables),
        context=tuple(sorted(context)),
        links=tuple(sorted(links, key=_link_order)),
    )


def _link_order(link: Link) -> tuple[TableKey, str, TableKey, tuple[str, ...]]:
    return (link.source, link.name, link.target, link.fk.columns)


def _split(catalog: Catalog, keys: list[TableKey]) -> list[list[TableKey]]:
    """``keys`` cut into parts of at most :data:`MAX_TABLES`, keeping tables that are
    linked by foreign keys together where possible; no part is empty unless all are."""
    if len(keys) <= MAX_TABLES:
        return [keys] if keys else []
    parts: list[list[TableKey]] = []
    for component in _components(catalog, keys):
        for start in range(0, len(component), MAX_TABLES):
            chunk = component[start : start + MAX_TABLES]
            fitting = next((p for p in parts if len(p) + len(chunk) <= MAX_TABLES), None)
            if fitting is None:
                parts.append(list(chunk))
            else:
                fitting.extend(chunk)
    return [sorted(p) for p in parts]


def _components(catalog: Catalog, keys: list[TableKey]) -> list[list[TableKey]]:
    """Connected components of ``keys`` along foreign keys, each in breadth-first order
    from its smallest table, largest component first."""
    inside = set(keys)
    seen: set[TableKey] = set()
    components: list[list[TableKey]] = []
    for start in sorted(keys):
        if start in seen:
            continue
        seen.add(start)
        order = [start]
        for key in order:
            for other in catalog.neighbours(key):
                if other in inside and other not in seen:
                    seen.add(other)
                    order.append(other)
        components.append(order)
    return sorted(components, key=lambda c: (-len(c), c[0]))


@dataclass(frozen=True)
class SchemaMap:
    """The overview diagrams as boxes, joined where foreign keys cross between them."""

    parts: tuple[Diagram, ...]
    edges: tuple[tuple[str, str, int], ...]  # (referencing part, referenced part, keys)


def whole_schema(catalog: Catalog, overviews: Sequence[Diagram]) -> Diagram | SchemaMap:
    """The one picture of everything: all tables when at most :data:`MAX_TABLES` (the
    ``all`` diagram of ``overviews`` when there is one), else the map of ``overviews``."""
    every = next((d for d in overviews if d.kind == "all"), None)
    if every is not None:
        return every
    shown = [k for k in catalog.by_key if catalog.parent(k) is None]
    if len(shown) <= MAX_TABLES:
        return _diagram(catalog, "all", "All tables", "all", shown)
    part_of = {key: d.slug for d in overviews for key in d.tables}
    counts: dict[tuple[str, str], int] = {}
    for diagram in overviews:
        for link in diagram.links:
            ends = (part_of.get(link.source), part_of.get(link.target))
            if link.source in diagram.tables and ends[0] and ends[1] and ends[0] != ends[1]:
                counts[(ends[0], ends[1])] = counts.get((ends[0], ends[1]), 0) + 1
    edges = tuple((a, b, n) for (a, b), n in sorted(counts.items()))
    return SchemaMap(parts=tuple(overviews), edges=edges)
