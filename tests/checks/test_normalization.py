"""DBA701: declared functional dependencies checked against the target normal form."""

from __future__ import annotations

from .helpers import run

# Textbook: street, city -> zip and zip -> city. 3NF (city is prime) but not BCNF.
ADDRESSES = """
tables:
  - name: addresses
    columns:
      - {name: street, type: text, nullable: false}
      - {name: city, type: text, nullable: false}
      - {name: zip, type: text, nullable: false}
    primary_key: {columns: [street, city]}
    functional_dependencies:
      - {lhs: [street, city], rhs: [zip]}
      - {lhs: [zip], rhs: [city]}
"""

TRANSITIVE = """
tables:
  - name: employees
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: department_id, type: bigint, nullable: false}
      - {name: department_name, type: text, nullable: false}
    functional_dependencies:
      - {lhs: [department_id], rhs: [department_name]}
"""


def test_transitive_dependency_breaks_3nf_with_a_proposed_split() -> None:
    (finding,) = run("DBA701", TRANSITIVE)
    assert finding.object == "public.employees"
    assert "not in 3NF: department_id -> department_name" in finding.message
    assert finding.fix == (
        "decompose into (department_id, department_name) keyed by (department_id) "
        "and (id, department_id) keyed by (id)"
    )


def test_3nf_but_not_bcnf_depends_on_the_target() -> None:
    assert run("DBA701", ADDRESSES) == []
    (finding,) = run("DBA701", ADDRESSES, '[check.rules.DBA701]\ntarget = "bcnf"\n')
    assert "not in BCNF: zip -> city" in finding.message


def test_tables_without_declared_dependencies_are_not_judged() -> None:
    assert run("DBA701", "tables:\n  - name: t\n    columns:\n      - {name: a, type: int}\n") == []
