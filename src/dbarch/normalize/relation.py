"""A relation with named columns and functional dependencies: the theory by name.

:class:`Relation` wraps the bitmask algorithms of this package so that callers speak in
column names and :class:`~dbarch.model.objects.FunctionalDependency` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from dbarch.model.objects import FunctionalDependency, Table
from dbarch.normalize.bcnf import decompose_bcnf
from dbarch.normalize.chase import is_lossless
from dbarch.normalize.closure import closure
from dbarch.normalize.cover import minimal_cover
from dbarch.normalize.fd import FD, Attributes, NormalizeError, is_subset
from dbarch.normalize.forms import FormAnalysis, FormViolation, NormalForm, analyze
from dbarch.normalize.keys import candidate_keys
from dbarch.normalize.preservation import lost_dependencies
from dbarch.normalize.projection import project
from dbarch.normalize.synthesis import synthesize_3nf


@dataclass(frozen=True)
class Part:
    """One relation of a decomposition: its columns and the key it is identified by."""

    columns: tuple[str, ...]
    key: tuple[str, ...]
    alternate_keys: tuple[tuple[str, ...], ...] = ()

    @property
    def keys(self) -> tuple[tuple[str, ...], ...]:
        """The key and the alternate keys."""
        return (self.key, *self.alternate_keys)


@dataclass(frozen=True)
class Violation:
    """A dependency that keeps a relation below a normal form, and the split that fixes it.

    ``decomposition`` replaces the relation by two parts: the left side with what it
    determines, and the rest (lossless: the left side is the key of the first part).
    """

    breaks: NormalForm
    fd: FunctionalDependency
    reason: str
    decomposition: tuple[Part, ...]


@dataclass(frozen=True)
class Proposal:
    """A decomposition of a whole relation and the dependencies it no longer enforces."""

    parts: tuple[Part, ...]
    lost: tuple[FunctionalDependency, ...]


class Relation:
    """Columns (in order) and the functional dependencies that hold among them."""

    def __init__(self, columns: Sequence[str], fds: Iterable[FunctionalDependency] = ()) -> None:
        self.attributes = Attributes(tuple(columns))
        self.fds: tuple[FD, ...] = tuple(self.to_fd(fd) for fd in fds)

    @classmethod
    def from_table(cls, table: Table) -> Relation:
        """The table's columns with its declared ``functional_dependencies``, plus one
        dependency per key: the primary key, and each unique constraint that NULLs
        cannot slip through (NOT NULL columns or ``NULLS NOT DISTINCT``)."""
        columns = tuple(column.name for column in table.columns)
        not_null = {c.name for c in table.columns if not c.nullable}
        keys = [table.primary_key.columns] if table.primary_key else []
        keys += [
            u.columns for u in table.unique if u.nulls_not_distinct or set(u.columns) <= not_null
        ]
        implied = [FunctionalDependency(lhs=key, rhs=columns) for key in keys]
        try:
            return cls(columns, [*table.functional_dependencies, *implied])
        except NormalizeError as exc:
            raise NormalizeError(f"table {table.name}: functional dependency: {exc}") from None

    @property
    def universe(self) -> int:
        """The mask of all columns."""
        return self.attributes.full

    def to_fd(self, fd: FunctionalDependency) -> FD:
        """``fd`` as bitmasks."""
        return FD(self.attributes.mask(fd.lhs), self.attributes.mask(fd.rhs))

    def named(self, fd: FD) -> FunctionalDependency:
        """A bitmask dependency by column names."""
        return FunctionalDependency(
            lhs=self.attributes.names_of(fd.lhs), rhs=self.attributes.names_of(fd.rhs)
        )

    def mask(self, columns: Iterable[str]) -> int:
        """The mask of ``columns``."""
        return self.attributes.mask(columns)

    def names(self, mask: int) -> tuple[str, ...]:
        """The columns of ``mask`` in column order."""
        return self.attributes.names_of(mask)

    def closure(self, columns: Iterable[str]) -> tuple[str, ...]:
        """Every column that ``columns`` determine."""
        return self.names(closure(self.mask(columns), self.fds))

    def minimal_cover(self) -> list[FunctionalDependency]:
        """A minimal cover, one right-side column each, in canonical order."""
        return [self.named(fd) for fd in minimal_cover(self.fds)]

    def candidate_keys(self) -> list[tuple[str, ...]]:
        """All candidate keys, smallest first."""
        return [self.names(key) for key in self.analysis.keys]

    def prime_attributes(self) -> tuple[str, ...]:
        """The columns that belong to some candidate key."""
        return self.names(self.analysis.prime)

    @cached_property
    def analysis(self) -> FormAnalysis:
        """Keys, normal form and violations (computed once)."""
        return analyze(self.universe, self.fds)

    def normal_form(self) -> NormalForm:
        """The highest normal form the relation is in."""
        return self.analysis.normal_form

    def project(self, columns: Iterable[str]) -> list[FunctionalDependency]:
        """A minimal cover of the dependencies that hold among ``columns``."""
        return [self.named(fd) for fd in project(self.fds, self.mask(columns))]

    def part(self, mask: int) -> Part:
        """The part ``mask`` with its candidate keys under the projected dependencies."""
        keys = [self.names(k) for k in candidate_keys(mask, project(self.fds, mask))]
        return Part(self.names(mask), keys[0], tuple(keys[1:]))

    def violations(self, target: NormalForm = NormalForm.NF3) -> list[Violation]:
        """Every dependency that keeps the relation below ``target``, with its fix."""
        return [self._violation(v) for v in self.analysis.violations_of(target)]

    def _violation(self, violation: FormViolation) -> Violation:
        fd, analysis = violation.fd, self.analysis
        determined = closure(fd.lhs, analysis.cover) & ~fd.lhs
        if violation.breaks is not NormalForm.BCNF:
            determined &= ~analysis.prime
        left = fd.lhs | determined
        rest = self.universe & ~determined
        return Violation(
            breaks=violation.breaks,
            fd=self.named(fd),
            reason=self._reason(violation),
            decomposition=(Part(self.names(left), self.names(fd.lhs)), self.part(rest)),
        )

    def _reason(self, violation: FormViolation) -> str:
        fd = violation.fd
        lhs = ", ".join(self.names(fd.lhs)) or "∅"
        rhs = self.names(fd.rhs)[0]
        if violation.breaks is NormalForm.NF2:
            key = next(k for k in self.analysis.keys if is_subset(fd.lhs, k) and k != fd.lhs)
            return (
                f"non-prime {rhs} depends on ({lhs}), a proper part of the key "
                f"({', '.join(self.names(key))})"
            )
        if violation.breaks is NormalForm.NF3:
            return f"non-prime {rhs} depends on ({lhs}), which is not a key"
        return f"{rhs} depends on ({lhs}), which is not a key"

    def synthesize_3nf(self) -> list[tuple[str, ...]]:
        """The 3NF synthesis: lossless and dependency-preserving."""
        return [self.names(part) for part in synthesize_3nf(self.universe, self.fds)]

    def decompose_bcnf(self) -> Proposal:
        """A lossless BCNF decomposition and the dependencies it loses."""
        result = decompose_bcnf(self.universe, self.fds)
        return Proposal(
            tuple(self.part(p) for p in result.parts), tuple(self.named(f) for f in result.lost)
        )

    def proposal(self, target: NormalForm = NormalForm.NF3) -> Proposal:
        """The decomposition dbarch proposes to reach ``target``: 3NF synthesis, or the
        BCNF decomposition when the target is BCNF."""
        if target is NormalForm.BCNF:
            return self.decompose_bcnf()
        return Proposal(tuple(self.part(p) for p in synthesize_3nf(self.universe, self.fds)), ())

    def is_lossless(self, parts: Iterable[Iterable[str]]) -> bool:
        """The chase: joining the projections onto ``parts`` always gives the relation back."""
        return is_lossless(self.universe, self.fds, [self.mask(p) for p in parts])

    def lost_dependencies(self, parts: Iterable[Iterable[str]]) -> list[FunctionalDependency]:
        """The dependencies of a minimal cover that ``parts`` no longer enforce."""
        masks = [self.mask(p) for p in parts]
        return [self.named(fd) for fd in lost_dependencies(self.fds, masks)]


def normal_form_violations(
    table: Table, target: NormalForm | str = NormalForm.NF3
) -> list[Violation]:
    """Why ``table`` (with declared ``functional_dependencies``) is below ``target``.

    An empty list means the table reaches ``target``; a dependency naming a column the
    table does not have raises NormalizeError.
    """
    form = NormalForm.parse(target) if isinstance(target, str) else target
    return Relation.from_table(table).violations(form)
