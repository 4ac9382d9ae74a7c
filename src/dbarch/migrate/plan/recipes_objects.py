"""Recipes for whole objects (create, drop, rename, replace) and for the changes of
roles, extensions, sequences, domains, composite types, views, comments, owners and
privileges."""

from __future__ import annotations

from dataclasses import replace

from dbarch.ddl import render
from dbarch.ddl.lookup import Catalog, Key
from dbarch.ddl.order import Step as DdlStep
from dbarch.ddl.privileges import acl_statements, comment_on
from dbarch.ddl.render import fragment
from dbarch.migrate.diff.changes import (
    NO_DEPS,
    AlterComposite,
    AlterDomain,
    AlterExtension,
    AlterRole,
    AlterSequence,
    CreateObject,
    Deps,
    DropObject,
    RenameObject,
    ReplaceRoutine,
    SetComment,
    SetOwner,
    SetPrivileges,
    SetViewOptions,
    describe,
)
from dbarch.migrate.diff.graph import TopObject, object_key
from dbarch.migrate.diff.match import match_named, same
from dbarch.migrate.diff.parts import DropPart, create_deps, drop_parts
from dbarch.migrate.locks import Operation
from dbarch.migrate.plan import sql
from dbarch.migrate.plan.facts import effects, unlisted
from dbarch.migrate.plan.planner import Draft, Planner, recipe
from dbarch.migrate.plan.steps import NO_EFFECTS, Effects, Step
from dbarch.model.objects import (
    Aggregate,
    Function,
    MaterializedView,
    Privileged,
    Role,
    SchemaDef,
    Sequence,
    Table,
    View,
)
from dbarch.pg.quote import qualified, quote_ident

_DDL_STEP_WORDS = {
    "primary_key": "add primary key",
    "unique": "add unique constraint",
    "exclusion": "add exclusion constraint",
    "index": "create index",
    "foreign_key": "add foreign key",
    "trigger": "create trigger",
    "policy": "create policy",
    "privileges": "grant privileges on",
    "attach": "attach partition",
    "row_security": "set row level security of",
    "refresh": "refresh",
    "owned_by": "set the owning column of",
    "index_attach": "attach the partition index",
    "split": "set",
    "membership": "grant membership of",
}


def _summary(key: Key, obj: TopObject) -> str:
    main = object_key(obj)
    if key == main:
        return f"create {describe(obj)}"
    words = _DDL_STEP_WORDS.get(key[0], "complete")
    if key[0] in (
        "primary_key",
        "unique",
        "exclusion",
        "index",
        "foreign_key",
        "trigger",
        "policy",
    ):
        return f"{words} {key[-1]} of {describe(obj)}"
    if key[0] == "relation":
        return f"add check {key[-1].split(':', 1)[1]} to {describe(obj)}"
    return f"{words} {describe(obj)}"


def ddl_effects(key: Key, obj: TopObject, catalog: Catalog) -> Effects:
    """The effects of one DDL step of ``obj`` on existing and new tables."""
    kind = key[0]
    if not isinstance(obj, (Table, MaterializedView, View)):
        return NO_EFFECTS
    if kind in ("primary_key", "unique", "exclusion", "index") and isinstance(obj, Table):
        operation = {
            "primary_key": Operation.ADD_PRIMARY_KEY,
            "unique": Operation.ADD_UNIQUE,
            "exclusion": Operation.ADD_EXCLUSION,
            "index": Operation.CREATE_INDEX,
        }[kind]
        return effects(operation, table=obj)
    if kind == "index":
        return effects(Operation.CREATE_INDEX, table=obj)
    if kind == "foreign_key" and isinstance(obj, Table):
        fk = next(f for f in obj.foreign_keys if f.name == key[-1])
        target = (fk.references.schema_, fk.references.table)
        return effects(Operation.ADD_FOREIGN_KEY, table=obj, referenced=target)
    if kind == "attach" and isinstance(obj, Table):
        parent = catalog.parents(obj)[0]
        return effects(Operation.ATTACH_PARTITION, table=parent, partition=obj)
    if kind == "trigger":
        return effects(Operation.CREATE_TRIGGER, table=obj)
    if kind == "refresh":
        return effects(Operation.REFRESH_MATERIALIZED_VIEW, table=obj)
    if kind == "split":
        check = key[-1].startswith("check:")
        return effects(Operation.ADD_CHECK if check else Operation.SET_DEFAULT, table=obj)
    if kind == "relation" and len(key) == 4:
        return effects(Operation.ADD_CHECK_NOT_VALID, table=obj)
    if kind == "relation" and isinstance(obj, Table) and obj.inherits:
        return unlisted(*catalog.parents(obj))
    if kind in ("policy", "row_security", "index_attach", "privileges"):
        return unlisted(obj)
    return NO_EFFECTS


