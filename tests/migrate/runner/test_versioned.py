"""apply / status / rollback on PostgreSQL: rows survive, edited files are refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dbarch.migrate.runner.executor import MigrationError
from dbarch.migrate.runner.files import read_migrations
from dbarch.migrate.runner.versioned import (
    MigrationStateError,
    State,
    apply_migrations,
    read_status,
)
from dbarch.pg.connect import connect
from tests.migrate.runner.support import FAST, Messages, dbarch, write
from tests.pgutil import run_sql


def _project(directory: Path) -> None:
    write(
        directory,
        "V001__initial_schema.sql",
        "CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL);\n",
    )
    write(
        directory,
        "V002__age_and_email_index.sql",
        "ALTER TABLE customers ADD COLUMN age integer;\n"
        "CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);\n",
    )
    write(
        directory,
        "U002__age_and_email_index.sql",
        "DROP INDEX CONCURRENTLY customers_email_idx;\nALTER TABLE customers DROP COLUMN age;\n",
    )
    write(
        directory,
        "V003__orders.sql",
        "CREATE TABLE orders (id integer PRIMARY KEY,\n"
        "    customer_id integer NOT NULL REFERENCES customers (id));\n",
    )
    write(directory, "U003__orders.sql", "DROP TABLE orders;\n")


def _states(db: str, directory: Path) -> list[tuple[str, str]]:
    done = dbarch("migrate", "status", "--db", db, "--dir", str(directory), "--format", "json")
    assert done.returncode == 0, done.stderr
    return [(r["version"], r["state"]) for r in json.loads(done.stdout)]


def _relations(db: str) -> list[str]:
    return [
        name
        for (name,) in run_sql(
            db,
            "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relkind IN ('r', 'i') ORDER BY 1",
        )
    ]


def test_apply_status_rollback_cycle_keeps_rows(fresh_db: str, tmp_path: Path) -> None:
    _project(tmp_path)
    args = ("--db", fresh_db, "--dir", str(tmp_path))
    assert _states(fresh_db, tmp_path) == [
        ("001", "pending"),
        ("002", "pending"),
        ("003", "pending"),
    ]

    done = dbarch("migrate", "apply", *args, "--target", "1")
    assert done.returncode == 0, done.stderr
    assert "applying V001__initial_schema.sql" in done.stderr
    run_sql(fresh_db, "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 500) g")
    before = run_sql(fresh_db, "SELECT id, email FROM customers ORDER BY id")

    done = dbarch("migrate", "apply", *args)
    assert done.returncode == 0, done.stderr
    assert "applied 2 migrations" in done.stderr
    assert _states(fresh_db, tmp_path) == [
        ("001", "applied"),
        ("002", "applied"),
        ("003", "applied"),
    ]
    assert "customers_email_idx" in _relations(fresh_db) and "orders" in _relations(fresh_db)
    assert dbarch("migrate", "apply", *args).stderr.endswith("up to date: no pending migrations\n")

    done = dbarch("migrate", "rollback", *args, "--steps", "2")
    assert done.returncode == 0, done.stderr
    assert "undoing V003__orders.sql with U003__orders.sql" in done.stderr
    assert _states(fresh_db, tmp_path) == [
        ("001", "applied"),
        ("002", "pending"),
        ("003", "pending"),
    ]
    assert _relations(fresh_db) == ["customers", "customers_pkey"]
    assert run_sql(fresh_db, "SELECT id, email FROM customers ORDER BY id") == before

    assert dbarch("migrate", "apply", *args).returncode == 0
    assert dbarch("migrate", "rollback", *args, "--target", "001").returncode == 0
    assert _states(fresh_db, tmp_path)[1:] == [("002", "pending"), ("003", "pending")]
    assert run_sql(fresh_db, "SELECT id, email FROM customers ORDER BY id") == before

    history = run_sql(
        fresh_db,
        "SELECT version, kind, script, success, installed_by = current_user "
        "FROM dbarch.dbarch_schema_history ORDER BY installed_rank",
    )
    assert [(v, k) for v, k, *_ in history] == [
        ("1", "versioned"),
        ("2", "versioned"),
        ("3", "versioned"),
        ("3", "undo"),
        ("2", "undo"),
        ("2", "versioned"),
        ("3", "versioned"),
        ("3", "undo"),
        ("2", "undo"),
    ]
    assert all(success and mine for *_, success, mine in history)


def test_status_text_table(fresh_db: str, tmp_path: Path) -> None:
    _project(tmp_path)
    dbarch("migrate", "apply", "--db", fresh_db, "--dir", str(tmp_path), "--target", "1")
    done = dbarch("migrate", "status", "--db", fresh_db, "--dir", str(tmp_path))
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["version", "description", "state", "installed", "on"]
    assert lines[1].startswith("001      initial schema       applied  20")
    assert lines[2] == "002      age and email index  pending"
    assert lines[3] == "003      orders               pending"


def test_edited_applied_file_is_refused(fresh_db: str, tmp_path: Path) -> None:
    _project(tmp_path)
    args = ("--db", fresh_db, "--dir", str(tmp_path))
    assert dbarch("migrate", "apply", *args, "--target", "2").returncode == 0
    path = tmp_path / "V001__initial_schema.sql"
    path.write_text(path.read_text() + "CREATE TABLE sneaky (a int);\n")
    done = dbarch("migrate", "apply", *args)
    assert done.returncode == 2
    assert f"checksum mismatch): {path}" in done.stderr
    assert "orders" not in _relations(fresh_db)
    assert _states(fresh_db, tmp_path)[0] == ("001", "checksum-mismatch")


def test_failed_file_changes_nothing_and_runs_again_when_fixed(
    fresh_db: str, tmp_path: Path
) -> None:
    _project(tmp_path)
    bad = write(
        tmp_path,
        "V004__broken.sql",
        "CREATE TABLE notes (id integer);\n\nINSERT INTO notes VALUES ('x');\n",
    )
    migrations = read_migrations(tmp_path)
    with connect(fresh_db) as conn:
        with pytest.raises(MigrationError) as error:
            apply_migrations(conn, migrations, FAST, Messages())
        message = str(error.value)
        assert f"{bad}:3:27: invalid input syntax for type integer" in message
        assert "nothing was changed: it runs in one transaction" in message
        entries = read_status(conn, migrations, FAST)
        assert [e.state for e in entries] == [State.applied] * 3 + [State.failed]
        assert "notes" not in _relations(fresh_db)

        bad.write_text("CREATE TABLE notes (id integer);\nINSERT INTO notes VALUES (1);\n")
        fixed = read_migrations(tmp_path)
        assert [f.name for f in apply_migrations(conn, fixed, FAST, Messages())] == [bad.name]
        assert [e.state for e in read_status(conn, fixed, FAST)] == [State.applied] * 4
    assert run_sql(
        fresh_db, "SELECT count(*) FROM dbarch.dbarch_schema_history WHERE version = '4'"
    )[0] == (1,)


def test_out_of_order_version_is_refused(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    write(tmp_path, "V003__c.sql", "CREATE TABLE c (id int);\n")
    with connect(fresh_db) as conn:
        apply_migrations(conn, read_migrations(tmp_path), FAST, Messages())
        write(tmp_path, "V002__b.sql", "CREATE TABLE b (id int);\n")
        with pytest.raises(MigrationStateError, match=r"V002__b\.sql is pending but version 3"):
            apply_migrations(conn, read_migrations(tmp_path), FAST, Messages())


def test_rollback_refusals(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    write(tmp_path, "V002__b.sql", "DROP TABLE a;\n")
    write(tmp_path, "U002__b.sql", "-- dbarch:irreversible: the rows of a are gone\n")
    args = ("--db", fresh_db, "--dir", str(tmp_path))
    assert dbarch("migrate", "rollback", *args).stderr.endswith("nothing to roll back\n")
    assert dbarch("migrate", "apply", *args).returncode == 0
    done = dbarch("migrate", "rollback", *args)
    assert done.returncode == 2
    assert "U002__b.sql: V002__b.sql is irreversible: the rows of a are gone" in done.stderr
    done = dbarch("migrate", "rollback", *args, "--target", "0")
    assert done.returncode == 2 and "irreversible" in done.stderr
    (tmp_path / "U002__b.sql").unlink()
    done = dbarch("migrate", "rollback", *args)
    assert done.returncode == 2 and "no U002__*.sql" in done.stderr
    done = dbarch("migrate", "rollback", *args, "--steps", "1", "--target", "1")
    assert done.returncode == 2 and "not both" in done.stderr


def test_missing_file_is_reported(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    with connect(fresh_db) as conn:
        apply_migrations(conn, read_migrations(tmp_path), FAST, Messages())
        (tmp_path / "V001__a.sql").unlink()
        (entry,) = read_status(conn, read_migrations(tmp_path), FAST)
    assert (entry.version_text, entry.script, entry.state) == ("1", "V001__a.sql", State.missing)


def test_history_in_another_schema(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    args = ("--db", fresh_db, "--dir", str(tmp_path), "--history-schema", "public")
    assert dbarch("migrate", "apply", *args).returncode == 0
    assert run_sql(fresh_db, "SELECT script FROM public.dbarch_schema_history") == [
        ("V001__a.sql",)
    ]
    assert run_sql(fresh_db, "SELECT to_regnamespace('dbarch')") == [(None,)]


def test_command_line_reports_errors_with_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dbarch", "migrate", "apply", "--db", "dbname=x", "--dir",
         str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(Path.home())},
        check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == f"error: {tmp_path / 'nope'}: no such migrations directory\n"
