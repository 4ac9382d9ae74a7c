"""Attribute sets as bitmasks and functional dependencies between them.

Every algorithm of :mod:`dbarch.normalize` works on bitmasks: attribute ``i`` of a
relation is bit ``1 << i``, so union, intersection and subset tests are single integer
operations. :class:`Attributes` translates between masks and column names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from dbarch.errors import DbarchError


class NormalizeError(DbarchError):
    """Normalization cannot proceed: an unknown column or normal form, unreadable data."""


class FD(NamedTuple):
    """``lhs -> rhs`` over attribute bitmasks."""

    lhs: int
    rhs: int


def bits(mask: int) -> Iterator[int]:
    """The indices of the set bits of ``mask``, ascending."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def mask_key(mask: int) -> tuple[int, ...]:
    """A sort key for attribute sets: smaller sets first, then by attribute position."""
    return (mask.bit_count(), *bits(mask))


def fd_key(fd: FD) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Canonical order of dependencies: by left side, then by right side."""
    return (mask_key(fd.lhs), mask_key(fd.rhs))


def is_subset(a: int, b: int) -> bool:
    """``a`` is a subset of ``b``."""
    return a & ~b == 0


@dataclass(frozen=True)
class Attributes:
    """The named attributes of one relation, in column order."""

    names: tuple[str, ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, int] = {}
        for i, name in enumerate(self.names):
            if name in index:
                raise NormalizeError(f"column {name!r} appears twice")
            index[name] = i
        object.__setattr__(self, "index", index)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def full(self) -> int:
        """The mask of all attributes."""
        return (1 << len(self.names)) - 1

    def mask(self, names: Iterable[str]) -> int:
        """The mask of ``names``; an unknown name raises NormalizeError."""
        result = 0
        for name in names:
            try:
                result |= 1 << self.index[name]
            except KeyError:
                raise NormalizeError(f"no column {name!r}") from None
        return result

    def names_of(self, mask: int) -> tuple[str, ...]:
        """The names in ``mask``, in column order."""
        return tuple(self.names[i] for i in bits(mask))
