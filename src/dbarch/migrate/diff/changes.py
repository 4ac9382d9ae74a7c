"""Typed change records: what differs between two Schemas, one fact per record.

A change names the model objects involved (the old and/or the new version), never SQL:
turning changes into statements, with their locks and reverse, is the planner's job
(:mod:`dbarch.migrate.plan`). Every change knows its :meth:`~Change.inverse`, the change
that undoes it, and carries :class:`Deps`, the step keys (see :mod:`.graph`) that order
it among the others.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import TypeVar

from dbarch.ddl.lookup import Key
from dbarch.ddl.order import Step as DdlStep
from dbarch.ddl.privileges import ObjectRef
from dbarch.migrate.diff.graph import TopObject
from dbarch.model.objects import (
    Aggregate,
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Function,
    Index,
    MaterializedView,
    Policy,
    PrimaryKey,
    Privileged,
    Role,
    SchemaDef,
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)

Constraint = PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey | ExclusionConstraint
CONSTRAINTS = (PrimaryKey, UniqueConstraint, CheckConstraint, ForeignKey, ExclusionConstraint)
Relation = Table | View | MaterializedView
QualName = tuple[str, str]  # (schema, name)


@dataclass(frozen=True)
class Deps:
    """Ordering facts: keys whose dependents must be gone first (``removes``), keys that
    exist once the change is done (``provides``), keys that must exist before (``needs``);
    ``late`` for the drop of a dependent that is created again: as late as possible."""

    removes: frozenset[Key] = frozenset()
    provides: frozenset[Key] = frozenset()
    needs: frozenset[Key] = frozenset()
    late: bool = False


NO_DEPS = Deps()


@dataclass(frozen=True, kw_only=True)
class Change(ABC):
    """Base of every change record."""

    deps: Deps = field(default=NO_DEPS, compare=False)

    @abstractmethod
    def inverse(self) -> Change:
        """The change that undoes this one."""

    @property
    @abstractmethod
    def summary(self) -> str:
        """One line for people: what the change does."""


def name_of(schema: str, name: str) -> str:
    """``schema.name`` for messages (raw names, no quoting)."""
    return f"{schema}.{name}"


def describe(obj: TopObject) -> str:
    """``table public.orders``, ``function public.f(integer)``, ``role app``..."""
    kind = _KINDS[type(obj)]
    if isinstance(obj, (Function, Aggregate)):
        kind = "procedure" if isinstance(obj, Function) and obj.kind == "procedure" else kind
        return f"{kind} {obj.schema_}.{obj.name}({obj.arguments})"
    if isinstance(obj, (Role, Extension)) or not hasattr(obj, "schema_"):
        return f"{kind} {obj.name}"
    return f"{kind} {obj.schema_}.{obj.name}"


_KINDS: dict[type, str] = {
    Role: "role",
    SchemaDef: "schema",
    Extension: "extension",
    EnumType: "enum",
    Domain: "domain",
    CompositeType: "type",
    Sequence: "sequence",
    Table: "table",
    View: "view",
    MaterializedView: "materialized view",
    Function: "function",
    Aggregate: "aggregate",
}


# --------------------------------------------------------------------------- whole objects


@dataclass(frozen=True, kw_only=True)
class CreateObject(Change):
    """Create ``obj`` with every DDL step of it (keys, indexes, triggers, grants...)."""

    obj: TopObject
    ddl: tuple[DdlStep, ...]

    def inverse(self) -> Change:
        return DropObject(obj=self.obj, ddl=self.ddl)

    @property
    def summary(self) -> str:
        return f"create {describe(self.obj)}"


@dataclass(frozen=True, kw_only=True)
class DropObject(Change):
    """Drop ``obj``; ``ddl`` are the steps that would create it again."""

    obj: TopObject
    ddl: tuple[DdlStep, ...]

    def inverse(self) -> Change:
        return CreateObject(obj=self.obj, ddl=self.ddl)

    @property
    def summary(self) -> str:
        return f"drop {describe(self.obj)}"


@dataclass(frozen=True, kw_only=True)
class RenameObject(Change):
    """``ALTER ... RENAME TO``: ``old`` and ``new`` differ in name only (for now)."""

    old: TopObject
    new: TopObject

    def inverse(self) -> Change:
        return RenameObject(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"rename {describe(self.old)} to {self.new.name}"


@dataclass(frozen=True, kw_only=True)
class ReplaceRoutine(Change):
    """``CREATE OR REPLACE`` a function, procedure or aggregate with the same signature."""

    old: Function | Aggregate
    new: Function | Aggregate

    def inverse(self) -> Change:
        return ReplaceRoutine(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"replace {describe(self.new)}"


@dataclass(frozen=True, kw_only=True)
class AlterRole(Change):
    """Role attributes or memberships changed."""

    old: Role
    new: Role

    def inverse(self) -> Change:
        return AlterRole(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"alter role {self.new.name}"


@dataclass(frozen=True, kw_only=True)
class AlterExtension(Change):
    """An extension moved to another schema or to another version."""

    old: Extension
    new: Extension

    def inverse(self) -> Change:
        return AlterExtension(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"alter extension {self.new.name}"


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class ColumnUse:
    """A table column whose type is an enum (or an array of it): the table and column
    after the change, and before."""

    table: Table
    column: Column
    old_table: Table
    old_column: Column
    array: bool

    def inverse(self) -> ColumnUse:
        """The same use seen from the other side (the table keeps its current name)."""
        before = named_like(self.old_table, self.table)
        return ColumnUse(before, self.old_column, self.table, self.column, self.array)


N = TypeVar("N", Table, EnumType)


def named_like(structure: N, named: N) -> N:
    """``structure`` under the schema and name of ``named``: an object as it was, named as
    it is when an inverse change runs (renames are undone after it)."""
    return structure.model_copy(update={"name": named.name, "schema_": named.schema_})


def _inverse_uses(uses: tuple[ColumnUse, ...]) -> tuple[ColumnUse, ...]:
    return tuple(use.inverse() for use in uses)


@dataclass(frozen=True, kw_only=True)
class AddEnumValues(Change):
    """``ALTER TYPE ... ADD VALUE`` for each label of ``new`` that ``old`` lacks; the old
    labels keep their order. ``uses`` are the columns of the type (for the inverse)."""

    old: EnumType
    new: EnumType
    uses: tuple[ColumnUse, ...] = ()

    def inverse(self) -> Change:
        before = named_like(self.old, self.new)
        return SwapEnum(old=self.new, new=before, uses=_inverse_uses(self.uses))

    @property
    def summary(self) -> str:
        added = [v for v in self.new.values if v not in self.old.values]
        return f"add {', '.join(map(repr, added))} to enum {self.new.schema_}.{self.new.name}"


@dataclass(frozen=True, kw_only=True)
class SwapEnum(Change):
    """Labels removed or reordered: a new type replaces the old one in every column."""

    old: EnumType
    new: EnumType
    uses: tuple[ColumnUse, ...] = ()

    @property
    def removed(self) -> tuple[str, ...]:
        """Labels of ``old`` that ``new`` does not have."""
        return tuple(v for v in self.old.values if v not in self.new.values)

    def inverse(self) -> Change:
        return enum_change(self.new, named_like(self.old, self.new), _inverse_uses(self.uses))

    @property
    def summary(self) -> str:
        what = f"enum {self.new.schema_}.{self.new.name}"
        if self.removed:
            return f"remove {', '.join(map(repr, self.removed))} from {what}"
        return f"reorder the labels of {what}"


def enum_change(old: EnumType, new: EnumType, uses: tuple[ColumnUse, ...]) -> Change:
    """AddEnumValues when ``new`` keeps ``old``'s labels in order, else SwapEnum."""
    kept = [v for v in new.values if v in old.values]
    if kept == list(old.values):
        return AddEnumValues(old=old, new=new, uses=uses)
    return SwapEnum(old=old, new=new, uses=uses)


