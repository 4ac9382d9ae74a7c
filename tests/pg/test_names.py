"""Generated names match the ones PostgreSQL makes up."""

from __future__ import annotations

import pytest

from dbarch.pg.connect import connect
from dbarch.pg.names import object_name
from dbarch.pg.quote import quote_ident

CASES = [
    ("orders", "id"),
    ("é" * 31 + "x", "order"),
    ("é" * 31 + "x", "a_rather_long_column_name"),
    ("t" * 63, "c" * 63),
    ("表" * 21, "列" * 5),
]


@pytest.mark.parametrize(("table", "column"), CASES)
def test_identity_sequence_names_match_postgresql(fresh_db: str, table: str, column: str) -> None:
    with connect(fresh_db) as conn:
        conn.execute(
            f"CREATE TABLE {quote_ident(table)} "
            f"({quote_ident(column)} bigint GENERATED ALWAYS AS IDENTITY)"
        )
        (actual,) = conn.execute("SELECT relname FROM pg_class WHERE relkind = 'S'").fetchone()
    assert object_name(table, column, "seq") == actual
    assert len(actual.encode()) <= 63


def test_short_names_are_kept_whole() -> None:
    assert object_name("orders", "id", "seq") == "orders_id_seq"
    assert object_name("orders", None, "pkey") == "orders_pkey"
