"""What a statement does in terms of the lock facts: its operations and the tables involved.

:func:`effects` maps a parsed statement to :class:`Effect` values, each an
:class:`~dbarch.migrate.locks.Operation` with the tables playing each role, so that rules
and messages take locks, rewrites and scans from the one facts table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType, ReindexObjectType

from dbarch.migrate.lint.analysis import (
    FileState,
    TableRef,
    alter_commands,
    column_constraints,
    func_name,
    function_calls,
)
from dbarch.migrate.lint.volatility import Volatility, function_volatility
from dbarch.migrate.locks import LockMode, Operation, Role, column_type, fact, type_change_rewrites

SERIAL_TYPES = frozenset({"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"})
_ORDER = [Volatility.IMMUTABLE, Volatility.STABLE, Volatility.VOLATILE]


@dataclass(frozen=True)
class Effect:
    """One operation of a statement and the relations it touches, by role."""

    operation: Operation
    tables: tuple[tuple[Role, TableRef], ...]

    def table(self, role: Role = Role.TABLE) -> TableRef | None:
        return next((t for r, t in self.tables if r is role), None)

    @property
    def strongest(self) -> LockMode | None:
        return fact(self.operation).strongest


def _effect(operation: Operation, **tables: TableRef | None) -> Effect:
    roles = {"table": Role.TABLE, "referenced": Role.REFERENCED, "index": Role.INDEX}
    roles |= {"partition": Role.PARTITION}
    return Effect(operation, tuple((roles[k], v) for k, v in tables.items() if v is not None))


def expression_volatility(expr: ast.Node | None, state: FileState) -> Volatility | None:
    """The most volatile function in ``expr``; None when a function's volatility is unknown."""
    worst = Volatility.IMMUTABLE
    for call in function_calls(expr):
        schema, name = func_name(call)
        known = function_volatility(name, schema)
        if known is None and schema is None:
            known = state.knowledge.functions.get(name)
        if known is None:
            return None
        worst = max(worst, known, key=_ORDER.index)
    return worst


def column_default(col: ast.ColumnDef) -> ast.Node | None:
    return next(
        (c.raw_expr for c in column_constraints(col) if c.contype == ConstrType.CONSTR_DEFAULT),
        None,
    )


def _has(col: ast.ColumnDef, contype: ConstrType) -> bool:
    return any(c.contype == contype for c in column_constraints(col))


def add_column_operation(col: ast.ColumnDef, state: FileState) -> Operation:
    """The lock-facts operation of ``ADD COLUMN col``."""
    if _has(col, ConstrType.CONSTR_GENERATED):
        return Operation.ADD_COLUMN_GENERATED_STORED
    if _has(col, ConstrType.CONSTR_IDENTITY):
        return Operation.ADD_COLUMN_IDENTITY
    typ = column_type(col.typeName) if col.typeName is not None else None
    default = column_default(col)
    if (typ is not None and typ.name in SERIAL_TYPES) or (
        default is not None and expression_volatility(default, state) is Volatility.VOLATILE
    ):
        return Operation.ADD_COLUMN_VOLATILE_DEFAULT
    if _has(col, ConstrType.CONSTR_NOTNULL) or _has(col, ConstrType.CONSTR_PRIMARY):
        if default is None:
            return Operation.ADD_COLUMN_NOT_NULL_NO_DEFAULT
        return Operation.ADD_COLUMN_NOT_NULL_DEFAULT
    if default is not None:
        return Operation.ADD_COLUMN_CONSTANT_DEFAULT
    return Operation.ADD_COLUMN_NULLABLE


def constraint_effect(table: TableRef, con: ast.Constraint) -> Effect | None:
    """The operation of adding constraint ``con`` to ``table``."""
    kind = con.contype
    if kind == ConstrType.CONSTR_CHECK:
        op = Operation.ADD_CHECK_NOT_VALID if con.skip_validation else Operation.ADD_CHECK
        return _effect(op, table=table)
    if kind == ConstrType.CONSTR_FOREIGN and con.pktable is not None:
        op = (
            Operation.ADD_FOREIGN_KEY_NOT_VALID
            if con.skip_validation
            else Operation.ADD_FOREIGN_KEY
        )
        return _effect(op, table=table, referenced=TableRef.of(con.pktable))
    if kind in (ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_PRIMARY):
        if con.indexname:
            return _effect(Operation.ADD_UNIQUE_USING_INDEX, table=table)
        unique = kind == ConstrType.CONSTR_UNIQUE
        return _effect(Operation.ADD_UNIQUE if unique else Operation.ADD_PRIMARY_KEY, table=table)
    if kind == ConstrType.CONSTR_EXCLUSION:
        return _effect(Operation.ADD_EXCLUSION, table=table)
    return None


