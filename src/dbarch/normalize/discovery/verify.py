"""Independent checks of discovered dependencies on every row, by sorting (np.unique)
rather than by the partitions that found them."""

from __future__ import annotations

import numpy as np

from dbarch.normalize.discovery.data import TableData
from dbarch.normalize.fd import bits

WITNESS_GROUPS = 32
"""How many refuting groups of rows a failed check brings into a sample."""


class Verifier:
    """Groups the rows of ``data`` by attribute sets (cached) to count violations."""

    def __init__(self, data: TableData) -> None:
        self.data = data
        self._groups: dict[int, tuple[np.ndarray, int]] = {}
        self._removals: dict[tuple[int, int], int] = {}

    def groups(self, mask: int) -> tuple[np.ndarray, int]:
        """A group number per row (equal exactly when the rows agree on ``mask``), and the
        number of groups."""
        if mask in self._groups:
            return self._groups[mask]
        n = self.data.rows
        if mask == 0:
            result = (np.zeros(n, dtype=np.int64), 1 if n else 0)
        else:
            top = mask.bit_length() - 1
            ids, _ = self.groups(mask & ~(1 << top))
            keys = ids * self.data.cardinality[top] + self.data.codes[top]
            _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
            result = (inverse.astype(np.int64), len(counts))
        self._groups[mask] = result
        return result

    def removals(self, lhs: int, rhs: int) -> int:
        """The fewest rows to delete for ``lhs -> rhs`` (an attribute index) to hold."""
        if (lhs, rhs) not in self._removals:
            self.witnesses(lhs, rhs)
        return self._removals[(lhs, rhs)]

    def witnesses(self, lhs: int, rhs: int, groups: int = WITNESS_GROUPS) -> np.ndarray:
        """Rows that refute ``lhs -> rhs``: in the first ``groups`` groups of rows that agree
        on ``lhs`` but not on ``rhs``, one row per ``rhs`` value (none when it holds)."""
        ids, count = self.groups(lhs)
        cardinality = self.data.cardinality[rhs]
        keys = ids * cardinality + self.data.codes[rhs]
        pairs, first, sizes = np.unique(keys, return_index=True, return_counts=True)
        group = pairs // cardinality
        largest = np.zeros(count, dtype=np.int64)
        np.maximum.at(largest, group, sizes)
        self._removals[(lhs, rhs)] = self.data.rows - int(largest.sum())
        values = np.bincount(group, minlength=count)
        conflicting = values[group] > 1
        chosen = np.unique(group[conflicting])[:groups]
        return np.sort(first[conflicting & np.isin(group, chosen)])

    def duplicate_witnesses(self, mask: int, groups: int = WITNESS_GROUPS) -> np.ndarray:
        """Rows that agree on ``mask``: two of each of the first ``groups`` such groups."""
        ids, count = self.groups(mask)
        if count == self.data.rows:
            return np.zeros(0, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        sizes = np.bincount(ids, minlength=count)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        repeated = np.flatnonzero(sizes > 1)[:groups]
        return np.sort(np.concatenate((order[starts[repeated]], order[starts[repeated] + 1])))

    def is_minimal(self, lhs: int, rhs: int, limit: int = 0) -> bool:
        """Without any one of its attributes, ``lhs`` no longer determines ``rhs`` within
        ``limit`` deleted rows. For exact dependencies, True on some of the rows proves it
        for all of them: rows that refute a dependency refute it in any superset."""
        return all(self.removals(lhs & ~(1 << a), rhs) > limit for a in bits(lhs))

    def is_unique(self, mask: int) -> bool:
        """No two rows agree on ``mask``."""
        return self.groups(mask)[1] == self.data.rows

    def is_minimal_unique(self, mask: int) -> bool:
        """``mask`` is unique and no set with one attribute less is."""
        return self.is_unique(mask) and not any(
            self.is_unique(mask & ~(1 << a)) for a in bits(mask)
        )
