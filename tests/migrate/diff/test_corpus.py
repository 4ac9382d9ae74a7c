"""Real schemas from the corpus built from nothing and dropped to nothing by a diff, each
proven by pg_dump both ways (partitions, domains, views, functions, triggers, FKs that
point at each other...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbarch.migrate.plan import PlanOptions
from dbarch.pg.devdb import DevServer
from tests.migrate.diff.proof import Case, Outcomes, prove_all, selected_cases

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
SCHEMAS = sorted(CORPUS.glob("*/schema.sql"))
ALLOW = PlanOptions(allow_destructive=True)


def _cases() -> list[Case]:
    cases = []
    for path in SCHEMAS:
        sql = path.read_text(encoding="utf-8")
        cases.append(Case(f"create {path.parent.name}", "", sql, options=ALLOW))
        cases.append(Case(f"drop {path.parent.name}", sql, "", options=ALLOW))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, pg_server: DevServer) -> Outcomes:
    return prove_all(selected_cases(request.session, CASES), pg_server)


def test_the_corpus_is_there() -> None:
    assert len(SCHEMAS) >= 5


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_schema(case: Case, outcomes: Outcomes) -> None:
    failure = outcomes[case.id]
    if failure is not None:
        raise failure
