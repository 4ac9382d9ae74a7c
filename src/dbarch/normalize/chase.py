"""The lossless-join test by the chase.

A tableau has one row per part: the distinguished symbol ``0`` in the part's columns and
a symbol of its own elsewhere. Each dependency ``X -> A`` equates the ``A`` symbols of rows
that agree on ``X`` (to ``0`` if one of them is ``0``). The decomposition is lossless
exactly when some row ends up all ``0``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dbarch.normalize.cover import split_rhs
from dbarch.normalize.fd import FD, bits


def _equate(tableau: list[list[int]], columns: list[int], a: int) -> bool:
    groups: dict[tuple[int, ...], list[list[int]]] = {}
    for row in tableau:
        groups.setdefault(tuple(row[c] for c in columns), []).append(row)
    changed = False
    for rows in groups.values():
        target = min(row[a] for row in rows)
        for row in rows:
            if row[a] != target:
                row[a] = target
                changed = True
    return changed


def is_lossless(universe: int, fds: Iterable[FD], parts: Sequence[int]) -> bool:
    """The natural join of the projections onto ``parts`` always gives back the relation."""
    columns = list(bits(universe))
    position = {attr: i for i, attr in enumerate(columns)}
    symbol = 0
    tableau: list[list[int]] = []
    for part in parts:
        row = []
        for attr in columns:
            if part >> attr & 1:
                row.append(0)
            else:
                symbol += 1
                row.append(symbol)
        tableau.append(row)
    rules = [
        ([position[i] for i in bits(fd.lhs)], position[next(bits(fd.rhs))])
        for fd in split_rhs(fds)
        if not (fd.lhs | fd.rhs) & ~universe
    ]
    changed = True
    while changed:
        if any(not any(row) for row in tableau):
            return True
        changed = False
        for lhs, a in rules:
            changed |= _equate(tableau, lhs, a)
    return any(not any(row) for row in tableau)
