"""Index-backed items of partitioned tables and those of their partitions, together.

A partitioned table's index (or primary key, unique or exclusion constraint) is made of
one index per partition attached to the parent's. A new one is built like pg_dump builds
it: the partitions' indexes first, then the parent's ``ON ONLY`` and the attachments;
the partitions' new indexes therefore become ``children`` of the parent's change. A
dropped one takes its partitions' attached indexes with it.
"""

from __future__ import annotations

from dataclasses import replace

from dbarch.ddl.lookup import Key
from dbarch.migrate.diff.changes import (
    AddConstraint,
    AddIndex,
    Child,
    DropConstraint,
    DropIndex,
)
from dbarch.migrate.diff.context import Context, Tagged
from dbarch.model.objects import Table


def _item(table: Table, key: Key) -> Child | None:
    kind, name = key[0], key[3]
    items = {
        "primary_key": (table.primary_key,) if table.primary_key else (),
        "unique": table.unique,
        "exclusion": table.exclusions,
        "index": table.indexes,
    }[kind]
    found = next((i for i in items if i is not None and i.name == name), None)
    return None if found is None else (table, found)


def fold_partitions(ctx: Context, tagged: list[Tagged]) -> list[Tagged]:
    """``tagged`` with the partitions' item changes folded into their parent's change."""
    folded: set[Key] = set()
    out: list[Tagged] = []
    adds = {tag: change for tag, change in tagged if isinstance(change, (AddIndex, AddConstraint))}
    for tag, change in tagged:
        if isinstance(change, (AddIndex, AddConstraint)) and change.attach:
            children = []
            attach = []
            for child_key in ctx.attached(tag):
                if child_key in adds:
                    child = adds[child_key]
                    item = child.index if isinstance(child, AddIndex) else child.constraint
                    table = child.relation if isinstance(child, AddIndex) else child.table
                    children.append((table, item))
                    folded.add(child_key)
                else:
                    attach.append((child_key[1], child_key[3]))
            change = replace(change, children=tuple(children), attach=tuple(attach))
        elif isinstance(change, (DropIndex, DropConstraint)):
            children = []
            for child_key in ctx.attached(tag, new=False):
                table = ctx.old.catalog.tables.get((child_key[1], child_key[2]))
                child = None if table is None else _item(table, child_key)
                if child is not None:
                    children.append(child)
                    folded.add(child_key)
            change = replace(change, children=tuple(children))
        out.append((tag, change))
    return [(tag, change) for tag, change in out if tag not in folded]
