"""The CHECK contradiction proof: what it proves, and that it is sound (PostgreSQL as
referee: whatever it calls never true, PostgreSQL finds no row for)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbarch.checks.contradiction import Domain, never_true
from dbarch.pg.connect import connect

COLUMNS = {"x": Domain.exact, "s": Domain.string, "b": Domain.bool, "f": Domain.float8}


@pytest.mark.parametrize(
    "expression",
    [
        "x > 5 AND x < 3",
        "(x > '5'::integer) AND (x < '-3'::integer)",
        "false",
        "NOT true",
        "x IN (1, 2) AND x IN (3, 4)",
        "x = ANY (ARRAY[1, 2]) AND x = 3",
        "x NOT IN (1, NULL)",
        "x = NULL",
        "x IS NULL AND x > 0",
        "x BETWEEN 5 AND 3",
        "x >= 5 AND x <= 5 AND x <> 5",
        "NOT (x > 1 OR x <= 1)",
        "(s)::text = ANY (ARRAY['a'::text, 'b'::text]) AND (s)::text = 'c'::text",
        "s = 'a' AND s <> 'a'",
        "b AND NOT b",
        "f > 1.5 AND f < 1.5",
        "(x > 1 AND x < 0) OR (x > 10 AND x < 9)",
        "1 = 0",
        "(x > 5 AND x < 3) IS TRUE",
    ],
)
def test_contradictions_are_proven(expression: str) -> None:
    assert never_true(expression, COLUMNS)


@pytest.mark.parametrize(
    "expression",
    [
        "x > 5 AND x < 6",  # 5.5: numeric is not integer
        "x >= 5 AND x <= 5",
        "x IN (1, 2) AND x = 2",
        "x IS NULL OR x > 1",
        "x > 5 OR x < 3",
        "s = 'a' AND s = 'a '",  # equal for char(n)
        "y > 5 AND y < 3",  # y: type unknown to the proof
        "random() > 0.9 AND random() < 0.1",  # two different draws
        "lower(s) = 'a' AND lower(s) = 'b' OR true",
        "x IS NOT TRUE",
        "x::text = '1' AND x = 2",
        "f = 0.1 AND f = 0.10000000000000001",  # the same double
        "not an expression",
        "x > 1; DROP TABLE t",
    ],
)
def test_satisfiable_or_unknown_is_not_claimed(expression: str) -> None:
    assert not never_true(expression, COLUMNS)


def test_strings_in_unknown_domains_are_not_reasoned_about() -> None:
    # a citext or case-insensitive collation may call 'a' and 'A' equal
    assert not never_true("s = 'a' AND s = 'A'", {"s": Domain.exact})
    assert not never_true("s = 'a' AND s = 'A'", {})


# --------------------------------------------------------------------------- soundness

NUMBERS = st.integers(-3, 8).map(str) | st.just("NULL") | st.sampled_from(["2.5", "-0.5"])
STRINGS = st.sampled_from(["'a'", "'b'", "'a '", "NULL"])
OPS = st.sampled_from(["=", "<>", "<", "<=", ">", ">="])


def _list(items: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(items, min_size=1, max_size=3).map(", ".join)


ATOMS = st.one_of(
    st.builds(lambda op, c: f"x {op} {c}", OPS, NUMBERS),
    st.builds(lambda op, c: f"{c} {op} x", OPS, NUMBERS),
    st.builds(lambda items: f"x IN ({items})", _list(NUMBERS)),
    st.builds(lambda items: f"x NOT IN ({items})", _list(NUMBERS)),
    st.builds(lambda op, items: f"x {op} ANY (ARRAY[{items}]::numeric[])", OPS, _list(NUMBERS)),
    st.builds(lambda op, items: f"x {op} ALL (ARRAY[{items}]::numeric[])", OPS, _list(NUMBERS)),
    st.builds(lambda a, b: f"x BETWEEN {a} AND {b}", NUMBERS, NUMBERS),
    st.builds(lambda a, b: f"x NOT BETWEEN {a} AND {b}", NUMBERS, NUMBERS),
    st.sampled_from(["x IS NULL", "x IS NOT NULL", "s IS NULL", "true", "false", "NULL"]),
    st.builds(lambda op, c: f"s {op} {c}", st.sampled_from(["=", "<>"]), STRINGS),
    st.builds(lambda items: f"s IN ({items})", _list(STRINGS)),
    st.builds(lambda c: f"(x > {c}) IS TRUE", NUMBERS),
    st.builds(lambda c: f"(x > {c}) IS FALSE", NUMBERS),
)
EXPRESSIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} AND {b})", inner, inner),
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a: f"NOT ({a})", inner),
    ),
    max_leaves=6,
)
GRID = [f"{n / 2}" for n in range(-8, 19)] + ["NULL"]
ROWS = ", ".join(
    f"({x}::numeric, {s}::text)" for x in GRID for s in ("'a'", "'b'", "'c'", "'a '", "NULL")
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(expression=EXPRESSIONS)
def test_what_is_proven_never_true_holds_for_no_row(fresh_db: str, expression: str) -> None:
    if not never_true(expression, {"x": Domain.exact, "s": Domain.string}):
        return
    with connect(fresh_db) as conn:
        query = f"SELECT count(*) FROM (VALUES {ROWS}) AS v(x, s) WHERE {expression}"
        row = conn.execute(query).fetchone()
    assert row == (0,), expression
