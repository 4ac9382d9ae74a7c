"""Normal forms (1NF to BCNF) of a relation, and the dependencies that break them.

A relation is taken to be in 1NF (its values atomic). It is in

* 2NF when no non-prime attribute depends on a proper subset of a candidate key;
* 3NF when for every non-trivial ``X -> A``, ``X`` is a superkey or ``A`` is prime;
* BCNF when for every non-trivial ``X -> A``, ``X`` is a superkey.

3NF and BCNF are decided on a minimal cover (sufficient: a violation implied by the cover
shows in the cover itself); 2NF on the closures of each key minus one attribute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from dbarch.normalize.closure import closure
from dbarch.normalize.cover import minimal_cover
from dbarch.normalize.fd import FD, NormalizeError, bits, fd_key, is_subset
from dbarch.normalize.keys import candidate_keys, prime_attributes


class NormalForm(IntEnum):
    """The normal forms in increasing strength."""

    NF1 = 1
    NF2 = 2
    NF3 = 3
    BCNF = 4

    @property
    def label(self) -> str:
        """``1NF``, ``2NF``, ``3NF`` or ``BCNF``."""
        return "BCNF" if self is NormalForm.BCNF else f"{self.value}NF"

    @classmethod
    def parse(cls, text: str) -> NormalForm:
        """``"3nf"`` / ``"3NF"`` / ``"bcnf"`` as a NormalForm."""
        for form in cls:
            if form.label.lower() == text.strip().lower():
                return form
        raise NormalizeError(f"unknown normal form {text!r} (expected 2nf, 3nf or bcnf)")


@dataclass(frozen=True)
class FormViolation:
    """``fd`` (single right-side attribute) keeps the relation out of ``breaks``."""

    breaks: NormalForm
    fd: FD


@dataclass(frozen=True)
class FormAnalysis:
    """The normal form of one relation and everything that keeps it from BCNF."""

    universe: int
    cover: tuple[FD, ...]
    keys: tuple[int, ...]
    prime: int
    normal_form: NormalForm
    violations: tuple[FormViolation, ...]

    def violations_of(self, target: NormalForm) -> list[FormViolation]:
        """The violations that keep the relation below ``target``."""
        return [v for v in self.violations if v.breaks <= target]

    @property
    def breaking(self) -> FormViolation | None:
        """The first dependency that breaks the next normal form, if any."""
        return self.violations[0] if self.violations else None


def _minimal_lhs(lhs: int, target: int, fds: list[FD]) -> int:
    for i in sorted(bits(lhs), reverse=True):
        smaller = lhs & ~(1 << i)
        if is_subset(target, closure(smaller, fds)):
            lhs = smaller
    return lhs


def _partial_dependencies(keys: Iterable[int], prime: int, fds: list[FD]) -> list[FD]:
    found: set[FD] = set()
    for key in keys:
        for i in bits(key):
            part = key & ~(1 << i)
            for a in bits(closure(part, fds) & ~prime):
                found.add(FD(_minimal_lhs(part, 1 << a, fds), 1 << a))
    return sorted(found, key=fd_key)


def analyze(universe: int, fds: Iterable[FD]) -> FormAnalysis:
    """Keys, prime attributes, normal form and all violations of relation ``universe``.

    ``fds`` must only mention attributes of ``universe`` (project them first otherwise).
    Violations are ordered by the form they break, weakest first, then canonically.
    """
    cover = minimal_cover(fds)
    keys = candidate_keys(universe, cover)
    prime = prime_attributes(keys)
    partial = _partial_dependencies(keys, prime, cover)
    violations = [FormViolation(NormalForm.NF2, fd) for fd in partial]
    listed = {v.fd for v in violations}
    for fd in cover:
        if fd in listed or is_subset(universe, closure(fd.lhs, cover)):
            continue
        if fd.rhs & prime:
            violations.append(FormViolation(NormalForm.BCNF, fd))
        elif any(fd.lhs != key and is_subset(fd.lhs, key) for key in keys):
            violations.append(FormViolation(NormalForm.NF2, fd))
        else:
            violations.append(FormViolation(NormalForm.NF3, fd))
    violations.sort(key=lambda v: (v.breaks, fd_key(v.fd)))
    form = NormalForm(violations[0].breaks - 1) if violations else NormalForm.BCNF
    return FormAnalysis(universe, tuple(cover), tuple(keys), prime, form, tuple(violations))
