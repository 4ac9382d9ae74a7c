"""The lock_timeout guard on PostgreSQL: a step waits briefly, lets go, retries, and gives up.

Another session holds a lock on the table; the guarded step must not queue behind it
(readers keep going), must succeed once the lock is released, and must fail with
lock_not_available when it never is.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from dbarch.migrate.plan import PlanOptions
from dbarch.migrate.plan.retry import with_retries
from dbarch.pg.connect import connect
from tests.pgutil import run_sql

ADD = "ALTER TABLE t ADD COLUMN b integer;"
ADDED = (
    "SELECT count(*) FROM pg_attribute"
    " WHERE attname = 'b' AND attrelid IN ('t'::regclass, 'u'::regclass)"
)
FAST = PlanOptions(lock_timeout="100ms", lock_retries=3, retry_delay=0.05)


def test_the_guard_retries_until_the_lock_is_free(fresh_db: str) -> None:
    run_sql(fresh_db, "CREATE TABLE t (a integer); CREATE TABLE u (a integer)")
    options = PlanOptions(lock_timeout="100ms", lock_retries=20, retry_delay=0.05)
    with connect(fresh_db, autocommit=False) as holder:
        holder.execute("LOCK TABLE t IN ACCESS SHARE MODE")
        done: list[float] = []

        def migrate() -> None:
            start = time.monotonic()
            run_sql(fresh_db, with_retries([ADD], options))
            done.append(time.monotonic() - start)

        worker = threading.Thread(target=migrate)
        worker.start()
        time.sleep(0.6)
        # while the migration retries, it holds no lock: a reader is not blocked
        with connect(fresh_db) as reader:
            reader.execute("SET statement_timeout = '1s'")
            assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert not done
        holder.rollback()
        worker.join(10)
    assert done and done[0] >= 0.6
    assert run_sql(fresh_db, ADDED) == [(1,)]


def test_the_guard_gives_up_after_its_retries(fresh_db: str) -> None:
    run_sql(fresh_db, "CREATE TABLE t (a integer); CREATE TABLE u (a integer)")
    with connect(fresh_db, autocommit=False) as holder:
        holder.execute("LOCK TABLE t IN ACCESS SHARE MODE")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            run_sql(fresh_db, with_retries([ADD], FAST))
        holder.rollback()


def test_statements_of_one_step_retry_together(fresh_db: str) -> None:
    run_sql(fresh_db, "CREATE TABLE t (a integer); CREATE TABLE u (a integer)")
    statements = ["ALTER TABLE t ADD COLUMN b integer;", "ALTER TABLE u ADD COLUMN b integer;"]
    with connect(fresh_db, autocommit=False) as holder:
        holder.execute("LOCK TABLE u IN ACCESS SHARE MODE")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            run_sql(fresh_db, with_retries(statements, FAST))
        holder.rollback()
    # the first statement's lock and change went away with the failed attempt
    assert run_sql(fresh_db, ADDED) == [(0,)]
    run_sql(fresh_db, with_retries(statements, FAST))
    assert run_sql(fresh_db, ADDED) == [(2,)]
