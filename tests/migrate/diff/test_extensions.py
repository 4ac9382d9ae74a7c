"""Extensions created and dropped by a diff, with whichever extension the server has."""

from __future__ import annotations

import pytest

from dbarch.pg.devdb import DevServer
from dbarch.pg.quote import quote_ident
from tests.migrate.diff.proof import Case, prove
from tests.pgutil import run_sql

PREFERRED = ("citext", "hstore", "pg_trgm", "vector")

pytestmark = pytest.mark.all_pg_versions


def _extension(server: DevServer) -> str:
    rows = run_sql(server.dsn("postgres"), "SELECT name FROM pg_available_extensions")
    available = {name for (name,) in rows}
    found = [name for name in PREFERRED if name in available]
    if not found:
        pytest.skip(f"PostgreSQL {server.version} has none of {', '.join(PREFERRED)}")
    return found[0]


def test_create_and_drop_an_extension(pg_server: DevServer) -> None:
    create = f"CREATE EXTENSION {quote_ident(_extension(pg_server))};"
    proof = prove(Case("create extension", "", create), pg_server)
    assert [s.summary for s in proof.plan.steps] == [f"create extension {_extension(pg_server)}"]
    prove(Case("drop extension", create, ""), pg_server)


def test_an_extension_in_its_own_schema(pg_server: DevServer) -> None:
    name = quote_ident(_extension(pg_server))
    proof = prove(
        Case(
            "extension schema",
            f"CREATE SCHEMA ext; CREATE EXTENSION {name};",
            f"CREATE SCHEMA ext; CREATE EXTENSION {name} SCHEMA ext;",
        ),
        pg_server,
    )
    assert any("SCHEMA ext" in s.sql for s in proof.plan.steps), "the move is in the plan"
