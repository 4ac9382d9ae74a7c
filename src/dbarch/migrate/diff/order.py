"""Dependency order of changes (and of the steps planned from them).

Among items whose predecessors are done, the one with the smallest priority goes first
(Kahn's algorithm with a heap), so the order is deterministic. An item B goes before an
item A when:

* A needs a key that B provides;
* A provides a key that B removes (and A does not remove it itself): a new object
  takes the place of a dropped one;
* A removes a key that something removed by B depends on (in the old Schema, directly
  or not): dependents are dropped first;
* A lists B among its explicit predecessors (the steps of one change, in order).

The second and third rules do not apply between items of one ``group`` (the steps of
one change): their order is the change's own.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from dbarch.ddl.lookup import Key
from dbarch.migrate.diff.changes import Deps
from dbarch.migrate.diff.context import DiffError
from dbarch.migrate.diff.graph import Graph


@dataclass(frozen=True)
class Item:
    """One thing to order."""

    deps: Deps
    priority: tuple[object, ...]
    label: str
    after: tuple[int, ...] = ()
    group: int | None = None


class OrderError(DiffError):
    """Changes that wait for each other in a circle."""


def _dependents_closure(old: Graph) -> dict[Key, frozenset[Key]]:
    """For each old key, every old key that requires it, directly or not."""
    direct: dict[Key, set[Key]] = defaultdict(set)
    for key, needs in old.requires.items():
        for need in needs:
            direct[need].add(key)
    closure: dict[Key, frozenset[Key]] = {}
    for start in list(direct):
        seen: set[Key] = set()
        todo = list(direct[start])
        while todo:
            key = todo.pop()
            if key not in seen:
                seen.add(key)
                todo.extend(direct.get(key, ()))
        closure[start] = frozenset(seen)
    return closure


def order(items: Sequence[Item], old: Graph) -> list[int]:
    """Indexes of ``items`` in an order that respects the rules of the module docstring."""
    providers: dict[Key, list[int]] = defaultdict(list)
    removers: dict[Key, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for key in item.deps.provides:
            providers[key].append(i)
        for key in item.deps.removes:
            removers[key].append(i)
    closure = _dependents_closure(old)
    before: list[set[int]] = [set(item.after) for item in items]
    for i, item in enumerate(items):
        deps = item.deps
        for key in deps.needs:
            before[i].update(providers.get(key, ()))
        others: set[int] = set()
        for key in deps.provides - deps.removes:
            others.update(removers.get(key, ()))
        for key in deps.removes:
            for dependent in closure.get(key, ()):
                if dependent not in deps.removes:
                    others.update(removers.get(dependent, ()))
        before[i] |= {j for j in others if item.group is None or items[j].group != item.group}
        before[i].discard(i)
    return _kahn(items, before)


def _kahn(items: Sequence[Item], before: list[set[int]]) -> list[int]:
    waiting = [set(b) for b in before]
    after: list[list[int]] = [[] for _ in items]
    for i, predecessors in enumerate(waiting):
        for p in predecessors:
            after[p].append(i)
    ready = [(items[i].priority, i) for i in range(len(items)) if not waiting[i]]
    heapq.heapify(ready)
    ordered: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        ordered.append(i)
        for j in after[i]:
            waiting[j].discard(i)
            if not waiting[j]:
                heapq.heappush(ready, (items[j].priority, j))
    if len(ordered) < len(items):
        raise OrderError(_cycle_message(items, waiting))
    return ordered


def _cycle_message(items: Sequence[Item], waiting: list[set[int]]) -> str:
    start = min(i for i, w in enumerate(waiting) if w)
    path: list[int] = []
    seen: dict[int, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = min(waiting[node])
    cycle = path[seen[node] :]
    names = " -> ".join(items[i].label for i in (*cycle, cycle[0]))
    return f"the changes wait for each other in a circle: {names}"
