"""Normalization: tables whose declared functional dependencies break the normal form."""

from __future__ import annotations

from collections.abc import Iterator

from dbarch.checks.context import RuleContext
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import Param, rule
from dbarch.model.objects import Table
from dbarch.normalize import NormalizeError, Part, Violation, normal_form_violations


@rule(
    code="DBA701",
    name="below-normal-form",
    severity=Severity.warning,
    summary="A table's declared functional dependencies put it below the target normal form.",
    rationale="""
        A dependency whose left side is not a key stores the same fact once per row:
        updates must change every copy or the copies disagree, and deleting the last row
        of a group loses the fact. 3NF (the default target) removes partial and
        transitive dependencies; BCNF also the rare overlapping-key cases.
    """,
    fix="""
        Split the table as proposed: the dependency's left side with what it determines
        becomes its own table keyed by that left side, referenced by the rest.
        `dbarch normalize` emits the model change and a migration proven lossless on the
        real rows.
    """,
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false}
      - {name: customer_email, type: text, nullable: false}
    functional_dependencies:
      - {lhs: [customer_id], rhs: [customer_email]}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false, references: customers.id}
""",
    params=(Param("target", "3nf", "The normal form tables must reach.", ("2nf", "3nf", "bcnf")),),
)
def below_normal_form(ctx: RuleContext) -> Iterator[Hit]:
    target = ctx.text("target")
    for t in ctx.schema.tables:
        if not t.functional_dependencies:
            continue
        try:
            violations = normal_form_violations(t, target)
        except NormalizeError:
            continue  # a dependency on a missing column: the loader reports it
        for v in violations:
            yield Hit(Target.relation(t), _message(t, v), _fix(v))


def _message(t: Table, v: Violation) -> str:
    lhs = ", ".join(v.fd.lhs) or "∅"
    rhs = ", ".join(v.fd.rhs)
    return f"{t.schema_}.{t.name} is not in {v.breaks.label}: {lhs} -> {rhs} ({v.reason})"


def _part(p: Part) -> str:
    return f"({', '.join(p.columns)}) keyed by ({', '.join(p.key)})"


def _fix(v: Violation) -> str:
    return "decompose into " + " and ".join(_part(p) for p in v.decomposition)
