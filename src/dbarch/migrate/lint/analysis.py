"""A migration file as PostgreSQL's parser sees it: statements, places, transactions, state.

pglast (PostgreSQL's own grammar) splits and parses the file; each :class:`Statement`
knows its node, where it starts (line and column), and which transaction block it runs in.
:class:`FileState` is what the statements before the current one established: tables
created in this file, constraints added NOT VALID, ``lock_timeout``, ``TimeZone``...; it is
updated by :func:`observe` after the rules have looked at each statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pglast import ast, parse_sql, visitors
from pglast.enums import (
    AlterTableType,
    ConstrType,
    ObjectType,
    TransactionStmtKind,
    VariableSetKind,
)
from pglast.parser import ParseError
from pglast.stream import RawStream

from dbarch.errors import DbarchError, Location
from dbarch.migrate.lint.volatility import Volatility
from dbarch.migrate.locks import ColumnType, column_type
from dbarch.pg.quote import qualified

DEFAULT_SCHEMA = "public"


class LintSyntaxError(DbarchError):
    """A migration file PostgreSQL's grammar does not accept."""


@dataclass(frozen=True, order=True)
class TableRef:
    """A table (or index, view) as named in a statement; unqualified means ``public``."""

    schema: str
    name: str

    @classmethod
    def of(cls, node: ast.RangeVar) -> TableRef:
        return cls(node.schemaname or DEFAULT_SCHEMA, node.relname)

    @classmethod
    def from_names(cls, names: tuple[ast.String, ...] | list[ast.String]) -> TableRef:
        parts = [n.sval for n in names]
        return cls(parts[-2] if len(parts) > 1 else DEFAULT_SCHEMA, parts[-1])

    @property
    def sql(self) -> str:
        """The name as SQL, qualified unless in ``public``."""
        return qualified(None if self.schema == DEFAULT_SCHEMA else self.schema, self.name)


@dataclass(frozen=True)
class Statement:
    """One statement of a file: its node, its place, and its transaction block.

    ``transaction`` numbers the transaction block the statement runs in (None when it runs
    on its own, autocommitted); ``explicit`` is True when that block was opened by a
    ``BEGIN`` in the file rather than assumed for the runner.
    """

    node: ast.Node
    index: int
    start: int
    end: int
    line: int
    column: int
    end_line: int
    transaction: int | None
    explicit: bool
    source: str
    """The statement's own text (without the terminating semicolon)."""


@dataclass
class Knowledge:
    """What earlier files of the same run established: column types, function volatility."""

    columns: dict[TableRef, dict[str, ColumnType]] = field(default_factory=dict)
    functions: dict[str, Volatility] = field(default_factory=dict)


@dataclass
class FileState:
    """What the statements before the current one established, within one file."""

    knowledge: Knowledge
    new_tables: set[TableRef] = field(default_factory=set)
    new_indexes: set[TableRef] = field(default_factory=set)
    not_valid: dict[tuple[TableRef, str], int | None] = field(default_factory=dict)
    not_null_checks: dict[tuple[TableRef, str], str] = field(default_factory=dict)
    proven_not_null: set[tuple[TableRef, str]] = field(default_factory=set)
    lock_timeout: bool = False
    local_lock_timeout: bool = False
    timezone_utc: bool = False
    locked_in_transaction: set[TableRef] = field(default_factory=set)
    lock_timeout_reported: bool = False
    transaction: int | None = None
    """The transaction block open after the previous statement (None: autocommit)."""
    open_begin: Statement | None = None
    """The ``BEGIN`` of the explicit transaction block still open, if any."""

    def is_new(self, table: TableRef) -> bool:
        """True for a table created earlier in this file: nobody uses it yet."""
        return table in self.new_tables

    @property
    def has_lock_timeout(self) -> bool:
        return self.lock_timeout or self.local_lock_timeout

    def column_type(self, table: TableRef, column: str) -> ColumnType | None:
        return self.knowledge.columns.get(table, {}).get(column)


# --------------------------------------------------------------------------- parsing


class Positions:
    """Line and column (1-based) of character offsets in one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self._starts[lo] + 1


def parse_statements(
    text: str, filename: str, *, assume_in_transaction: bool = False
) -> list[Statement]:
    """The statements of ``text`` with their places and transaction blocks.

    Raises LintSyntaxError ``FILE:LINE:COL: message`` where PostgreSQL's grammar fails.
    """
    positions = Positions(text)
    try:
        raw = parse_sql(text)
    except ParseError as exc:
        message, offset = exc.args[0], int(exc.args[1]) if len(exc.args) > 1 else 0
        line, col = positions.line_col(min(max(offset, 0), len(text)))
        raise LintSyntaxError(f"{Location(filename, line, col)}: {message}") from None
    statements: list[Statement] = []
    current: int | None = 0 if assume_in_transaction else None
    explicit = False
    blocks = 1 if assume_in_transaction else 0
    for index, stmt in enumerate(raw):
        start = stmt.stmt_location
        end = start + stmt.stmt_len if stmt.stmt_len else len(text.rstrip().rstrip(";"))
        node = stmt.stmt
        opens = transaction_kind(node) == "open"
        if opens and current is None:
            current, explicit, blocks = blocks, True, blocks + 1
        line, col = positions.line_col(start)
        end_line, _ = positions.line_col(min(_statement_end(text, end), len(text)))
        statements.append(
            Statement(
                node, index, start, end, line, col, end_line, current, explicit, text[start:end]
            )
        )
        if transaction_kind(node) == "close":
            current, explicit = None, False
    return statements


def _statement_end(text: str, end: int) -> int:
    """Offset of the statement's terminating semicolon (or its last character)."""
    semicolon = text.find(";", end)
    if semicolon >= 0 and not text[end:semicolon].strip():
        return semicolon
    return max(end - 1, 0)


