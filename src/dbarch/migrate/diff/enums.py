"""The columns an enum type is used by, which a change of its labels must convert."""

from __future__ import annotations

from dataclasses import replace

from dbarch.ddl.lookup import Catalog, Key
from dbarch.ddl.sqlrefs import type_refs
from dbarch.migrate.diff.changes import AddEnumValues, AlterColumn, ColumnUse, SwapEnum
from dbarch.migrate.diff.context import Context, Tagged
from dbarch.migrate.diff.graph import object_key
from dbarch.migrate.diff.match import match_named, same
from dbarch.migrate.locks import parse_column_type
from dbarch.model.objects import Column, EnumType, Table


def column_type_key(catalog: Catalog, table: Table, column: Column) -> frozenset[Key]:
    """Keys of the Schema types ``column``'s type names."""
    return catalog.resolve(type_refs(column.type, f"column {column.name} of {table.name}"))


def is_array(type_text: str) -> bool:
    """True when ``type_text`` is an array type."""
    try:
        return parse_column_type(type_text).array
    except ValueError:
        return False


def _inherited(catalog: Catalog, table: Table) -> set[str]:
    return {c.name for parent in catalog.parents(table) for c in parent.columns}


def columns_of_type(ctx: Context, old: EnumType, new: EnumType) -> tuple[ColumnUse, ...]:
    """Columns of kept tables of type ``old`` before and ``new`` after (or arrays of it);
    columns a partition or child inherits from its parent are converted with the parent's."""
    old_key, new_key = object_key(old), object_key(new)
    uses = []
    for table in ctx.new.schema.tables:
        before = ctx.old_table_of(table)
        if before is None:
            continue
        inherited = _inherited(ctx.new.catalog, table)
        pairs, _, _ = match_named(before.columns, table.columns, f"table {table.name}")
        for old_column, new_column in pairs:
            if new_column.name in inherited:
                continue
            if new_key in column_type_key(ctx.new.catalog, table, new_column) and (
                old_key in column_type_key(ctx.old.catalog, before, old_column)
            ):
                seen = ctx.renames.table(before)  # referring to objects by their new names
                as_seen = next(c for c in seen.columns if c.name == old_column.name)
                uses.append(ColumnUse(table, new_column, seen, as_seen, is_array(new_column.type)))
    return tuple(uses)


def enum_defaults(tagged: list[Tagged]) -> list[Tagged]:
    """``tagged`` without the default changes of columns of an enum whose labels change:
    the enum's change sets their defaults itself (a default may name a label that exists
    only after the change, or only before it)."""
    converted = {
        (use.table.schema_, use.table.name, use.column.name)
        for _, change in tagged
        if isinstance(change, (SwapEnum, AddEnumValues))
        for use in change.uses
    }
    out: list[Tagged] = []
    for tag, change in tagged:
        if isinstance(change, AlterColumn):
            where = (change.table.schema_, change.table.name, change.new.name)
            if where in converted and change.old.default != change.new.default:
                old = change.old.model_copy(update={"default": change.new.default})
                if same(old, change.new):
                    continue
                change = replace(change, old=old)
        out.append((tag, change))
    return out
