"""One run at a time, lock timeouts with retries, and resuming after a half-done file."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from dbarch.migrate.runner.exclusive import RunLockedError, exclusive_run
from dbarch.migrate.runner.executor import MigrationError
from dbarch.migrate.runner.files import read_migrations
from dbarch.migrate.runner.resume import rerun_sql
from dbarch.migrate.runner.script import parse_script
from dbarch.migrate.runner.versioned import State, apply_migrations, read_status
from dbarch.pg.connect import connect
from tests.migrate.runner.support import FAST, Messages, write
from tests.pgutil import run_sql


def test_concurrent_applies_run_each_migration_once(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__log.sql", "CREATE TABLE runs (n integer);\n")
    write(
        tmp_path,
        "V002__slow.sql",
        "INSERT INTO runs VALUES (2);\nSELECT pg_sleep(0.5);\nINSERT INTO runs VALUES (2);\n",
    )
    write(tmp_path, "V003__index.sql", "CREATE INDEX CONCURRENTLY runs_n ON runs (n);\n")
    migrations = read_migrations(tmp_path)

    def apply(_: int) -> list[str]:
        with connect(fresh_db) as conn:
            return [f.name for f in apply_migrations(conn, migrations, FAST, Messages())]

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(apply, range(2)))
    assert results == [[], ["V001__log.sql", "V002__slow.sql", "V003__index.sql"]]
    assert run_sql(fresh_db, "SELECT count(*) FROM runs") == [(2,)]
    assert run_sql(
        fresh_db, "SELECT version, count(*) FROM dbarch.dbarch_schema_history GROUP BY 1 ORDER BY 1"
    ) == [("1", 1), ("2", 1), ("3", 1)]


def test_second_run_gives_up_naming_the_holder(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    with connect(fresh_db) as holder, connect(fresh_db) as other:
        pid = holder.info.backend_pid
        with exclusive_run(holder, FAST.history, 0):
            started = time.monotonic()
            with pytest.raises(RunLockedError, match=rf"\(process {pid}\); gave up after waiting"):
                apply_migrations(
                    other, read_migrations(tmp_path), replace(FAST, lock_wait=0.3), Messages()
                )
            assert time.monotonic() - started >= 0.3
        assert apply_migrations(other, read_migrations(tmp_path), FAST, Messages())


def _hold_lock(dsn: str, table: str, seconds: float) -> threading.Thread:
    """Hold ACCESS SHARE on ``table`` (a reader's lock) for ``seconds`` in another session."""
    ready = threading.Event()

    def hold() -> None:
        with connect(dsn, autocommit=False) as conn:
            conn.execute(f"SELECT count(*) FROM {table}")
            ready.set()
            time.sleep(seconds)
            conn.rollback()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


def test_lock_timeout_retries_until_the_lock_is_free(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    write(
        tmp_path, "V002__b.sql", "ALTER TABLE a ADD COLUMN b int;\nINSERT INTO a VALUES (1, 2);\n"
    )
    migrations = read_migrations(tmp_path)
    messages = Messages()
    with connect(fresh_db) as conn:
        apply_migrations(conn, migrations, FAST, messages, target=(1,))
        holder = _hold_lock(fresh_db, "a", 1.0)
        started = time.monotonic()
        apply_migrations(conn, migrations, FAST, messages)
        holder.join()
        assert time.monotonic() - started >= 0.9
        assert [e.state for e in read_status(conn, migrations, FAST)] == [State.applied] * 2
    retries = [m for m in messages.lines if "lock not available" in m]
    assert retries and all("V002__b.sql:1:1: lock not available (attempt" in m for m in retries)
    assert run_sql(fresh_db, "SELECT * FROM a") == [(1, 2)]


def test_lock_timeout_gives_up_after_the_last_attempt(fresh_db: str, tmp_path: Path) -> None:
    write(tmp_path, "V001__a.sql", "CREATE TABLE a (id int);\n")
    write(tmp_path, "V002__b.sql", "SELECT 1;\nALTER TABLE a ADD COLUMN b int;\n")
    migrations = read_migrations(tmp_path)
    options = replace(FAST, lock_retries=2)
    with connect(fresh_db) as conn:
        apply_migrations(conn, migrations, options, Messages(), target=(1,))
        holder = _hold_lock(fresh_db, "a", 1.5)
        with pytest.raises(
            MigrationError, match=r"V002__b\.sql:2:1: canceling statement due to lock timeout"
        ):
            apply_migrations(conn, migrations, options, Messages())
        holder.join()
        assert read_status(conn, migrations, options)[1].state is State.failed
        apply_migrations(conn, migrations, options, Messages())


def test_invalid_index_of_a_failed_concurrent_build_is_rebuilt(
    fresh_db: str, tmp_path: Path
) -> None:
    write(
        tmp_path,
        "V001__users.sql",
        "CREATE TABLE users (id integer, email text);\n"
        "INSERT INTO users VALUES (1, 'a'), (2, 'a'), (3, 'b');\n",
    )
    step = write(
        tmp_path,
        "V002__unique_email.sql",
        "SET search_path = public;\n"
        "CREATE TABLE audit (n integer);\n"
        "INSERT INTO audit VALUES (1);\n"
        "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n"
        "INSERT INTO audit VALUES (2);\n",
    )
    migrations = read_migrations(tmp_path)
    valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_key'::regclass"
    with connect(fresh_db) as conn:
        with pytest.raises(MigrationError) as error:
            apply_migrations(conn, migrations, FAST, Messages())
        assert f"{step}:4:1: could not create unique index" in str(error.value)
        assert "stopped at unit 4 of 5 (line 4)" in str(error.value)
        assert run_sql(fresh_db, valid) == [(False,)]
        assert read_status(conn, migrations, FAST)[1].state is State.failed

        run_sql(fresh_db, "DELETE FROM users WHERE id = 2")
        messages = Messages()
        apply_migrations(conn, migrations, FAST, messages)
        assert "resuming after 3 of 5 units" in messages
        assert "dropping INVALID index users_email_key" in messages
        assert [e.state for e in read_status(conn, migrations, FAST)] == [State.applied] * 2
    assert run_sql(fresh_db, valid) == [(True,)]
    assert run_sql(fresh_db, "SELECT n FROM audit ORDER BY n") == [(1,), (2,)]
    assert run_sql(
        fresh_db,
        "SELECT success, progress FROM dbarch.dbarch_schema_history WHERE version = '2'",
    ) == [(True, 5)]


def test_finished_concurrent_build_is_not_repeated(fresh_db: str) -> None:
    run_sql(fresh_db, "CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);")
    (unit,) = parse_script("CREATE INDEX CONCURRENTLY t_a ON t (a);", "f").units
    (stmt,) = unit.statements
    messages = Messages()
    with connect(fresh_db) as conn:
        assert rerun_sql(conn, stmt.node, stmt.text, messages) is None
        (drop,) = parse_script("DROP INDEX CONCURRENTLY t_a;", "f").units[0].statements
        assert rerun_sql(conn, drop.node, drop.text, messages) == drop.text
        conn.execute(drop.text)
        assert rerun_sql(conn, drop.node, drop.text, messages) is None
    assert "index t_a is already built" in messages


def test_pending_detach_is_finalized(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        "CREATE TABLE parent (id int) PARTITION BY RANGE (id);"
        "CREATE TABLE p1 PARTITION OF parent FOR VALUES FROM (0) TO (10);",
    )
    text = "ALTER TABLE parent DETACH PARTITION p1 CONCURRENTLY"
    (stmt,) = parse_script(text + ";", "f").units[0].statements
    with connect(fresh_db, autocommit=False) as reader, connect(fresh_db) as conn:
        reader.execute("SELECT * FROM parent")
        conn.execute("SET statement_timeout = '300ms'")
        with pytest.raises(Exception, match="statement timeout"):
            conn.execute(text)
        reader.rollback()
        conn.execute("RESET statement_timeout")
        again = rerun_sql(conn, stmt.node, stmt.text, Messages())
        assert again == "ALTER TABLE parent DETACH PARTITION p1 FINALIZE"
        conn.execute(again)
        assert rerun_sql(conn, stmt.node, stmt.text, Messages()) is None
    assert run_sql(fresh_db, "SELECT count(*) FROM pg_inherits") == [(0,)]


def test_interrupted_reindex_copies_are_dropped(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);CREATE INDEX t_a ON t (a);",
    )
    # what an interrupted REINDEX CONCURRENTLY leaves: an INVALID t_a_ccnew
    with connect(fresh_db, autocommit=False) as conn:
        conn.execute("CREATE INDEX t_a_ccnew ON t (a)")
        conn.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 't_a_ccnew'::regclass"
        )
        conn.commit()
    (stmt,) = parse_script("REINDEX INDEX CONCURRENTLY t_a;", "f").units[0].statements
    messages = Messages()
    with connect(fresh_db) as conn:
        assert rerun_sql(conn, stmt.node, stmt.text, messages) == stmt.text
        conn.execute(stmt.text)
    assert "dropping INVALID index public.t_a_ccnew left by an interrupted build" in messages
    assert run_sql(fresh_db, "SELECT relname::text FROM pg_class WHERE relname LIKE 't\\_a%'") == [
        ("t_a",)
    ]