def _ddl_step(p: Planner, ddl: DdlStep, obj: TopObject, catalog: Catalog) -> Step:
    return p.step(_summary(ddl.key, obj), ddl.statements, ddl_effects(ddl.key, obj, catalog))


def _catalogs(p: Planner, forward: bool) -> Catalog:
    """The catalog an object being created (``forward``) or dropped belongs to."""
    return p.target_catalog if forward else p.source_catalog


@recipe(CreateObject)
def create_object(p: Planner, change: CreateObject) -> list[Draft]:
    obj = change.obj
    main = object_key(obj)
    catalog = _catalogs(p, True)
    drafts = []
    drop: tuple[Step, ...] = ()
    if not isinstance(obj, Role):  # roles belong to the cluster: never dropped
        drafts_of_drop = _drop_drafts(p, obj, change.ddl, catalog, restore=False)
        drop = tuple(d.step for d in drafts_of_drop[-1:])  # the other parts undo themselves
    undo_part = {d.deps.removes: d.step for d in _undo_parts(p, obj, change.ddl, catalog)}
    for ddl in change.ddl:
        reverse: tuple[Step, ...] = ()
        if ddl.key == main:
            reverse = drop
        else:
            reverse = tuple(s for keys, s in undo_part.items() if ddl.key in keys)
        step = replace(_ddl_step(p, ddl, obj, catalog), reverse=reverse)
        drafts.append(Draft(step, create_deps(obj, ddl, p.keys_of(main)), chained=False))
    return drafts


def _undo_parts(
    p: Planner, obj: TopObject, ddl: tuple[DdlStep, ...], catalog: Catalog
) -> list[Draft]:
    """Drafts undoing the parts of a new object that tie it to others: its owning column
    (a sequence), its foreign keys to other tables; one per foreign key."""
    drafts = []
    keys = frozenset(s.key for s in ddl)
    for part in drop_parts(obj, keys)[:-1]:
        if part.kind == "foreign keys":
            for key in sorted(part.keys):
                one = DropPart(part.kind, frozenset({key}))
                statements, result, _ = _drop_part(p, obj, catalog, one)
                drafts.append(
                    Draft(
                        p.step(f"drop foreign key {key[-1]}", statements, result),
                        _removing(NO_DEPS, one.keys),
                    )
                )
        elif part.kind == "unlink":
            statements, result, _ = _drop_part(p, obj, catalog, part)
            drafts.append(
                Draft(
                    p.step(f"unlink {describe(obj)}", statements, result),
                    _removing(NO_DEPS, part.keys),
                )
            )
    return drafts


def _schema_keys(obj: TopObject) -> frozenset[Key]:
    schema = getattr(obj, "schema_", None)
    return frozenset({("schema", schema)}) if isinstance(schema, str) else frozenset()


def _has_default_partition(catalog: Catalog, parent: Table) -> bool:
    return any(
        (p.partition_bound or "").strip().upper() == "DEFAULT" for p in catalog.partitions(parent)
    )


def _drop_drafts(
    p: Planner,
    obj: TopObject,
    ddl: tuple[DdlStep, ...],
    catalog: Catalog,
    *,
    restore: bool,
    base: Deps = NO_DEPS,
) -> list[Draft]:
    """One draft per part of the drop (see :mod:`dbarch.migrate.diff.parts`); with
    ``restore``, each carries the steps that undo it."""

    def undo(keys: frozenset[Key]) -> tuple[Step, ...]:
        if not restore:
            return ()
        return tuple(_ddl_step(p, s, obj, catalog) for s in ddl if s.key in keys)

    keys = frozenset(s.key for s in ddl) | p.old_keys_of(object_key(obj))
    drafts = []
    for part in drop_parts(obj, keys):
        statements, result, redo = _drop_part(p, obj, catalog, part)
        irreversible = None
        if part.kind == "drop" and isinstance(obj, Table):
            irreversible = (
                f"dropping {describe(obj)} deletes its rows; the reverse creates it empty"
            )
        summary = _PART_WORDS[part.kind].format(describe(obj))
        made = p.step(summary, statements, result, irreversible=irreversible)
        drafts.append(Draft(replace(made, reverse=undo(redo)), _removing(base, part.keys)))
    return drafts


_PART_WORDS = {
    "unlink": "unlink {} from its owning column",
    "detach": "detach {}",
    "foreign keys": "drop the foreign keys of {}",
    "drop": "drop {}",
}