def type_change_rewrites_known(
    table: TableRef, cmd: ast.AlterTableCmd, state: FileState
) -> bool | None:
    """Whether ``ALTER COLUMN ... TYPE`` rewrites: None when the old type is not known."""
    col = cmd.def_
    if not isinstance(col, ast.ColumnDef) or col.typeName is None or cmd.name is None:
        return None
    if col.raw_default is not None:  # USING expression
        return True
    old = state.column_type(table, cmd.name)
    if old is None:
        return None
    return type_change_rewrites(old, column_type(col.typeName), timezone_utc=state.timezone_utc)


_TRIGGER_COMMANDS = frozenset(
    {
        AlterTableType.AT_EnableTrig,
        AlterTableType.AT_EnableAlwaysTrig,
        AlterTableType.AT_EnableReplicaTrig,
        AlterTableType.AT_DisableTrig,
        AlterTableType.AT_EnableTrigAll,
        AlterTableType.AT_DisableTrigAll,
        AlterTableType.AT_EnableTrigUser,
        AlterTableType.AT_DisableTrigUser,
    }
)
_SIMPLE_COMMANDS = {
    AlterTableType.AT_DropColumn: Operation.DROP_COLUMN,
    AlterTableType.AT_DropNotNull: Operation.DROP_NOT_NULL,
    AlterTableType.AT_ColumnDefault: Operation.SET_DEFAULT,
    AlterTableType.AT_DropConstraint: Operation.DROP_CONSTRAINT,
    AlterTableType.AT_ValidateConstraint: Operation.VALIDATE_CHECK,
    AlterTableType.AT_SetLogged: Operation.SET_LOGGED_UNLOGGED,
    AlterTableType.AT_SetUnLogged: Operation.SET_LOGGED_UNLOGGED,
}


def _alter_effects(node: ast.AlterTableStmt, state: FileState) -> Iterator[Effect]:
    table = TableRef.of(node.relation)
    for cmd in alter_commands(node):
        kind = cmd.subtype
        if kind in _SIMPLE_COMMANDS:
            yield _effect(_SIMPLE_COMMANDS[kind], table=table)
        elif kind in _TRIGGER_COMMANDS:
            yield _effect(Operation.ENABLE_DISABLE_TRIGGER, table=table)
        elif kind == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield _effect(add_column_operation(cmd.def_, state), table=table)
            for con in column_constraints(cmd.def_):
                found = constraint_effect(table, con)
                yield from [found] if found is not None else []
        elif kind == AlterTableType.AT_AlterColumnType:
            rewrites = type_change_rewrites_known(table, cmd, state)
            coercible = rewrites is False
            op = Operation.ALTER_COLUMN_TYPE_COERCIBLE if coercible else Operation.ALTER_COLUMN_TYPE
            yield _effect(op, table=table)
        elif kind == AlterTableType.AT_SetNotNull:
            proven = (table, cmd.name) in state.proven_not_null
            op = Operation.SET_NOT_NULL_PROVEN if proven else Operation.SET_NOT_NULL
            yield _effect(op, table=table)
        elif kind == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            found = constraint_effect(table, cmd.def_)
            yield from [found] if found is not None else []
        elif kind in (AlterTableType.AT_AttachPartition, AlterTableType.AT_DetachPartition):
            yield _partition_effect(table, cmd)


def _partition_effect(table: TableRef, cmd: ast.AlterTableCmd) -> Effect:
    part = cmd.def_
    partition = TableRef.of(part.name) if isinstance(part, ast.PartitionCmd) else None
    if cmd.subtype == AlterTableType.AT_AttachPartition:
        op = Operation.ATTACH_PARTITION
    elif isinstance(part, ast.PartitionCmd) and part.concurrent:
        op = Operation.DETACH_PARTITION_CONCURRENTLY
    else:
        op = Operation.DETACH_PARTITION
    return _effect(op, table=table, partition=partition)


