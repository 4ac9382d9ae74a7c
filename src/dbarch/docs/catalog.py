"""The tables of a Schema as the documentation writers see them.

One :class:`Catalog` per run: tables in canonical order, their display names and file
names, foreign keys in both directions, partitions, and which column sets are unique.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from dbarch.ddl.sqlrefs import split_dotted
from dbarch.model.canonical import canonical
from dbarch.model.objects import DEFAULT_SCHEMA, ForeignKey, IndexElement, Schema, Table

TableKey = tuple[str, str]  # (schema, table name), raw names

_SAFE = re.compile(r"[a-z0-9_]{1,60}\Z")
_UNSAFE_RUN = re.compile(r"[^a-z0-9_]+")


def display_name(key: TableKey) -> str:
    """``orders`` for a table in ``public``, ``sales.orders`` elsewhere (raw names)."""
    schema, name = key
    return name if schema == DEFAULT_SCHEMA else f"{schema}.{name}"


def slug(*parts: str) -> str:
    """A file-name-safe, deterministic and unique stem for the raw names ``parts``.

    Parts that are already lower-case ``[a-z0-9_]`` are kept and joined with ``.``; any
    other part is folded to ASCII and the stem gets a hash of the raw names, so ``Users``
    and ``users`` (or ``a b`` and ``a-b``) never share a file, even on a case-insensitive
    file system.
    """
    if all(_SAFE.match(part) for part in parts):
        return ".".join(parts)
    folded = [_fold(part) for part in parts]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8]
    return ".".join(f or "x" for f in folded) + "-" + digest


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _UNSAFE_RUN.sub("-", ascii_text.lower()).strip("-")[:40]


@dataclass(frozen=True)
class Link:
    """One foreign key of table ``source`` referencing table ``target``."""

    source: TableKey
    target: TableKey
    fk: ForeignKey

    @property
    def name(self) -> str:
        """The constraint name (``-`` when the model left it out)."""
        return self.fk.name or "-"


class Catalog:
    """Lookups over the tables of ``schema`` (taken in canonical order)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = canonical(schema)
        self.tables: tuple[Table, ...] = self.schema.tables
        self.by_key: dict[TableKey, Table] = {key_of(t): t for t in self.tables}
        self._slugs = {key: slug(*key) for key in self.by_key}
        self._outgoing: dict[TableKey, list[Link]] = defaultdict(list)
        self._incoming: dict[TableKey, list[Link]] = defaultdict(list)
        self._partitions: dict[TableKey, list[TableKey]] = defaultdict(list)
        self._parent: dict[TableKey, TableKey] = {}
        for table in self.tables:
            key = key_of(table)
            for fk in table.foreign_keys:
                link = Link(key, (fk.references.schema_, fk.references.table), fk)
                self._outgoing[key].append(link)
                self._incoming[link.target].append(link)
            parent = self._resolve(table.partition_of, table.schema_)
            if parent is not None:
                self._parent[key] = parent
                self._partitions[parent].append(key)
        self.tables = tuple(self._with_columns(t) for t in self.tables)
        self.by_key = {key_of(t): t for t in self.tables}

    def _with_columns(self, table: Table) -> Table:
        """A partition that a model file wrote without columns, with its parent's."""
        key = key_of(table)
        seen = {key}
        source = table
        while not source.columns and key in self._parent and self._parent[key] not in seen:
            key = self._parent[key]
            seen.add(key)
            source = self.by_key[key]
        return (
            table.model_copy(update={"columns": source.columns}) if source is not table else table
        )

    def _resolve(self, ref: str | None, near: str) -> TableKey | None:
        """The table a ``partition_of`` reference names, when it is in the schema."""
        if ref is None:
            return None
        parts = split_dotted(ref)
        candidates = [(parts[0], parts[1])] if len(parts) == 2 else []
        candidates += [(near, parts[-1]), (DEFAULT_SCHEMA, parts[-1]), (near, ref)]
        return next((c for c in candidates if c in self.by_key), None)

    def slug(self, key: TableKey) -> str:
        """The file stem of table ``key`` (its page, its neighbourhood diagram)."""
        return self._slugs.get(key) or slug(*key)

    def has(self, key: TableKey) -> bool:
        """True when table ``key`` is part of the schema."""
        return key in self.by_key

    def outgoing(self, key: TableKey) -> list[Link]:
        """Foreign keys of table ``key``, by name."""
        return self._outgoing.get(key, [])

    def incoming(self, key: TableKey) -> list[Link]:
        """Foreign keys of other tables (or ``key`` itself) that reference ``key``."""
        return sorted(self._incoming.get(key, []), key=lambda link: (link.source, link.name))

    def parent(self, key: TableKey) -> TableKey | None:
        """The partitioned table ``key`` is a partition of."""
        return self._parent.get(key)

    def partitions(self, key: TableKey) -> list[TableKey]:
        """The partitions of table ``key``."""
        return self._partitions.get(key, [])

    def neighbours(self, key: TableKey) -> list[TableKey]:
        """Tables one foreign key away from ``key`` (either direction), in the schema."""
        found = {link.target for link in self.outgoing(key)}
        found |= {link.source for link in self.incoming(key)}
        found.discard(key)
        return sorted(k for k in found if k in self.by_key)

    def schemas(self) -> list[str]:
        """Schemas that hold tables or are declared, sorted."""
        return sorted({t.schema_ for t in self.tables} | {s.name for s in self.schema.schemas})

    def schema_comment(self, name: str) -> str | None:
        """The comment of schema ``name``."""
        return next((s.comment for s in self.schema.schemas if s.name == name), None)

    def is_unique(self, table: Table, columns: tuple[str, ...]) -> bool:
        """True when at most one row of ``table`` can have given values of ``columns``:
        a primary key, unique constraint or full unique index lies within them."""
        wanted = set(columns)
        keys = [table.primary_key.columns] if table.primary_key else []
        keys += [u.columns for u in table.unique]
        for index in table.indexes:
            names = [_plain_column(e) for e in index.columns]
            if index.unique and index.where is None and all(names):
                keys.append(tuple(n for n in names if n))
        return any(key and set(key) <= wanted for key in keys)


def cardinality(catalog: Catalog, link: Link) -> tuple[bool, bool, bool]:
    """(parent required, child unique, identifying) of a foreign key: the parent side is
    exactly one when the columns are NOT NULL; the child side is at most one when the
    columns are unique; the link identifies the child when they are in its primary key."""
    child = catalog.by_key[link.source]
    columns = link.fk.columns
    identifying = child.primary_key is not None and set(columns) <= set(child.primary_key.columns)
    return not_null(child, columns), catalog.is_unique(child, columns), identifying


def key_of(table: Table) -> TableKey:
    """The (schema, name) key of ``table``."""
    return (table.schema_, table.name)


def not_null(table: Table, columns: tuple[str, ...]) -> bool:
    """True when every column of ``columns`` in ``table`` is NOT NULL."""
    required = {c.name for c in table.columns if not c.nullable}
    if table.primary_key is not None:
        required |= set(table.primary_key.columns)
    return all(name in required for name in columns)


def _plain_column(element: IndexElement | str) -> str | None:
    if isinstance(element, str):
        return element
    return element.column if element.expression is None else None
