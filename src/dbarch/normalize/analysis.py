"""From a profile to a verdict: normal form, violations, the proposed decomposition and
its migration, for one relation whose dependencies were discovered."""

from __future__ import annotations

from dataclasses import dataclass

from dbarch.model.objects import Column, FunctionalDependency, Table
from dbarch.normalize.decompose import DecompositionPlan, migration_sql, plan_decomposition
from dbarch.normalize.discovery.profile import RelationProfile
from dbarch.normalize.forms import NormalForm
from dbarch.normalize.proof import LosslessProof
from dbarch.normalize.relation import Proposal, Relation, Violation


@dataclass(frozen=True)
class RelationReport:
    """Everything ``dbarch normalize`` says about one relation."""

    profile: RelationProfile
    relation: Relation
    target: NormalForm
    violations: tuple[Violation, ...]
    proposal: Proposal | None = None
    plan: DecompositionPlan | None = None
    migration: str | None = None
    proof: LosslessProof | None = None

    @property
    def normal_form(self) -> NormalForm:
        """The normal form under the discovered dependencies."""
        return self.relation.normal_form()

    @property
    def meets_target(self) -> bool:
        """The relation is at least in the target normal form."""
        return not self.violations


def csv_table(profile: RelationProfile) -> Table:
    """The model of a CSV file's relation: text columns, never NULL, named after the file."""
    name = profile.name.rsplit(".", 1)[0] or profile.name
    columns = tuple(Column(name=c, type="text", nullable=False) for c in profile.columns)
    return Table(name=name, columns=columns)


def analyze_profile(profile: RelationProfile, table: Table, target: NormalForm) -> RelationReport:
    """Normal form and violations of ``table`` under its discovered dependencies, with the
    proposed decomposition and migration when it is below ``target``."""
    fds = [FunctionalDependency(lhs=fd.lhs, rhs=(fd.rhs,)) for fd in profile.fds]
    relation = Relation(profile.columns, fds)
    violations = tuple(relation.violations(target))
    if not violations:
        return RelationReport(profile, relation, target, violations)
    proposal = relation.proposal(target)
    plan = plan_decomposition(table, relation, proposal, distinct_rows=not profile.duplicate_rows)
    return RelationReport(
        profile, relation, target, violations, proposal, plan, migration_sql(plan)
    )