def _create_table_effects(node: ast.CreateStmt) -> Iterator[Effect]:
    constraints = [e for e in node.tableElts or () if isinstance(e, ast.Constraint)]
    for elt in node.tableElts or ():
        if isinstance(elt, ast.ColumnDef):
            constraints += column_constraints(elt)
    for con in constraints:
        if con.contype == ConstrType.CONSTR_FOREIGN and con.pktable is not None:
            referenced = TableRef.of(con.pktable)
            yield _effect(Operation.CREATE_TABLE_WITH_FOREIGN_KEY, referenced=referenced)


def _is_concurrent_reindex(node: ast.ReindexStmt) -> bool:
    return any(getattr(p, "defname", "") == "concurrently" for p in node.params or ())


def _other_effects(node: ast.Node) -> Iterator[Effect]:
    if isinstance(node, ast.IndexStmt):
        op = Operation.CREATE_INDEX_CONCURRENTLY if node.concurrent else Operation.CREATE_INDEX
        yield _effect(op, table=TableRef.of(node.relation))
    elif isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_INDEX:
        op = Operation.DROP_INDEX_CONCURRENTLY if node.concurrent else Operation.DROP_INDEX
        for names in node.objects or ():
            yield _effect(op, index=TableRef.from_names(names))
    elif isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_TABLE:
        for names in node.objects or ():
            yield _effect(Operation.DROP_TABLE, table=TableRef.from_names(names))
    elif isinstance(node, ast.ReindexStmt) and node.relation is not None:
        op = Operation.REINDEX_CONCURRENTLY if _is_concurrent_reindex(node) else Operation.REINDEX
        ref = TableRef.of(node.relation)
        on_index = node.kind == ReindexObjectType.REINDEX_OBJECT_INDEX
        yield _effect(op, index=ref) if on_index else _effect(op, table=ref)
    elif isinstance(node, ast.RenameStmt) and node.relation is not None:
        rename = {
            ObjectType.OBJECT_COLUMN: Operation.RENAME_COLUMN,
            ObjectType.OBJECT_TABLE: Operation.RENAME_TABLE,
            ObjectType.OBJECT_MATVIEW: Operation.RENAME_MATERIALIZED_VIEW,
        }.get(node.renameType)
        if rename is not None:
            yield _effect(rename, table=TableRef.of(node.relation))
    elif isinstance(node, ast.TruncateStmt):
        for rel in node.relations or ():
            yield _effect(Operation.TRUNCATE, table=TableRef.of(rel))
    elif isinstance(node, ast.ClusterStmt) and node.relation is not None:
        yield _effect(Operation.CLUSTER, table=TableRef.of(node.relation))
    elif isinstance(node, ast.VacuumStmt) and is_vacuum_full(node):
        for rel in node.rels or ():
            if isinstance(rel, ast.VacuumRelation) and rel.relation is not None:
                yield _effect(Operation.VACUUM_FULL, table=TableRef.of(rel.relation))
    elif isinstance(node, ast.CreateTrigStmt):
        yield _effect(Operation.CREATE_TRIGGER, table=TableRef.of(node.relation))
    elif isinstance(node, ast.AlterEnumStmt) and node.newVal:
        yield _effect(Operation.ADD_ENUM_VALUE)
    elif isinstance(node, ast.RefreshMatViewStmt):
        op = (
            Operation.REFRESH_MATERIALIZED_VIEW_CONCURRENTLY
            if node.concurrent
            else Operation.REFRESH_MATERIALIZED_VIEW
        )
        yield _effect(op, table=TableRef.of(node.relation))
    elif isinstance(node, ast.CreateStmt):
        yield from _create_table_effects(node)


def is_vacuum_full(node: ast.VacuumStmt) -> bool:
    return bool(node.is_vacuumcmd) and any(
        getattr(o, "defname", "") == "full" for o in node.options or ()
    )


def effects(node: ast.Node, state: FileState) -> list[Effect]:
    """The lock-facts operations of one statement, in the order they happen."""
    if isinstance(node, ast.AlterTableStmt):
        return list(_alter_effects(node, state))
    return list(_other_effects(node))
