"""Random schemas, randomly edited, proven like the written cases: up gives TO, reverse
gives FROM back (pg_dump as the referee)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dbarch.ddl import to_ddl
from dbarch.migrate.plan import PlanOptions
from dbarch.pg.devdb import DevServer
from tests.migrate.diff.edits import edited
from tests.migrate.diff.proof import Case, Databases, prove
from tests.model.strategies import schemas


@pytest.fixture(scope="module")
def databases(pg_server: DevServer) -> Iterator[Databases]:
    pool = Databases(pg_server)
    yield pool
    pool.close()


@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking takes minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_edits_are_proven(databases: Databases, data: st.DataObject) -> None:
    online = data.draw(st.booleans(), label="zero downtime")
    before = data.draw(schemas(max_tables=3), label="before")
    after, declare = data.draw(edited(before, labels=not online), label="after")
    case = Case(
        id="random edit",
        before=to_ddl(before),
        after=to_ddl(after),
        declare=declare,
        options=PlanOptions(zero_downtime=online, allow_destructive=True),
    )
    prove(case, databases.server, databases)
