"""``dbarch apply SOURCE``: a live database converges to a model file, safely and recorded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dbarch.migrate.canonical import load_for_diff
from dbarch.migrate.diff.compare import compare
from dbarch.migrate.plan import PlanOptions, plan
from dbarch.model.dump import dump_model
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.introspect import inspect_database
from dbarch.pg.sqlfiles import apply_sql
from dbarch.sources import load_source
from tests.migrate.runner.support import dbarch, dump_without_history
from tests.pgutil import dump_schema, run_sql

LIVE = """\
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, age integer);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric(12,2));
INSERT INTO customers SELECT g, 'c' || g, g % 90 FROM generate_series(1, 200) g;
INSERT INTO orders SELECT g, g % 200 + 1, g FROM generate_series(1, 400) g;
"""
WANTED = """\
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    age integer CHECK (age >= 0),
    status text NOT NULL DEFAULT 'new'
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total numeric(12,2)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
"""
QUERY = (
    "SELECT c.id, c.email, c.age, o.id, o.total "
    "FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id"
)


@contextmanager
def _wanted(server: DevServer, sql: str) -> Iterator[tuple[str, str]]:
    """A database built from ``sql``: its DSN and its dump."""
    with server.scratch() as dsn:
        with connect(dsn) as conn:
            apply_sql(conn, sql, "<wanted>")
        yield dsn, dump_schema(dsn, server.bindir)


def _model(server: DevServer, sql: str, path: Path) -> tuple[Path, str]:
    """A model file of ``sql`` and the dump of a database built from it."""
    with _wanted(server, sql) as (dsn, dump), connect(dsn) as conn:
        path.write_text(dump_model(inspect_database(conn), "yaml"), encoding="utf-8")
        return path, dump


def _history(db: str) -> list[tuple[object, ...]]:
    return run_sql(
        db,
        "SELECT version, kind, script, success, plan_sql IS NOT NULL "
        "FROM dbarch.dbarch_schema_history ORDER BY installed_rank",
    )


def test_dry_run_then_apply_converges(
    pg_server: DevServer, fresh_db: str, dev_url: str, tmp_path: Path
) -> None:
    run_sql(fresh_db, LIVE)
    model, wanted = _model(pg_server, WANTED, tmp_path / "model.yaml")
    rows = run_sql(fresh_db, QUERY)
    before = dump_schema(fresh_db, pg_server.bindir)

    dry = dbarch("apply", str(model), "--db", fresh_db, "--dry-run", "--dev-url", dev_url)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("-- dbarch migration: ")
    assert "CREATE UNIQUE INDEX CONCURRENTLY customers_email_key" in dry.stdout
    assert dump_schema(fresh_db, pg_server.bindir) == before
    assert run_sql(fresh_db, "SELECT to_regnamespace('dbarch')") == [(None,)]

    done = dbarch("apply", str(model), "--db", fresh_db, "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    assert "step 1/" in done.stderr and "applied " in done.stderr
    assert dump_without_history(fresh_db, pg_server.bindir) == wanted
    assert run_sql(fresh_db, QUERY) == rows
    assert _history(fresh_db) == [(None, "declarative", str(model), True, True)]

    again = dbarch("apply", str(model), "--db", fresh_db, "--dev-url", dev_url)
    assert again.stderr.endswith("up to date: the database already matches SOURCE\n")
    assert len(_history(fresh_db)) == 1

    # the database as a SOURCE leaves dbarch's bookkeeping out: nothing to migrate
    read = load_source(fresh_db)
    assert [t.name for t in read.tables] == ["customers", "orders"]
    assert "dbarch" not in {s.name for s in read.schemas}
    both = load_for_diff([fresh_db, str(model)], dev_url)
    assert plan(compare(*both), PlanOptions()).steps == ()


def test_interrupted_apply_is_finished_first(pg_server: DevServer, fresh_db: str) -> None:
    run_sql(fresh_db, LIVE + "UPDATE customers SET email = 'same' WHERE id <= 2;")
    with _wanted(pg_server, WANTED) as (source, wanted):
        failed = dbarch("apply", source, "--db", fresh_db)
        assert failed.returncode == 2
        assert "<plan>:" in failed.stderr and "could not create unique index" in failed.stderr
        assert "run again to resume" in failed.stderr
        assert _history(fresh_db) == [(None, "declarative", source, False, True)]

        run_sql(fresh_db, "UPDATE customers SET email = 'c2' WHERE id = 2")
        done = dbarch("apply", source, "--db", fresh_db)
        assert done.returncode == 0, done.stderr
        assert f"finishing the interrupted run of {source}" in done.stderr
        assert "dropping INVALID index public.customers_email_key" in done.stderr
        assert dump_without_history(fresh_db, pg_server.bindir) == wanted
        assert _history(fresh_db) == [(None, "declarative", source, True, True)]


def test_destructive_change_is_refused(pg_server: DevServer, fresh_db: str) -> None:
    run_sql(fresh_db, LIVE)
    with _wanted(pg_server, LIVE.split("INSERT")[0].replace(", age integer", "")) as (source, _):
        unsafe = dbarch("apply", source, "--db", fresh_db, "--dry-run", "--unsafe")
        assert unsafe.returncode == 2 and "--allow-destructive" in unsafe.stderr
        done = dbarch("apply", source, "--db", fresh_db)
        assert done.returncode == 2 and "--allow-destructive" in done.stderr
        assert run_sql(fresh_db, "SELECT count(age) FROM customers") == [(200,)]
        args = ("apply", source, "--db", fresh_db, "--allow-destructive")
        assert dbarch(*args, "--dry-run", "--unsafe").stdout.count("ALTER TABLE") == 1
        done = dbarch(*args)
        assert done.returncode == 0, done.stderr
    assert run_sql(
        fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'age'"
    ) == [(0,)]
