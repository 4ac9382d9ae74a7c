"""Schema x Schema -> the ordered changes that turn the first into the second."""

from __future__ import annotations

from dataclasses import dataclass

from dbarch.migrate.diff.changes import (
    Change,
    CreateObject,
    DetachPartition,
    DropConstraint,
    DropIndex,
    DropObject,
    DropPolicy,
    DropTrigger,
    RenameColumn,
    RenameConstraint,
    RenameIndex,
    RenameObject,
    SetComment,
    SetOwner,
    SetPrivileges,
    describe,
)
from dbarch.migrate.diff.context import Context, Tagged
from dbarch.migrate.diff.dependents import Bounce, Replaced
from dbarch.migrate.diff.deps import assign
from dbarch.migrate.diff.enums import enum_defaults
from dbarch.migrate.diff.graph import Graph, TopObject, object_key, owner
from dbarch.migrate.diff.kinds import object_changes
from dbarch.migrate.diff.match import match_objects, possible_renames
from dbarch.migrate.diff.order import Item, order
from dbarch.migrate.diff.partitions import fold_partitions
from dbarch.migrate.diff.parts import part_deps
from dbarch.model.objects import DEFAULT_SCHEMA, Role, Schema, SchemaDef

_DROPS = (DropObject, DropConstraint, DropIndex, DropTrigger, DropPolicy, DetachPartition)
# the rank of each kind of object among creations (dependencies decide first)
_CREATE_RANK = {
    "role": 0,
    "schema": 1,
    "extension": 2,
    "type": 3,
    "function": 4,
    "aggregate": 5,
}


@dataclass(frozen=True)
class Diff:
    """The ordered changes from ``old`` to ``new``, and what a person should know."""

    old: Graph
    new: Graph
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when the two schemas are the same."""
        return not self.changes


def compare(old: Schema, new: Schema) -> Diff:
    """The changes that turn ``old`` into ``new``, in an order PostgreSQL accepts."""
    old_graph, new_graph = Graph(_with_public(old)), Graph(_with_public(new))
    ctx = Context(old_graph, new_graph, match_objects(old_graph, new_graph))
    tagged: list[Tagged] = []
    replaced: Replaced = {}
    for before, after in ctx.matching.pairs:
        found = object_changes(ctx, before, after)
        if found is None:
            replaced[object_key(before)] = (before, after)
        else:
            tagged += found
    dropped = [o for o in ctx.matching.dropped if not isinstance(o, Role)]
    for role in ctx.matching.dropped:
        if isinstance(role, Role):
            ctx.warnings.append(
                f"role {role.name} is no longer used; roles belong to the whole cluster, "
                "so the diff leaves it in place"
            )
    original = set(replaced)
    bounce = Bounce(ctx, tagged, replaced, {object_key(o) for o in dropped})
    bounce.run()
    gone = {object_key(new) for _, new in replaced.values()} | set(replaced)
    tagged = [(tag, c) for tag, c in bounce.tagged if owner(tag) not in gone]
    tagged = enum_defaults(fold_partitions(ctx, tagged))
    ctx.warnings += possible_renames(
        dropped, ctx.matching.created, describe, "owner", "grants", "revokes", "comment"
    )
    early: list[Tagged] = [(object_key(o), _drop(ctx.old, o)) for o in dropped]
    late: list[Tagged] = list(bounce.late)
    for key, (before, after) in sorted(replaced.items()):
        (early if key in original else late).append((key, _drop(ctx.old, before)))
        tagged.append((object_key(after), _create(ctx.new, after)))
    tagged += [(object_key(o), _create(ctx.new, o)) for o in ctx.matching.created]
    tagged += bounce.again
    changes = assign(ctx, early) + assign(ctx, late, late=True) + assign(ctx, tagged)
    return Diff(ctx.old, ctx.new, _ordered(ctx, changes), tuple(dict.fromkeys(ctx.warnings)))


def _ordered(ctx: Context, changes: list[Change]) -> tuple[Change, ...]:
    """``changes`` in dependency order, whole objects part by part (see :mod:`.parts`):
    each change where its first part goes."""
    items: list[Item] = []
    owners: list[int] = []
    for position, change in enumerate(changes):
        parts = [change.deps]
        chained = False
        if isinstance(change, CreateObject):
            parts = part_deps(change, ctx.new.keys_of(object_key(change.obj)))
        elif isinstance(change, DropObject):
            parts = part_deps(change, ctx.old.keys_of(object_key(change.obj)))
            chained = True
        for deps in parts:
            after = (len(items) - 1,) if chained and owners and owners[-1] == position else ()
            items.append(Item(deps, _priority(change, position), change.summary, after, position))
            owners.append(position)
    seen: dict[int, None] = {}
    for index in order(items, ctx.old):
        seen.setdefault(owners[index])
    return tuple(changes[position] for position in seen)


def _with_public(schema: Schema) -> Schema:
    """``schema`` listing ``public`` (a Schema leaves it out when it is as initdb made it):
    public is never created or dropped, only changed."""
    if any(s.name == DEFAULT_SCHEMA for s in schema.schemas):
        return schema
    return schema.model_copy(update={"schemas": (*schema.schemas, SchemaDef(name=DEFAULT_SCHEMA))})


def _drop(graph: Graph, obj: TopObject) -> DropObject:
    return DropObject(obj=obj, ddl=tuple(graph.owned[object_key(obj)]))


def _create(graph: Graph, obj: TopObject) -> CreateObject:
    return CreateObject(obj=obj, ddl=tuple(graph.owned[object_key(obj)]))


def change_phase(change: Change) -> int:
    """Where a change goes when dependencies leave a choice: drops, renames, creations
    and alterations, dependents' drops, then comments, owners and privileges."""
    if change.deps.late:
        return 4
    if isinstance(change, _DROPS):
        return 0
    if isinstance(change, (RenameObject, RenameColumn, RenameConstraint, RenameIndex)):
        return 1
    if isinstance(change, CreateObject):
        return 2
    if isinstance(change, (SetComment, SetOwner, SetPrivileges)):
        return 5
    return 3


def _rank(change: Change) -> int:
    if isinstance(change, CreateObject):
        return _CREATE_RANK.get(object_key(change.obj)[0], 9)
    return 9


def _priority(change: Change, position: int) -> tuple[int, int, int]:
    return (change_phase(change), _rank(change), position)
