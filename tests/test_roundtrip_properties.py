"""Property: any valid schema survives model -> DDL -> PostgreSQL -> inspect unchanged.

The strategies (tests/model/strategies.py) generate schemas already in canonical form,
with names that need quoting (spaces, quotes, upper case, unicode, reserved words), so
the first trip through the server must give back exactly the input.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from dbarch.model.objects import Schema
from dbarch.pg.devdb import DevServer
from dbarch.roundtrip import round_trip
from tests.model.strategies import schemas

pytestmark = pytest.mark.all_pg_versions


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schema=schemas())
def test_random_schemas_round_trip(pg_server: DevServer, schema: Schema) -> None:
    result = round_trip(schema, pg_server)
    assert result.model == schema, result.differences()
    assert result.proven, result.differences()
