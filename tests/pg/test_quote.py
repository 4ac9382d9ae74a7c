"""Quoting: what PostgreSQL reads back is exactly what was meant."""

from __future__ import annotations

import pytest

from dbarch.pg.connect import connect
from dbarch.pg.quote import dollar_quote, needs_quoting, qualified, quote_ident, quote_literal

NAMES = ["orders", "Order Items", 'say "hi"', "select", "user", "ünïcödé", "a$b", "1st", "_x"]
TEXTS = ["", "it's", "back\\slash", "$$", "x$", "$tag$ and $$", "ünïcödé\nnew line"]


def test_bare_names_stay_bare() -> None:
    assert quote_ident("orders") == "orders"
    assert quote_ident("order_items_2") == "order_items_2"
    assert not needs_quoting("customer_id")


def test_names_that_need_quotes() -> None:
    assert quote_ident("Order Items") == '"Order Items"'
    assert quote_ident('say "hi"') == '"say ""hi"""'
    assert quote_ident("select") == '"select"'
    assert quote_ident("a$b") == '"a$b"'
    assert qualified("Odd Schema", "t") == '"Odd Schema".t'
    assert qualified(None, "t") == "t"


def test_postgresql_agrees(fresh_db: str) -> None:
    with connect(fresh_db) as conn:
        for name in NAMES:
            (theirs,) = conn.execute("SELECT quote_ident(%s)", [name]).fetchone()
            assert quote_ident(name) == theirs
            (back,) = conn.execute(f"SELECT {quote_literal(name)}").fetchone()
            assert back == name


@pytest.mark.parametrize("text", TEXTS)
def test_literals_and_dollar_quotes_read_back_unchanged(fresh_db: str, text: str) -> None:
    with connect(fresh_db) as conn:
        (literal,) = conn.execute(f"SELECT {quote_literal(text)}").fetchone()
        (dollar,) = conn.execute(f"SELECT {dollar_quote(text)}").fetchone()
    assert literal == text
    assert dollar == text
