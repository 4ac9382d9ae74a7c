"""DBA2xx: adding constraints without long locks or full scans under them."""

from __future__ import annotations

import copy
from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from dbarch.migrate.lint.analysis import (
    FileState,
    Statement,
    TableRef,
    alter_commands,
    column_constraints,
    sql_of,
)
from dbarch.migrate.lint.effects import Effect, add_column_operation, constraint_effect
from dbarch.migrate.lint.explain import describe
from dbarch.migrate.lint.registry import Hit, Severity, rule
from dbarch.migrate.locks import Operation, Role
from dbarch.pg.quote import quote_ident

_T = Role.TABLE
LATER = "-- then, in a later transaction:"


def _existing_alters(
    stmt: Statement, state: FileState
) -> Iterator[tuple[TableRef, ast.AlterTableCmd]]:
    node = stmt.node
    if not isinstance(node, ast.AlterTableStmt):
        return
    table = TableRef.of(node.relation)
    if state.is_new(table):
        return
    for cmd in alter_commands(node):
        yield table, cmd


def _names(con: ast.Constraint, attr: str) -> list[str]:
    return [str(n.sval) for n in getattr(con, attr) or ()]


def _constraint_name(table: TableRef, con: ast.Constraint, column: str | None = None) -> str:
    if con.conname:
        return str(con.conname)
    columns = _names(con, "fk_attrs") or _names(con, "keys") or ([column] if column else [])
    suffix = {
        ConstrType.CONSTR_FOREIGN: "fkey",
        ConstrType.CONSTR_CHECK: "check",
        ConstrType.CONSTR_UNIQUE: "key",
        ConstrType.CONSTR_PRIMARY: "pkey",
    }[con.contype]
    return "_".join([table.name, *columns, suffix]) if columns else f"{table.name}_{suffix}"


def _not_valid_fix(table: TableRef, con: ast.Constraint, column: str | None = None) -> str:
    named = copy.deepcopy(con)
    named.conname = _constraint_name(table, con, column)
    named.skip_validation = True
    named.initially_valid = False
    if column is not None and con.contype == ConstrType.CONSTR_FOREIGN and not con.fk_attrs:
        named.fk_attrs = (ast.String(sval=column),)
    add = f"ALTER TABLE {table.sql} ADD {sql_of(named)};"
    return (
        f"{add}\n{LATER}\nALTER TABLE {table.sql} VALIDATE CONSTRAINT {quote_ident(named.conname)};"
    )


def _validating(con: ast.Constraint) -> bool:
    kinds = (ConstrType.CONSTR_CHECK, ConstrType.CONSTR_FOREIGN)
    return con.contype in kinds and not con.skip_validation