_OPEN = {TransactionStmtKind.TRANS_STMT_BEGIN, TransactionStmtKind.TRANS_STMT_START}
_CLOSE = {
    TransactionStmtKind.TRANS_STMT_COMMIT,
    TransactionStmtKind.TRANS_STMT_ROLLBACK,
    TransactionStmtKind.TRANS_STMT_PREPARE,
}


def transaction_kind(node: ast.Node) -> str | None:
    if not isinstance(node, ast.TransactionStmt):
        return None
    if node.kind in _OPEN:
        return "open"
    if node.kind in _CLOSE and not node.chain:
        return "close"
    return None


# --------------------------------------------------------------------------- node helpers


def alter_commands(node: ast.Node) -> Iterator[ast.AlterTableCmd]:
    """The subcommands of an ``ALTER TABLE`` (not of ALTER INDEX/VIEW...)."""
    if isinstance(node, ast.AlterTableStmt) and node.objtype == ObjectType.OBJECT_TABLE:
        yield from (cmd for cmd in node.cmds or () if isinstance(cmd, ast.AlterTableCmd))


def column_constraints(col: ast.ColumnDef) -> list[ast.Constraint]:
    return [c for c in col.constraints or () if isinstance(c, ast.Constraint)]


def added_columns(node: ast.Node) -> Iterator[tuple[TableRef, ast.ColumnDef]]:
    """Columns added to an existing table by ``ALTER TABLE ... ADD COLUMN``."""
    for cmd in alter_commands(node):
        if cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield TableRef.of(node.relation), cmd.def_


def defined_columns(node: ast.Node) -> Iterator[tuple[TableRef, ast.ColumnDef]]:
    """Columns of ``CREATE TABLE`` and of ``ALTER TABLE ... ADD COLUMN``."""
    if isinstance(node, ast.CreateStmt):
        table = TableRef.of(node.relation)
        for elt in node.tableElts or ():
            if isinstance(elt, ast.ColumnDef):
                yield table, elt
    yield from added_columns(node)


def function_calls(expr: ast.Node | None) -> list[ast.FuncCall]:
    """Every function call inside ``expr``."""
    if expr is None:
        return []
    found: list[ast.FuncCall] = []

    class _Calls(visitors.Visitor):  # type: ignore[misc]
        def visit_FuncCall(self, _ancestors: object, node: ast.FuncCall) -> None:
            found.append(node)

    _Calls()(expr)
    return found


def func_name(call: ast.FuncCall) -> tuple[str | None, str]:
    """``(schema, name)`` of a function call as written."""
    parts = [n.sval for n in call.funcname]
    return (parts[-2] if len(parts) > 1 else None), parts[-1]


def sql_of(node: ast.Node) -> str:
    """``node`` printed back as SQL by pglast."""
    return str(RawStream()(node))


def constant_string(node: ast.Node | None) -> str | None:
    """The text of a string or number constant, else None."""
    if not isinstance(node, ast.A_Const) or node.isnull:
        return None
    val = node.val
    if isinstance(val, ast.String):
        return str(val.sval)
    if isinstance(val, ast.Integer):
        return str(val.ival)
    if isinstance(val, ast.Float):
        return str(val.fval)
    return None


def not_null_check_column(con: ast.Constraint) -> str | None:
    """``col`` when ``con`` is ``CHECK (col IS NOT NULL)``, else None."""
    expr = con.raw_expr
    if (
        con.contype == ConstrType.CONSTR_CHECK
        and isinstance(expr, ast.NullTest)
        and expr.nulltesttype == 1  # IS_NOT_NULL
        and isinstance(expr.arg, ast.ColumnRef)
        and len(expr.arg.fields) == 1
        and isinstance(expr.arg.fields[0], ast.String)
    ):
        return str(expr.arg.fields[0].sval)
    return None


# --------------------------------------------------------------------------- state


_ZERO_DURATION = re.compile(r"0+(\.0*)?\s*(us|ms|s|min|h|d)?", re.IGNORECASE)
_UTC_NAMES = frozenset({"utc", "etc/utc", "gmt", "etc/gmt", "universal", "zulu", "z"})


