"""Independent checks of discovered dependencies on every row, by sorting (np.unique)
rather than by the partitions that found them."""

from __future__ import annotations

import numpy as np

from dbarch.normalize.discovery.data import TableData
from dbarch.normalize.fd import bits


class Verifier:
    """Groups the rows of ``data`` by attribute sets (cached) to count violations."""

    def __init__(self, data: TableData) -> None:
        self.data = data
        self._groups: dict[int, tuple[np.ndarray, int]] = {}

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
        ids, count = self.groups(lhs)
        cardinality = self.data.cardinality[rhs]
        keys = ids * cardinality + self.data.codes[rhs]
        pairs, sizes = np.unique(keys, return_counts=True)
        largest = np.zeros(count, dtype=np.int64)
        np.maximum.at(largest, pairs // cardinality, sizes)
        return self.data.rows - int(largest.sum())

    def is_unique(self, mask: int) -> bool:
        """No two rows agree on ``mask``."""
        return self.groups(mask)[1] == self.data.rows

    def is_minimal_unique(self, mask: int) -> bool:
        """``mask`` is unique and no set with one attribute less is."""
        return self.is_unique(mask) and not any(
            self.is_unique(mask & ~(1 << a)) for a in bits(mask)
        )
