"""Expand/contract: change a column's type without rewriting the table under a lock.

1. add a new column of the new type (nullable, no default);
2. a trigger keeps it in step with the old column on every insert and update;
3. a batched backfill (one transaction per ``batch_pages`` pages, outside any
   transaction block) fills it for the rows already there;
4. NOT NULL through a validated CHECK, and the old column's indexes built again,
   concurrently, on the new one;
5. in one short transaction the trigger goes and the columns swap names;
6. the old indexes are dropped concurrently and the new ones take their names;
7. the old column is dropped.

Some columns cannot move this way (keys, foreign keys, identity, generated columns,
checks or index expressions that use them, column privileges, partitioned or inherited
tables): those changes are refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dbarch.ddl.privileges import comment_on
from dbarch.ddl.render import INDENT
from dbarch.migrate.diff.changes import Deps
from dbarch.migrate.diff.dependents import mentions
from dbarch.migrate.diff.deps import named
from dbarch.migrate.diff.graph import object_key
from dbarch.migrate.locks import LockMode, Operation
from dbarch.migrate.plan import sql
from dbarch.migrate.plan.facts import effects, table_name, unlisted
from dbarch.migrate.plan.names import relation_names, temp_name
from dbarch.migrate.plan.notnull import not_null_drafts
from dbarch.migrate.plan.planner import Draft, Planner
from dbarch.migrate.plan.recipes_pieces import drop_old_index
from dbarch.migrate.plan.steps import Effects
from dbarch.model.objects import Column, Index, IndexElement, Table
from dbarch.pg.quote import dollar_quote, qualified, quote_ident, quote_literal

Conversion = Callable[[str], str]  # SQL of the old value -> SQL of the new value


def _key_columns(table: Table) -> set[str]:
    names: set[str] = set()
    if table.primary_key is not None:
        names |= set(table.primary_key.columns)
    for unique in table.unique:
        names |= set(unique.columns)
    for fk in table.foreign_keys:
        names |= set(fk.columns)
    for exclusion in table.exclusions:
        names |= {e.column for e in exclusion.elements if e.column is not None}
    return names


def _column_indexes(table: Table, column: str) -> list[Index]:
    """Indexes that have ``column`` as a plain key or INCLUDE column."""
    found = []
    for index in table.indexes:
        keys = [k if isinstance(k, str) else k.column for k in index.columns]
        if column in keys or column in index.include:
            found.append(index)
    return found


def refusals(p: Planner, old_table: Table, table: Table, column: str) -> list[str]:
    """Why ``column`` cannot change type by expand/contract (empty when it can)."""
    what = f"column {column} of {old_table.schema_}.{old_table.name}"
    reasons = []
    catalog = p.source_catalog
    if old_table.partition_by or old_table.partition_of or old_table.inherits:
        reasons.append("the table is partitioned, a partition or inherits")
    elif any(column in {c.name for c in t.columns} for t in _children(p, old_table)):
        reasons.append("other tables inherit it")
    if column in _key_columns(old_table) | _key_columns(table):
        reasons.append("it is part of a key, a unique or exclusion constraint or a foreign key")
    for other in catalog.schema.tables:
        for fk in other.foreign_keys:
            ref = fk.references
            if (ref.schema_, ref.table) == (
                old_table.schema_,
                old_table.name,
            ) and column in ref.columns:
                reasons.append(f"the foreign key {fk.name} of {other.name} references it")
    old_column = next(c for c in old_table.columns if c.name == column)
    if old_column.identity is not None or old_column.generated is not None:
        reasons.append("it is an identity or generated column")
    for check in old_table.checks:
        if mentions(check.check, column):
            reasons.append(f"the check {check.name} uses it")
    for index in old_table.indexes:
        expressions = [k.expression for k in index.columns if isinstance(k, IndexElement)]
        if any(mentions(text, column) for text in (*expressions, index.where)):
            reasons.append(f"the expression or predicate of index {index.name} uses it")
    if any(column in g.columns for g in old_table.grants):
        reasons.append("it has column privileges")
    return [f"{what} cannot change type online: {reason}" for reason in reasons]


def _children(p: Planner, table: Table) -> list[Table]:
    catalog = p.source_catalog
    return [t for t in catalog.schema.tables if table in (catalog.parents(t) if t.inherits else [])]


def _sync_function(table: Table, function: str, target: str, value: str) -> list[str]:
    body = f"\nBEGIN\n{INDENT}NEW.{quote_ident(target)} := {value};\n{INDENT}RETURN NEW;\nEND\n"
    name = qualified(table.schema_, function)
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger\n{INDENT}LANGUAGE plpgsql\n"
        f"{INDENT}AS {dollar_quote(body)};",
        f"CREATE TRIGGER {quote_ident(function)} BEFORE INSERT OR UPDATE ON "
        f"{qualified(table.schema_, table.name)} FOR EACH ROW EXECUTE FUNCTION {name}();",
    ]


def backfill(table: Table, assignments: str, where: str | None, batch_pages: int) -> str:
    """A DO block that runs ``UPDATE table SET assignments`` over the table's pages in
    batches, committing after each (so it must run outside a transaction block)."""
    target = qualified(table.schema_, table.name)
    condition = (
        "ctid >= format('(%s,0)', first_page)::tid"
        " AND ctid < format('(%s,0)', first_page + batch)::tid"
    )
    if where is not None:
        condition = f"({where}) AND {condition}"
    body = (
        "\nDECLARE\n"
        f"{INDENT}batch constant bigint := {int(batch_pages)};\n"
        f"{INDENT}last_page constant bigint :=\n"
        f"{INDENT * 2}pg_catalog.pg_relation_size({quote_literal(target)}::regclass)\n"
        f"{INDENT * 2}/ pg_catalog.current_setting('block_size')::bigint;\n"
        f"{INDENT}first_page bigint := 0;\n"
        "BEGIN\n"
        f"{INDENT}WHILE first_page <= last_page LOOP\n"
        f"{INDENT * 2}UPDATE {target} SET {assignments}\n"
        f"{INDENT * 2}WHERE {condition};\n"
        f"{INDENT * 2}COMMIT;\n"
        f"{INDENT * 2}first_page := first_page + batch;\n"
        f"{INDENT}END LOOP;\n"
        "END\n"
    )
    return f"DO {dollar_quote(body)};"


def backfill_effects(table: Table) -> Effects:
    """A batched UPDATE: ROW EXCLUSIVE on the table (what every UPDATE takes)."""
    return Effects(((table_name(table), LockMode.ROW_EXCLUSIVE),), False, True, False)


def expand_contract(
    p: Planner,
    old_table: Table,
    table: Table,
    old: Column,
    new: Column,
    deps: Deps,
    *,
    convert: Conversion | None = None,
    set_default: bool = True,
) -> list[Draft]:
    """The steps that move ``old`` to the type of ``new`` online (see the module)."""
    reasons = refusals(p, old_table, table, old.name)
    if reasons:
        for reason in reasons[1:]:
            p.refusals.append(reason)
        p.refuse(reasons[0])
    label = f"{table.schema_}.{table.name}.{new.name}"
    columns = {c.name for c in (*old_table.columns, *table.columns)}
    fresh = temp_name(new.name, "_dbarch_new", columns)
    stale = temp_name(new.name, "_dbarch_old", columns | {fresh})
    functions = {f.name for f in p.source_catalog.schema.functions}
    sync = temp_name(f"{table.name}_{new.name}", "_dbarch_sync", functions)
    value = convert or (lambda text: text)
    key = object_key(table)
    expand = Deps(needs=deps.needs)
    contract = Deps(provides=deps.provides, needs=frozenset({named(key)}))
    column = Column(name=fresh, type=new.type, collation=new.collation)
    drafts = [
        p.draft(
            f"add {fresh} to {table.schema_}.{table.name} for the new type of {new.name}",
            [sql.add_column(table, column)],
            effects(Operation.ADD_COLUMN_NULLABLE, table=table),
            deps=expand,
        ),
        p.draft(
            f"keep {fresh} in step with {new.name}",
            _sync_function(table, sync, fresh, value(f"NEW.{quote_ident(old.name)}")),
            effects(Operation.CREATE_TRIGGER, table=table),
            deps=expand,
        ),
        p.draft(
            f"backfill {fresh} from {new.name} in batches",
            [
                backfill(
                    table,
                    f"{quote_ident(fresh)} = {value(quote_ident(old.name))}",
                    None,
                    p.options.batch_pages,
                )
            ],
            backfill_effects(table),
            deps=expand,
        ),
    ]
    if not new.nullable:
        drafts += [
            replace(d, deps=expand) for d in not_null_drafts(p, table, fresh, f"{label} (new)")
        ]
    rebuilt = _rebuilt_indexes(p, old_table, table, old.name)
    renames: dict[str, str] = {}
    taken = relation_names(p, table.schema_)
    for index in rebuilt:
        name = temp_name(index.name or "", "_dbarch_new", taken)
        taken.add(name)
        renames[index.name or ""] = name
        moved = _move_index(index, old.name, fresh, name)
        drafts.append(
            p.draft(
                f"create index {name} on {fresh}",
                [sql.create_index(table, moved, concurrently=True)],
                effects(Operation.CREATE_INDEX_CONCURRENTLY, table=table),
                deps=expand,
            )
        )
    swap = [
        sql.drop_trigger(table, sync),
        f"DROP FUNCTION {qualified(table.schema_, sync)}();",
        sql.rename_column(table, old.name, stale),
        sql.rename_column(table, fresh, new.name),
    ]
    swap_effects = effects(Operation.RENAME_COLUMN, table=table)
    if not old.nullable:
        swap.append(sql.set_nullable(table, stale, True))
    if old.default is not None:
        swap.append(sql.set_default(table, stale, None))
    if set_default and new.default is not None:
        swap.append(sql.set_default(table, new.name, new.default))
    if new.comment is not None:
        target = f"{qualified(table.schema_, table.name)}.{quote_ident(new.name)}"
        swap.append(comment_on("COLUMN", target, new.comment))
    drafts.append(
        p.draft(
            f"swap {new.name} of {table.schema_}.{table.name} to its new type", swap, swap_effects
        )
    )
    for index in rebuilt:
        original = index.name or ""
        drafts.append(drop_old_index(p, table, original, deps=contract))
        finish = [sql.rename_index(table.schema_, renames[original], original)]
        if index.comment is not None:
            finish.append(comment_on("INDEX", qualified(table.schema_, original), index.comment))
        drafts.append(
            p.draft(
                f"rename index {renames[original]} to {original}",
                finish,
                unlisted(table),
                deps=contract,
            )
        )
    drafts.append(
        p.draft(
            f"drop the old column {stale} of {table.schema_}.{table.name}",
            [sql.drop_column(table, stale)],
            effects(Operation.DROP_COLUMN, table=table),
            deps=contract,
        )
    )
    return drafts


def _rebuilt_indexes(p: Planner, old_table: Table, table: Table, column: str) -> list[Index]:
    """Indexes on ``column`` that stay as they are: built again on the new column."""
    before = {i.name: i for i in _column_indexes(old_table, column)}
    return [i for i in _column_indexes(table, column) if before.get(i.name) == i]


def _move_index(index: Index, column: str, to: str, name: str) -> Index:
    keys = []
    for key in index.columns:
        if key == column:
            keys.append(to)
        elif isinstance(key, IndexElement) and key.column == column:
            keys.append(key.model_copy(update={"column": to}))
        else:
            keys.append(key)
    include = tuple(to if c == column else c for c in index.include)
    return index.model_copy(
        update={"name": name, "columns": tuple(keys), "include": include, "comment": None}
    )
