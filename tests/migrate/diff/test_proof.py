"""Every diff case proven by PostgreSQL: up gives TO, reverse gives FROM back, rows survive.

Each case is proven on one of the PostgreSQL majors of the session, taken in turn (so
every major proves its share and the suite stays fast); the cases of one server run
concurrently, each in its own databases, the first time a test of that server asks.
"""

from __future__ import annotations

import pytest

from dbarch.pg.devdb import DevServer
from tests.conftest import SERVER_PARAMS
from tests.migrate.diff import (
    cases_code,
    cases_keys,
    cases_partitions,
    cases_security,
    cases_tables,
    cases_types,
)
from tests.migrate.diff.proof import Case, Outcomes, prove_all, selected_cases

CASES = [
    *cases_tables.CASES,
    *cases_keys.CASES,
    *cases_types.CASES,
    *cases_code.CASES,
    *cases_partitions.CASES,
    *cases_security.CASES,
]
MAJORS = sorted(p.values[0].version for p in SERVER_PARAMS if p.values[0] is not None)

pytestmark = pytest.mark.all_pg_versions


def major_of(case: Case) -> int:
    """The PostgreSQL major that proves ``case``: the majors take the cases in turn."""
    return MAJORS[CASES.index(case) % len(MAJORS)] if MAJORS else 0


@pytest.fixture(scope="module")
def proofs(request: pytest.FixtureRequest, pg_server: DevServer) -> Outcomes:
    """The outcome of every case this server proves: None or the failure."""
    mine = [c for c in selected_cases(request.session, CASES) if major_of(c) == pg_server.version]
    return prove_all(mine, pg_server)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_up_then_reverse(case: Case, pg_server: DevServer, proofs: Outcomes) -> None:
    if major_of(case) != pg_server.version:
        pytest.skip(f"proven on PostgreSQL {major_of(case)}")
    failure = proofs[case.id]
    if failure is not None:
        raise failure


def test_case_names_are_unique() -> None:
    assert len({c.id for c in CASES}) == len(CASES)
