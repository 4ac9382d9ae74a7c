"""Recipes for a table's keys, checks, indexes, triggers, policies, row-level security,
storage, partitions and inheritance.

Online: indexes are built and dropped CONCURRENTLY; checks and foreign keys are added
NOT VALID and validated in a later step; unique and primary keys are built as a unique
index CONCURRENTLY and then attached with ``ADD CONSTRAINT ... USING INDEX``; partitions
are detached CONCURRENTLY (unless the table has a DEFAULT partition).
"""

from __future__ import annotations

from dbarch.ddl import render
from dbarch.ddl.privileges import comment_on
from dbarch.migrate.diff.changes import (
    AddConstraint,
    AddIndex,
    AddPolicy,
    AddTrigger,
    AlterPolicy,
    AttachPartition,
    Constraint,
    Deps,
    DetachPartition,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropTrigger,
    InvalidateConstraint,
    RenameConstraint,
    RenameIndex,
    ReplaceIndex,
    ReplaceTrigger,
    SetInherit,
    SetLogged,
    SetRowSecurity,
    SetStorage,
    SetTriggerState,
    ValidateConstraint,
)
from dbarch.migrate.locks import Operation
from dbarch.migrate.plan import sql
from dbarch.migrate.plan.facts import effects, unlisted
from dbarch.migrate.plan.names import relation_names, temp_name
from dbarch.migrate.plan.planner import Draft, Planner, recipe
from dbarch.model.objects import (
    CheckConstraint,
    ExclusionConstraint,
    ForeignKey,
    Index,
    MaterializedView,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from dbarch.pg.quote import qualified, quote_ident


def _label(table: Table | MaterializedView) -> str:
    return f"{table.schema_}.{table.name}"


def _partitioned(table: Table | MaterializedView) -> bool:
    return isinstance(table, Table) and table.partition_by is not None


def constraint_comment(table: Table, constraint: Constraint) -> list[str]:
    """COMMENT ON CONSTRAINT for a constraint that has a comment."""
    if constraint.comment is None or constraint.name is None:
        return []
    on = f"{quote_ident(constraint.name)} ON {qualified(table.schema_, table.name)}"
    return [comment_on("CONSTRAINT", on, constraint.comment)]


def index_comment(relation: Table | MaterializedView, index: Index) -> list[str]:
    """COMMENT ON INDEX for an index that has a comment."""
    if index.comment is None or index.name is None:
        return []
    return [comment_on("INDEX", qualified(relation.schema_, index.name), index.comment)]


def _deferrable(constraint: PrimaryKey | UniqueConstraint) -> str:
    if not constraint.deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if constraint.initially_deferred else " DEFERRABLE"


def _backing_index(constraint: PrimaryKey | UniqueConstraint) -> Index:
    nulls = isinstance(constraint, UniqueConstraint) and constraint.nulls_not_distinct
    return Index(
        name=constraint.name,
        columns=constraint.columns,
        unique=True,
        include=constraint.include,
        nulls_not_distinct=nulls,
    )


# --------------------------------------------------------------------------- constraints


def _add_key(p: Planner, table: Table, key: PrimaryKey | UniqueConstraint) -> list[Draft]:
    """An online primary key or unique constraint of a table that is not partitioned."""
    name = key.name or ""
    index = _backing_index(key)
    build = p.draft(
        f"build the unique index of {name} on {_label(table)}",
        [sql.create_index(table, index, concurrently=True)],
        effects(Operation.CREATE_INDEX_CONCURRENTLY, table=table),
    )
    primary = isinstance(key, PrimaryKey)
    attach = p.draft(
        f"add {'primary key' if primary else 'unique constraint'} {name} to {_label(table)}",
        [
            sql.add_using_index(table, name, primary, _deferrable(key)),
            *constraint_comment(table, key),
        ],
        effects(Operation.ADD_UNIQUE_USING_INDEX, table=table),
    )
    return [build, attach]


def _plain_add(table: Table, constraint: Constraint, only: bool) -> str:
    if isinstance(constraint, PrimaryKey):
        return render.add_primary_key(table, constraint, only)
    if isinstance(constraint, UniqueConstraint):
        return render.add_unique(table, constraint, only)
    if isinstance(constraint, ExclusionConstraint):
        return render.add_exclusion(table, constraint, only)
    if isinstance(constraint, ForeignKey):
        return render.add_foreign_key(table, constraint, only=not _partitioned(table))
    return render.add_check(table, constraint)


def _add_operation(constraint: Constraint, not_valid: bool) -> Operation:
    if isinstance(constraint, PrimaryKey):
        return Operation.ADD_PRIMARY_KEY
    if isinstance(constraint, UniqueConstraint):
        return Operation.ADD_UNIQUE
    if isinstance(constraint, ExclusionConstraint):
        return Operation.ADD_EXCLUSION
    if isinstance(constraint, ForeignKey):
        return Operation.ADD_FOREIGN_KEY_NOT_VALID if not_valid else Operation.ADD_FOREIGN_KEY
    return Operation.ADD_CHECK_NOT_VALID if not_valid else Operation.ADD_CHECK


def _referenced(constraint: Constraint) -> tuple[str, str] | None:
    if isinstance(constraint, ForeignKey):
        return (constraint.references.schema_, constraint.references.table)
    return None


def _validate(p: Planner, table: Table, constraint: CheckConstraint | ForeignKey) -> Draft:
    operation = (
        Operation.VALIDATE_FOREIGN_KEY
        if isinstance(constraint, ForeignKey)
        else Operation.VALIDATE_CHECK
    )
    return p.draft(
        f"validate {constraint.name} of {_label(table)}",
        [sql.validate_constraint(table, constraint.name or "")],
        effects(operation, table=table, referenced=_referenced(constraint)),
    )


def add_constraint_drafts(p: Planner, table: Table, constraint: Constraint) -> list[Draft]:
    """Add one constraint to an existing table (no partitions' children)."""
    what = f"{constraint.name} on {_label(table)}"
    comment = constraint_comment(table, constraint)
    if (
        p.online
        and isinstance(constraint, (PrimaryKey, UniqueConstraint))
        and not _partitioned(table)
    ):
        return _add_key(p, table, constraint)
    if p.online and isinstance(constraint, ExclusionConstraint):
        p.refuse(
            f"exclusion constraint {what}: PostgreSQL builds it under ACCESS EXCLUSIVE with a "
            "full scan and has no online way (plan it with --unsafe in a maintenance window)"
        )
    online_validation = (
        p.online
        and isinstance(constraint, (CheckConstraint, ForeignKey))
        and not constraint.not_valid
        and not (isinstance(constraint, ForeignKey) and _partitioned(table))
    )
    if isinstance(constraint, ForeignKey) and p.online and _partitioned(table):
        p.warnings.append(
            f"foreign key {what}: a partitioned table cannot take a NOT VALID foreign key, "
            "so it is validated while added"
        )
    not_valid = online_validation or (
        isinstance(constraint, (CheckConstraint, ForeignKey)) and constraint.not_valid
    )
    statement = _plain_add(table, constraint, only=_partitioned(table))
    if online_validation:
        statement = sql.with_not_valid(statement)
    operation = _add_operation(constraint, not_valid)
    drafts = [
        p.draft(
            f"add {what}" + (" NOT VALID" if online_validation else ""),
            [statement, *comment],
            effects(operation, table=table, referenced=_referenced(constraint)),
        )
    ]
    if online_validation:
        assert isinstance(constraint, (CheckConstraint, ForeignKey))
        drafts.append(_validate(p, table, constraint))
    return drafts


@recipe(AddConstraint)
def add_constraint(p: Planner, change: AddConstraint) -> list[Draft]:
    table, constraint = change.table, change.constraint
    drafts: list[Draft] = []
    for child_table, child in change.children:
        assert not isinstance(child, Index)
        drafts += add_constraint_drafts(p, child_table, child)
    if not _partitioned(table) or not isinstance(
        constraint, (PrimaryKey, UniqueConstraint, ExclusionConstraint)
    ):
        return drafts + add_constraint_drafts(p, table, constraint)
    attached = [(t.schema_, c.name or "") for t, c in change.children] + list(change.attach)
    statements = [_plain_add(table, constraint, only=bool(attached))]
    statements += [
        render.attach_index(table.schema_, constraint.name or "", schema, name)
        for schema, name in attached
    ]
    statements += constraint_comment(table, constraint)
    operation = _add_operation(constraint, False)
    result = effects(operation, table=table) if not attached else unlisted(table)
    drafts.append(p.draft(change.summary, statements, result))
    return drafts


@recipe(DropConstraint)
def drop_constraint(p: Planner, change: DropConstraint) -> list[Draft]:
    table, constraint = change.table, change.constraint
    if isinstance(constraint, ForeignKey):
        result = effects(
            Operation.DROP_FOREIGN_KEY, table=table, referenced=_referenced(constraint)
        )
    else:
        result = effects(Operation.DROP_CONSTRAINT, table=table)
    return [p.draft(change.summary, [sql.drop_constraint(table, constraint.name or "")], result)]


@recipe(ValidateConstraint)
def validate_constraint(p: Planner, change: ValidateConstraint) -> list[Draft]:
    return [_validate(p, change.table, change.constraint)]


@recipe(InvalidateConstraint)
def invalidate_constraint(p: Planner, change: InvalidateConstraint) -> list[Draft]:
    table, constraint = change.table, change.constraint
    statement = sql.with_not_valid(_plain_add(table, constraint, only=False))
    drop = sql.drop_constraint(table, constraint.name or "")
    operation = (
        Operation.DROP_FOREIGN_KEY
        if isinstance(constraint, ForeignKey)
        else Operation.DROP_CONSTRAINT
    )
    result = effects(operation, table=table, referenced=_referenced(constraint))
    return [
        p.draft(change.summary, [drop, statement, *constraint_comment(table, constraint)], result)
    ]


@recipe(RenameConstraint)
def rename_constraint(p: Planner, change: RenameConstraint) -> list[Draft]:
    statement = sql.rename_constraint(change.table, change.old, change.new)
    return [p.draft(change.summary, [statement], unlisted(change.table))]


# --------------------------------------------------------------------------- indexes


def add_index_drafts(p: Planner, relation: Table | MaterializedView, index: Index) -> list[Draft]:
    """Build one index of a table or materialized view that is not partitioned."""
    name = index.name or ""
    if p.online:
        drafts = [
            p.draft(
                f"create index {name} on {_label(relation)}",
                [sql.create_index(relation, index, concurrently=True)],
                effects(Operation.CREATE_INDEX_CONCURRENTLY, table=relation),
            )
        ]
        comment = index_comment(relation, index)
        if comment:
            drafts.append(
                p.draft(
                    f"comment on index {name}", comment, effects(Operation.COMMENT, table=relation)
                )
            )
        return drafts
    statements = [
        sql.create_index(relation, index, concurrently=False),
        *index_comment(relation, index),
    ]
    return [
        p.draft(
            f"create index {name} on {_label(relation)}",
            statements,
            effects(Operation.CREATE_INDEX, table=relation),
        )
    ]


@recipe(AddIndex)
def add_index(p: Planner, change: AddIndex) -> list[Draft]:
    relation, index = change.relation, change.index
    if not _partitioned(relation):
        return add_index_drafts(p, relation, index)
    drafts: list[Draft] = []
    for child_table, child in change.children:
        assert isinstance(child, Index)
        drafts += add_index_drafts(p, child_table, child)
    attached = [(t.schema_, c.name or "") for t, c in change.children] + list(change.attach)
    statements = [sql.create_index(relation, index, concurrently=False, only=bool(attached))]
    statements += [
        render.attach_index(relation.schema_, index.name or "", schema, name)
        for schema, name in attached
    ]
    statements += index_comment(relation, index)
    result = effects(Operation.CREATE_INDEX, table=relation)
    drafts.append(p.draft(change.summary, statements, result))
    return drafts


@recipe(DropIndex)
def drop_index(p: Planner, change: DropIndex) -> list[Draft]:
    relation, index = change.relation, change.index
    concurrently = p.online and not _partitioned(relation)
    operation = Operation.DROP_INDEX_CONCURRENTLY if concurrently else Operation.DROP_INDEX
    statement = sql.drop_index(relation.schema_, index.name or "", concurrently=concurrently)
    result = effects(operation, table=relation, index=(relation.schema_, index.name or ""))
    return [p.draft(change.summary, [statement], result)]


def drop_old_index(
    p: Planner, relation: Table | MaterializedView, name: str, deps: Deps | None = None
) -> Draft:
    """``DROP INDEX CONCURRENTLY`` of the index ``name`` a rebuilt copy replaces."""
    return p.draft(
        f"drop the old index {name}",
        [sql.drop_index(relation.schema_, name, concurrently=True)],
        effects(Operation.DROP_INDEX_CONCURRENTLY, table=relation, index=(relation.schema_, name)),
        deps=deps,
    )


@recipe(ReplaceIndex)
def replace_index(p: Planner, change: ReplaceIndex) -> list[Draft]:
    relation, old, new = change.relation, change.old, change.new
    name = new.name or ""
    if not p.online:
        drop = sql.drop_index(relation.schema_, old.name or "", concurrently=False)
        statements = [drop, sql.create_index(relation, new, concurrently=False)]
        statements += index_comment(relation, new)
        result = effects(Operation.DROP_INDEX, table=relation) | effects(
            Operation.CREATE_INDEX, table=relation
        )
        return [p.draft(change.summary, statements, result)]
    temporary = temp_name(name, "_dbarch_new", relation_names(p, relation.schema_))
    built = new.model_copy(update={"name": temporary, "comment": None})
    drafts = add_index_drafts(p, relation, built)
    drafts.append(drop_old_index(p, relation, name))
    finish = [sql.rename_index(relation.schema_, temporary, name), *index_comment(relation, new)]
    drafts.append(p.draft(f"rename index {temporary} to {name}", finish, unlisted(relation)))
    return drafts


@recipe(RenameIndex)
def rename_index(p: Planner, change: RenameIndex) -> list[Draft]:
    relation = change.relation
    statement = sql.rename_index(relation.schema_, change.old, change.new)
    return [p.draft(change.summary, [statement], unlisted(relation))]


# --------------------------------------------------------------------------- triggers


@recipe(AddTrigger)
def add_trigger(p: Planner, change: AddTrigger) -> list[Draft]:
    relation, trigger = change.relation, change.trigger
    statements = [render.create_trigger(relation.schema_, relation.name, trigger)]
    if trigger.enabled != "origin":
        statements.append(render.trigger_state(relation.schema_, relation.name, trigger))
    if trigger.comment is not None:
        on = f"{quote_ident(trigger.name)} ON {qualified(relation.schema_, relation.name)}"
        statements.append(comment_on("TRIGGER", on, trigger.comment))
    return [p.draft(change.summary, statements, effects(Operation.CREATE_TRIGGER, table=relation))]


@recipe(DropTrigger)
def drop_trigger(p: Planner, change: DropTrigger) -> list[Draft]:
    relation = change.relation
    statement = sql.drop_trigger(relation, change.trigger.name)
    return [p.draft(change.summary, [statement], unlisted(relation))]


@recipe(ReplaceTrigger)
def replace_trigger(p: Planner, change: ReplaceTrigger) -> list[Draft]:
    relation, trigger = change.relation, change.new
    statements = [
        sql.replace_trigger(render.create_trigger(relation.schema_, relation.name, trigger))
    ]
    return [p.draft(change.summary, statements, effects(Operation.CREATE_TRIGGER, table=relation))]


@recipe(SetTriggerState)
def set_trigger_state(p: Planner, change: SetTriggerState) -> list[Draft]:
    relation = change.relation
    statement = render.trigger_state(relation.schema_, relation.name, change.new)
    return [
        p.draft(
            change.summary, [statement], effects(Operation.ENABLE_DISABLE_TRIGGER, table=relation)
        )
    ]


# --------------------------------------------------------------------------- policies


def _policy_statements(table: Table, policy_sql: str, comment: str | None, name: str) -> list[str]:
    statements = [policy_sql]
    if comment is not None:
        on = f"{quote_ident(name)} ON {qualified(table.schema_, table.name)}"
        statements.append(comment_on("POLICY", on, comment))
    return statements


@recipe(AddPolicy)
def add_policy(p: Planner, change: AddPolicy) -> list[Draft]:
    table, policy = change.table, change.policy
    statements = _policy_statements(
        table, render.create_policy(table, policy), policy.comment, policy.name
    )
    return [p.draft(change.summary, statements, unlisted(table))]


@recipe(DropPolicy)
def drop_policy(p: Planner, change: DropPolicy) -> list[Draft]:
    table = change.table
    return [p.draft(change.summary, [sql.drop_policy(table, change.policy.name)], unlisted(table))]


@recipe(AlterPolicy)
def alter_policy(p: Planner, change: AlterPolicy) -> list[Draft]:
    table, old, new = change.table, change.old, change.new
    removed = (old.using is not None and new.using is None) or (
        old.with_check is not None and new.with_check is None
    )
    if removed:
        statements = [sql.drop_policy(table, old.name), render.create_policy(table, new)]
        if new.comment is not None:
            statements += _policy_statements(table, "", new.comment, new.name)[1:]
    else:
        statements = [sql.alter_policy(table, old, new)]
    return [p.draft(change.summary, statements, unlisted(table))]


@recipe(SetRowSecurity)
def set_row_security(p: Planner, change: SetRowSecurity) -> list[Draft]:
    statements = sql.row_security(change.old, change.new)
    return [p.draft(change.summary, statements, unlisted(change.new))]


# --------------------------------------------------------------------------- storage


@recipe(SetStorage)
def set_storage(p: Planner, change: SetStorage) -> list[Draft]:
    statements = sql.set_storage(change.new, change.old.with_, change.new.with_)
    return [p.draft(change.summary, statements, unlisted(change.new))]


@recipe(SetLogged)
def set_logged(p: Planner, change: SetLogged) -> list[Draft]:
    table = change.new
    if p.online:
        p.refuse(
            f"table {_label(table)}: SET LOGGED / UNLOGGED rewrites the table under ACCESS "
            "EXCLUSIVE (plan it with --unsafe in a maintenance window)"
        )
    statement = sql.set_logged(table)
    return [
        p.draft(change.summary, [statement], effects(Operation.SET_LOGGED_UNLOGGED, table=table))
    ]


# --------------------------------------------------------------------------- partitions


@recipe(AttachPartition)
def attach_partition(p: Planner, change: AttachPartition) -> list[Draft]:
    parent, partition = change.parent, change.partition
    statement = render.attach_partition(parent, partition)
    result = effects(Operation.ATTACH_PARTITION, table=parent, partition=partition)
    return [p.draft(change.summary, [statement], result)]


@recipe(DetachPartition)
def detach_partition(p: Planner, change: DetachPartition) -> list[Draft]:
    parent, partition = change.parent, change.partition
    has_default = any(
        (t.partition_bound or "").strip().upper() == "DEFAULT"
        for t in p.source_catalog.partitions(parent)
    )
    concurrently = p.online and not has_default
    operation = (
        Operation.DETACH_PARTITION_CONCURRENTLY if concurrently else Operation.DETACH_PARTITION
    )
    statement = sql.detach_partition(parent, partition, concurrently=concurrently)
    result = effects(operation, table=parent, partition=partition)
    drafts = [p.draft(change.summary, [statement], result)]
    if concurrently:
        kept = [c.name for c in partition.checks if c.name is not None]
        drafts.append(
            p.draft(
                f"drop the check DETACH CONCURRENTLY added to {_label(partition)}",
                [sql.drop_checks_except(partition, kept)],
                effects(Operation.DROP_CONSTRAINT, table=partition),
            )
        )
    return drafts


@recipe(SetInherit)
def set_inherit(p: Planner, change: SetInherit) -> list[Draft]:
    statement = sql.set_inherit(change.table, change.parent, change.add)
    return [p.draft(change.summary, [statement], unlisted(change.table, change.parent))]
