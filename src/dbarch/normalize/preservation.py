"""Dependency preservation: does a decomposition still enforce every dependency?

Tested without computing projections (Beeri and Honeyman): for ``X -> Y``, grow ``Z = X``
by ``(Z ∩ Ri)+ ∩ Ri`` for every part ``Ri`` until it stops growing; ``X -> Y`` is
preserved exactly when ``Y ⊆ Z``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dbarch.normalize.closure import closure
from dbarch.normalize.cover import minimal_cover
from dbarch.normalize.fd import FD, is_subset


def preserved(fd: FD, fds: Sequence[FD], parts: Sequence[int]) -> bool:
    """``fd`` follows from the projections of ``fds`` onto ``parts``."""
    z = fd.lhs
    grew = True
    while grew and not is_subset(fd.rhs, z):
        grew = False
        for part in parts:
            more = closure(z & part, fds) & part & ~z
            if more:
                z |= more
                grew = True
    return is_subset(fd.rhs, z)


def lost_dependencies(fds: Iterable[FD], parts: Sequence[int]) -> list[FD]:
    """The dependencies of a minimal cover of ``fds`` that ``parts`` no longer enforce."""
    cover = minimal_cover(fds)
    return [fd for fd in cover if not preserved(fd, cover, parts)]


def preserves_dependencies(fds: Iterable[FD], parts: Sequence[int]) -> bool:
    """Every dependency of ``fds`` is enforced by the projections onto ``parts``."""
    return not lost_dependencies(fds, parts)
