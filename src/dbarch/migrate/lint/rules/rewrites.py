"""DBA3xx: statements that copy or scan the whole table under a strong lock."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType

from dbarch.migrate.lint.analysis import (
    FileState,
    Statement,
    TableRef,
    alter_commands,
    func_name,
    function_calls,
    sql_of,
)
from dbarch.migrate.lint.effects import (
    SERIAL_TYPES,
    Effect,
    add_column_operation,
    column_default,
    effects,
    expression_volatility,
    type_change_rewrites_known,
)
from dbarch.migrate.lint.explain import describe
from dbarch.migrate.lint.registry import Hit, Severity, rule
from dbarch.migrate.lint.volatility import Volatility
from dbarch.migrate.locks import Operation, Role, column_type
from dbarch.pg.quote import quote_ident

_T = Role.TABLE
EXPAND_CONTRACT = (
    "Expand/contract instead: add a new column, keep it in sync with a trigger, backfill "
    "it in batches, then swap the columns in one short transaction."
)


def _existing_columns(
    stmt: Statement, state: FileState
) -> Iterator[tuple[TableRef, ast.AlterTableCmd]]:
    node = stmt.node
    if isinstance(node, ast.AlterTableStmt):
        table = TableRef.of(node.relation)
        if not state.is_new(table):
            yield from ((table, cmd) for cmd in alter_commands(node))


def _added(stmt: Statement, state: FileState) -> Iterator[tuple[TableRef, ast.ColumnDef]]:
    for table, cmd in _existing_columns(stmt, state):
        if cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield table, cmd.def_


def _unknown_functions(expr: ast.Node, state: FileState) -> list[str]:
    names = []
    for call in function_calls(expr):
        schema, name = func_name(call)
        if expression_volatility(call, state) is None:
            names.append(f"{schema}.{name}()" if schema else f"{name}()")
    return names


@rule(
    "DBA301",
    "volatile-default",
    Severity.WARNING,
    summary="ADD COLUMN with a volatile DEFAULT (clock_timestamp(), random(), "
    "gen_random_uuid()...)",
    why="A volatile default gives each row its own value, so PostgreSQL rewrites the whole "
    "table under ACCESS EXCLUSIVE. Non-volatile defaults - constants and stable functions "
    "such as now() - are stored once in the catalog and cost nothing.",
    fix="Add the column without the default, SET DEFAULT afterwards (applies to new rows "
    "only), and backfill the existing rows in batches.",
)
def volatile_default(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, col in _added(stmt, state):
        default = column_default(col)
        if default is None:
            continue
        volatility = expression_volatility(default, state)
        if volatility is not None and volatility is not Volatility.VOLATILE:
            continue
        name = quote_ident(col.colname)
        expr = sql_of(default)
        if volatility is None:
            unknown = ", ".join(_unknown_functions(default, state))
            message = (
                f"default of {table.sql}.{name} calls {unknown}, whose volatility is not "
                "known: if it is VOLATILE the table is rewritten"
            )
            severity = Severity.INFO
        else:
            message = f"volatile default {expr} on new column {table.sql}.{name}"
            severity = Severity.WARNING
        yield Hit(
            message,
            describe(Effect(Operation.ADD_COLUMN_VOLATILE_DEFAULT, ((_T, table),))),
            f"ALTER TABLE {table.sql} ADD COLUMN {name} {sql_of(col.typeName)};\n"
            f"ALTER TABLE {table.sql} ALTER COLUMN {name} SET DEFAULT {expr};\n"
            f"-- then backfill in batches, one short transaction each:\n"
            f"UPDATE {table.sql} SET {name} = {expr} WHERE {name} IS NULL AND <key range>;",
            severity=severity,
        )


@rule(
    "DBA302",
    "stored-generated-column",
    Severity.WARNING,
    summary="ADD COLUMN ... GENERATED ALWAYS AS (...) STORED on an existing table",
    why="Every row's value is computed and written: the table is rewritten under ACCESS EXCLUSIVE.",
    fix="Add a plain column, fill it from a trigger for new rows and in batches for old "
    "ones; or compute the value in a view or at query time.",
)
def generated(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, col in _added(stmt, state):
        if add_column_operation(col, state) is Operation.ADD_COLUMN_GENERATED_STORED:
            yield Hit(
                f"stored generated column {quote_ident(col.colname)} added to {table.sql}",
                describe(Effect(Operation.ADD_COLUMN_GENERATED_STORED, ((_T, table),))),
                f"ALTER TABLE {table.sql} ADD COLUMN {quote_ident(col.colname)} "
                f"{sql_of(col.typeName)};\n-- fill it from a BEFORE INSERT OR UPDATE trigger, "
                "backfill old rows in batches",
            )


@rule(
    "DBA303",
    "auto-increment-column",
    Severity.WARNING,
    summary="serial or identity column added to an existing table",
    why="Each existing row draws its own value from the sequence (a volatile default): the "
    "table is rewritten under ACCESS EXCLUSIVE.",
    fix="Add a plain bigint column, attach a sequence default for new rows, backfill old "
    "rows in batches, then add the identity or constraint.",
)
def auto_increment(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, col in _added(stmt, state):
        op = add_column_operation(col, state)
        typ = column_type(col.typeName) if col.typeName is not None else None
        serial = typ is not None and typ.name in SERIAL_TYPES
        if op is Operation.ADD_COLUMN_IDENTITY or serial:
            yield Hit(
                f"auto-increment column {quote_ident(col.colname)} added to {table.sql}",
                describe(Effect(Operation.ADD_COLUMN_IDENTITY, ((_T, table),))),
                f"ALTER TABLE {table.sql} ADD COLUMN {quote_ident(col.colname)} bigint;\n"
                "-- CREATE SEQUENCE, SET DEFAULT nextval(...), then backfill in batches",
            )


# New types a column can reach without a rewrite from some old type.
_MAYBE_FREE = frozenset(
    {"text", "varchar", "numeric", "timestamptz", "timestamp", "time", "timetz", "inet", "varbit"}
)


@rule(
    "DBA304",
    "type-change-rewrites",
    Severity.WARNING,
    summary="ALTER COLUMN ... TYPE that rewrites the table",
    why="Changing a column's type rewrites the table and rebuilds its indexes under ACCESS "
    "EXCLUSIVE, unless the change is binary coercible: varchar(n) to varchar(m > n) or text, "
    "numeric(p,s) to numeric(p' > p,s), cidr to inet, timestamp to timestamptz with TimeZone "
    "UTC. Those are catalog-only and not reported.",
    fix=EXPAND_CONTRACT,
)
def type_change(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, cmd in _existing_columns(stmt, state):
        if cmd.subtype != AlterTableType.AT_AlterColumnType or not isinstance(
            cmd.def_, ast.ColumnDef
        ):
            continue
        rewrites = type_change_rewrites_known(table, cmd, state)
        if rewrites is False:
            continue
        new = column_type(cmd.def_.typeName)
        col = f"{table.sql}.{quote_ident(cmd.name)}"
        why = describe(Effect(Operation.ALTER_COLUMN_TYPE, ((_T, table),)))
        if rewrites is None and new.name in _MAYBE_FREE:
            yield Hit(
                f"type of {col} changes to {new}: the old type is not in the linted files, "
                "so whether the table is rewritten is not known",
                why + " Widening varchar, varchar to text, numeric precision widening and "
                "cidr to inet are catalog-only changes.",
                "-- if the old type does not convert for free: " + EXPAND_CONTRACT,
                severity=Severity.INFO,
            )
        else:
            old = state.column_type(table, cmd.name)
            was = f" from {old}" if old is not None else ""
            yield Hit(f"type of {col} changes{was} to {new}: rewrites", why, EXPAND_CONTRACT)


def _simple(
    stmt: Statement, state: FileState, operation: Operation, message: str, fix: str
) -> Iterator[Hit]:
    for effect in effects(stmt.node, state):
        table = effect.table()
        if effect.operation is operation and table is not None and not state.is_new(table):
            yield Hit(message.format(table=table.sql), describe(effect), fix)


@rule(
    "DBA305",
    "set-logged-unlogged",
    Severity.WARNING,
    summary="ALTER TABLE ... SET LOGGED / SET UNLOGGED",
    why="Switching persistence rewrites the table (and writes it all to WAL for LOGGED) under "
    "ACCESS EXCLUSIVE.",
    fix="Do it in a maintenance window, or copy into a new table of the wanted kind and swap.",
)
def set_logged(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _simple(
        stmt,
        state,
        Operation.SET_LOGGED_UNLOGGED,
        "persistence of {table} changes: rewrites",
        "-- copy into a new table of the wanted kind in batches, then swap names",
    )


REPACK = (
    "-- pg_repack or pg_squeeze rebuild the table online; plain VACUUM reclaims space for reuse "
    "without a strong lock"
)


@rule(
    "DBA306",
    "vacuum-full",
    Severity.WARNING,
    summary="VACUUM FULL",
    why="VACUUM FULL rewrites the table under ACCESS EXCLUSIVE: no reads or writes until it "
    "finishes.",
    fix="Use plain VACUUM, or an online rebuild (pg_repack, pg_squeeze).",
)
def vacuum_full(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _simple(stmt, state, Operation.VACUUM_FULL, "VACUUM FULL {table}", REPACK)


@rule(
    "DBA307",
    "cluster",
    Severity.WARNING,
    summary="CLUSTER",
    why="CLUSTER rewrites the table in index order under ACCESS EXCLUSIVE.",
    fix="Use an online rebuild (pg_repack --order-by), or accept the window.",
)
def cluster(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _simple(stmt, state, Operation.CLUSTER, "CLUSTER {table}", REPACK)