def _setting(node: ast.Node) -> tuple[str, str | None, bool] | None:
    """``(name, value or None for reset/default, is_local)`` of a SET or set_config()."""
    if isinstance(node, ast.VariableSetStmt) and node.name:
        if node.kind == VariableSetKind.VAR_SET_VALUE and node.args:
            return node.name.lower(), constant_string(node.args[0]), bool(node.is_local)
        if node.kind in (VariableSetKind.VAR_SET_DEFAULT, VariableSetKind.VAR_RESET):
            return node.name.lower(), None, bool(node.is_local)
        return None
    if isinstance(node, ast.SelectStmt) and node.targetList and len(node.targetList) == 1:
        call = node.targetList[0].val
        if isinstance(call, ast.FuncCall) and func_name(call)[1] == "set_config":
            args = list(call.args or ())
            if len(args) == 3 and constant_string(args[0]) is not None:
                local = isinstance(args[2], ast.A_Const) and bool(
                    getattr(args[2].val, "boolval", False)
                )
                return str(constant_string(args[0])).lower(), constant_string(args[1]), local
    return None


def _observe_setting(node: ast.Node, state: FileState) -> None:
    setting = _setting(node)
    if setting is None:
        return
    name, value, local = setting
    if name == "lock_timeout":
        enabled = value is not None and not _ZERO_DURATION.fullmatch(value.strip())
        if local:
            state.local_lock_timeout = enabled
        else:
            state.lock_timeout = enabled
    elif name == "timezone":
        state.timezone_utc = value is not None and value.strip().lower() in _UTC_NAMES


def _observe_constraint(
    table: TableRef, con: ast.Constraint, stmt: Statement, s: FileState
) -> None:
    column = not_null_check_column(con)
    if con.conname and column is not None:
        s.not_null_checks[(table, con.conname)] = column
    if con.skip_validation and con.conname:
        s.not_valid[(table, con.conname)] = stmt.transaction
    elif column is not None:
        s.proven_not_null.add((table, column))


def _observe_alter(node: ast.AlterTableStmt, stmt: Statement, state: FileState) -> None:
    table = TableRef.of(node.relation)
    columns = state.knowledge.columns.setdefault(table, {})
    for cmd in alter_commands(node):
        if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            _observe_constraint(table, cmd.def_, stmt, state)
        elif cmd.subtype == AlterTableType.AT_ValidateConstraint and cmd.name:
            column = state.not_null_checks.get((table, cmd.name))
            if column is not None:
                state.proven_not_null.add((table, column))
        elif cmd.subtype == AlterTableType.AT_AlterColumnType and cmd.name:
            if isinstance(cmd.def_, ast.ColumnDef) and cmd.def_.typeName is not None:
                columns[cmd.name] = column_type(cmd.def_.typeName)
        elif cmd.subtype == AlterTableType.AT_DropColumn and cmd.name:
            columns.pop(cmd.name, None)


def _observe_create(node: ast.CreateStmt, stmt: Statement, state: FileState) -> None:
    table = TableRef.of(node.relation)
    state.new_tables.add(table)
    for elt in node.tableElts or ():
        if isinstance(elt, ast.Constraint):
            _observe_constraint(table, elt, stmt, state)


def _observe_function(node: ast.CreateFunctionStmt, state: FileState) -> None:
    volatility = Volatility.VOLATILE
    for option in node.options or ():
        if isinstance(option, ast.DefElem) and option.defname == "volatility":
            word = getattr(option.arg, "sval", "volatile")
            volatility = Volatility(word)
    state.knowledge.functions[str(node.funcname[-1].sval)] = volatility


def observe(stmt: Statement, state: FileState) -> None:
    """Update ``state`` with what ``stmt`` establishes (after the rules looked at it)."""
    node = stmt.node
    if isinstance(node, ast.CreateStmt):
        state.knowledge.columns[TableRef.of(node.relation)] = {}
    for table, col in defined_columns(node):
        if col.typeName is not None and col.colname:
            state.knowledge.columns.setdefault(table, {})[col.colname] = column_type(col.typeName)
    if isinstance(node, ast.CreateStmt):
        _observe_create(node, stmt, state)
    elif isinstance(node, ast.CreateTableAsStmt) and node.into is not None:
        state.new_tables.add(TableRef.of(node.into.rel))
    elif isinstance(node, ast.AlterTableStmt):
        _observe_alter(node, stmt, state)
    elif isinstance(node, ast.IndexStmt) and node.idxname:
        schema = node.relation.schemaname or DEFAULT_SCHEMA
        state.new_indexes.add(TableRef(schema, node.idxname))
    elif isinstance(node, ast.CreateFunctionStmt):
        _observe_function(node, state)
    _observe_setting(node, state)
    kind = transaction_kind(node)
    if kind == "open" and stmt.explicit and state.open_begin is None:
        state.open_begin = stmt
    if kind == "close":
        state.local_lock_timeout = False
        state.open_begin = None
        state.locked_in_transaction.clear()
    state.transaction = None if kind == "close" else stmt.transaction
