"""PostgreSQL proves a diff: FROM + up script dumps like TO, and + reverse like FROM again.

A :class:`Case` is a pair of SQL schemas. :func:`prove` builds both in scratch databases,
plans the diff of their introspected Schemas, runs the up script with psql on FROM and
compares ``pg_dump --schema-only`` with TO's, checks that FROM's rows survived, then runs
the reverse script and compares with FROM's dump again.
"""

from __future__ import annotations

import contextlib
import difflib
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from dbarch.migrate.diff.compare import compare
from dbarch.migrate.plan import Plan, PlanOptions, plan
from dbarch.migrate.render import render_sql
from dbarch.model.objects import Schema
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.introspect import inspect_database
from dbarch.pg.quote import quote_ident
from dbarch.pg.sqlfiles import apply_sql
from tests.pgutil import dump_schema, run_sql

Declare = Callable[[Schema], Schema]


def roles_sql(*names: str) -> str:
    """SQL creating the roles ``names`` unless they exist. Roles are cluster-wide and the
    cases run in parallel: a role another case is creating at the same moment is a
    unique violation once that case commits, taken here as "it exists"."""
    return "".join(
        f"DO $$ BEGIN CREATE ROLE {quote_ident(name)}; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;"
        for name in names
    )


@dataclass(frozen=True)
class Case:
    """FROM and TO schemas as SQL; ``data`` rows loaded into FROM before migrating;
    ``query`` read before and after (``query_after`` after, when names change) must give
    the same rows; ``declare`` edits TO's Schema (to declare renames)."""

    id: str
    before: str
    after: str
    data: str = ""
    query: str | None = None
    query_after: str | None = None
    declare: Declare | None = None
    options: PlanOptions = field(default_factory=lambda: PlanOptions(allow_destructive=True))
    reverse: bool = True


@dataclass
class Proof:
    """What one proof saw (for further assertions)."""

    plan: Plan
    up: str
    down: str
    rows: list[tuple[Any, ...]]


# What makes a used database dump like a new one again: its schemas and extensions go,
# public comes back as initdb makes it.
RESET = r"""
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN SELECT nspname FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%'
    LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', found.nspname);
    END LOOP;
    FOR found IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
        EXECUTE format('DROP EXTENSION %I CASCADE', found.extname);
    END LOOP;
END
$$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
COMMENT ON SCHEMA public IS 'standard public schema';
GRANT USAGE ON SCHEMA public TO PUBLIC;
"""


class Databases:
    """Scratch databases of one server, reset and used again (creating one is slow)."""

    def __init__(self, server: DevServer) -> None:
        self.server = server
        self._free: list[str] = []
        self._names: list[str] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def scratch(self) -> Iterator[str]:
        """An empty database's DSN, reset when given back."""
        with self._lock:
            dsn = self._free.pop() if self._free else None
        if dsn is None:
            name = self.server.create_database()
            with self._lock:
                self._names.append(name)
            dsn = self.server.dsn(name)
        try:
            yield dsn
        finally:
            run_sql(dsn, RESET)
            with self._lock:
                self._free.append(dsn)

    def close(self) -> None:
        """Drop every database made."""
        for name in self._names:
            self.server.drop_database(name)


def psql(server: DevServer, dsn: str, script: str) -> str:
    """Run ``script`` with psql (stopping at the first error); its stderr."""
    done = subprocess.run(
        [str(server.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"psql failed:\n{done.stderr}\n--- script ---\n{script}"
    return done.stderr


def build(dsn: str, sql: str) -> Schema:
    """Apply ``sql`` to the empty database ``dsn`` and read its Schema."""
    with connect(dsn) as conn:
        if sql.strip():
            apply_sql(conn, sql, "<case>")
        return inspect_database(conn)


def inspect(dsn: str) -> Schema:
    """The Schema of ``dsn``."""
    with connect(dsn) as conn:
        return inspect_database(conn)


def same_dump(actual: str, expected: str, what: str) -> None:
    """Assert two dumps are equal, showing a unified diff when not."""
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                "expected",
                "actual",
            )
        )
        raise AssertionError(f"{what}: pg_dump differs\n{diff}")


def prove(case: Case, server: DevServer, databases: Databases | None = None) -> Proof:
    """Run the proof of ``case`` on ``server`` (see the module docstring), in scratch
    databases of ``databases`` when given."""
    scratch = databases.scratch if databases is not None else server.scratch
    with scratch() as source, scratch() as target:
        old = build(source, case.before)
        new = build(target, case.after)
        if case.declare is not None:
            new = case.declare(new)
        expected = dump_schema(target, server.bindir)
        original = dump_schema(source, server.bindir)
        if case.data:
            run_sql(source, case.data)
        rows = run_sql(source, case.query) if case.query else []
        migration = plan(compare(old, new), case.options)
        up = render_sql(migration)
        psql(server, source, up)
        same_dump(dump_schema(source, server.bindir), expected, f"{case.id}: up")
        again = compare(inspect(source), new)
        assert again.empty, [c.summary for c in again.changes]
        if case.query:
            assert run_sql(source, case.query_after or case.query) == rows
        down = render_sql(migration.reversed())
        if case.reverse:
            psql(server, source, down)
            same_dump(dump_schema(source, server.bindir), original, f"{case.id}: reverse")
            if case.query and not any(s.irreversible for s in migration.steps):
                assert run_sql(source, case.query) == rows
        return Proof(migration, up, down, rows)


Outcomes = dict[str, Exception | None]


def selected_cases(session: object, cases: list[Case]) -> list[Case]:
    """The cases of ``cases`` whose tests this pytest session (or xdist worker) runs."""
    wanted = set()
    for item in getattr(session, "items", ()):
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("case"), Case):
            wanted.add(params["case"].id)
    return [case for case in cases if case.id in wanted]


def prove_all(cases: list[Case], server: DevServer, workers: int = 4) -> Outcomes:
    """Prove ``cases`` concurrently on ``server``: None or the failure, by case id."""
    databases = Databases(server)

    def run(case: Case) -> Exception | None:
        try:
            prove(case, server, databases)
        except Exception as exc:  # reported by the case's own test
            return exc
        return None

    try:
        with ThreadPoolExecutor(workers) as pool:
            return dict(zip((c.id for c in cases), pool.map(run, cases), strict=True))
    finally:
        databases.close()
