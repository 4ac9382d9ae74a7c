"""Minimal (canonical) covers of a set of functional dependencies."""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.normalize.closure import closure
from dbarch.normalize.fd import FD, bits, fd_key, is_subset


def split_rhs(fds: Iterable[FD]) -> list[FD]:
    """One dependency per right-side attribute, trivial ones dropped, duplicates removed."""
    out: set[FD] = set()
    for fd in fds:
        for i in bits(fd.rhs & ~fd.lhs):
            out.add(FD(fd.lhs, 1 << i))
    return sorted(out, key=fd_key)


def _left_reduced(fd: FD, fds: list[FD]) -> FD:
    lhs = fd.lhs
    for i in bits(fd.lhs):
        smaller = lhs & ~(1 << i)
        if is_subset(fd.rhs, closure(smaller, fds)):
            lhs = smaller
    return FD(lhs, fd.rhs)


def minimal_cover(fds: Iterable[FD]) -> list[FD]:
    """A minimal cover: single-attribute right sides, no extraneous left-side attribute,
    no redundant dependency; in canonical order (deterministic for the same input)."""
    current = split_rhs(fds)
    reduced = sorted({_left_reduced(fd, current) for fd in current}, key=fd_key)
    kept = list(reduced)
    for fd in reduced:
        rest = [other for other in kept if other != fd]
        if is_subset(fd.rhs, closure(fd.lhs, rest)):
            kept = rest
    return kept


def canonical_cover(fds: Iterable[FD]) -> list[FD]:
    """The minimal cover with dependencies of equal left side merged (``A -> BC``)."""
    merged: dict[int, int] = {}
    for fd in minimal_cover(fds):
        merged[fd.lhs] = merged.get(fd.lhs, 0) | fd.rhs
    return sorted((FD(lhs, rhs) for lhs, rhs in merged.items()), key=fd_key)
