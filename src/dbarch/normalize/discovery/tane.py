"""TANE (Huhtala, Kärkkäinen, Porkka and Toivonen, 1999): all minimal non-trivial
functional dependencies, exact or approximate (g3 error), by a level-wise search of the
attribute-set lattice over stripped partitions.

Each set ``X`` keeps its right-hand-side candidates ``C+(X)``; ``X \\ {A} -> A`` is tested
only for ``A ∈ X ∩ C+(X)``, sets with no candidates are pruned, and in exact mode so are
unique sets (after emitting their own minimal dependencies). A level is generated from
pairs of sets that share all but their last attribute, and only when every subset
survived, so the search never enumerates the lattice blindly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dbarch.normalize.discovery.data import TableData
from dbarch.normalize.discovery.partitions import Partition, Workspace, from_codes, whole
from dbarch.normalize.discovery.progress import Progress, silent
from dbarch.normalize.fd import bits, is_subset, mask_key


@dataclass(frozen=True)
class FoundFD:
    """``lhs -> rhs`` (a mask and an attribute index) and the rows that violate it: the
    fewest rows whose deletion makes it hold (0 for an exact dependency)."""

    lhs: int
    rhs: int
    removals: int


class _Node:
    __slots__ = ("cplus", "partition")

    def __init__(self, partition: Partition, cplus: int) -> None:
        self.partition = partition
        self.cplus = cplus


def max_removals(max_error: float, rows: int) -> int:
    """The most rows a dependency may need deleted to count as holding with ``max_error``."""
    return math.floor(max_error * rows + 1e-9) if max_error > 0 else 0


class Tane:
    """One run of TANE over a relation."""

    def __init__(self, data: TableData, max_error: float, progress: Progress) -> None:
        self.width = len(data.columns)
        self.full = (1 << self.width) - 1
        self.limit = max_removals(max_error, data.rows)
        self.approximate = max_error > 0
        self.progress = progress
        self.workspace = Workspace(data.rows)
        self.found: list[FoundFD] = []
        self.lhs_by_rhs: list[list[int]] = [[] for _ in range(self.width)]
        self.previous = {0: _Node(whole(data.rows), self.full)}
        self.level = {
            1 << j: _Node(from_codes(data.codes[j], data.cardinality[j]), 0)
            for j in range(self.width)
        }

    def run(self) -> list[FoundFD]:
        """Every minimal dependency, in canonical order."""
        size = 1
        while self.level:
            self._compute_dependencies(size)
            self._prune()
            self.previous, self.level = self.level, self._next_level(size + 1)
            size += 1
        return sorted(self.found, key=lambda fd: (mask_key(fd.lhs), fd.rhs))

    def _emit(self, lhs: int, rhs: int, removals: int) -> None:
        self.found.append(FoundFD(lhs, rhs, removals))
        self.lhs_by_rhs[rhs].append(lhs)

    def _removals(self, lhs: Partition, full: Partition) -> int | None:
        """Rows violating ``X -> A`` if it holds (within the limit), else ``None``."""
        if lhs.error == full.error:
            return 0
        if not self.approximate or lhs.error - full.error > self.limit:
            return None
        removals = self.workspace.removals(lhs, full)
        return removals if removals <= self.limit else None

    def _compute_dependencies(self, size: int) -> None:
        total = len(self.level)
        for done, (x, node) in enumerate(self.level.items()):
            cplus = self.full
            for a in bits(x):
                cplus &= self.previous[x & ~(1 << a)].cplus
            node.cplus = cplus
            for a in bits(x & cplus):
                bit = 1 << a
                removals = self._removals(self.previous[x & ~bit].partition, node.partition)
                if removals is None:
                    continue
                self._emit(x & ~bit, a, removals)
                node.cplus &= ~bit
                if removals == 0:
                    node.cplus &= x
            if done % 256 == 0:
                self.progress(f"dependencies, level {size}", done, total)

    def _prune(self) -> None:
        for x in list(self.level):
            node = self.level[x]
            if node.cplus == 0:
                del self.level[x]
            elif not self.approximate and node.partition.unique:
                for a in bits(node.cplus & ~x):
                    if not any(is_subset(w, x) for w in self.lhs_by_rhs[a]):
                        self._emit(x, a, 0)
                del self.level[x]

    def _next_level(self, size: int) -> dict[int, _Node]:
        by_prefix: dict[int, list[int]] = {}
        for x in sorted(self.level, key=mask_key):
            top = 1 << (x.bit_length() - 1)
            by_prefix.setdefault(x & ~top, []).append(x)
        pairs = [
            (group[i], group[j])
            for group in by_prefix.values()
            for i in range(len(group))
            for j in range(i + 1, len(group))
        ]
        following: dict[int, _Node] = {}
        for done, (x, y) in enumerate(pairs):
            z = x | y
            subsets = [self.level[s] for a in bits(z) if (s := z & ~(1 << a)) in self.level]
            if len(subsets) == z.bit_count():
                # any two subsets multiply to z's partition: take the two smallest
                p, q = sorted((n.partition for n in subsets), key=lambda p: len(p.rows))[:2]
                following[z] = _Node(self.workspace.product(p, q), 0)
            if done % 64 == 0:
                self.progress(f"partitions, level {size}", done, len(pairs))
        return following


def discover_fds(
    data: TableData, max_error: float = 0.0, progress: Progress = silent
) -> list[FoundFD]:
    """All minimal non-trivial functional dependencies of ``data`` (single attribute on the
    right); with ``max_error > 0`` also those that hold after deleting at most that
    fraction of the rows (g3 error)."""
    return Tane(data, max_error, progress).run()
