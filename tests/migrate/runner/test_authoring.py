"""``migrate new``: V002/U002 from the directory's end state to SOURCE, proven by pg_dump."""

from __future__ import annotations

from pathlib import Path

from dbarch.migrate.plan import Plan
from dbarch.migrate.plan.steps import Step
from dbarch.migrate.runner.authoring import undo_text
from dbarch.migrate.runner.files import irreversible_reason
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.sqlfiles import apply_sql
from tests.migrate.runner.support import dbarch, dump_without_history, write
from tests.pgutil import dump_schema, run_sql

INITIAL = """\
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, age integer);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    total numeric(12,2) NOT NULL,
    note varchar(50)
);
"""
TARGET = """\
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    age bigint,
    status text NOT NULL DEFAULT 'new'
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total numeric(12,2) NOT NULL CHECK (total >= 0),
    note text
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
"""
DATA = """\
INSERT INTO customers SELECT g, 'c' || g, g % 90 FROM generate_series(1, 300) g;
INSERT INTO orders SELECT g, g % 300 + 1, g, 'n' || g FROM generate_series(1, 600) g;
"""
QUERY = (
    "SELECT c.id, c.email, c.age::bigint, o.id, o.total, o.note::text "
    "FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id"
)


def _dump_of(server: DevServer, sql: str) -> str:
    with server.scratch() as dsn:
        with connect(dsn) as conn:
            apply_sql(conn, sql, "<schema>")
        return dump_schema(dsn, server.bindir)


def test_new_migration_up_and_undo_proven(
    pg_server: DevServer, fresh_db: str, dev_url: str, tmp_path: Path
) -> None:
    migrations = tmp_path / "migrations"
    write(migrations, "V001__initial_schema.sql", INITIAL)
    (tmp_path / "target.sql").write_text(TARGET)
    done = dbarch(
        "migrate", "new", "add keys", "--to", str(tmp_path / "target.sql"),
        "--dir", str(migrations), "--dev-url", dev_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    up, undo = migrations / "V002__add_keys.sql", migrations / "U002__add_keys.sql"
    assert f"wrote {up} (" in done.stderr and f"wrote {undo}" in done.stderr
    assert "CREATE INDEX CONCURRENTLY orders_customer_id_idx" in up.read_text()
    assert "NOT VALID" in up.read_text()

    args = ("--db", fresh_db, "--dir", str(migrations))
    assert dbarch("migrate", "apply", *args, "--target", "1").returncode == 0
    run_sql(fresh_db, DATA)
    rows = run_sql(fresh_db, QUERY)
    assert dbarch("migrate", "apply", *args).returncode == 0
    assert dump_without_history(fresh_db, pg_server.bindir) == _dump_of(pg_server, TARGET)
    assert run_sql(fresh_db, QUERY) == rows

    assert dbarch("migrate", "rollback", *args).returncode == 0
    assert dump_without_history(fresh_db, pg_server.bindir) == _dump_of(pg_server, INITIAL)
    assert run_sql(fresh_db, QUERY) == rows

    again = dbarch(
        "migrate", "new", "again", "--to", str(tmp_path / "target.sql"),
        "--dir", str(migrations), "--dev-url", dev_url,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "no differences" in again.stderr
    assert sorted(p.name for p in migrations.iterdir()) == [
        "U002__add_keys.sql",
        "V001__initial_schema.sql",
        "V002__add_keys.sql",
    ]


def test_first_migration_of_an_empty_directory(dev_url: str, tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE a (id integer PRIMARY KEY);\n")
    migrations = tmp_path / "new_dir"
    done = dbarch(
        "migrate", "new", "initial schema", "--to", str(tmp_path / "schema.sql"),
        "--dir", str(migrations), "--dev-url", dev_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in migrations.iterdir()) == [
        "U001__initial_schema.sql",
        "V001__initial_schema.sql",
    ]
    assert "CREATE TABLE public.a" in (migrations / "V001__initial_schema.sql").read_text()


def test_refused_change_and_bad_name(dev_url: str, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    write(migrations, "V001__initial_schema.sql", INITIAL)
    (tmp_path / "smaller.sql").write_text(INITIAL.replace(", age integer", ""))
    done = dbarch(
        "migrate", "new", "drop age", "--to", str(tmp_path / "smaller.sql"),
        "--dir", str(migrations), "--dev-url", dev_url,
    )  # fmt: skip
    assert done.returncode == 2 and "--allow-destructive" in done.stderr
    done = dbarch("migrate", "new", "a/b", "--to", "x.sql", "--dir", str(migrations))
    assert done.returncode == 2 and "not a migration name" in done.stderr
    assert sorted(p.name for p in migrations.iterdir()) == ["V001__initial_schema.sql"]

    done = dbarch(
        "migrate", "new", "drop age", "--to", str(tmp_path / "smaller.sql"),
        "--dir", str(migrations), "--dev-url", dev_url, "--allow-destructive",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "U002__drop_age.sql brings the schema back, not the data:" in done.stderr
    assert "deletes its values" in done.stderr
    undo = (migrations / "U002__drop_age.sql").read_text()
    assert "-- warning: drop column age of public.customers: dropping" in undo
    assert "ADD COLUMN age integer" in undo


def test_irreversible_undo_file_says_why() -> None:
    lost = Step("drop table public.a", "DROP TABLE public.a;", irreversible="its rows are lost")
    text = undo_text(Plan((lost,)), "V004__drop_a.sql")
    assert text == (
        "-- dbarch:irreversible: V004__drop_a.sql cannot be undone\n"
        "-- - drop table public.a: its rows are lost\n"
    )
    assert irreversible_reason(text) == "V004__drop_a.sql cannot be undone"