@rule(
    "DBA201",
    "constraint-without-not-valid",
    Severity.WARNING,
    summary="CHECK or FOREIGN KEY added to an existing table (or domain) without NOT VALID",
    why="Adding the constraint checks every existing row while holding the lock (ACCESS "
    "EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE on both tables for FOREIGN KEY).",
    fix="Add it NOT VALID (instant; new rows are checked), then VALIDATE CONSTRAINT in a "
    "later transaction: validation only takes SHARE UPDATE EXCLUSIVE, which blocks no reads "
    "or writes.",
)
def not_valid(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if isinstance(node, ast.AlterDomainStmt) and node.subtype == "C":
        con = node.def_
        if isinstance(con, ast.Constraint) and _validating(con):
            fixed = copy.deepcopy(node)
            fixed.def_.skip_validation = True
            yield Hit(
                "domain constraint added without NOT VALID",
                "ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses "
                "the domain, under locks that block writes to them.",
                f"{sql_of(fixed)};\n{LATER}\nALTER DOMAIN ... VALIDATE CONSTRAINT ...;",
            )
        return
    for table, cmd in _existing_alters(stmt, state):
        if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            con = cmd.def_
            if _validating(con):
                effect = constraint_effect(table, con)
                yield Hit(
                    f"{_kind(con)} added to {table.sql} without NOT VALID",
                    describe(effect) if effect else "",
                    _not_valid_fix(table, con),
                )
        elif cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            yield from _inline(table, cmd.def_)


def _kind(con: ast.Constraint) -> str:
    return "FOREIGN KEY" if con.contype == ConstrType.CONSTR_FOREIGN else "CHECK constraint"


def _inline(table: TableRef, col: ast.ColumnDef) -> Iterator[Hit]:
    for con in column_constraints(col):
        if _validating(con):
            bare = copy.deepcopy(col)
            bare.constraints = tuple(c for c in column_constraints(col) if not _validating(c))
            effect = constraint_effect(table, con)
            yield Hit(
                f"{_kind(con)} declared inline on ADD COLUMN {col.colname}: it cannot be NOT "
                "VALID there",
                describe(effect) if effect else "",
                f"ALTER TABLE {table.sql} ADD COLUMN {sql_of(bare)};\n"
                + _not_valid_fix(table, con, col.colname),
            )


@rule(
    "DBA202",
    "validate-in-same-transaction",
    Severity.WARNING,
    summary="VALIDATE CONSTRAINT in the same transaction as the ADD ... NOT VALID",
    why="The ADD took a strong lock (ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE) that is held "
    "until the transaction ends, so the validation scan runs under it: NOT VALID gained "
    "nothing.",
    fix="Commit after ADD CONSTRAINT ... NOT VALID and VALIDATE in a later transaction.",
)
def validate_same_transaction(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, cmd in _existing_alters(stmt, state):
        if cmd.subtype != AlterTableType.AT_ValidateConstraint or not cmd.name:
            continue
        added_in = state.not_valid.get((table, cmd.name), -1)
        if stmt.transaction is not None and added_in == stmt.transaction:
            yield Hit(
                f"constraint {cmd.name} is validated in the transaction that added it NOT VALID",
                "The lock taken by ADD CONSTRAINT is still held, so the full-table validation "
                "runs under it.",
                f"COMMIT;\nALTER TABLE {table.sql} VALIDATE CONSTRAINT {quote_ident(cmd.name)};",
            )


@rule(
    "DBA203",
    "set-not-null-without-check",
    Severity.WARNING,
    summary="SET NOT NULL without a validated CHECK (col IS NOT NULL) proving it",
    why="SET NOT NULL holds ACCESS EXCLUSIVE while it scans the whole table for NULLs. Since "
    "PostgreSQL 12 a validated CHECK (col IS NOT NULL) lets it skip the scan.",
    fix="ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID; commit; VALIDATE CONSTRAINT "
    "(no blocking lock); SET NOT NULL (instant); DROP the CHECK.",
)
def set_not_null(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, cmd in _existing_alters(stmt, state):
        if cmd.subtype != AlterTableType.AT_SetNotNull or not cmd.name:
            continue
        if (table, cmd.name) in state.proven_not_null:
            continue
        check = quote_ident(f"{table.name}_{cmd.name}_not_null")
        col = quote_ident(cmd.name)
        yield Hit(
            f"SET NOT NULL on {table.sql}.{col} without a validated CHECK ({col} IS NOT NULL)",
            describe(Effect(Operation.SET_NOT_NULL, ((_T, table),))),
            f"ALTER TABLE {table.sql} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) "
            f"NOT VALID;\n{LATER}\n"
            f"ALTER TABLE {table.sql} VALIDATE CONSTRAINT {check};\n"
            f"ALTER TABLE {table.sql} ALTER COLUMN {col} SET NOT NULL;\n"
            f"ALTER TABLE {table.sql} DROP CONSTRAINT {check};",
        )


def _unique_fix(table: TableRef, con: ast.Constraint, column: str | None) -> str:
    name = _constraint_name(table, con, column)
    columns = _names(con, "keys") or ([column] if column else [])
    cols = ", ".join(quote_ident(c) for c in columns)
    kind = "PRIMARY KEY" if con.contype == ConstrType.CONSTR_PRIMARY else "UNIQUE"
    return (
        f"CREATE UNIQUE INDEX CONCURRENTLY {quote_ident(name)} ON {table.sql} ({cols});"
        "  -- outside any transaction block\n"
        f"ALTER TABLE {table.sql} ADD CONSTRAINT {quote_ident(name)} {kind} "
        f"USING INDEX {quote_ident(name)};"
    )


@rule(
    "DBA204",
    "unique-constraint-builds-index",
    Severity.WARNING,
    summary="UNIQUE or PRIMARY KEY constraint that builds its index under ACCESS EXCLUSIVE",
    why="ADD CONSTRAINT ... UNIQUE / PRIMARY KEY builds the index while holding ACCESS "
    "EXCLUSIVE: no reads or writes for the whole build.",
    fix="CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX (instant). "
    "For a PRIMARY KEY make the columns NOT NULL first (see DBA203).",
)
def unique_constraint(stmt: Statement, state: FileState) -> Iterator[Hit]:
    kinds = (ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_PRIMARY)
    for table, cmd in _existing_alters(stmt, state):
        pairs: list[tuple[ast.Constraint, str | None]] = []
        if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            pairs.append((cmd.def_, None))
        elif cmd.subtype == AlterTableType.AT_AddColumn and isinstance(cmd.def_, ast.ColumnDef):
            pairs += [(c, cmd.def_.colname) for c in column_constraints(cmd.def_)]
        for con, column in pairs:
            if con.contype in kinds and not con.indexname:
                effect = constraint_effect(table, con)
                yield Hit(
                    f"{'PRIMARY KEY' if con.contype == kinds[1] else 'UNIQUE'} constraint on "
                    f"{table.sql} builds its index under ACCESS EXCLUSIVE",
                    describe(effect) if effect else "",
                    _unique_fix(table, con, column),
                )


@rule(
    "DBA205",
    "exclusion-constraint",
    Severity.WARNING,
    summary="EXCLUDE constraint added to an existing table",
    why="An exclusion constraint cannot be NOT VALID nor built from an existing index: it "
    "builds its index and checks every row under ACCESS EXCLUSIVE.",
    fix="Add it while the table is small or in a maintenance window, or enforce the rule in "
    "a new table and move the rows in batches.",
)
def exclusion(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, cmd in _existing_alters(stmt, state):
        con = cmd.def_
        if isinstance(con, ast.Constraint) and con.contype == ConstrType.CONSTR_EXCLUSION:
            yield Hit(
                f"EXCLUDE constraint added to {table.sql}",
                describe(Effect(Operation.ADD_EXCLUSION, ((_T, table),))),
                "-- no lock-free way: schedule it, or build the constraint on a new table",
            )


@rule(
    "DBA206",
    "add-column-not-null-without-default",
    Severity.ERROR,
    summary="ADD COLUMN ... NOT NULL without a DEFAULT on an existing table",
    why="Every existing row would get NULL in the new column, so the statement fails as soon "
    "as the table has a row.",
    fix="Add the column with a non-volatile DEFAULT (no rewrite since PostgreSQL 11), or add "
    "it nullable, backfill, and SET NOT NULL through a validated CHECK (DBA203).",
)
def not_null_without_default(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for table, cmd in _existing_alters(stmt, state):
        col = cmd.def_
        if cmd.subtype != AlterTableType.AT_AddColumn or not isinstance(col, ast.ColumnDef):
            continue
        if add_column_operation(col, state) is Operation.ADD_COLUMN_NOT_NULL_NO_DEFAULT:
            yield Hit(
                f"ADD COLUMN {quote_ident(col.colname)} NOT NULL without a DEFAULT on {table.sql}",
                "The statement fails with 'column contains null values' once the table has rows.",
                f"ALTER TABLE {table.sql} ADD COLUMN {quote_ident(col.colname)} "
                f"{sql_of(col.typeName)} NOT NULL DEFAULT <value>;",
            )
