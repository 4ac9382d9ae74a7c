"""The core invariant, proven by PostgreSQL on real schemas.

SQL -> database A -> inspect -> DDL -> database B: pg_dump --schema-only of A and B is
identical; and model -> DDL -> apply -> inspect is a fixed point.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dbarch.ddl import to_ddl
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.introspect import inspect_database
from dbarch.pg.pgdump import dump_schema
from dbarch.pg.sqlfiles import apply_sql
from dbarch.roundtrip import build, round_trip
from dbarch.sources import schema_from_sql

pytestmark = pytest.mark.all_pg_versions

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
OWN = Path(__file__).resolve().parent / "data"

SCHEMAS = sorted(CORPUS.glob("*/schema.sql")) + sorted(OWN.glob("*.sql"))


def _id(path: Path) -> str:
    return path.parent.name if path.name == "schema.sql" else path.stem


def test_the_corpus_is_there() -> None:
    assert {p.parent.name for p in CORPUS.glob("*/schema.sql")} >= {
        "chinook",
        "northwind",
        "pagila_2024",
        "pgbench_partitioned",
        "world",
    }


@pytest.mark.parametrize("sql_file", SCHEMAS, ids=_id)
def test_pg_dump_cannot_tell_the_copy_from_the_original(
    sql_file: Path, pg_server: DevServer
) -> None:
    with pg_server.scratch() as original, connect(original) as conn:
        apply_sql(conn, sql_file.read_text(encoding="utf-8"), str(sql_file))
        model = inspect_database(conn)
        expected = dump_schema(original, pg_server.bindir)
    ddl = to_ddl(model)
    with pg_server.scratch() as copy:
        rebuilt = build(copy, ddl)
        actual = dump_schema(copy, pg_server.bindir)
    assert actual == expected
    assert rebuilt == model
    assert to_ddl(rebuilt) == ddl


@pytest.mark.parametrize("sql_file", SCHEMAS, ids=_id)
def test_model_ddl_apply_inspect_is_a_fixed_point(sql_file: Path, pg_server: DevServer) -> None:
    model = schema_from_sql(sql_file, dev_url=pg_server.dsn("postgres"))
    result = round_trip(model, pg_server)
    assert result.model == model, result.differences()
    assert result.proven, result.differences()
