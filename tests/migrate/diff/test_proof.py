"""Every diff case proven by PostgreSQL: up gives TO, reverse gives FROM back, rows survive.

The cases of one server run concurrently (each in its own databases) the first time a
test of that server asks for its result; each test then reports its own case.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from dbarch.pg.devdb import DevServer
from tests.migrate.diff import (
    cases_code,
    cases_keys,
    cases_partitions,
    cases_security,
    cases_tables,
    cases_types,
)
from tests.migrate.diff.proof import Case, prove

CASES = [
    *cases_tables.CASES,
    *cases_keys.CASES,
    *cases_types.CASES,
    *cases_code.CASES,
    *cases_partitions.CASES,
    *cases_security.CASES,
]
WORKERS = 4


def _wanted(session: pytest.Session) -> list[Case]:
    """The cases of the tests this session runs."""
    ids = {
        getattr(item, "callspec", None) and item.callspec.params.get("case")
        for item in session.items
    }
    return [case for case in CASES if case in ids]


@pytest.fixture(scope="module")
def proofs(
    request: pytest.FixtureRequest, pg_server: DevServer
) -> Iterator[dict[str, Exception | None]]:
    """The outcome of every wanted case on ``pg_server``: None or the failure."""

    def run(case: Case) -> Exception | None:
        try:
            prove(case, pg_server)
        except Exception as exc:  # reported by the case's own test
            return exc
        return None

    cases = _wanted(request.session)
    with ThreadPoolExecutor(WORKERS) as pool:
        yield dict(zip((c.id for c in cases), pool.map(run, cases), strict=True))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_up_then_reverse(case: Case, proofs: dict[str, Exception | None]) -> None:
    failure = proofs[case.id]
    if failure is not None:
        raise failure
