"""The changes between two versions of one table: columns, keys, indexes, triggers,
policies, partitioning and inheritance, storage, comments, owner and privileges."""

from __future__ import annotations

from collections.abc import Sequence

from dbarch.ddl.lookup import Key, relation_key
from dbarch.ddl.partitions import item_key
from dbarch.migrate.diff.changes import (
    AddColumn,
    AddConstraint,
    AddIndex,
    AddPolicy,
    AddTrigger,
    AlterColumn,
    AlterPolicy,
    AttachPartition,
    Change,
    Constraint,
    DetachPartition,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropTrigger,
    InvalidateConstraint,
    RenameColumn,
    RenameConstraint,
    RenameIndex,
    ReplaceIndex,
    ReplaceTrigger,
    SetComment,
    SetInherit,
    SetLogged,
    SetRowSecurity,
    SetStorage,
    SetTriggerState,
    ValidateConstraint,
    name_of,
    named_like,
)
from dbarch.migrate.diff.context import Context, DiffError, Tagged
from dbarch.migrate.diff.graph import check_key
from dbarch.migrate.diff.match import match_named, possible_renames, same
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    ExclusionConstraint,
    ForeignKey,
    Index,
    MaterializedView,
    PrimaryKey,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)
from dbarch.pg.quote import qualified, quote_ident

# column attributes a partition or an inheritance child takes from its parent
_INHERITED = ("type", "collation", "nullable")


def column_key(table: Table, column: str) -> Key:
    """Tag of a column's changes."""
    return (*relation_key(table.schema_, table.name), f"column:{column}")


def default_key(table: Table, column: str) -> Key:
    """Key of a column's default (what the default's expression refers to)."""
    return (*relation_key(table.schema_, table.name), f"default:{column}")


def constraint_key(table: Table, constraint: Constraint, position: int = 0) -> Key:
    """Step key of a constraint, as :mod:`dbarch.ddl` names it."""
    if isinstance(constraint, CheckConstraint):
        return check_key(table.schema_, table.name, constraint.name or f"#{position}")
    kind = {
        PrimaryKey: "primary_key",
        UniqueConstraint: "unique",
        ExclusionConstraint: "exclusion",
        ForeignKey: "foreign_key",
    }[type(constraint)]
    return item_key(table, kind, constraint.name, position)


def identity_sequence(table: Table, column: Column) -> str | None:
    """The name of an identity column's sequence, spelled out when it is the default."""
    if column.identity is None:
        return None
    return column.identity.sequence or f"{table.name}_{column.name}_seq"


def _with_sequence(table: Table, column: Column) -> Column:
    """``column`` with its identity sequence named explicitly (a table or column rename
    leaves the sequence's old default name behind)."""
    if column.identity is None or column.identity.sequence is not None:
        return column
    identity = column.identity.model_copy(update={"sequence": identity_sequence(table, column)})
    return column.model_copy(update={"identity": identity})


def table_changes(ctx: Context, old: Table, new: Table) -> list[Tagged]:
    """Everything that turns ``old`` into ``new`` (a renamed table's rename excluded)."""
    what = f"table {name_of(new.schema_, new.name)}"
    if old.partition_by != new.partition_by:
        raise DiffError(
            f"{what}: PARTITION BY cannot change in place; create a new table and move the rows"
        )
    out: list[Tagged] = []
    out += _columns(ctx, old, new, what)
    out += _constraints(ctx, old, new, what)
    out += _indexes(ctx, old, new, what)
    out += _triggers(ctx, old, new, what)
    out += _policies(old, new, what)
    key = relation_key(new.schema_, new.name)
    if (old.row_security, old.force_row_security) != (new.row_security, new.force_row_security):
        out.append((("row_security", new.schema_, new.name), SetRowSecurity(old=old, new=new)))
    if old.with_ != new.with_:
        out.append((key, SetStorage(old=old, new=new)))
    if old.unlogged != new.unlogged:
        out.append((key, SetLogged(old=old, new=new)))
    out += _partitioning(ctx, old, new)
    out += _inheritance(ctx, old, new)
    return out


def _parent_columns(ctx: Context, table: Table) -> set[str]:
    """Columns ``table`` has from a parent it keeps (partitioned or inheritance parent)."""
    names: set[str] = set()
    old = ctx.old_table_of(table)
    if old is None:
        return names
    for parent in ctx.new.catalog.parents(table):
        old_parent = ctx.old_table_of(parent)
        if old_parent is not None and old_parent in ctx.old.catalog.parents(old):
            names |= {c.name for c in parent.columns}
    return names


