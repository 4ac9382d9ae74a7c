"""Edits of an introspected Schema that declare renames (a database never reports them)."""

from __future__ import annotations

from collections.abc import Callable

from dbarch.model.objects import Schema, Table

Declare = Callable[[Schema], Schema]


def _retable(schema: Schema, name: str, edit: Callable[[Table], Table]) -> Schema:
    tables = tuple(edit(t) if t.name == name else t for t in schema.tables)
    return schema.model_copy(update={"tables": tables})


def renamed_table(name: str, old: str) -> Declare:
    """Table ``name`` was ``old``."""
    return lambda s: _retable(s, name, lambda t: t.model_copy(update={"renamed_from": old}))


def renamed_column(table: str, name: str, old: str) -> Declare:
    """Column ``name`` of ``table`` was ``old``."""

    def edit(t: Table) -> Table:
        columns = tuple(
            c.model_copy(update={"renamed_from": old}) if c.name == name else c for c in t.columns
        )
        return t.model_copy(update={"columns": columns})

    return lambda s: _retable(s, table, edit)


def renamed_piece(table: str, field: str, name: str, old: str) -> Declare:
    """The constraint, index, trigger or policy ``name`` (in ``field`` of ``table``:
    ``primary_key``, ``unique``, ``checks``, ``foreign_keys``, ``indexes``...) was ``old``."""

    def edit(t: Table) -> Table:
        value = getattr(t, field)
        if field == "primary_key":
            return t.model_copy(update={field: value.model_copy(update={"renamed_from": old})})
        items = tuple(
            i.model_copy(update={"renamed_from": old}) if i.name == name else i for i in value
        )
        return t.model_copy(update={field: items})

    return lambda s: _retable(s, table, edit)


def renamed(collection: str, name: str, old: str) -> Declare:
    """The object ``name`` in ``collection`` of the Schema (``views``, ``enums``,
    ``schemas``, ``sequences``, ``functions``...) was ``old``."""

    def edit(schema: Schema) -> Schema:
        items = tuple(
            i.model_copy(update={"renamed_from": old}) if i.name == name else i
            for i in getattr(schema, collection)
        )
        return schema.model_copy(update={collection: items})

    return edit


def both(*edits: Declare) -> Declare:
    """All of ``edits``, in order."""

    def edit(schema: Schema) -> Schema:
        for one in edits:
            schema = one(schema)
        return schema

    return edit
