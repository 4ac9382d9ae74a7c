"""The Sample Data INSERTs: the columns an insert must give, values PostgreSQL accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from dbarch.ddl import to_ddl
from dbarch.docs.catalog import Catalog
from dbarch.docs.sample import placeholder, required_columns, sample_insert
from dbarch.model.loader import load_model, load_model_text
from dbarch.model.objects import Schema
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.introspect import inspect_database
from dbarch.pg.sqlfiles import apply_sql
from tests.docs.schemas import seed_users, weird

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT.parent / "shared" / "corpus").glob("*/schema.sql"))
EXAMPLE = ROOT / "src" / "dbarch" / "examples" / "ml_platform.yaml"

TYPES = """
enums:
  - {name: mood, values: [happy, sad]}
domains:
  - {name: short_code, type: varchar(3)}
  - {name: code_again, type: short_code}
tables:
  - name: t
    columns:
      - {name: a_long_name, type: varchar(4), nullable: false}
      - {name: b, type: character, nullable: false}
      - {name: c, type: mood, nullable: false}
      - {name: d, type: code_again, nullable: false}
      - {name: e, type: "integer[]", nullable: false}
      - {name: f, type: tstzrange, nullable: false}
      - {name: g, type: bytea, nullable: false}
      - {name: i, type: bigint, nullable: false, identity: {generation: by_default}}
      - {name: j, type: text, nullable: false, default: "'x'::text"}
      - {name: k, type: integer, nullable: false, generated: "1"}
  - name: all defaults
    columns:
      - {name: id, type: bigint, nullable: false, identity: {generation: always}}
"""


def test_the_seed_users_insert_names_the_columns_an_insert_must_give() -> None:
    catalog = Catalog(seed_users())
    assert sample_insert(catalog, catalog.tables[0]) == (
        "INSERT INTO users (email, password_hash, first_name)\n"
        "VALUES ('email', 'password_hash', 'first_name');"
    )


def test_placeholders_follow_types_lengths_enums_and_domains() -> None:
    catalog = Catalog(load_model_text(TYPES, "types.yaml", "yaml"))
    table = catalog.by_key[("public", "t")]
    assert [c.name for c in required_columns(table)] == [
        "a_long_name",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
    ]
    assert sample_insert(catalog, table) == (
        "INSERT INTO t (a_long_name, b, c, d, e, f, g)\n"
        "VALUES ('a_lo', 'b', 'happy', 'd', '{}', 'empty', '\\x00');"
    )
    assert placeholder(catalog, "timestamp with time zone", "x") == "now()"
    assert placeholder(catalog, "not a type (", "x") == "'...'"
    assert placeholder(catalog, "varchar(10)", "it's") == "'it''s'"
    assert sample_insert(catalog, catalog.by_key[("public", "all defaults")]) == (
        'INSERT INTO "all defaults" DEFAULT VALUES;'
    )


def _prepare_every_insert(conn: psycopg.Connection[Any], catalog: Catalog) -> int:
    count = 0
    with conn.cursor() as cur:
        cur.execute("RESET search_path")  # a pg_dump script empties it; a reader's has public
        for table in catalog.tables:
            statement = sample_insert(catalog, table)
            try:
                # PREPARE resolves every column and turns every literal into its type
                cur.execute(f"PREPARE sample AS {statement.rstrip(';')}")
            except psycopg.Error as exc:
                raise AssertionError(f"{statement}\n{exc}") from exc
            cur.execute("DEALLOCATE sample")
            count += 1
    return count


@pytest.mark.parametrize("sql_file", CORPUS, ids=lambda p: p.parent.name)
def test_postgresql_accepts_every_insert_of_the_corpus(
    sql_file: Path, pg_server: DevServer
) -> None:
    with pg_server.scratch() as dsn, connect(dsn) as conn:
        apply_sql(conn, sql_file.read_text(encoding="utf-8"), str(sql_file))
        catalog = Catalog(inspect_database(conn))
        assert _prepare_every_insert(conn, catalog) == len(catalog.tables) > 0


@pytest.mark.parametrize(
    "schema",
    [
        weird(),
        load_model(EXAMPLE),
        load_model_text(TYPES, "types.yaml", "yaml"),
    ],
    ids=["weird", "ml_platform", "types"],
)
def test_postgresql_accepts_every_insert_of_a_model(schema: Schema, pg_server: DevServer) -> None:
    with pg_server.scratch() as dsn, connect(dsn) as conn:
        apply_sql(conn, to_ddl(schema), "model.sql")
        catalog = Catalog(inspect_database(conn))
        assert _prepare_every_insert(conn, catalog) == len(catalog.tables) > 0
