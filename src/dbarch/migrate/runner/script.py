"""A migration script cut into the units the executor commits one at a time.

PostgreSQL's grammar (pglast) splits the script into statements. A script with no
transaction control and nothing that refuses a transaction block is one unit: it runs in
one transaction, all or nothing. Otherwise (``CREATE INDEX CONCURRENTLY``, ``VACUUM``,
``CREATE DATABASE``, a ``DO`` block that commits, or the script's own ``BEGIN``/``COMMIT``)
it is a sequence of units, each committed on its own so a stopped run can resume after
the last one committed:

* each ``BEGIN ... COMMIT`` block is one transactional unit;
* each statement outside a block runs alone: in a transaction of its own, or outside any
  transaction block when it refuses one;
* session settings outside a block (``SET search_path``...) are *session* units, run
  again when a run resumes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pglast import ast, parse_plpgsql
from pglast.enums import ReindexObjectType, TransactionStmtKind
from pglast.parser import ParseError

from dbarch.errors import DbarchError, Location
from dbarch.migrate.lint.analysis import FileState, Knowledge, parse_statements
from dbarch.migrate.lint.effects import effects, is_vacuum_full
from dbarch.migrate.locks import Operation, fact


class ScriptError(DbarchError):
    """A migration script the runner cannot run as written."""


class UnitKind(StrEnum):
    transaction = "transaction"
    """Runs in one transaction block."""
    alone = "alone"
    """Runs outside any transaction block (PostgreSQL refuses it inside one)."""
    session = "session"
    """A session setting: run again on resume, not counted as progress."""


@dataclass(frozen=True)
class Statement:
    """One statement: its parse tree, its text and where it starts in the script."""

    node: ast.Node
    text: str
    start: int
    line: int


@dataclass(frozen=True)
class Unit:
    """Statements committed together."""

    kind: UnitKind
    statements: tuple[Statement, ...]

    @property
    def line(self) -> int:
        return self.statements[0].line

    @property
    def concurrent(self) -> bool:
        """True for a concurrent index or partition operation: it waits for other
        transactions by design while blocking none of them, so no ``lock_timeout``."""
        return any(_operations(s.node) & CONCURRENT for s in self.statements)


@dataclass(frozen=True)
class Script:
    """A parsed script: its name (for messages), text and units."""

    name: str
    text: str
    units: tuple[Unit, ...]
    sets_lock_timeout: bool
    """The script manages ``lock_timeout`` itself; the runner then leaves it alone."""

    @property
    def single_transaction(self) -> bool:
        """True when the whole script runs in one transaction."""
        return len(self.units) == 1 and self.units[0].kind is UnitKind.transaction

    def location(self, offset: int) -> Location:
        """File, line and column of a character offset."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        line = self.text.count("\n", 0, offset) + 1
        return Location(self.name, line, offset - line_start + 1)


CONCURRENT = frozenset(
    {
        Operation.CREATE_INDEX_CONCURRENTLY,
        Operation.DROP_INDEX_CONCURRENTLY,
        Operation.REINDEX_CONCURRENTLY,
        Operation.DETACH_PARTITION_CONCURRENTLY,
    }
)
_OUTSIDE_TRANSACTION = (
    ast.CreatedbStmt,
    ast.DropdbStmt,
    ast.CreateTableSpaceStmt,
    ast.DropTableSpaceStmt,
    ast.AlterSystemStmt,
    ast.CreateSubscriptionStmt,
    ast.DropSubscriptionStmt,
)
_WHOLE_REINDEX = {
    ReindexObjectType.REINDEX_OBJECT_SCHEMA,
    ReindexObjectType.REINDEX_OBJECT_SYSTEM,
    ReindexObjectType.REINDEX_OBJECT_DATABASE,
}


def _operations(node: ast.Node) -> frozenset[Operation]:
    return frozenset(e.operation for e in effects(node, FileState(Knowledge())))


