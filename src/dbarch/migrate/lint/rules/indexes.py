"""DBA1xx: building, dropping and refreshing without blocking writes."""

from __future__ import annotations

import copy
from collections.abc import Iterator

from pglast import ast
from pglast.enums import ReindexObjectType

from dbarch.migrate.lint.analysis import FileState, Statement, TableRef, sql_of
from dbarch.migrate.lint.effects import Effect, effects, is_vacuum_full
from dbarch.migrate.lint.explain import describe
from dbarch.migrate.lint.registry import Hit, Severity, rule
from dbarch.migrate.locks import Operation, Role, fact

OUTSIDE = "-- outside any transaction block"
_RUNNERS = (
    "Run it outside a transaction block: give it a file of its own that the runner does not "
    "wrap in a transaction (Flyway: executeInTransaction=false; Rails: "
    "disable_ddl_transaction!; dbarch migrate runs such statements one by one)."
)


@rule(
    "DBA101",
    "create-index-not-concurrently",
    Severity.WARNING,
    summary="CREATE INDEX without CONCURRENTLY on an existing table",
    why="A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE "
    "and DELETE on the table waits until the index is built.",
    fix="CREATE INDEX CONCURRENTLY, outside a transaction block (on a partitioned table: "
    "CREATE INDEX ON ONLY the parent, CONCURRENTLY on each partition, then ALTER INDEX ... "
    "ATTACH PARTITION). A failed concurrent build leaves an INVALID index: drop it and retry.",
)
def create_index(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if not isinstance(node, ast.IndexStmt) or node.concurrent:
        return
    table = TableRef.of(node.relation)
    if state.is_new(table):
        return
    fixed = copy.deepcopy(node)
    fixed.concurrent = True
    yield Hit(
        f"CREATE INDEX on {table.sql} without CONCURRENTLY",
        describe(effects(node, state)[0]),
        f"{sql_of(fixed)};  {OUTSIDE}",
    )


@rule(
    "DBA102",
    "drop-index-not-concurrently",
    Severity.WARNING,
    summary="DROP INDEX without CONCURRENTLY",
    why="A plain DROP INDEX takes ACCESS EXCLUSIVE on the index's table: reads and writes "
    "wait, and queue behind it while it waits for running queries.",
    fix="DROP INDEX CONCURRENTLY, one index per statement, outside a transaction block.",
)
def drop_index(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    found = [e for e in effects(node, state) if e.operation is Operation.DROP_INDEX]
    old = [e for e in found if e.table(Role.INDEX) not in state.new_indexes]
    if not old:
        return
    assert isinstance(node, ast.DropStmt)
    exists = " IF EXISTS" if node.missing_ok else ""
    names = [str(e.table(Role.INDEX).sql) for e in old if e.table(Role.INDEX) is not None]
    yield Hit(
        f"DROP INDEX {', '.join(names)} without CONCURRENTLY",
        describe(old[0]),
        "\n".join(f"DROP INDEX CONCURRENTLY{exists} {name};  {OUTSIDE}" for name in names),
    )


@rule(
    "DBA103",
    "reindex-not-concurrently",
    Severity.WARNING,
    summary="REINDEX without CONCURRENTLY",
    why="A plain REINDEX blocks writes to the table and takes ACCESS EXCLUSIVE on each index "
    "(queries that would use it wait) for the whole rebuild.",
    fix="REINDEX (CONCURRENTLY) ..., outside a transaction block.",
)
def reindex(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if not isinstance(node, ast.ReindexStmt) or node.kind in (
        ReindexObjectType.REINDEX_OBJECT_SYSTEM,
    ):
        return
    if any(getattr(p, "defname", "") == "concurrently" for p in node.params or ()):
        return
    fixed = copy.deepcopy(node)
    fixed.params = (*(node.params or ()), ast.DefElem(defname="concurrently"))
    found = effects(node, state)
    yield Hit(
        "REINDEX without CONCURRENTLY",
        describe(found[0] if found else Effect(Operation.REINDEX, ())),
        f"{sql_of(fixed)};  {OUTSIDE}",
    )


_NEVER_IN_TRANSACTION = (
    ast.VacuumStmt,
    ast.CreatedbStmt,
    ast.DropdbStmt,
    ast.AlterSystemStmt,
    ast.CreateTableSpaceStmt,
    ast.DropTableSpaceStmt,
)


def _non_transactional(stmt: Statement, state: FileState) -> str | None:
    node = stmt.node
    if isinstance(node, ast.VacuumStmt) and not node.is_vacuumcmd:
        return None  # ANALYZE runs in a transaction block
    if isinstance(node, _NEVER_IN_TRANSACTION):
        return (
            "VACUUM FULL"
            if isinstance(node, ast.VacuumStmt) and is_vacuum_full(node)
            else (type(node).__name__.removesuffix("Stmt"))
        )
    for effect in effects(node, state):
        if not fact(effect.operation).transactional:
            return effect.operation.value
    return None


@rule(
    "DBA104",
    "concurrently-in-transaction",
    Severity.ERROR,
    summary="A statement that cannot run in a transaction block is inside one",
    why="CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY, "
    "VACUUM and a few others fail with 'cannot run inside a transaction block' (SQLSTATE "
    "25001): the migration stops half-way.",
    fix="Move the statement out of BEGIN ... COMMIT, into a file the runner does not wrap in "
    "a transaction.",
)
def in_transaction(stmt: Statement, state: FileState) -> Iterator[Hit]:
    what = _non_transactional(stmt, state)
    if what is None or stmt.transaction is None:
        return
    where = (
        "inside the file's BEGIN ... COMMIT block"
        if stmt.explicit
        else "in the transaction the runner wraps the file in (--assume-in-transaction)"
    )
    yield Hit(
        f"{what} cannot run inside a transaction block, and this one runs {where}",
        "PostgreSQL refuses it with 'cannot run inside a transaction block' (25001), so the "
        "migration fails at this statement.",
        _RUNNERS,
    )


@rule(
    "DBA105",
    "refresh-materialized-view-not-concurrently",
    Severity.WARNING,
    summary="REFRESH MATERIALIZED VIEW without CONCURRENTLY",
    why="A plain refresh holds ACCESS EXCLUSIVE on the view while its query runs: every "
    "read of the view waits.",
    fix="REFRESH MATERIALIZED VIEW CONCURRENTLY (the view needs a unique index on plain "
    "columns covering all rows).",
)
def refresh(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if not isinstance(node, ast.RefreshMatViewStmt) or node.concurrent or node.skipData:
        return
    view = TableRef.of(node.relation)
    if state.is_new(view):
        return
    yield Hit(
        f"REFRESH MATERIALIZED VIEW {view.sql} without CONCURRENTLY",
        describe(effects(node, state)[0]) + " Readers of the view wait for the whole query.",
        f"REFRESH MATERIALIZED VIEW CONCURRENTLY {view.sql};",
    )
