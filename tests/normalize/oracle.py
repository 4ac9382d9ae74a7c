"""Brute-force oracles for small relations, from the definitions and nothing else.

The closure of ``X`` is the intersection of every *closed* attribute set containing ``X``
(a set ``S`` is closed when two rows agreeing exactly on ``S`` satisfy every dependency).
"""

from __future__ import annotations

from dbarch.normalize.fd import FD, bits, is_subset


def closed_sets(n: int, fds: list[FD]) -> list[int]:
    """Every attribute set over ``n`` attributes that two agreeing rows could have."""
    return [
        s
        for s in range(1 << n)
        if all(not is_subset(fd.lhs, s) or is_subset(fd.rhs, s) for fd in fds)
    ]


class Oracle:
    """Closures, keys, projections and normal forms by exhaustive enumeration."""

    def __init__(self, n: int, fds: list[FD]) -> None:
        self.n = n
        self.full = (1 << n) - 1
        self.closed = closed_sets(n, fds)
        self.closures = [self._closure(x) for x in range(1 << n)]

    def _closure(self, x: int) -> int:
        result = self.full
        for s in self.closed:
            if is_subset(x, s):
                result &= s
        return result

    def closure(self, x: int) -> int:
        return self.closures[x]

    def implies(self, fd: FD) -> bool:
        return is_subset(fd.rhs, self.closure(fd.lhs))

    def keys(self, universe: int) -> list[int]:
        supers = [
            x
            for x in range(1 << self.n)
            if is_subset(x, universe) and is_subset(universe, self.closure(x))
        ]
        return sorted(k for k in supers if not any(s != k and is_subset(s, k) for s in supers))

    def projection(self, part: int) -> list[FD]:
        """Every non-trivial ``X -> A`` with ``X`` inside ``part`` and ``A`` in ``part``."""
        return [
            FD(x, 1 << a)
            for x in range(1 << self.n)
            if is_subset(x, part)
            for a in bits(self.closure(x) & part & ~x)
        ]

    def in_bcnf(self, part: int) -> bool:
        return all(is_subset(part, self.closure(fd.lhs)) for fd in self.projection(part))

    def in_3nf(self, part: int) -> bool:
        prime = 0
        for key in self.keys(part):
            prime |= key
        return all(
            is_subset(part, self.closure(fd.lhs)) or fd.rhs & prime for fd in self.projection(part)
        )

    def in_2nf(self, part: int) -> bool:
        keys = self.keys(part)
        prime = 0
        for key in keys:
            prime |= key
        return not any(
            fd.rhs & ~prime and any(fd.lhs != k and is_subset(fd.lhs, k) for k in keys)
            for fd in self.projection(part)
        )
