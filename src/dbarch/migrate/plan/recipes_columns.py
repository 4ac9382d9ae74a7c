"""Recipes for columns: add, drop, rename, and changes of type, NOT NULL, default,
identity and generation.

Online: a volatile default is split from the column add (add the column, set the
default, backfill the rows in batches); NOT NULL goes through a validated CHECK; a type
change that rewrites the table goes through expand/contract (:mod:`.expand`). Dropping a
column and narrowing a type lose data: refused unless destructive changes are allowed.
"""

from __future__ import annotations

from dbarch.ddl.privileges import comment_on
from dbarch.migrate.diff.changes import AddColumn, AlterColumn, DropColumn, RenameColumn
from dbarch.migrate.locks import Operation
from dbarch.migrate.plan import sql
from dbarch.migrate.plan.expand import backfill, backfill_effects, expand_contract
from dbarch.migrate.plan.facts import effects, unlisted
from dbarch.migrate.plan.notnull import not_null_drafts
from dbarch.migrate.plan.planner import Draft, Planner, recipe
from dbarch.migrate.plan.steps import NO_EFFECTS, Effects
from dbarch.migrate.plan.types import narrows, rewrites, volatile
from dbarch.model.objects import Column, Table
from dbarch.pg.quote import qualified, quote_ident


def _label(table: Table, column: str) -> str:
    return f"{table.schema_}.{table.name}.{column}"


def _comment(table: Table, column: Column) -> list[str]:
    if column.comment is None:
        return []
    target = f"{qualified(table.schema_, table.name)}.{quote_ident(column.name)}"
    return [comment_on("COLUMN", target, column.comment)]


def _add_operation(p: Planner, column: Column, volatile_default: bool) -> Operation:
    if column.generated is not None:
        return Operation.ADD_COLUMN_GENERATED_STORED
    if column.identity is not None:
        return Operation.ADD_COLUMN_IDENTITY
    if column.default is None:
        return (
            Operation.ADD_COLUMN_NULLABLE
            if column.nullable
            else (Operation.ADD_COLUMN_NOT_NULL_NO_DEFAULT)
        )
    if volatile_default:
        return Operation.ADD_COLUMN_VOLATILE_DEFAULT
    if column.nullable:
        return Operation.ADD_COLUMN_CONSTANT_DEFAULT
    return Operation.ADD_COLUMN_NOT_NULL_DEFAULT


@recipe(AddColumn)
def add_column(p: Planner, change: AddColumn) -> list[Draft]:
    table, column = change.table, change.column
    label = _label(table, column.name)
    is_volatile = column.default is not None and volatile(
        column.default, p.target.schema, f"default of {label}"
    )
    operation = _add_operation(p, column, is_volatile)
    if p.online:
        if operation in (Operation.ADD_COLUMN_GENERATED_STORED, Operation.ADD_COLUMN_IDENTITY):
            p.refuse(
                f"column {label}: adding a stored generated or identity column rewrites the "
                "table under ACCESS EXCLUSIVE (add a plain column, backfill it, then make it "
                "so; or plan it with --unsafe)"
            )
        if operation is Operation.ADD_COLUMN_NOT_NULL_NO_DEFAULT:
            p.refuse(
                f"column {label}: a NOT NULL column without a default cannot be added to a "
                "table that has rows (give it a default, or add it nullable and backfill it)"
            )
        if is_volatile:
            return _split_volatile(p, table, column)
    statements = [sql.add_column(table, column), *_comment(table, column)]
    return [p.draft(change.summary, statements, effects(operation, table=table))]


def _split_volatile(p: Planner, table: Table, column: Column) -> list[Draft]:
    """Add a column with a volatile default without rewriting the table under a lock."""
    label = _label(table, column.name)
    bare = column.model_copy(update={"default": None, "nullable": True})
    assert column.default is not None
    name = quote_ident(column.name)
    drafts = [
        p.draft(
            f"add column {label} without its default",
            [sql.add_column(table, bare), *_comment(table, column)],
            effects(Operation.ADD_COLUMN_NULLABLE, table=table),
        ),
        p.draft(
            f"set the default of {label}",
            [sql.set_default(table, column.name, column.default)],
            effects(Operation.SET_DEFAULT, table=table),
        ),
        p.draft(
            f"backfill {label} in batches",
            [backfill(table, f"{name} = DEFAULT", f"{name} IS NULL", p.options.batch_pages)],
            backfill_effects(table),
        ),
    ]
    if not column.nullable:
        drafts += not_null_drafts(p, table, column.name, label)
    return drafts


