"""The plan as a psql script and as JSON."""

from __future__ import annotations

import json

from dbarch.migrate.diff.compare import compare
from dbarch.migrate.plan import Plan, PlanOptions, plan
from dbarch.migrate.render import render_json, render_sql
from dbarch.model.objects import CheckConstraint, Column, Index, Schema, Table

A = Column(name="a", type="integer")
N = Column(name="n", type="integer")


def example(zero_downtime: bool) -> Plan:
    old = Schema(tables=(Table(name="t", columns=(A,)),))
    new = Schema(
        tables=(
            Table(
                name="t",
                columns=(A, N),
                checks=(CheckConstraint(name="c", check="(n > 0)"),),
                indexes=(Index(name="t_n", columns=("n",)),),
                comment="numbers",
            ),
        )
    )
    return plan(compare(old, new), PlanOptions(zero_downtime=zero_downtime))


def test_online_script_runs_each_transactional_step_in_its_own_transaction() -> None:
    script = render_sql(example(True))
    assert script.startswith("-- dbarch migration: 5 steps (zero-downtime plan)\n\n")
    assert "SET search_path = public, pg_catalog;\n" in script
    blocks = script.split("\n\n")[2:]
    assert [b.splitlines()[0] for b in blocks] == [
        "-- step 1/5: add column n to public.t",
        "-- step 2/5: add c on public.t NOT VALID",
        "-- step 3/5: validate c of public.t",
        "-- step 4/5: create index t_n on public.t",
        "-- step 5/5: comment on table public.t",
    ]
    for block in blocks:
        lines = block.splitlines()
        assert lines[1].startswith("-- lock: ")
        if "transactional: yes" in lines[1]:
            assert (lines[2], lines[-1]) == ("BEGIN;", "COMMIT;")
        else:
            assert "BEGIN;" not in block and "COMMIT;" not in block
    assert blocks[3].splitlines()[1] == (
        "-- lock: SHARE UPDATE EXCLUSIVE on public.t; rewrites: no; scans: yes; "
        "transactional: no (runs outside a transaction block)"
    )


def test_plain_script_runs_runs_of_steps_in_one_transaction() -> None:
    script = render_sql(example(False))
    assert script.startswith("-- dbarch migration: 4 steps (plain DDL)\n")
    assert script.count("BEGIN;") == 1 and script.count("COMMIT;") == 1
    assert script.index("BEGIN;") < script.index("-- step 2/4") < script.index("COMMIT;")
    assert script.index("-- step 4/4") < script.index("COMMIT;")


def test_an_empty_plan_says_so() -> None:
    empty = plan(compare(Schema(), Schema()))
    assert render_sql(empty) == (
        "-- dbarch migration: 0 steps (zero-downtime plan)\n-- no differences\n"
    )
    assert json.loads(render_json(empty)) == {"zero_downtime": True, "warnings": [], "steps": []}


def test_json_is_exactly_the_facts_of_the_steps() -> None:
    result = example(True)
    data = json.loads(render_json(result))
    assert [s["summary"] for s in data["steps"]] == [s.summary for s in result.steps]
    index = data["steps"][3]
    assert index == {
        "summary": "create index t_n on public.t",
        "sql": "CREATE INDEX CONCURRENTLY t_n ON public.t USING btree (n);",
        "reverse_sql": "DROP INDEX CONCURRENTLY public.t_n;",
        "irreversible": None,
        "lock": "SHARE UPDATE EXCLUSIVE",
        "tables": ["public.t"],
        "locks": [{"table": "public.t", "mode": "SHARE UPDATE EXCLUSIVE"}],
        "rewrites": False,
        "scans": True,
        "transactional": False,
        "needs_commit": False,
    }
    assert data["steps"][1]["reverse_sql"] == ""
    assert "DROP CONSTRAINT c;" in data["steps"][2]["reverse_sql"]


def test_rendering_is_deterministic() -> None:
    assert render_sql(example(True)) == render_sql(example(True))
    assert render_json(example(False)) == render_json(example(False))


def test_new_enum_labels_are_committed_before_use_in_a_plain_script() -> None:
    from dbarch.model.objects import EnumType

    old = Schema(
        enums=(EnumType(name="e", values=("a",)),),
        tables=(Table(name="t", columns=(Column(name="v", type="e", default="'a'::e"),)),),
    )
    new = Schema(
        enums=(EnumType(name="e", values=("a", "b")),),
        tables=(Table(name="t", columns=(Column(name="v", type="e", default="'b'::e"),)),),
    )
    result = plan(compare(old, new), PlanOptions(zero_downtime=False))
    assert [s.needs_commit for s in result.steps] == [True, False]
    script = render_sql(result)
    assert script.count("BEGIN;") == 2
    assert script.index("ADD VALUE 'b'") < script.index("COMMIT;") < script.index("'b'::e;")