@dataclass(frozen=True, kw_only=True)
class AlterDomain(Change):
    """Default, NOT NULL or checks of a domain changed."""

    old: Domain
    new: Domain

    def inverse(self) -> Change:
        return AlterDomain(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"alter domain {self.new.schema_}.{self.new.name}"


@dataclass(frozen=True, kw_only=True)
class AlterComposite(Change):
    """Attributes of a composite type added, dropped or changed."""

    old: CompositeType
    new: CompositeType

    def inverse(self) -> Change:
        return AlterComposite(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"alter type {self.new.schema_}.{self.new.name}"


@dataclass(frozen=True, kw_only=True)
class AlterSequence(Change):
    """Sequence options or ``owned_by`` changed."""

    old: Sequence
    new: Sequence

    def inverse(self) -> Change:
        return AlterSequence(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"alter sequence {self.new.schema_}.{self.new.name}"


@dataclass(frozen=True, kw_only=True)
class SetViewOptions(Change):
    """``security_barrier``, ``security_invoker`` or ``check_option`` of a view changed."""

    old: View
    new: View

    def inverse(self) -> Change:
        return SetViewOptions(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"set options of view {self.new.schema_}.{self.new.name}"


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, kw_only=True)
class AddColumn(Change):
    table: Table
    column: Column

    def inverse(self) -> Change:
        return DropColumn(table=self.table, column=self.column)

    @property
    def summary(self) -> str:
        return f"add column {self.column.name} to {name_of(self.table.schema_, self.table.name)}"


@dataclass(frozen=True, kw_only=True)
class DropColumn(Change):
    table: Table
    column: Column

    def inverse(self) -> Change:
        return AddColumn(table=self.table, column=self.column)

    @property
    def summary(self) -> str:
        table = name_of(self.table.schema_, self.table.name)
        return f"drop column {self.column.name} of {table}"


@dataclass(frozen=True, kw_only=True)
class AlterColumn(Change):
    """A column's type, nullability, default, identity, generation, collation or comment
    changed; ``old`` and ``new`` have the same name (a rename comes first)."""

    table: Table
    old: Column
    new: Column
    old_table: Table | None = None  # the table before (for the inverse), when it differs

    def inverse(self) -> Change:
        before = named_like(self.old_table, self.table) if self.old_table else self.table
        return AlterColumn(table=before, old=self.new, new=self.old, old_table=self.table)

    @property
    def summary(self) -> str:
        table = name_of(self.table.schema_, self.table.name)
        return f"alter column {self.new.name} of {table}"


@dataclass(frozen=True, kw_only=True)
class RenameColumn(Change):
    table: Table
    old: str
    new: str

    def inverse(self) -> Change:
        return RenameColumn(table=self.table, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        table = name_of(self.table.schema_, self.table.name)
        return f"rename column {self.old} of {table} to {self.new}"


# --------------------------------------------------------------------------- table pieces


Child = tuple[Table, Constraint | Index]  # a partition and one of its index-backed items


@dataclass(frozen=True, kw_only=True)
class AddConstraint(Change):
    """A PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE constraint added.

    On a partitioned table, ``children`` are the partitions' matching new constraints,
    built first and attached, and ``attach`` names existing ones (``(schema, name)``)
    that are attached too.
    """

    table: Table
    constraint: Constraint
    children: tuple[Child, ...] = ()
    attach: tuple[QualName, ...] = ()

    def inverse(self) -> Change:
        return DropConstraint(table=self.table, constraint=self.constraint, children=self.children)

    @property
    def summary(self) -> str:
        return f"add {_constraint(self.table, self.constraint)}"


@dataclass(frozen=True, kw_only=True)
class DropConstraint(Change):
    """A constraint dropped; on a partitioned table with the partitions' ``children``
    attached to it, which PostgreSQL drops with it."""

    table: Table
    constraint: Constraint
    children: tuple[Child, ...] = ()

    def inverse(self) -> Change:
        return AddConstraint(table=self.table, constraint=self.constraint, children=self.children)

    @property
    def summary(self) -> str:
        return f"drop {_constraint(self.table, self.constraint)}"


@dataclass(frozen=True, kw_only=True)
class ValidateConstraint(Change):
    """A NOT VALID check or foreign key becomes valid."""

    table: Table
    constraint: CheckConstraint | ForeignKey

    def inverse(self) -> Change:
        return InvalidateConstraint(table=self.table, constraint=self.constraint)

    @property
    def summary(self) -> str:
        return f"validate {_constraint(self.table, self.constraint)}"


@dataclass(frozen=True, kw_only=True)
class InvalidateConstraint(Change):
    """A valid check or foreign key becomes NOT VALID (dropped and added NOT VALID)."""

    table: Table
    constraint: CheckConstraint | ForeignKey

    def inverse(self) -> Change:
        return ValidateConstraint(table=self.table, constraint=self.constraint)

    @property
    def summary(self) -> str:
        return f"mark {_constraint(self.table, self.constraint)} NOT VALID"


@dataclass(frozen=True, kw_only=True)
class RenameConstraint(Change):
    table: Table
    old: str
    new: str

    def inverse(self) -> Change:
        return RenameConstraint(table=self.table, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        table = name_of(self.table.schema_, self.table.name)
        return f"rename constraint {self.old} of {table} to {self.new}"


def _constraint(table: Table, constraint: Constraint) -> str:
    kind = {
        PrimaryKey: "primary key",
        UniqueConstraint: "unique constraint",
        CheckConstraint: "check",
        ForeignKey: "foreign key",
        ExclusionConstraint: "exclusion constraint",
    }[type(constraint)]
    return f"{kind} {constraint.name} of {name_of(table.schema_, table.name)}"


@dataclass(frozen=True, kw_only=True)
class AddIndex(Change):
    """An index of a table or materialized view; ``children`` and ``attach`` as for
    :class:`AddConstraint`."""

    relation: Table | MaterializedView
    index: Index
    children: tuple[Child, ...] = ()
    attach: tuple[QualName, ...] = ()

    def inverse(self) -> Change:
        return DropIndex(relation=self.relation, index=self.index, children=self.children)

    @property
    def summary(self) -> str:
        return f"create index {name_of(self.relation.schema_, self.index.name or '')}"


@dataclass(frozen=True, kw_only=True)
class DropIndex(Change):
    """An index dropped, with the partitions' ``children`` attached to it."""

    relation: Table | MaterializedView
    index: Index
    children: tuple[Child, ...] = ()

    def inverse(self) -> Change:
        return AddIndex(relation=self.relation, index=self.index, children=self.children)

    @property
    def summary(self) -> str:
        return f"drop index {name_of(self.relation.schema_, self.index.name or '')}"


@dataclass(frozen=True, kw_only=True)
class ReplaceIndex(Change):
    """An index (of a table that is not partitioned) whose definition changed, its name
    kept: built anew beside the old one, which then makes way."""

    relation: Table | MaterializedView
    old: Index
    new: Index

    def inverse(self) -> Change:
        return ReplaceIndex(relation=self.relation, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"rebuild index {name_of(self.relation.schema_, self.new.name or '')}"


@dataclass(frozen=True, kw_only=True)
class RenameIndex(Change):
    relation: Table | MaterializedView
    old: str
    new: str

    def inverse(self) -> Change:
        return RenameIndex(relation=self.relation, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"rename index {name_of(self.relation.schema_, self.old)} to {self.new}"


@dataclass(frozen=True, kw_only=True)
class AddTrigger(Change):
    relation: Table | View
    trigger: Trigger

    def inverse(self) -> Change:
        return DropTrigger(relation=self.relation, trigger=self.trigger)

    @property
    def summary(self) -> str:
        relation = name_of(self.relation.schema_, self.relation.name)
        return f"create trigger {self.trigger.name} on {relation}"


@dataclass(frozen=True, kw_only=True)
class DropTrigger(Change):
    relation: Table | View
    trigger: Trigger

    def inverse(self) -> Change:
        return AddTrigger(relation=self.relation, trigger=self.trigger)

    @property
    def summary(self) -> str:
        relation = name_of(self.relation.schema_, self.relation.name)
        return f"drop trigger {self.trigger.name} on {relation}"


@dataclass(frozen=True, kw_only=True)
class ReplaceTrigger(Change):
    """A trigger whose definition changed (CREATE OR REPLACE TRIGGER)."""

    relation: Table | View
    old: Trigger
    new: Trigger

    def inverse(self) -> Change:
        return ReplaceTrigger(relation=self.relation, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        relation = name_of(self.relation.schema_, self.relation.name)
        return f"replace trigger {self.new.name} on {relation}"


@dataclass(frozen=True, kw_only=True)
class SetTriggerState(Change):
    """ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS."""

    relation: Table
    old: Trigger
    new: Trigger

    def inverse(self) -> Change:
        return SetTriggerState(relation=self.relation, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        relation = name_of(self.relation.schema_, self.relation.name)
        return f"set trigger {self.new.name} on {relation} to {self.new.enabled}"


@dataclass(frozen=True, kw_only=True)
class AddPolicy(Change):
    table: Table
    policy: Policy

    def inverse(self) -> Change:
        return DropPolicy(table=self.table, policy=self.policy)

    @property
    def summary(self) -> str:
        return f"create policy {self.policy.name} on {name_of(self.table.schema_, self.table.name)}"


@dataclass(frozen=True, kw_only=True)
class DropPolicy(Change):
    table: Table
    policy: Policy

    def inverse(self) -> Change:
        return AddPolicy(table=self.table, policy=self.policy)

    @property
    def summary(self) -> str:
        return f"drop policy {self.policy.name} on {name_of(self.table.schema_, self.table.name)}"


@dataclass(frozen=True, kw_only=True)
class AlterPolicy(Change):
    """Roles, USING or WITH CHECK of a policy changed (ALTER POLICY)."""

    table: Table
    old: Policy
    new: Policy

    def inverse(self) -> Change:
        return AlterPolicy(table=self.table, old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"alter policy {self.new.name} on {name_of(self.table.schema_, self.table.name)}"


@dataclass(frozen=True, kw_only=True)
class SetRowSecurity(Change):
    """ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY."""

    old: Table
    new: Table

    def inverse(self) -> Change:
        return SetRowSecurity(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"set row level security of {name_of(self.new.schema_, self.new.name)}"


@dataclass(frozen=True, kw_only=True)
class SetStorage(Change):
    """Storage parameters (``WITH (...)``) of a table or materialized view."""

    old: Table | MaterializedView
    new: Table | MaterializedView

    def inverse(self) -> Change:
        return SetStorage(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        return f"set storage parameters of {name_of(self.new.schema_, self.new.name)}"


@dataclass(frozen=True, kw_only=True)
class SetLogged(Change):
    """SET LOGGED / SET UNLOGGED."""

    old: Table
    new: Table

    def inverse(self) -> Change:
        return SetLogged(old=self.new, new=self.old)

    @property
    def summary(self) -> str:
        word = "unlogged" if self.new.unlogged else "logged"
        return f"make {name_of(self.new.schema_, self.new.name)} {word}"


@dataclass(frozen=True, kw_only=True)
class AttachPartition(Change):
    parent: Table
    partition: Table

    def inverse(self) -> Change:
        return DetachPartition(parent=self.parent, partition=self.partition)

    @property
    def summary(self) -> str:
        parent = name_of(self.parent.schema_, self.parent.name)
        return f"attach {name_of(self.partition.schema_, self.partition.name)} to {parent}"


@dataclass(frozen=True, kw_only=True)
class DetachPartition(Change):
    parent: Table
    partition: Table

    def inverse(self) -> Change:
        return AttachPartition(parent=self.parent, partition=self.partition)

    @property
    def summary(self) -> str:
        parent = name_of(self.parent.schema_, self.parent.name)
        return f"detach {name_of(self.partition.schema_, self.partition.name)} from {parent}"


@dataclass(frozen=True, kw_only=True)
class SetInherit(Change):
    """``INHERIT parent`` (``add``) or ``NO INHERIT parent``."""

    table: Table
    parent: Table
    add: bool

    def inverse(self) -> Change:
        return replace(self, add=not self.add, deps=NO_DEPS)

    @property
    def summary(self) -> str:
        word = "inherit from" if self.add else "no longer inherit from"
        table = name_of(self.table.schema_, self.table.name)
        return f"make {table} {word} {name_of(self.parent.schema_, self.parent.name)}"


# --------------------------------------------------------------------------- any object


@dataclass(frozen=True)
class Target:
    """How statements name an object (see :class:`~dbarch.ddl.privileges.ObjectRef`) and
    the table a statement about it locks, if any."""

    ref: ObjectRef
    table: QualName | None = None
    label: str = ""


@dataclass(frozen=True, kw_only=True)
class SetComment(Change):
    """``COMMENT ON kind target IS ...``; ``kind`` may differ from the target's ALTER kind
    (``COLUMN``, ``CONSTRAINT``, ``TRIGGER``, ``POLICY``...)."""

    kind: str
    target: str
    table: QualName | None
    old: str | None
    new: str | None

    def inverse(self) -> Change:
        return replace(self, old=self.new, new=self.old, deps=NO_DEPS)

    @property
    def summary(self) -> str:
        return f"comment on {self.kind.lower()} {self.target}"


@dataclass(frozen=True, kw_only=True)
class SetOwner(Change):
    target: Target
    old: str | None
    new: str | None

    def inverse(self) -> Change:
        return replace(self, old=self.new, new=self.old, deps=NO_DEPS)

    @property
    def summary(self) -> str:
        return f"change owner of {self.target.label}"


@dataclass(frozen=True, kw_only=True)
class SetPrivileges(Change):
    """GRANT and REVOKE so that the ACL of ``target`` goes from ``old``'s to ``new``'s."""

    target: Target
    old: Privileged
    new: Privileged

    def inverse(self) -> Change:
        return replace(self, old=self.new, new=self.old, deps=NO_DEPS)

    @property
    def summary(self) -> str:
        return f"change privileges on {self.target.label}"
