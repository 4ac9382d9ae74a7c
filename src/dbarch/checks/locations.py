"""Where an object is written in a model file, for findings' ``file:line:column``.

The loader expands shorthands and sorts objects, so a Schema object cannot say where it
came from; this module reads the file again with the model locator and finds objects by
name. Objects the loader named (``pk_users_id`` from a column's ``primary_key: true``)
are found by what they are made of: the column that carries the shorthand, the list
entry with the same columns. When nothing more precise is found, the enclosing table is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbarch.checks.findings import Target
from dbarch.errors import Location, SourceError
from dbarch.model import locate
from dbarch.model.loader import FORMATS, lookup
from dbarch.model.objects import (
    DEFAULT_SCHEMA,
    CheckConstraint,
    ForeignKey,
    Index,
    PrimaryKey,
    UniqueConstraint,
)

_LISTS = {
    "table": "tables",
    "view": "views",
    "materialized view": "materialized_views",
    "function": "functions",
    "sequence": "sequences",
    "schema": "schemas",
    "domain": "domains",
}
_TYPE_LISTS = ("enums", "composite_types")
_CONSTRAINT_LISTS = ("unique", "checks", "foreign_keys", "exclusions")


class ModelLocations:
    """Finds objects of one model file (the :class:`~dbarch.checks.engine.Locator`)."""

    def __init__(self, doc: locate.Document, filename: str) -> None:
        self.doc = doc
        self.filename = filename
        self.data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}

    @classmethod
    def read(cls, path: Path) -> ModelLocations:
        """The locations of the model file ``path``."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot read {path}: {exc}") from None
        return cls(locate.parse(text, str(path), FORMATS[path.suffix.lower()]), str(path))

    def find(self, target: Target) -> Location | None:
        """The position of ``target`` in the file, or ``None``."""
        path = self._path(target)
        position = self.doc.position(path) if path is not None else None
        if position is None:
            return None
        return Location(self.filename, position.line, position.column)

    # ------------------------------------------------------------------ paths

    def _entry(self, field: str, schema: str, name: str) -> locate.Path | None:
        """The path of the entry of the top-level list ``field`` named ``schema.name``."""
        for i, item in enumerate(_items(self.data, field)):
            if item.get("name") == name and item.get("schema", DEFAULT_SCHEMA) == schema:
                return (field, i)
            if field == "schemas" and item.get("name") == name:
                return (field, i)
        return None

    def _path(self, target: Target) -> locate.Path | None:
        if target.kind == "type":
            return next(
                (p for f in _TYPE_LISTS if (p := self._entry(f, target.schema, target.name))),
                None,
            )
        if target.parent is None:
            return self._entry(_LISTS[target.kind], target.schema, target.name)
        owners = ("tables", "materialized_views", "views")
        owner = next(
            (p for f in owners if (p := self._entry(f, target.schema, target.parent))), None
        )
        if owner is None:
            return None
        part = self._part(owner, target)
        return owner if part is None else part

    def _part(self, owner: locate.Path, target: Target) -> locate.Path | None:
        table = lookup(self.data, owner)
        node = target.nodes[-1] if target.nodes else None
        if target.kind == "column":
            return _named(table, owner, "columns", target.name)
        if target.kind in ("trigger", "policy"):
            return _named(table, owner, target.kind + "s", target.name)
        if target.kind == "index":
            return _named(table, owner, "indexes", target.name) or _same_columns(
                table, owner, "indexes", node
            )
        found = _named(table, owner, None, target.name)
        return found or _built(table, owner, node)


def _items(data: object, field: str) -> list[dict[str, Any]]:
    value = data.get(field) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else {} for item in value]


def _named(table: object, owner: locate.Path, field: str | None, name: str) -> locate.Path | None:
    """The entry named ``name`` in the table's list ``field`` (any constraint list and the
    primary key when ``field`` is ``None``)."""
    fields = (field,) if field else _CONSTRAINT_LISTS
    for f in fields:
        for j, item in enumerate(_items(table, f)):
            if item.get("name") == name:
                return (*owner, f, j)
    if field is None and isinstance(table, dict):
        pk = table.get("primary_key")
        if isinstance(pk, dict) and pk.get("name") == name:
            return (*owner, "primary_key")
    return None


def _plain(keys: object) -> list[object]:
    """Index or constraint keys as column names (``None`` for an expression)."""
    if not isinstance(keys, list | tuple):
        return []
    plain: list[object] = []
    for key in keys:
        if isinstance(key, dict):
            plain.append(key.get("column"))
        else:
            plain.append(getattr(key, "column", key))
    return plain


def _same_columns(
    table: object, owner: locate.Path, field: str, node: object
) -> locate.Path | None:
    """The unnamed entry of list ``field`` with the same columns as ``node``."""
    columns = _plain(getattr(node, "columns", ()))
    for j, item in enumerate(_items(table, field)):
        if item.get("name") is None and _plain(item.get("columns")) == columns:
            return (*owner, field, j)
    return None


def _shorthand(table: object, owner: locate.Path, key: str, column: str) -> locate.Path | None:
    """The path of ``key`` (``primary_key``, ``unique``, ``references``) on column ``column``."""
    for j, item in enumerate(_items(table, "columns")):
        if item.get("name") == column and item.get(key):
            return (*owner, "columns", j, key)
    return None


def _built(table: object, owner: locate.Path, node: object) -> locate.Path | None:
    """Where a constraint the loader named was written (long form or column shorthand)."""
    columns = list(getattr(node, "columns", ()))
    if isinstance(node, PrimaryKey):
        if isinstance(table, dict) and isinstance(table.get("primary_key"), dict):
            return (*owner, "primary_key")
        return _shorthand(table, owner, "primary_key", columns[0]) if columns else None
    if isinstance(node, UniqueConstraint):
        found = _same_columns(table, owner, "unique", node)
        return found or (_shorthand(table, owner, "unique", columns[0]) if columns else None)
    if isinstance(node, ForeignKey):
        found = _same_columns(table, owner, "foreign_keys", node)
        return found or (_shorthand(table, owner, "references", columns[0]) if columns else None)
    if isinstance(node, CheckConstraint):
        for j, item in enumerate(_items(table, "checks")):
            if item.get("name") is None and item.get("check") == node.check:
                return (*owner, "checks", j)
    if isinstance(node, Index):
        return _same_columns(table, owner, "indexes", node)
    return None
