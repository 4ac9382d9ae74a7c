"""Rules that read a live database's statistics and sample rows, and the reading itself."""

from __future__ import annotations

import pytest
from psycopg.conninfo import make_conninfo

from dbarch.checks.engine import columns_to_sample, run_checks
from dbarch.checks.findings import Finding
from dbarch.checks.registry import Rule, all_rules
from dbarch.errors import DatabaseError
from dbarch.pg.connect import connect
from dbarch.pg.stats import Statistics, collect_statistics
from dbarch.sources import load_source
from tests.pgutil import run_sql

from .helpers import example_config, only

LIVE = [r for r in all_rules() if r.statistics]


def _check(dsn: str, code: str | None = None, rule: Rule | None = None) -> list[Finding]:
    schema = load_source(dsn)
    with connect(dsn) as conn:
        stats = collect_statistics(conn, columns_to_sample(schema))
    config = example_config(rule) if rule is not None else only(code or "")
    return run_checks(schema, config, stats)


@pytest.mark.parametrize("rule", LIVE, ids=lambda r: r.code)
def test_bad_example_is_caught_on_a_live_database(fresh_db: str, rule: Rule) -> None:
    run_sql(fresh_db, rule.bad)
    findings = _check(fresh_db, rule=rule)
    assert findings and {f.rule for f in findings} == {rule.code}


@pytest.mark.parametrize("rule", LIVE, ids=lambda r: r.code)
def test_good_example_passes_on_a_live_database(fresh_db: str, rule: Rule) -> None:
    run_sql(fresh_db, rule.good)
    assert _check(fresh_db, rule=rule) == []


def test_statistics_rules_do_not_run_offline(fresh_db: str) -> None:
    for rule in LIVE:
        run_sql(fresh_db, rule.bad)
    schema = load_source(fresh_db)
    for rule in LIVE:
        assert run_checks(schema, example_config(rule)) == []


def test_statistics_and_samples(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        """
        CREATE SCHEMA "Odd";
        CREATE TABLE "Odd"."Weird Table" ("Col" text, n int, doc jsonb);
        CREATE INDEX idx_weird_n ON "Odd"."Weird Table" (n);
        INSERT INTO "Odd"."Weird Table"
          SELECT CASE WHEN i % 2 = 0 THEN 'v' || i END, i % 3, jsonb_build_object('k', i)
          FROM generate_series(1, 300) i;
        ANALYZE "Odd"."Weird Table";
        CREATE TABLE never_analyzed (x int);
        SELECT n FROM "Odd"."Weird Table" WHERE n = 1;
        """,
    )
    wanted = [("Odd", "Weird Table", "Col"), ("Odd", "Weird Table", "doc"), ("public", "gone", "x")]
    with connect(fresh_db) as conn:
        stats = collect_statistics(conn, wanted, sample_size=5)
    table = stats.table("Odd", "Weird Table")
    assert table is not None and table.rows == 300
    assert table.columns["n"].n_distinct == 3
    assert table.columns["n"].distinct_values(300) == 3
    assert table.columns["Col"].null_frac == pytest.approx(0.5)
    assert table.columns["Col"].distinct_values(300) == pytest.approx(150)
    assert sorted(table.columns["n"].common_values) == ["0", "1", "2"]
    assert table.samples["Col"] == ("v2", "v4", "v6", "v8", "v10")
    assert table.samples["doc"][0] == '{"k": 1}'
    assert stats.table("public", "never_analyzed") == stats.tables[("public", "never_analyzed")]
    assert stats.tables[("public", "never_analyzed")].rows is None
    assert ("Odd", "idx_weird_n") in stats.index_scans
    assert stats.table("public", "gone") is None


def test_tables_the_role_cannot_read_are_not_sampled(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        """
        CREATE ROLE dbarch_test_reader LOGIN;
        CREATE TABLE open_t (a text); CREATE TABLE closed_t (a text);
        INSERT INTO open_t VALUES ('x'); INSERT INTO closed_t VALUES ('y');
        GRANT SELECT ON open_t TO dbarch_test_reader;
        """,
    )
    reader = make_conninfo(fresh_db, user="dbarch_test_reader")
    try:
        with connect(reader) as conn:
            stats = collect_statistics(
                conn, [("public", "open_t", "a"), ("public", "closed_t", "a")]
            )
        assert stats.tables[("public", "open_t")].samples == {"a": ("x",)}
        assert stats.tables[("public", "closed_t")].samples == {}
    finally:
        run_sql(fresh_db, "DROP OWNED BY dbarch_test_reader; DROP ROLE dbarch_test_reader;")


def test_a_refusing_server_is_a_database_error(fresh_db: str) -> None:
    with connect(fresh_db) as conn:
        conn.execute("SET default_transaction_read_only = on")
        conn.execute("SET statement_timeout = 1")  # overridden inside; still a clean run
        assert isinstance(collect_statistics(conn), Statistics)
        conn.close()
        with pytest.raises(DatabaseError, match="cannot read statistics"):
            collect_statistics(conn)


def test_low_cardinality_index_that_serves_a_foreign_key_is_kept(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        """
        CREATE TABLE kinds (id bigint PRIMARY KEY);
        INSERT INTO kinds VALUES (1), (2);
        CREATE TABLE tickets (
            id bigint PRIMARY KEY,
            kind_id bigint NOT NULL REFERENCES kinds (id),
            is_open boolean NOT NULL
        );
        CREATE INDEX idx_tickets_kind_id ON tickets (kind_id);
        CREATE INDEX idx_tickets_is_open ON tickets (is_open);
        INSERT INTO tickets SELECT i, i % 2 + 1, i % 50 = 0 FROM generate_series(1, 5000) i;
        ANALYZE;
        """,
    )
    found = _check(fresh_db, "DBA405")
    assert [f.object for f in found] == ["public.idx_tickets_is_open"]
    assert found[0].fix.startswith("DROP INDEX public.idx_tickets_is_open;")