def _columns(ctx: Context, old: Table, new: Table, what: str) -> list[Tagged]:
    inherited = _parent_columns(ctx, new)
    pairs, dropped, added = match_named(old.columns, new.columns, what)
    out: list[Tagged] = []
    ctx.warnings += possible_renames(
        dropped, added, lambda c: f"column {c.name} of {what}", "comment"
    )
    for column in dropped:
        if column.name not in inherited:
            # runs with the alterations, after a rename of the table: named as it is then
            drop = DropColumn(table=named_like(old, new), column=column)
            out.append((column_key(old, column.name), drop))
    for old_column, new_column in pairs:
        if old_column.name != new_column.name and new_column.name not in inherited:
            rename = RenameColumn(table=new, old=old_column.name, new=new_column.name)
            out.append((column_key(new, new_column.name), rename))
        before = _with_sequence(old, old_column).model_copy(update={"name": new_column.name})
        after = _with_sequence(new, new_column)
        if new_column.name in inherited:
            before = before.model_copy(update={f: getattr(after, f) for f in _INHERITED})
        if not same(before, after, "comment"):
            change = AlterColumn(table=new, old=before, new=after, old_table=old)
            out.append((column_key(new, new_column.name), change))
        if old_column.comment != new_column.comment:
            target = f"{qualified(new.schema_, new.name)}.{quote_ident(new_column.name)}"
            comment = SetComment(
                kind="COLUMN",
                target=target,
                table=(new.schema_, new.name),
                old=old_column.comment,
                new=new_column.comment,
            )
            out.append((column_key(new, new_column.name), comment))
    for column in added:
        if column.name not in inherited:
            out.append((column_key(new, column.name), AddColumn(table=new, column=column)))
    renamed = {o.name: n.name for o, n in pairs}
    order_old = [renamed[c.name] for c in old.columns if c.name in renamed]
    order_new = [c.name for c in new.columns if c.name in set(renamed.values())]
    if order_old != order_new:
        ctx.warnings.append(
            f"{what}: the columns are in another order; PostgreSQL cannot reorder columns "
            "in place, so the order is left as it is"
        )
    return out


def _constraints(ctx: Context, old: Table, new: Table, what: str) -> list[Tagged]:
    out: list[Tagged] = []
    groups: list[tuple[Sequence[Constraint], Sequence[Constraint]]] = [
        (
            (old.primary_key,) if old.primary_key else (),
            (new.primary_key,) if new.primary_key else (),
        ),
        (old.unique, new.unique),
        (old.checks, new.checks),
        (old.foreign_keys, new.foreign_keys),
        (old.exclusions, new.exclusions),
    ]
    for old_items, new_items in groups:
        pairs, dropped, added = match_named(old_items, new_items, what)
        ctx.warnings += possible_renames(
            dropped, added, lambda c: f"constraint {c.name} of {what}", "comment"
        )
        for item in dropped:
            key = constraint_key(old, item, old_items.index(item))
            out.append((key, DropConstraint(table=old, constraint=item)))
        for before, after in pairs:
            out += _constraint_pair(ctx, old, new, before, after, new_items.index(after))
        for item in added:
            key = constraint_key(new, item, new_items.index(item))
            out.append((key, AddConstraint(table=new, constraint=item, attach=ctx.attach(key))))
    return out


def _constraint_pair(
    ctx: Context, old: Table, new: Table, before: Constraint, after: Constraint, position: int
) -> list[Tagged]:
    key = constraint_key(new, after, position)
    out: list[Tagged] = []
    if not same(before, after, "name", "comment", "not_valid"):
        old_key = constraint_key(old, before, position)
        out.append((old_key, DropConstraint(table=old, constraint=before)))
        out.append((key, AddConstraint(table=new, constraint=after, attach=ctx.attach(key))))
        return out
    if before.name != after.name and before.name is not None and after.name is not None:
        rename = RenameConstraint(table=new, old=before.name, new=after.name)
        out.append((key, rename))
    if isinstance(after, (CheckConstraint, ForeignKey)) and isinstance(
        before, (CheckConstraint, ForeignKey)
    ):
        if before.not_valid and not after.not_valid:
            out.append((key, ValidateConstraint(table=new, constraint=after)))
        elif after.not_valid and not before.not_valid:
            out.append((key, InvalidateConstraint(table=new, constraint=after)))
    if before.comment != after.comment and after.name is not None:
        target = f"{quote_ident(after.name)} ON {qualified(new.schema_, new.name)}"
        comment = SetComment(
            kind="CONSTRAINT",
            target=target,
            table=(new.schema_, new.name),
            old=before.comment,
            new=after.comment,
        )
        out.append((key, comment))
    return out


