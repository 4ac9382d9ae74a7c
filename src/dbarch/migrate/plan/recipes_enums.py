"""Recipes for enum labels.

New labels are added in place (``ALTER TYPE ... ADD VALUE ... BEFORE/AFTER``). Removing
or reordering labels swaps the type: a new type with the new labels, every column
converted to it (``USING column::text::new_type``; online through expand/contract),
the old type dropped and the new one renamed to the old name. Removing a label is
destructive: rows that hold it make the conversion fail.
"""

from __future__ import annotations

from dataclasses import replace

from dbarch.ddl import render
from dbarch.ddl.privileges import ObjectRef, acl_statements, owner_and_comment
from dbarch.migrate.diff.changes import AddEnumValues, ColumnUse, Deps, SwapEnum
from dbarch.migrate.diff.graph import object_key
from dbarch.migrate.locks import Operation
from dbarch.migrate.plan import sql
from dbarch.migrate.plan.expand import Conversion, expand_contract
from dbarch.migrate.plan.facts import effects
from dbarch.migrate.plan.names import temp_name
from dbarch.migrate.plan.planner import Draft, Planner, recipe
from dbarch.pg.quote import qualified, quote_ident


@recipe(AddEnumValues)
def add_enum_values(p: Planner, change: AddEnumValues) -> list[Draft]:
    old, new = change.old, change.new
    current = list(old.values)
    statements = []
    for position, value in enumerate(new.values):
        if value in current:
            continue
        if position > 0:
            statements.append(sql.add_enum_value(new, value, new.values[position - 1], False))
            current.insert(current.index(new.values[position - 1]) + 1, value)
        else:
            neighbour = current[0] if current else None
            statements.append(sql.add_enum_value(new, value, neighbour, True))
            current.insert(0, value)
    added = p.draft(change.summary, statements, effects(Operation.ADD_ENUM_VALUE))
    drafts = [replace(added, step=replace(added.step, needs_commit=True))]
    for use in change.uses:
        if use.old_column.default != use.column.default:
            drafts.append(_set_default(p, use))
    return drafts


def _set_default(p: Planner, use: ColumnUse) -> Draft:
    """The column's new default (after the labels exist: in a transaction of its own)."""
    table, column = use.table, use.column
    return p.draft(
        f"set the default of {table.name}.{column.name}",
        [sql.set_default(table, column.name, column.default)],
        effects(Operation.SET_DEFAULT, table=table),
        deps=Deps(provides=frozenset({object_key(table)})),
    )


def _convert(use: ColumnUse, target: str) -> Conversion:
    suffix = "[]" if use.array else ""

    def convert(text: str) -> str:
        return f"{text}::text{suffix}::{target}{suffix}"

    return convert


@recipe(SwapEnum)
def swap_enum(p: Planner, change: SwapEnum) -> list[Draft]:
    old, new = change.old, change.new
    if change.removed:
        labels = ", ".join(map(repr, change.removed))
        p.destructive(
            f"enum {new.schema_}.{new.name}: removing {labels} fails on rows that hold it"
        )
    taken = {e.name for e in (*p.source.schema.enums, *p.target.schema.enums)}
    temporary = temp_name(new.name, "_dbarch_new", taken)
    target = qualified(new.schema_, temporary)
    key = object_key(new)
    drafts = [
        p.draft(
            f"create {target} with the new labels",
            [render.create_enum(new.model_copy(update={"name": temporary}))],
            deps=Deps(needs=change.deps.needs),
        )
    ]
    for use in change.uses:
        drafts += _convert_column(p, use, target)
    current = qualified(new.schema_, new.name)
    drafts.append(
        p.draft(
            f"drop the old {current}",
            [f"DROP TYPE {current};"],
            deps=Deps(removes=frozenset({object_key(old)})),
        )
    )
    ref = ObjectRef("TYPE", current, "TYPE", current)
    finish = [sql.rename_named("TYPE", target, new.name)]
    finish += owner_and_comment(ref, new) + acl_statements(ref, new, f"enum {current}")
    drafts.append(
        p.draft(
            f"rename {target} to {new.name}",
            finish,
            deps=Deps(provides=frozenset({key})),
        )
    )
    drafts += [_set_default(p, use) for use in change.uses if use.column.default is not None]
    return drafts


def _convert_column(p: Planner, use: ColumnUse, target: str) -> list[Draft]:
    suffix = "[]" if use.array else ""
    column = use.column.model_copy(update={"type": target + suffix})
    table = use.table
    deps = Deps(
        removes=frozenset({object_key(use.old_table)}),
        provides=frozenset({object_key(table)}),
    )
    convert = _convert(use, target)
    if p.online:
        return expand_contract(
            p,
            use.old_table,
            table,
            use.old_column,
            column,
            deps,
            convert=convert,
            set_default=False,
        )
    statements = []
    if use.old_column.default is not None:
        statements.append(sql.set_default(table, column.name, None))
    statements.append(sql.set_type(table, column, convert(quote_ident(column.name))))
    return [
        p.draft(
            f"convert {table.name}.{column.name} to {target}",
            statements,
            effects(Operation.ALTER_COLUMN_TYPE, table=table),
            deps=deps,
        )
    ]
