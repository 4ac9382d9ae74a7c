"""Candidate keys: every minimal set of attributes that determines the whole relation.

The algorithm is Lucchesi and Osborn's (1978), polynomial in the number of keys: from one
key ``K`` and a dependency ``X -> Y``, ``X ∪ (K - Y)`` is a superkey, which is minimized
unless it already contains a known key. Attributes are classified first: one that appears
in no right side is in every key; one that appears only in right sides is in none.
"""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.normalize.closure import closure
from dbarch.normalize.cover import canonical_cover
from dbarch.normalize.fd import FD, bits, is_subset, mask_key


def minimize_superkey(superkey: int, universe: int, fds: list[FD], keep: int = 0) -> int:
    """A candidate key inside ``superkey``; attributes in ``keep`` are never removed."""
    key = superkey
    for i in sorted(bits(superkey & ~keep), reverse=True):
        smaller = key & ~(1 << i)
        if is_subset(universe, closure(smaller, fds)):
            key = smaller
    return key


def candidate_keys(universe: int, fds: Iterable[FD]) -> list[int]:
    """All candidate keys of the relation ``universe`` under ``fds``, in canonical order."""
    cover = canonical_cover(fd for fd in fds if is_subset(fd.lhs | fd.rhs, universe))
    determined = 0
    on_left = 0
    for fd in cover:
        determined |= fd.rhs
        on_left |= fd.lhs
    core = universe & ~determined  # in every key
    never = determined & ~on_left  # in no key
    if is_subset(universe, closure(core, cover)):
        return [core]
    keys = [minimize_superkey(universe & ~never, universe, cover, keep=core)]
    seen = 0
    while seen < len(keys):
        key = keys[seen]
        seen += 1
        for fd in cover:
            candidate = fd.lhs | (key & ~fd.rhs)
            if not any(is_subset(k, candidate) for k in keys):
                keys.append(minimize_superkey(candidate, universe, cover, keep=core))
    return sorted(keys, key=mask_key)


def prime_attributes(keys: Iterable[int]) -> int:
    """The attributes that belong to some candidate key."""
    prime = 0
    for key in keys:
        prime |= key
    return prime