def _indexes(
    ctx: Context, old: Table | MaterializedView, new: Table | MaterializedView, what: str
) -> list[Tagged]:
    """Index changes of a table or materialized view (a changed index is dropped and
    created again, under its new name if it has one)."""
    out: list[Tagged] = []
    pairs, dropped, added = match_named(old.indexes, new.indexes, what)
    ctx.warnings += possible_renames(
        dropped, added, lambda i: f"index {name_of(new.schema_, i.name or '')}", "comment"
    )
    for index in dropped:
        key = _index_key(old, index, old.indexes.index(index))
        out.append((key, DropIndex(relation=old, index=index)))
    for before, after in pairs:
        key = _index_key(new, after, new.indexes.index(after))
        if not same(before, after, "name", "comment"):
            partitioned = isinstance(new, Table) and new.partition_by is not None
            if before.name == after.name and after.name and not partitioned:
                out.append((key, ReplaceIndex(relation=new, old=before, new=after)))
                continue
            old_key = _index_key(old, before, old.indexes.index(before))
            out.append((old_key, DropIndex(relation=old, index=before)))
            out.append((key, AddIndex(relation=new, index=after, attach=ctx.attach(key))))
            continue
        if before.name != after.name and before.name and after.name:
            out.append((key, RenameIndex(relation=new, old=before.name, new=after.name)))
        if before.comment != after.comment and after.name is not None:
            comment = SetComment(
                kind="INDEX",
                target=qualified(new.schema_, after.name),
                table=(new.schema_, new.name),
                old=before.comment,
                new=after.comment,
            )
            out.append((key, comment))
    for index in added:
        key = _index_key(new, index, new.indexes.index(index))
        out.append((key, AddIndex(relation=new, index=index, attach=ctx.attach(key))))
    return out


def _index_key(relation: Table | MaterializedView, index: Index, position: int) -> Key:
    return ("index", relation.schema_, relation.name, index.name or f"#{position}")


def matview_indexes(
    ctx: Context, old: MaterializedView, new: MaterializedView, what: str
) -> list[Tagged]:
    """Index changes of a materialized view."""
    return _indexes(ctx, old, new, what)


def _cloned_triggers(ctx: Context, table: Table, graph_catalog_new: bool) -> set[str]:
    """Names of row triggers ``table`` has as clones of its partition ancestors'."""
    catalog = ctx.new.catalog if graph_catalog_new else ctx.old.catalog
    return {
        t.name
        for ancestor in catalog.partition_ancestors(table)
        for t in ancestor.triggers
        if t.for_each == "row"
    }


def _triggers(ctx: Context, old: Table | View, new: Table | View, what: str) -> list[Tagged]:
    """Trigger changes of a table or view."""
    out: list[Tagged] = []
    old_clones = _cloned_triggers(ctx, old, False) if isinstance(old, Table) else set()
    new_clones = _cloned_triggers(ctx, new, True) if isinstance(new, Table) else set()
    pairs, dropped, added = match_named(
        [t for t in old.triggers if t.name not in old_clones],
        [t for t in new.triggers if t.name not in new_clones],
        what,
    )
    for trigger in dropped:
        key = ("trigger", old.schema_, old.name, trigger.name)
        out.append((key, DropTrigger(relation=old, trigger=trigger)))
    for before, after in pairs:
        key = ("trigger", new.schema_, new.name, after.name)
        if not same(before, after, "comment", "enabled"):
            if before.constraint or after.constraint or before.name != after.name:
                out.append(
                    (
                        (key[0], old.schema_, old.name, before.name),
                        DropTrigger(relation=old, trigger=before),
                    )
                )
                out.append((key, AddTrigger(relation=new, trigger=after)))
                continue
            out.append((key, ReplaceTrigger(relation=new, old=before, new=after)))
        if before.enabled != after.enabled and isinstance(new, Table):
            out.append((key, SetTriggerState(relation=new, old=before, new=after)))
        if before.comment != after.comment:
            out.append((key, _trigger_comment(new, before, after)))
    for trigger in added:
        key = ("trigger", new.schema_, new.name, trigger.name)
        out.append((key, AddTrigger(relation=new, trigger=trigger)))
    if isinstance(old, Table) and isinstance(new, Table):
        out += _clone_states(old, new, old_clones & new_clones)
    return out