def _keys(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield key
            yield from _keys(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _keys(item)


def _commits(text: str) -> bool:
    """True when the PL/pgSQL of a DO block has COMMIT or ROLLBACK."""
    try:
        tree = parse_plpgsql(text)
    except ParseError:
        return False  # another language, or PostgreSQL will complain itself
    return any(k in ("PLpgSQL_stmt_commit", "PLpgSQL_stmt_rollback") for k in _keys(tree))


def refuses_transaction(node: ast.Node, text: str) -> bool:
    """True when PostgreSQL refuses the statement inside a transaction block."""
    if isinstance(node, _OUTSIDE_TRANSACTION):
        return True
    if isinstance(node, ast.VacuumStmt):
        return bool(node.is_vacuumcmd) or is_vacuum_full(node)
    if isinstance(node, ast.ReindexStmt) and node.kind in _WHOLE_REINDEX:
        return True
    if isinstance(node, ast.ClusterStmt) and node.relation is None:
        return True
    if isinstance(node, ast.DoStmt):
        return _commits(text)
    return any(not fact(op).transactional for op in _operations(node))


def _is_session_setting(node: ast.Node) -> bool:
    return isinstance(node, ast.VariableSetStmt) and not node.is_local


def _sets_lock_timeout(node: ast.Node) -> bool:
    return isinstance(node, ast.VariableSetStmt) and node.name == "lock_timeout"


_OPEN = {TransactionStmtKind.TRANS_STMT_BEGIN, TransactionStmtKind.TRANS_STMT_START}
_INSIDE = {
    TransactionStmtKind.TRANS_STMT_SAVEPOINT,
    TransactionStmtKind.TRANS_STMT_RELEASE,
    TransactionStmtKind.TRANS_STMT_ROLLBACK_TO,
}


def _control(node: ast.Node) -> str | None:
    """``open``, ``close`` or ``savepoint`` for transaction statements; ScriptError for
    the ones a migration may not use; None for everything else."""
    if not isinstance(node, ast.TransactionStmt):
        return None
    if node.kind in _OPEN:
        return "open"
    if node.kind in _INSIDE:
        return "savepoint"
    if node.kind == TransactionStmtKind.TRANS_STMT_COMMIT and not node.chain:
        return "close"
    return "refused"


class _Cutter:
    """Collects units while walking the statements."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.units: list[Unit] = []
        self.block: list[Statement] | None = None
        self.opened_at: Statement | None = None

    def fail(self, stmt: Statement, message: str) -> ScriptError:
        return ScriptError(f"{Location(self.name, stmt.line)}: {message}")

    def take(self, stmt: Statement) -> None:
        control = _control(stmt.node)
        if control == "refused":
            raise self.fail(
                stmt,
                "a migration may only BEGIN and COMMIT transactions (no ROLLBACK, "
                "PREPARE TRANSACTION or AND CHAIN)",
            )
        if control == "open":
            if self.block is not None:
                raise self.fail(stmt, "BEGIN inside a transaction block")
            self.block, self.opened_at = [], stmt
        elif control == "close":
            if self.block is None:
                raise self.fail(stmt, "COMMIT without BEGIN")
            if self.block:
                self.units.append(Unit(UnitKind.transaction, tuple(self.block)))
            self.block = None
        elif self.block is not None:
            if refuses_transaction(stmt.node, stmt.text):
                raise self.fail(stmt, "this statement cannot run inside a transaction block")
            self.block.append(stmt)
        elif control == "savepoint":
            raise self.fail(stmt, "SAVEPOINT outside a transaction block")
        elif refuses_transaction(stmt.node, stmt.text):
            self.units.append(Unit(UnitKind.alone, (stmt,)))
        elif _is_session_setting(stmt.node):
            self.units.append(Unit(UnitKind.session, (stmt,)))
        else:
            self.units.append(Unit(UnitKind.transaction, (stmt,)))

    def finish(self) -> list[Unit]:
        if self.block is not None and self.opened_at is not None:
            raise self.fail(self.opened_at, "BEGIN without COMMIT")
        return self.units


def parse_script(text: str, name: str) -> Script:
    """Cut ``text`` (called ``name`` in messages) into units; ScriptError (or a syntax
    error with ``FILE:LINE:COL``) when it cannot run as written."""
    statements = [
        Statement(s.node, s.source, s.start, s.line) for s in parse_statements(text, name)
    ]
    sets_timeout = any(_sets_lock_timeout(s.node) for s in statements)
    stepwise = any(
        _control(s.node) is not None or refuses_transaction(s.node, s.text) for s in statements
    )
    if not statements:
        return Script(name, text, (), sets_timeout)
    if not stepwise:
        return Script(name, text, (Unit(UnitKind.transaction, tuple(statements)),), sets_timeout)
    cutter = _Cutter(name, text)
    for stmt in statements:
        cutter.take(stmt)
    return Script(name, text, tuple(cutter.finish()), sets_timeout)