@recipe(DropColumn)
def drop_column(p: Planner, change: DropColumn) -> list[Draft]:
    table, column = change.table, change.column
    label = _label(table, column.name)
    p.destructive(f"column {label} would be dropped with its values")
    return [
        p.draft(
            change.summary,
            [sql.drop_column(table, column.name)],
            effects(Operation.DROP_COLUMN, table=table),
            irreversible=f"dropping {label} deletes its values; the reverse adds it back empty",
        )
    ]


@recipe(RenameColumn)
def rename_column(p: Planner, change: RenameColumn) -> list[Draft]:
    statement = sql.rename_column(change.table, change.old, change.new)
    return [
        p.draft(change.summary, [statement], effects(Operation.RENAME_COLUMN, table=change.table))
    ]


@recipe(AlterColumn)
def alter_column(p: Planner, change: AlterColumn) -> list[Draft]:
    table, old, new = change.table, change.old, change.new
    label = _label(table, new.name)
    retyped = (old.type, old.collation) != (new.type, new.collation)
    if retyped and narrows(old.type, new.type):
        p.destructive(f"column {label}: {old.type} to {new.type} may not keep every value")
    if old.generated != new.generated and new.generated is not None:
        return _regenerate(p, table, old, new)
    if retyped and p.online and rewrites(old.type, new.type):
        old_table = change.old_table or table
        return expand_contract(p, old_table, table, old, new, change.deps)
    before: list[str] = []
    result = NO_EFFECTS
    if old.generated is not None and new.generated is None:
        before.append(sql.drop_expression(table, new.name))
        result |= unlisted(table)
    if old.identity is not None and new.identity is None:
        before.append(sql.drop_identity(table, new.name))
        result |= unlisted(table)
    default_changes = old.default != new.default
    if old.default is not None and (default_changes or retyped):
        before.append(sql.set_default(table, new.name, None))
        result |= effects(Operation.SET_DEFAULT, table=table)
    if retyped:
        before.append(sql.set_type(table, new))
        operation = (
            Operation.ALTER_COLUMN_TYPE
            if rewrites(old.type, new.type)
            else Operation.ALTER_COLUMN_TYPE_COERCIBLE
        )
        result |= effects(operation, table=table)
    if not old.nullable and new.nullable:
        before.append(sql.set_nullable(table, new.name, True))
        result |= effects(Operation.DROP_NOT_NULL, table=table)
    after, after_effects = _after_nullable(table, old, new, default_changes or retyped)
    drafts: list[Draft] = []
    if before:
        drafts.append(p.draft(change.summary, before, result))
    if old.nullable and not new.nullable:
        drafts += not_null_drafts(p, table, new.name, label)
    if after:
        drafts.append(p.draft(f"{change.summary}: identity and default", after, after_effects))
    return drafts


def _after_nullable(
    table: Table, old: Column, new: Column, set_default: bool
) -> tuple[list[str], Effects]:
    """Statements that need the column's final nullability: identity and default."""
    statements: list[str] = []
    result = NO_EFFECTS
    if new.identity is not None:
        if old.identity is None:
            statements.append(sql.add_identity(table, new))
        elif old.identity.model_copy(update={"sequence": None}) != new.identity.model_copy(
            update={"sequence": None}
        ):
            statements.append(sql.set_identity(table, new))
        if old.identity is not None and old.identity.sequence != new.identity.sequence:
            statements.append(
                sql.rename_named(
                    "SEQUENCE",
                    qualified(table.schema_, old.identity.sequence or ""),
                    new.identity.sequence or "",
                )
            )
        if statements:
            result |= unlisted(table)
    if set_default and new.default is not None:
        statements.append(sql.set_default(table, new.name, new.default))
        result |= effects(Operation.SET_DEFAULT, table=table)
    return statements, result


def _regenerate(p: Planner, table: Table, old: Column, new: Column) -> list[Draft]:
    """A column that becomes generated, or whose generation expression changes: PostgreSQL
    15 and 16 cannot change it in place, so it is dropped and added again."""
    label = _label(table, new.name)
    if p.online:
        p.refuse(
            f"column {label}: a new generation expression means dropping and adding the "
            "column, which rewrites the table under ACCESS EXCLUSIVE (plan it with --unsafe)"
        )
    if old.generated is None:
        p.destructive(f"column {label} would be dropped and added again as a generated column")
    statements = [
        sql.drop_column(table, old.name),
        sql.add_column(table, new),
        *_comment(table, new),
    ]
    result = effects(Operation.DROP_COLUMN, table=table) | effects(
        Operation.ADD_COLUMN_GENERATED_STORED, table=table
    )
    return [p.draft(f"recreate the generated column {label}", statements, result)]
