"""Attribute closure: every attribute a set of attributes determines."""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.normalize.fd import FD, is_subset


def closure(attrs: int, fds: Iterable[FD]) -> int:
    """``attrs+`` under ``fds``.

    Each pass applies every dependency whose left side is already covered and drops it,
    so a dependency is applied at most once and the loop ends when a pass adds nothing.
    """
    result = attrs
    pending = list(fds)
    grew = True
    while grew and pending:
        grew = False
        waiting: list[FD] = []
        for fd in pending:
            if is_subset(fd.lhs, result):
                if fd.rhs & ~result:
                    result |= fd.rhs
                    grew = True
            else:
                waiting.append(fd)
        pending = waiting
    return result


def implies(fds: Iterable[FD], fd: FD) -> bool:
    """``fds`` logically imply ``fd`` (Armstrong's axioms)."""
    return is_subset(fd.rhs, closure(fd.lhs, fds))


def equivalent(f: Iterable[FD], g: Iterable[FD]) -> bool:
    """``f`` and ``g`` have the same closure."""
    f, g = list(f), list(g)
    return all(implies(f, fd) for fd in g) and all(implies(g, fd) for fd in f)