def _drop_part(
    p: Planner, obj: TopObject, catalog: Catalog, part: DropPart
) -> tuple[list[str], Effects, frozenset[Key]]:
    """Statements, effects and the keys whose DDL undoes one part of a drop."""
    if part.kind == "unlink":
        assert isinstance(obj, Sequence)
        return [sql.sequence_owned_by_none(obj)], NO_EFFECTS, part.keys
    if part.kind == "detach":
        assert isinstance(obj, Table)
        parent = catalog.parents(obj)[0]
        concurrently = p.online and not _has_default_partition(catalog, parent)
        operation = (
            Operation.DETACH_PARTITION_CONCURRENTLY if concurrently else Operation.DETACH_PARTITION
        )
        statement = sql.detach_partition(parent, obj, concurrently=concurrently)
        attach = frozenset(k for k in part.keys if k[0] == "attach")  # indexes follow it
        return [statement], effects(operation, table=parent, partition=obj), attach
    if part.kind == "foreign keys":
        assert isinstance(obj, Table)
        result = NO_EFFECTS
        statements = []
        for fk in obj.foreign_keys:
            if ("foreign_key", obj.schema_, obj.name, fk.name) in part.keys:
                statements.append(sql.drop_constraint(obj, fk.name or ""))
                target = (fk.references.schema_, fk.references.table)
                result |= effects(Operation.DROP_FOREIGN_KEY, table=obj, referenced=target)
        return statements, result, part.keys
    result = NO_EFFECTS
    if isinstance(obj, Table):
        result = effects(Operation.DROP_TABLE, table=obj)
    elif isinstance(obj, (View, MaterializedView)):
        result = unlisted(obj)
    return [sql.drop_object(obj)], result, part.keys


def _removing(base: Deps, keys: frozenset[Key]) -> Deps:
    """The deps of one step of a drop: the drop's, removing ``keys`` only."""
    return replace(base, removes=keys)


@recipe(DropObject)
def drop_object(p: Planner, change: DropObject) -> list[Draft]:
    obj = change.obj
    if isinstance(obj, Table):
        p.destructive(f"{describe(obj)} would be dropped with its rows")
    catalog = _catalogs(p, False)
    return _drop_drafts(p, obj, change.ddl, catalog, restore=True, base=change.deps)


@recipe(RenameObject)
def rename_object(p: Planner, change: RenameObject) -> list[Draft]:
    old, new = change.old, change.new
    current = old
    if not isinstance(old, SchemaDef) and hasattr(old, "schema_"):
        current = old.model_copy(update={"schema_": new.schema_})
    result = NO_EFFECTS
    if isinstance(old, Table):
        result = effects(Operation.RENAME_TABLE, table=(new.schema_, old.name))
    elif isinstance(old, MaterializedView):
        result = effects(Operation.RENAME_MATERIALIZED_VIEW, table=(new.schema_, old.name))
    elif isinstance(old, View):
        result = unlisted((new.schema_, old.name))
    return [p.draft(change.summary, [sql.rename_object(current, new.name)], result)]


@recipe(ReplaceRoutine)
def replace_routine(p: Planner, change: ReplaceRoutine) -> list[Draft]:
    new = change.new
    if isinstance(new, Function):
        statement = render.create_function(new)
    else:
        assert isinstance(new, Aggregate)
        statement = render.create_aggregate(new)
    return [p.draft(change.summary, [sql.create_or_replace(statement)])]


@recipe(AlterRole)
def alter_role(p: Planner, change: AlterRole) -> list[Draft]:
    old, new = change.old, change.new
    statements = []
    if not same(old, new, "member_of", "comment"):
        statements.append(sql.alter_role(new))
    for parent in new.member_of:
        if parent not in old.member_of:
            statements.append(render.grant_role(parent, new.name))
    for parent in old.member_of:
        if parent not in new.member_of:
            statements.append(sql.revoke_role(parent, new.name))
    return [p.draft(change.summary, statements)] if statements else []


@recipe(AlterExtension)
def alter_extension(p: Planner, change: AlterExtension) -> list[Draft]:
    return [p.draft(change.summary, sql.alter_extension(change.old, change.new))]


@recipe(AlterSequence)
def alter_sequence(p: Planner, change: AlterSequence) -> list[Draft]:
    old, new = change.old, change.new
    statements = []
    if not same(old, new, "owned_by", "name", "owner", "grants", "revokes", "comment"):
        statements.append(sql.alter_sequence(new))
    if old.owned_by != new.owned_by:
        if new.owned_by is None:
            statements.append(sql.sequence_owned_by_none(new))
        else:
            what = describe(new)
            table, column = p.target_catalog.owned_by(new.owned_by, new.schema_, what)
            statements.append(render.sequence_owned_by(new, table, column))
    return [p.draft(change.summary, statements)]


