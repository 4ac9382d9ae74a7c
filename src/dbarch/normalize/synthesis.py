"""3NF synthesis (Bernstein): a decomposition in 3NF, lossless and dependency-preserving.

One relation per left side of a canonical cover (``X`` with everything ``X`` determines in
the cover), one more holding a candidate key when no relation already contains one, and
relations contained in another dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.normalize.closure import closure
from dbarch.normalize.cover import canonical_cover
from dbarch.normalize.fd import FD, is_subset
from dbarch.normalize.keys import candidate_keys


def drop_contained(parts: Iterable[int]) -> list[int]:
    """``parts`` without duplicates and without parts contained in another, order kept."""
    unique = list(dict.fromkeys(parts))
    return [p for p in unique if not any(p != q and is_subset(p, q) for q in unique)]


def synthesize_3nf(universe: int, fds: Iterable[FD]) -> list[int]:
    """The 3NF synthesis of relation ``universe``: a list of attribute sets."""
    cover = canonical_cover(fds)
    parts = [fd.lhs | fd.rhs for fd in cover]
    if not any(is_subset(universe, closure(part, cover)) for part in parts):
        parts.append(candidate_keys(universe, cover)[0])
    return drop_contained(parts)
