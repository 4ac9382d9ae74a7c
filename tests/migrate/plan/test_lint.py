"""dbarch's own lint finds no hazard in a zero-downtime plan, and the ones of plain DDL."""

from __future__ import annotations

from dbarch.migrate.diff.compare import compare
from dbarch.migrate.lint import lint_text
from dbarch.migrate.plan import PlanOptions, plan
from dbarch.migrate.render import render_sql
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    PrimaryKey,
    Reference,
    Schema,
    Table,
    UniqueConstraint,
)

ID = Column(name="id", type="integer", nullable=False)
PARENT = Table(name="p", columns=(ID,), primary_key=PrimaryKey(name="p_pkey", columns=("id",)))
OLD = Schema(
    tables=(
        PARENT,
        Table(
            name="t", columns=(ID, Column(name="n", type="integer"), Column(name="s", type="text"))
        ),
    )
)
NEW = Schema(
    tables=(
        PARENT,
        Table(
            name="t",
            columns=(
                ID,
                Column(name="n", type="bigint", nullable=False),
                Column(name="s", type="text"),
                Column(name="c", type="integer", default="0", nullable=False),
                Column(name="u", type="uuid", default="gen_random_uuid()"),
            ),
            foreign_keys=(
                ForeignKey(
                    name="f", columns=("id",), references=Reference(table="p", columns=("id",))
                ),
            ),
            checks=(CheckConstraint(name="k", check="(c >= 0)"),),
            unique=(UniqueConstraint(name="t_s_key", columns=("s",)),),
            indexes=(Index(name="t_c", columns=("c",)),),
        ),
    )
)


def codes(zero_downtime: bool) -> set[str]:
    script = render_sql(plan(compare(OLD, NEW), PlanOptions(zero_downtime=zero_downtime)))
    return {finding.rule for finding in lint_text(script, "plan.sql")}


def test_the_zero_downtime_plan_has_no_lint_findings() -> None:
    assert codes(True) == set()


def test_the_plain_plan_has_the_hazards_lint_knows() -> None:
    assert codes(False) >= {"DBA101", "DBA201", "DBA203", "DBA204", "DBA301", "DBA304", "DBA501"}