@recipe(AlterDomain)
def alter_domain(p: Planner, change: AlterDomain) -> list[Draft]:
    old, new = change.old, change.new
    target = qualified(new.schema_, new.name)
    statements: list[str] = []
    validate: list[str] = []
    scans = False
    if old.default != new.default:
        action = "DROP DEFAULT" if new.default is None else f"SET DEFAULT {fragment(new.default)}"
        statements.append(sql.alter_domain(new, action))
    if old.nullable != new.nullable:
        statements.append(
            sql.alter_domain(new, "DROP NOT NULL" if new.nullable else "SET NOT NULL")
        )
        scans = not new.nullable
    pairs, dropped, added = match_named(old.checks, new.checks, describe(new))
    for check in dropped:
        statements.append(sql.alter_domain(new, f"DROP CONSTRAINT {quote_ident(check.name or '')}"))
    for before, after in pairs:
        if not same(before, after, "comment", "not_valid"):
            statements.append(
                sql.alter_domain(new, f"DROP CONSTRAINT {quote_ident(before.name or '')}")
            )
            added.append(after)
        elif before.not_valid and not after.not_valid:
            validate.append(
                sql.alter_domain(new, f"VALIDATE CONSTRAINT {quote_ident(after.name or '')}")
            )
        elif after.not_valid and not before.not_valid:
            statements.append(
                sql.alter_domain(new, f"DROP CONSTRAINT {quote_ident(before.name or '')}")
            )
            statements.append(render.domain_add_check(new, after))
        if before.comment != after.comment and after.name is not None:
            on = f"{quote_ident(after.name)} ON DOMAIN {target}"
            statements.append(comment_on("CONSTRAINT", on, after.comment))
    for check in added:
        online = p.online and not check.not_valid
        statements.append(
            render.domain_add_check(
                new, check.model_copy(update={"not_valid": online or check.not_valid})
            )
        )
        if online:
            validate.append(
                sql.alter_domain(new, f"VALIDATE CONSTRAINT {quote_ident(check.name or '')}")
            )
        else:
            scans = scans or not check.not_valid
        if check.comment is not None and check.name is not None:
            on = f"{quote_ident(check.name)} ON DOMAIN {target}"
            statements.append(comment_on("CONSTRAINT", on, check.comment))
    drafts = []
    if statements:
        drafts.append(p.draft(change.summary, statements, Effects(scans=scans)))
    if validate:
        drafts.append(
            p.draft(f"validate the checks of {describe(new)}", validate, Effects(scans=True))
        )
    return drafts


@recipe(AlterComposite)
def alter_composite(p: Planner, change: AlterComposite) -> list[Draft]:
    old, new = change.old, change.new
    pairs, dropped, added = match_named(old.attributes, new.attributes, describe(new))
    actions = [f"DROP ATTRIBUTE {quote_ident(a.name)}" for a in dropped]
    for before, after in pairs:
        if (before.type, before.collation) != (after.type, after.collation):
            collate = f" COLLATE {quote_ident(after.collation)}" if after.collation else ""
            actions.append(
                f"ALTER ATTRIBUTE {quote_ident(after.name)} TYPE {fragment(after.type)}{collate}"
            )
    actions += [f"ADD ATTRIBUTE {sql.attribute_definition(a)}" for a in added]
    statements = [sql.alter_composite(new, action) for action in actions]
    for attribute in added:
        if attribute.comment is not None:
            column = f"{qualified(new.schema_, new.name)}.{quote_ident(attribute.name)}"
            statements.append(comment_on("COLUMN", column, attribute.comment))
    return [p.draft(change.summary, statements)] if statements else []


@recipe(SetViewOptions)
def set_view_options(p: Planner, change: SetViewOptions) -> list[Draft]:
    statements = sql.view_options(change.old, change.new)
    return [p.draft(change.summary, statements, unlisted(change.new))]


@recipe(SetComment)
def set_comment(p: Planner, change: SetComment) -> list[Draft]:
    result = effects(Operation.COMMENT, table=change.table) if change.table else NO_EFFECTS
    return [p.draft(change.summary, [comment_on(change.kind, change.target, change.new)], result)]


@recipe(SetOwner)
def set_owner(p: Planner, change: SetOwner) -> list[Draft]:
    where = change.target
    result = unlisted(where.table) if where.table else NO_EFFECTS
    return [p.draft(change.summary, [sql.alter_owner(where.ref, change.new)], result)]


@recipe(SetPrivileges)
def set_privileges(p: Planner, change: SetPrivileges) -> list[Draft]:
    old, new, ref = change.old, change.new, change.target.ref
    what = change.target.label
    if old.revokes == new.revokes and new.grants[: len(old.grants)] == old.grants:
        extra = Privileged(grants=new.grants[len(old.grants) :])
        statements = acl_statements(ref, extra, what)
    else:
        statements = [sql.revoke(ref, grant) for grant in old.grants]
        statements += acl_statements(ref, Privileged(grants=old.revokes), what)
        statements += acl_statements(ref, new, what)
    result = unlisted(change.target.table) if change.target.table else NO_EFFECTS
    return [p.draft(change.summary, statements, result)]
