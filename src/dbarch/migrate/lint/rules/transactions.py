"""DBA5xx: waiting for locks, and what transactions hold."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast

from dbarch.migrate.lint.analysis import FileState, Statement, transaction_kind
from dbarch.migrate.lint.effects import effects
from dbarch.migrate.lint.explain import QUEUE, describe
from dbarch.migrate.lint.registry import Hit, Severity, end_rule, rule
from dbarch.migrate.locks import LockMode, Operation, Role, fact

SET_TIMEOUT = "SET lock_timeout = '5s';  -- first line of the file; retry the migration if it fails"


def strong_effects(stmt: Statement, state: FileState) -> Iterator[tuple[LockMode, str]]:
    """(mode, relation) for each lock of ``stmt`` that blocks writes on an existing table."""
    for effect in effects(stmt.node, state):
        for role, mode in fact(effect.operation).locks:
            table = effect.table(role)
            if not mode.blocks_writes or (table is not None and state.is_new(table)):
                continue
            if table is None and role is not Role.TABLE:
                continue
            yield mode, table.sql if table is not None else "its table"


@rule(
    "DBA501",
    "missing-lock-timeout",
    Severity.WARNING,
    summary="A statement that blocks writes runs without a lock_timeout",
    why="A DDL statement waiting for its lock (behind any long transaction, even a plain "
    "SELECT) makes every later query on the table queue behind it: the application stalls "
    "although the statement itself would be quick. Reported once per file, at the first such "
    "statement.",
    fix="SET lock_timeout (a few seconds) before it, and retry the migration when it times out.",
)
def lock_timeout(stmt: Statement, state: FileState) -> Iterator[Hit]:
    if state.has_lock_timeout or state.lock_timeout_reported:
        return
    strong = sorted(strong_effects(stmt, state), reverse=True)
    if not strong:
        return
    state.lock_timeout_reported = True
    mode, table = strong[0]
    yield Hit(
        f"{mode.sql_name} lock on {table} requested without a lock_timeout",
        QUEUE,
        SET_TIMEOUT,
    )


@rule(
    "DBA502",
    "detach-partition-not-concurrently",
    Severity.WARNING,
    summary="DETACH PARTITION without CONCURRENTLY",
    why="A plain DETACH takes ACCESS EXCLUSIVE on the partitioned table: every query on any "
    "partition waits.",
    fix="ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+, outside a "
    "transaction block, not with a DEFAULT partition); finish an interrupted one with "
    "DETACH PARTITION ... FINALIZE.",
)
def detach(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for effect in effects(stmt.node, state):
        table, part = effect.table(), effect.table(Role.PARTITION)
        if effect.operation is not Operation.DETACH_PARTITION or table is None or part is None:
            continue
        if state.is_new(table):
            continue
        yield Hit(
            f"partition {part.sql} detached from {table.sql} without CONCURRENTLY",
            describe(effect),
            f"ALTER TABLE {table.sql} DETACH PARTITION {part.sql} CONCURRENTLY;"
            "  -- outside any transaction block",
        )


@rule(
    "DBA503",
    "transaction-nesting",
    Severity.WARNING,
    summary="BEGIN inside a transaction block",
    why="PostgreSQL ignores a nested BEGIN with a warning; the first COMMIT then ends the "
    "outer transaction (the runner's, when it wraps the file), so the statements after it "
    "run outside the transaction you meant.",
    fix="Remove the inner BEGIN/COMMIT, or tell the runner not to wrap the file.",
)
def nesting(stmt: Statement, state: FileState) -> Iterator[Hit]:
    if transaction_kind(stmt.node) == "open" and state.transaction is not None:
        yield Hit(
            "BEGIN inside a transaction that is already open",
            "The nested BEGIN is ignored and the next COMMIT ends the outer transaction.",
            "-- remove the nested BEGIN and its COMMIT",
        )


@end_rule(
    "DBA504",
    "uncommitted-transaction",
    Severity.WARNING,
    summary="BEGIN without a COMMIT before the end of the file",
    why="The transaction stays open after the file ends: the runner either rolls it back "
    "or keeps its locks until the session closes.",
    fix="End the block with COMMIT.",
)
def uncommitted(state: FileState) -> Iterator[tuple[Statement, Hit]]:
    if state.open_begin is not None:
        yield (
            state.open_begin,
            Hit(
                "transaction block opened here is never committed",
                "Its changes are lost or its locks are held until the session ends.",
                "COMMIT;  -- at the end of the block",
            ),
        )


_DML = (ast.UpdateStmt, ast.DeleteStmt, ast.InsertStmt)


@rule(
    "DBA505",
    "dml-under-ddl-lock",
    Severity.WARNING,
    summary="UPDATE/DELETE/INSERT in the same transaction after DDL that blocks writes",
    why="The DDL's lock is held until the transaction commits, so the table stays blocked "
    "for as long as the data change (often a full-table backfill) runs.",
    fix="Commit the DDL first; change the data in batches, each in its own short transaction.",
)
def dml_under_lock(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if not isinstance(node, _DML) or stmt.transaction is None or not state.locked_in_transaction:
        return
    if isinstance(node, ast.InsertStmt) and _plain_values(node):
        return
    tables = ", ".join(sorted(t.sql for t in state.locked_in_transaction))
    yield Hit(
        f"data change while this transaction holds write-blocking locks on {tables}",
        "Those locks stay held for as long as this statement runs.",
        "COMMIT;  -- before the data change; then batch it: UPDATE ... WHERE <key range>",
    )


def _plain_values(node: ast.InsertStmt) -> bool:
    select = node.selectStmt
    return isinstance(select, ast.SelectStmt) and bool(select.valuesLists)