def _trigger_comment(relation: Table | View, before: Trigger, after: Trigger) -> Change:
    return SetComment(
        kind="TRIGGER",
        target=f"{quote_ident(after.name)} ON {qualified(relation.schema_, relation.name)}",
        table=(relation.schema_, relation.name),
        old=before.comment,
        new=after.comment,
    )


def _clone_states(old: Table, new: Table, names: set[str]) -> list[Tagged]:
    """Enabled states of cloned partition triggers that changed."""
    out: list[Tagged] = []
    before = {t.name: t for t in old.triggers}
    for trigger in new.triggers:
        if trigger.name in names and before[trigger.name].enabled != trigger.enabled:
            key = ("trigger", new.schema_, new.name, trigger.name)
            state = SetTriggerState(relation=new, old=before[trigger.name], new=trigger)
            out.append((key, state))
    return out


def view_triggers(ctx: Context, old: View, new: View, what: str) -> list[Tagged]:
    """Trigger changes of a view."""
    return _triggers(ctx, old, new, what)


def _policies(old: Table, new: Table, what: str) -> list[Tagged]:
    out: list[Tagged] = []
    pairs, dropped, added = match_named(old.policies, new.policies, what)
    for policy in dropped:
        key = ("policy", old.schema_, old.name, policy.name)
        out.append((key, DropPolicy(table=old, policy=policy)))
    for before, after in pairs:
        key = ("policy", new.schema_, new.name, after.name)
        if before.name != after.name:
            out.append((key, AlterPolicy(table=new, old=before, new=after)))
            before = before.model_copy(update={"name": after.name})
        if not same(before, after, "comment"):
            if (before.command, before.permissive) == (after.command, after.permissive):
                out.append((key, AlterPolicy(table=new, old=before, new=after)))
            else:
                out.append((key, DropPolicy(table=old, policy=before)))
                out.append((key, AddPolicy(table=new, policy=after)))
                continue
        if before.comment != after.comment:
            comment = SetComment(
                kind="POLICY",
                target=f"{quote_ident(after.name)} ON {qualified(new.schema_, new.name)}",
                table=(new.schema_, new.name),
                old=before.comment,
                new=after.comment,
            )
            out.append((key, comment))
    for policy in added:
        key = ("policy", new.schema_, new.name, policy.name)
        out.append((key, AddPolicy(table=new, policy=policy)))
    return out


def _parent(ctx: Context, table: Table, new: bool) -> Table | None:
    if table.partition_of is None:
        return None
    catalog = ctx.new.catalog if new else ctx.old.catalog
    return catalog.parents(table)[0]


def _partitioning(ctx: Context, old: Table, new: Table) -> list[Tagged]:
    """Attach and detach when a table's partition parent or bound changed."""
    old_parent, new_parent = _parent(ctx, old, False), _parent(ctx, new, True)
    same_parent = (
        old_parent is not None
        and new_parent is not None
        and ctx.new_table_of(old_parent) == new_parent
    )
    if same_parent and old.partition_bound == new.partition_bound:
        return []
    out: list[Tagged] = []
    if old_parent is not None:
        key = ("attach", old.schema_, old.name)
        out.append((key, DetachPartition(parent=old_parent, partition=old)))
    if new_parent is not None:
        key = ("attach", new.schema_, new.name)
        out.append((key, AttachPartition(parent=new_parent, partition=new)))
    return out


def _inheritance(ctx: Context, old: Table, new: Table) -> list[Tagged]:
    key = relation_key(new.schema_, new.name)
    old_parents = [] if old.partition_of else ctx.old.catalog.parents(old)
    new_parents = [] if new.partition_of else ctx.new.catalog.parents(new)
    kept = {relation_key(p.schema_, p.name) for p in new_parents}
    out: list[Tagged] = []
    for parent in old_parents:
        counterpart = ctx.new_table_of(parent)
        if counterpart is None or relation_key(counterpart.schema_, counterpart.name) not in kept:
            out.append((key, SetInherit(table=old, parent=parent, add=False)))
    before = {
        relation_key(t.schema_, t.name)
        for t in (ctx.new_table_of(p) for p in old_parents)
        if t is not None
    }
    for parent in new_parents:
        if relation_key(parent.schema_, parent.name) not in before:
            out.append((key, SetInherit(table=new, parent=parent, add=True)))
    return out
