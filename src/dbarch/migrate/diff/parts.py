"""The parts a whole object is created or dropped in, each with its ordering facts.

Objects can depend on each other in a circle that their parts do not: a partitioned
table and its partitions (the parent's index needs the partitions' indexes, a partition
needs its parent), two tables whose foreign keys point at each other. Creating or
dropping an object is therefore ordered part by part: creation by its DDL steps, a drop
by what must go first (a sequence's owning column, a partition's attachment, foreign
keys to other tables) and then the object itself. The planner makes one step per part.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dbarch.ddl.lookup import Key
from dbarch.ddl.order import Step as DdlStep
from dbarch.migrate.diff.changes import CreateObject, Deps, DropObject
from dbarch.migrate.diff.deps import freed, named
from dbarch.migrate.diff.graph import TopObject, object_key
from dbarch.model.objects import Sequence, Table


@dataclass(frozen=True)
class DropPart:
    """Keys a drop takes away in one go; ``kind``: ``unlink``, ``detach``,
    ``foreign keys`` or ``drop`` (the object itself, last)."""

    kind: str
    keys: frozenset[Key]


def _schema_keys(obj: TopObject) -> frozenset[Key]:
    schema = getattr(obj, "schema_", None)
    return frozenset({("schema", schema)}) if isinstance(schema, str) else frozenset()


def create_deps(obj: TopObject, ddl: DdlStep, keys_of_object: frozenset[Key]) -> Deps:
    """The ordering facts of one DDL step of a new object (``keys_of_object``: the keys
    the object's main step stands for, its inline checks included)."""
    provides = {ddl.key, named(ddl.key)}
    if ddl.key == object_key(obj):
        provides |= keys_of_object
    needs = ddl.all_requirements() | _schema_keys(obj) | {freed(ddl.key)}
    return Deps(provides=frozenset(provides), needs=frozenset(needs - provides))


def foreign_keys_out(table: Table) -> frozenset[Key]:
    """Keys of ``table``'s foreign keys to other tables."""
    return frozenset(
        ("foreign_key", table.schema_, table.name, fk.name)
        for fk in table.foreign_keys
        if fk.name is not None
        and (fk.references.schema_, fk.references.table) != (table.schema_, table.name)
    )


def drop_parts(obj: TopObject, keys: frozenset[Key]) -> list[DropPart]:
    """The parts a drop of ``obj`` (whose steps have ``keys``) goes in, in order."""
    parts = []
    if isinstance(obj, Sequence):
        parts.append(DropPart("unlink", frozenset(k for k in keys if k[0] == "owned_by")))
    if isinstance(obj, Table) and obj.partition_of is not None:
        attached = frozenset(k for k in keys if k[0] in ("attach", "index_attach"))
        parts.append(DropPart("detach", attached))
    if isinstance(obj, Table):
        parts.append(DropPart("foreign keys", foreign_keys_out(obj) & keys))
    parts = [part for part in parts if part.keys]
    rest = keys - frozenset().union(*(part.keys for part in parts))
    return [*parts, DropPart("drop", rest)]


def part_deps(change: CreateObject | DropObject, keys_of_object: frozenset[Key]) -> list[Deps]:
    """The ordering facts of each part of a whole-object change, in order."""
    if isinstance(change, CreateObject):
        return [create_deps(change.obj, ddl, keys_of_object) for ddl in change.ddl]
    parts = drop_parts(change.obj, change.deps.removes | keys_of_object)
    return [replace(change.deps, removes=part.keys) for part in parts]
