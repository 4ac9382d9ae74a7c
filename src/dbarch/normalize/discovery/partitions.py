"""Stripped partitions on numpy arrays, the data structure of TANE (Huhtala et al. 1999).

The partition of the rows by the values of an attribute set ``X`` groups rows that agree
on ``X``; *stripped*, it keeps only groups of two or more rows. ``X -> A`` holds exactly
when the partitions of ``X`` and ``X ∪ {A}`` have the same :attr:`Partition.error`, and
``X`` is unique exactly when its stripped partition is empty. The partition of ``X ∪ Y``
is the product of those of ``X`` and ``Y``, computed here in vectorized numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Below this many possible keys per row, grouping counts with bincount instead of sorting.
_DENSE_FACTOR = 4


@dataclass(frozen=True)
class Partition:
    """``rows`` (row indices) of every class of two or more rows, with their class
    ``labels`` (``0 .. classes - 1``)."""

    rows: np.ndarray
    labels: np.ndarray
    classes: int

    @property
    def error(self) -> int:
        """Rows to delete for the attribute set to become unique (TANE's ``e(X)·n``)."""
        return len(self.rows) - self.classes

    @property
    def unique(self) -> bool:
        """No two rows agree: the attribute set is a unique column combination."""
        return self.classes == 0


_EMPTY = Partition(np.zeros(0, np.int32), np.zeros(0, np.int32), 0)


def _group(rows: np.ndarray, keys: np.ndarray, key_range: int) -> Partition:
    """The classes (of two or more rows) of ``rows`` grouped by ``keys`` in ``[0, key_range)``."""
    if len(rows) == 0:
        return _EMPTY
    if key_range <= _DENSE_FACTOR * len(rows):
        return _group_dense(rows, keys, key_range)
    shift = int(rows.max()).bit_length()
    if key_range.bit_length() + shift <= 62:
        return _group_sorted(rows, keys, shift)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return _keep_big(rows, inverse, counts)


def _group_dense(rows: np.ndarray, keys: np.ndarray, key_range: int) -> Partition:
    """Grouping by counting: linear in the rows plus the key range."""
    return _keep_big(rows, keys, np.bincount(keys, minlength=key_range))


def _keep_big(rows: np.ndarray, group: np.ndarray, counts: np.ndarray) -> Partition:
    big = counts >= 2
    keep = big[group]
    new_label = np.cumsum(big, dtype=np.int64) - 1
    return Partition(
        rows[keep], new_label[group[keep]].astype(np.int32), int(np.count_nonzero(big))
    )


def _group_sorted(rows: np.ndarray, keys: np.ndarray, shift: int) -> Partition:
    """Grouping by one sort of ``key << shift | row`` (a plain sort is much faster than the
    argsort behind ``np.unique(return_inverse=True)``)."""
    packed = (keys << shift) | rows
    packed.sort()
    sorted_keys = packed >> shift
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    sizes = np.diff(np.append(starts, len(packed)))
    group = np.repeat(np.arange(len(starts)), sizes)
    keep = sizes[group] >= 2
    big = sizes >= 2
    new_label = np.cumsum(big, dtype=np.int64) - 1
    kept = packed[keep] & ((1 << shift) - 1)
    return Partition(
        kept.astype(np.int32), new_label[group[keep]].astype(np.int32), int(np.count_nonzero(big))
    )


def whole(n: int) -> Partition:
    """The partition of the empty attribute set: one class of all rows (if there are two)."""
    if n < 2:
        return _EMPTY
    return Partition(np.arange(n, dtype=np.int32), np.zeros(n, np.int32), 1)


def from_codes(codes: np.ndarray, cardinality: int) -> Partition:
    """The stripped partition of one column given its value codes."""
    return _group(np.arange(len(codes), dtype=np.int32), codes.astype(np.int64), cardinality)


class Workspace:
    """A scratch lookup array of one entry per row, reused by every product."""

    def __init__(self, n: int) -> None:
        self.lookup = np.full(n, -1, dtype=np.int32)

    def product(self, p: Partition, q: Partition) -> Partition:
        """The stripped partition of ``X ∪ Y`` from those of ``X`` (``p``) and ``Y`` (``q``)."""
        if p.unique or q.unique:
            return _EMPTY
        if len(p.rows) < len(q.rows):
            p, q = q, p
        self.lookup[q.rows] = q.labels
        other = self.lookup[p.rows]
        self.lookup[q.rows] = -1
        both = other >= 0
        keys = p.labels[both].astype(np.int64) * q.classes + other[both]
        return _group(p.rows[both], keys, p.classes * q.classes)

    def removals(self, lhs: Partition, full: Partition) -> int:
        """Rows to delete for ``X -> A`` to hold (g3 times the row count), from the
        partitions of ``X`` (``lhs``) and of ``X ∪ {A}`` (``full``)."""
        if full.unique:
            return lhs.error
        lhs_sizes = np.bincount(lhs.labels, minlength=lhs.classes)
        full_sizes = np.bincount(full.labels, minlength=full.classes)
        representative = np.empty(full.classes, dtype=np.int32)
        representative[full.labels] = full.rows
        self.lookup[lhs.rows] = lhs.labels
        parent = self.lookup[representative]
        self.lookup[lhs.rows] = -1
        largest = np.ones(lhs.classes, dtype=np.int64)
        np.maximum.at(largest, parent, full_sizes)
        return int((lhs_sizes - largest).sum())
