"""BCNF decomposition: lossless, in BCNF, and honest about the dependencies it loses.

A part that is not in BCNF is split on a violating ``X -> A`` of its projected minimal
cover into ``X+`` and the part minus ``X+ - X``; dependencies are projected onto each new
part by :func:`~dbarch.normalize.projection.project`. Every split is lossless (``X`` is a
key of ``X+``) and the part keeping ``X`` keeps a superkey of the original relation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dbarch.normalize.closure import closure
from dbarch.normalize.cover import minimal_cover
from dbarch.normalize.fd import FD, is_subset
from dbarch.normalize.preservation import lost_dependencies
from dbarch.normalize.projection import project
from dbarch.normalize.synthesis import drop_contained


@dataclass(frozen=True)
class BcnfDecomposition:
    """The parts (attribute sets) and the dependencies no part enforces any more."""

    parts: tuple[int, ...]
    lost: tuple[FD, ...]


def bcnf_violation(part: int, cover: list[FD]) -> FD | None:
    """The first dependency of ``cover`` (over ``part``) whose left side is no superkey."""
    for fd in cover:
        if not is_subset(part, closure(fd.lhs, cover)):
            return fd
    return None


def decompose_bcnf(universe: int, fds: Iterable[FD]) -> BcnfDecomposition:
    """The BCNF decomposition of relation ``universe`` under ``fds``."""
    cover = minimal_cover(fds)
    pending: list[tuple[int, list[FD]]] = [(universe, cover)]
    done: list[int] = []
    while pending:
        part, part_fds = pending.pop(0)
        violation = bcnf_violation(part, part_fds)
        if violation is None:
            done.append(part)
            continue
        determined = closure(violation.lhs, part_fds) & part
        rest = part & ~(determined & ~violation.lhs)
        pending.insert(0, (rest, project(part_fds, rest)))
        pending.insert(0, (determined, project(part_fds, determined)))
    parts = drop_contained(done)
    return BcnfDecomposition(tuple(parts), tuple(lost_dependencies(cover, parts)))
