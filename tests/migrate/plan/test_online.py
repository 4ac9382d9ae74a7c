"""Online recipes under load: writers keep writing while the plan runs, and no row is lost.

A writer updates and inserts rows in a loop (mirroring each change in a shadow table in
the same transaction) while psql runs the zero-downtime plan that changes the type of a
column by expand/contract and makes it NOT NULL; at the end the migrated column holds
exactly what the writer wrote, and the writer never failed.
"""

from __future__ import annotations

import random
import threading

from dbarch.migrate.diff.compare import compare
from dbarch.migrate.plan import PlanOptions, plan
from dbarch.migrate.render import render_sql
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from tests.migrate.diff.proof import build, psql
from tests.pgutil import run_sql

FROM = """
CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0);
CREATE INDEX t_n ON t (n);
CREATE TABLE shadow (id integer PRIMARY KEY, n bigint NOT NULL);
"""
TO = FROM.replace("n integer NOT NULL", "n bigint NOT NULL")
ROWS = 20_000


def _writer(dsn: str, stop: threading.Event, errors: list[BaseException]) -> None:
    chooser = random.Random(7)
    next_id = ROWS + 1
    try:
        with connect(dsn) as conn:
            while not stop.is_set():
                with conn.transaction():
                    if chooser.random() < 0.5:
                        row = chooser.randint(1, ROWS)
                        conn.execute("UPDATE t SET n = n + 1 WHERE id = %s", (row,))
                        conn.execute("UPDATE shadow SET n = n + 1 WHERE id = %s", (row,))
                    else:
                        conn.execute("INSERT INTO t (id, n) VALUES (%s, %s)", (next_id, next_id))
                        conn.execute("INSERT INTO shadow VALUES (%s, %s)", (next_id, next_id))
                        next_id += 1
    except BaseException as exc:  # reported by the test
        errors.append(exc)


def test_expand_contract_keeps_every_write(pg_server: DevServer) -> None:
    with pg_server.scratch() as live, pg_server.scratch() as wanted:
        old, new = build(live, FROM), build(wanted, TO)
        run_sql(
            live,
            f"INSERT INTO t SELECT g, g FROM generate_series(1, {ROWS}) g;"
            "INSERT INTO shadow SELECT id, n FROM t;",
        )
        options = PlanOptions(batch_pages=5, lock_timeout="200ms", retry_delay=0.05)
        script = render_sql(plan(compare(old, new), options))
        assert "backfill n_dbarch_new from n in batches" in script
        stop, errors = threading.Event(), []
        writer = threading.Thread(target=_writer, args=(live, stop, errors))
        writer.start()
        try:
            psql(pg_server, live, script)
        finally:
            stop.set()
            writer.join(30)
        assert errors == []
        assert run_sql(
            live,
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 't'::regclass AND attname = 'n'",
        ) == [("bigint",)]
        differing = run_sql(
            live,
            "SELECT count(*) FROM t FULL JOIN shadow USING (id)"
            " WHERE t.n IS DISTINCT FROM shadow.n",
        )
        assert differing == [(0,)]
        assert run_sql(live, f"SELECT count(*) > {ROWS} FROM t") == [(True,)]
