"""The ordering facts of each change: which step keys it removes, provides and needs.

Keys are those of :mod:`.graph`: removes are keys of the old Schema (whatever depends
on them in the old Schema must be gone first), provides and needs keys of the new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from dbarch.ddl.lookup import Key
from dbarch.ddl.sqlrefs import Refs, expression_refs, name_ref, type_refs
from dbarch.migrate.diff.changes import (
    CONSTRAINTS,
    AddColumn,
    AddConstraint,
    AddEnumValues,
    AddIndex,
    AddPolicy,
    AddTrigger,
    AlterColumn,
    AlterComposite,
    AlterDomain,
    AlterExtension,
    AlterPolicy,
    AlterRole,
    AlterSequence,
    AttachPartition,
    Change,
    CreateObject,
    Deps,
    DetachPartition,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropObject,
    DropPolicy,
    DropTrigger,
    InvalidateConstraint,
    RenameColumn,
    RenameConstraint,
    RenameIndex,
    RenameObject,
    ReplaceIndex,
    ReplaceRoutine,
    ReplaceTrigger,
    SetComment,
    SetInherit,
    SetLogged,
    SetOwner,
    SetPrivileges,
    SetRowSecurity,
    SetStorage,
    SetTriggerState,
    SetViewOptions,
    SwapEnum,
    ValidateConstraint,
)
from dbarch.migrate.diff.context import Context, Tagged
from dbarch.migrate.diff.graph import check_key, object_key, owner
from dbarch.migrate.diff.tables import constraint_key, default_key
from dbarch.model.objects import Column, Index, Table


def named(key: Key) -> Key:
    """The key that exists once the object ``key`` has its new name: what a change of an
    object needs before it can name it (the object's own key also covers its changes)."""
    return ("named", *key)


def old_name(key: Key) -> Key:
    """The key steps provide that must see ``key``'s object under its old name (drops):
    renaming the object waits for them."""
    return ("old name", *key)


def freed(key: Key) -> Key:
    """The key a rename provides when the old name ``key`` is free for a new object."""
    return ("freed", *key)


def _schema_of(obj: object) -> frozenset[Key]:
    schema = getattr(obj, "schema_", None)
    return frozenset({("schema", schema)}) if isinstance(schema, str) else frozenset()


class DepsOf:
    """Computes :class:`Deps` for the changes of one comparison."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def resolve(self, refs: Refs) -> frozenset[Key]:
        return self.ctx.new.catalog.resolve(refs)

    def expression(self, expr: str | None, what: str) -> frozenset[Key]:
        return frozenset() if expr is None else self.resolve(expression_refs(expr, what))

    def column(self, table: Table, column: Column) -> frozenset[Key]:
        """What a column's type, default and generation expression refer to."""
        what = f"column {column.name} of {table.schema_}.{table.name}"
        keys = self.resolve(type_refs(column.type, what))
        return (
            keys | self.expression(column.default, what) | self.expression(column.generated, what)
        )

    def new_requires(self, keys: Iterable[Key]) -> frozenset[Key]:
        found: set[Key] = set()
        for key in keys:
            found |= self.ctx.new.requires.get(key, frozenset())
        return frozenset(found)

    def old_table(self, table: Table) -> Key:
        old = self.ctx.old_table_of(table)
        return object_key(old) if old is not None else object_key(table)

    def of(self, tag: Key, change: Change) -> Deps:
        """The deps of ``change`` (about the piece ``tag``)."""
        deps = self._of(tag, change)
        provides, needs = set(deps.provides), set(deps.needs | _container(change))
        if isinstance(change, _DROPS):
            provides |= {old_name(owner(tag)), *(old_name(k) for k in _container(change))}
        if isinstance(change, _CREATES):
            needs.add(freed(tag))
        return replace(deps, provides=frozenset(provides), needs=frozenset(needs - provides))

    def _of(self, tag: Key, change: Change) -> Deps:
        new = self.ctx.new
        if isinstance(change, CreateObject):
            provides = frozenset(s.key for s in change.ddl) | new.keys_of(object_key(change.obj))
            needs = frozenset().union(*(s.all_requirements() for s in change.ddl)) - provides
            return Deps(provides=provides, needs=needs)
        if isinstance(change, DropObject):
            return Deps(removes=self.ctx.old.keys_of(object_key(change.obj)))
        if isinstance(change, RenameObject):
            key, before = object_key(change.new), object_key(change.old)
            return Deps(
                provides=frozenset({key, named(key), freed(before)}),
                needs=frozenset({old_name(before)}),
            )
        if isinstance(change, (ReplaceRoutine, AlterRole, AlterExtension, AlterDomain)):
            key = object_key(change.new)
            return Deps(provides=frozenset({key}), needs=new.requires.get(key, frozenset()))
        if isinstance(change, (AlterComposite, AddEnumValues, SetViewOptions)):
            return Deps(provides=frozenset({object_key(change.new)}))
        if isinstance(change, SwapEnum):
            return self._swap(change)
        if isinstance(change, AlterSequence):
            key = object_key(change.new)
            removes = frozenset()
            if change.old.owned_by != change.new.owned_by:
                removes = frozenset({("owned_by", change.old.schema_, change.old.name)})
            return Deps(
                removes=removes,
                provides=frozenset({key}),
                needs=new.requires.get(
                    ("owned_by", change.new.schema_, change.new.name), frozenset()
                ),
            )
        if isinstance(change, (AddColumn, DropColumn, AlterColumn, RenameColumn)):
            return self._column(change)
        if isinstance(change, (AddConstraint, AddIndex, AddTrigger, AddPolicy)):
            return self._add_piece(tag, change)
        if isinstance(change, (DropConstraint, DropIndex, DropTrigger, DropPolicy)):
            return Deps(removes=frozenset({tag}) | _children_keys(change))
        if isinstance(change, (ReplaceTrigger, AlterPolicy, ReplaceIndex)):
            return Deps(
                removes=frozenset({tag}),
                provides=frozenset({tag}),
                needs=new.requires.get(tag, frozenset()),
            )
        if isinstance(change, (ValidateConstraint, InvalidateConstraint, SetTriggerState)):
            return Deps(provides=frozenset({tag}), needs=frozenset({named(tag)}))
        if isinstance(change, (RenameConstraint, RenameIndex)):
            return self._rename_piece(tag, change)
        if isinstance(change, (SetRowSecurity, SetStorage, SetLogged)):
            key = object_key(change.new)
            return Deps(provides=frozenset({tag, key}), needs=frozenset({named(key)}))
        if isinstance(change, AttachPartition):
            parent, part = object_key(change.parent), object_key(change.partition)
            return Deps(
                provides=frozenset({tag}),
                needs=frozenset({parent, part}) | new.requires.get(tag, frozenset()),
            )
        if isinstance(change, DetachPartition):
            return Deps(
                removes=frozenset({("attach", change.partition.schema_, change.partition.name)})
            )
        if isinstance(change, SetInherit):
            key = object_key(change.table)
            parent = object_key(change.parent)
            return Deps(provides=frozenset({key}), needs=frozenset({named(key), parent}))
        if isinstance(change, (SetComment, SetOwner)):
            roles = (
                frozenset({("role", change.new)})
                if isinstance(change, SetOwner) and change.new
                else frozenset()
            )
            return Deps(needs=frozenset({named(tag)}) | roles)
        if isinstance(change, SetPrivileges):
            grantees = {g.to for g in (*change.new.grants, *change.new.revokes)}
            roles = frozenset({("role", r) for r in grantees})
            return Deps(provides=frozenset({tag}), needs=frozenset({named(tag[1:])}) | roles)
        raise TypeError(f"no ordering facts for {type(change).__name__}")

    def _swap(self, change: SwapEnum) -> Deps:
        key = object_key(change.new)
        tables = {object_key(use.table) for use in change.uses}
        old_tables = {self.old_table(use.table) for use in change.uses}
        return Deps(
            removes=frozenset({object_key(change.old), *old_tables}),
            provides=frozenset({key, *tables}),
            needs=frozenset({named(key), *(named(t) for t in tables)}),
        )

    def _column(self, change: AddColumn | DropColumn | AlterColumn | RenameColumn) -> Deps:
        table = change.table
        key = object_key(table)
        if isinstance(change, AddColumn):
            needs = self.column(table, change.column)
            return Deps(provides=frozenset({key}), needs=needs | {named(key)})
        if isinstance(change, DropColumn):
            old_key = self.old_table(table)
            default = (*old_key, f"default:{change.column.name}")
            return Deps(removes=frozenset({old_key, default}), needs=frozenset({named(key)}))
        if isinstance(change, RenameColumn):
            return Deps(provides=frozenset({key}), needs=frozenset({named(key)}))
        old, new = change.old, change.new
        removes: set[Key] = set()
        provides = {key}
        if (old.type, old.collation, old.generated) != (new.type, new.collation, new.generated):
            removes.add(self.old_table(table))
        if old.default != new.default:
            old_table = change.old_table or self.ctx.old_table_of(table) or table
            if old.default is not None:
                removes.add(default_key(old_table, old.name))
            if new.default is not None:
                provides.add(default_key(table, new.name))
        return Deps(
            removes=frozenset(removes),
            provides=frozenset(provides),
            needs=self.column(table, new) | {named(key)},
        )

    def _add_piece(
        self, tag: Key, change: AddConstraint | AddIndex | AddTrigger | AddPolicy
    ) -> Deps:
        new = self.ctx.new
        table = change.table if isinstance(change, (AddConstraint, AddPolicy)) else change.relation
        key = object_key(table)
        provides = {tag} | _children_keys(change)
        needs = set(new.requires.get(tag, frozenset())) | {named(key)}
        if isinstance(change, (AddConstraint, AddIndex)):
            for schema, name in change.attach:
                needs |= {
                    k
                    for k in new.by_key
                    if k[1:2] == (schema,)
                    and k[-1] == name
                    and k[0] in ("index", "primary_key", "unique", "exclusion")
                }
            for child_table, item in change.children:
                needs |= self.new_requires({_item_key(child_table, item)})
                needs.add(object_key(child_table))
        if isinstance(change, AddTrigger):
            what = f"trigger {change.trigger.name}"
            needs |= self.resolve(
                Refs(functions=frozenset({name_ref(change.trigger.function, what)}))
            )
        return Deps(provides=frozenset(provides), needs=frozenset(needs - provides))

    def _rename_piece(self, tag: Key, change: RenameConstraint | RenameIndex) -> Deps:
        table = change.table if isinstance(change, RenameConstraint) else change.relation
        old_table = self.ctx.old_table_of(table) if isinstance(table, Table) else None
        base = old_table if old_table is not None else table
        if tag[0] == "relation":
            old_tag = check_key(base.schema_, base.name, change.old)
        else:
            old_tag = (tag[0], base.schema_, base.name, change.old)
        return Deps(
            provides=frozenset({tag, named(tag), freed(old_tag)}),
            needs=frozenset({named(object_key(table))}),
        )


_DROPS = (DropObject, DropConstraint, DropIndex, DropTrigger, DropPolicy, DetachPartition)
_CREATES = (CreateObject, AddConstraint, AddIndex, AddTrigger, AddPolicy)


def _item_key(table: Table, item: object) -> Key:
    if isinstance(item, Index):
        return ("index", table.schema_, table.name, item.name or "")
    assert isinstance(item, CONSTRAINTS)
    return constraint_key(table, item)


def _children_keys(change: Change) -> frozenset[Key]:
    children = getattr(change, "children", ())
    return frozenset(_item_key(table, item) for table, item in children)


def _container(change: Change) -> frozenset[Key]:
    """The schema the change's object lives in (renamed schemas come first)."""
    for name in ("new", "table", "relation", "obj", "partition"):
        obj = getattr(change, name, None)
        if obj is not None and hasattr(obj, "schema_"):
            return _schema_of(obj)
    return frozenset()


def assign(ctx: Context, tagged: Iterable[Tagged], *, late: bool = False) -> list[Change]:
    """``tagged`` changes with their deps set; ``late`` for drops of dependents that are
    created again, which should happen as late as the order allows."""
    of = DepsOf(ctx)
    return [replace(change, deps=replace(of.of(tag, change), late=late)) for tag, change in tagged]
