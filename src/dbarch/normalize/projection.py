"""Projection of functional dependencies onto a subset of the attributes.

Gottlob's reduction by resolution (1987): to project attribute ``c`` away, every pair
``X -> c`` and ``cY -> a`` gives the resolvent ``XY -> a``; the dependencies that mention
``c`` are then dropped. What remains is a cover of the projection. The set is brought back
to a minimal cover after each step, which keeps it small in practice (the projection
itself can be exponentially large in the worst case, so no algorithm avoids that).
"""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.normalize.cover import minimal_cover
from dbarch.normalize.fd import FD, bits


def _cost(c: int, fds: list[FD]) -> int:
    bit = 1 << c
    into = sum(1 for fd in fds if fd.rhs == bit)
    out_of = sum(1 for fd in fds if fd.lhs & bit)
    return into * out_of - into - out_of


def _eliminate(c: int, fds: list[FD]) -> list[FD]:
    bit = 1 << c
    into = [fd for fd in fds if fd.rhs == bit]
    out_of = [fd for fd in fds if fd.lhs & bit]
    kept = [fd for fd in fds if not fd.lhs & bit and fd.rhs != bit]
    for x in into:
        for y in out_of:
            lhs = x.lhs | (y.lhs & ~bit)
            if not y.rhs & lhs:
                kept.append(FD(lhs, y.rhs))
    return minimal_cover(kept)


def project(fds: Iterable[FD], onto: int) -> list[FD]:
    """A minimal cover of the dependencies implied by ``fds`` among the attributes ``onto``."""
    current = minimal_cover(fds)
    while True:
        mentioned = 0
        for fd in current:
            mentioned |= fd.lhs | fd.rhs
        outside = list(bits(mentioned & ~onto))
        if not outside:
            return current
        c = min(outside, key=lambda i: (_cost(i, current), i))
        current = _eliminate(c, current)
