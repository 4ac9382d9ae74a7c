"""Dependency order of DDL steps: Kahn's algorithm with a priority heap.

Among the steps whose requirements are met, the one with the smallest ``priority``
(then ``key``) goes first, so the order is deterministic and follows the phases of a
pg_dump script wherever dependencies allow. Requirements that name no step (built-in
objects, objects outside the Schema) are ignored.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dbarch.ddl.lookup import Key
from dbarch.errors import DbarchError

Priority = tuple[object, ...]


@dataclass(frozen=True)
class Step:
    """Statements that run together, after the steps they require.

    ``requires`` are hard requirements; ``soft`` maps a part of the step (a column
    default, a check) to what that part alone requires, so that a dependency cycle can
    be broken by moving the part into a step of its own.
    """

    key: Key
    priority: Priority
    statements: tuple[str, ...]
    requires: frozenset[Key] = frozenset()
    soft: Mapping[str, frozenset[Key]] = field(default_factory=dict)

    def all_requirements(self) -> frozenset[Key]:
        """Hard and soft requirements together."""
        keys = set(self.requires)
        for part in self.soft.values():
            keys |= part
        keys.discard(self.key)
        return frozenset(keys)


class CycleError(DbarchError):
    """Steps that require each other in circles; in each cycle ``cycle[i]`` requires
    ``cycle[i + 1]`` and the last requires the first. The cycles share no step."""

    def __init__(self, cycles: Sequence[Sequence[Step]]) -> None:
        self.cycles = tuple(tuple(cycle) for cycle in cycles)
        first = self.cycles[0]
        names = " -> ".join(".".join(s.key[1:]) or s.key[0] for s in (*first, first[0]))
        super().__init__(f"circular dependency between schema objects: {names}")


def order_steps(steps: Sequence[Step]) -> list[Step]:
    """``steps`` in dependency order; raises :class:`CycleError` on a cycle."""
    by_key: dict[Key, Step] = {}
    for step in steps:
        if step.key in by_key:
            raise DbarchError(f"two schema objects would be created as {step.key!r}")
        by_key[step.key] = step
    waiting: dict[Key, set[Key]] = {}
    dependents: dict[Key, list[Key]] = {key: [] for key in by_key}
    for step in steps:
        needed = {k for k in step.all_requirements() if k in by_key}
        waiting[step.key] = needed
        for key in needed:
            dependents[key].append(step.key)
    ready = [(s.priority, s.key) for s in steps if not waiting[s.key]]
    heapq.heapify(ready)
    ordered: list[Step] = []
    while ready:
        _, key = heapq.heappop(ready)
        ordered.append(by_key[key])
        for dependent in dependents[key]:
            waiting[dependent].discard(key)
            if not waiting[dependent]:
                heapq.heappush(ready, (by_key[dependent].priority, dependent))
    if len(ordered) < len(steps):
        raise CycleError(_find_cycles(by_key, waiting))
    return ordered


def _find_cycles(by_key: Mapping[Key, Step], waiting: Mapping[Key, set[Key]]) -> list[list[Step]]:
    """Disjoint cycles among the steps still waiting: from each waiting step (first
    priority first) follow its first unmet requirement until a step repeats."""
    blocked = sorted((by_key[k].priority, k) for k, needs in waiting.items() if needs)
    cycles: list[list[Step]] = []
    covered: set[Key] = set()
    for _, start in blocked:
        path: dict[Key, int] = {}
        key = start
        while key not in path and key not in covered:
            path[key] = len(path)
            key = min((by_key[k].priority, k) for k in waiting[key])[1]
        if key in path:
            cycles.append([by_key[k] for k in list(path)[path[key] :]])
        covered |= path.keys()
    return cycles
