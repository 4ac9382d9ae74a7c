"""DBA4xx: changes that break the application code running now."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType, DropBehavior, ObjectType

from dbarch.migrate.lint.analysis import FileState, Statement, TableRef, alter_commands
from dbarch.migrate.lint.effects import effects
from dbarch.migrate.lint.explain import describe
from dbarch.migrate.lint.registry import Hit, Severity, rule
from dbarch.migrate.locks import Operation
from dbarch.pg.quote import quote_ident

EXPAND = (
    "Expand/contract: add the new {what} and write to both, deploy code that reads the new "
    "one, backfill, deploy code that no longer uses the old one, then drop it in a later "
    "migration."
)
RUNNING_CODE = (
    "Application instances deployed before this migration still use the old name: their "
    "queries fail from the moment it commits until every instance runs the new code."
)


@rule(
    "DBA401",
    "rename-column",
    Severity.WARNING,
    summary="RENAME COLUMN",
    why=RUNNING_CODE,
    fix=EXPAND.format(what="column"),
)
def rename_column(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if isinstance(node, ast.RenameStmt) and node.renameType == ObjectType.OBJECT_COLUMN:
        table = TableRef.of(node.relation)
        if not state.is_new(table):
            yield Hit(
                f"column {table.sql}.{quote_ident(node.subname)} renamed to "
                f"{quote_ident(node.newname)}",
                RUNNING_CODE,
                EXPAND.format(what="column"),
            )


_RENAMED = {
    ObjectType.OBJECT_TABLE: "table",
    ObjectType.OBJECT_VIEW: "view",
    ObjectType.OBJECT_MATVIEW: "materialized view",
}


@rule(
    "DBA402",
    "rename-table",
    Severity.WARNING,
    summary="RENAME of a table, view or materialized view",
    why=RUNNING_CODE,
    fix="Rename, and in the same transaction create a view with the old name (SELECT * FROM "
    "the new one; simple views are updatable) until no code uses the old name.",
)
def rename_table(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if isinstance(node, ast.RenameStmt) and node.renameType in _RENAMED and node.relation:
        table = TableRef.of(node.relation)
        if not state.is_new(table):
            new = TableRef(table.schema, node.newname)
            yield Hit(
                f"{_RENAMED[node.renameType]} {table.sql} renamed to {quote_ident(node.newname)}",
                RUNNING_CODE,
                f"ALTER TABLE {table.sql} RENAME TO {quote_ident(node.newname)};\n"
                f"CREATE VIEW {table.sql} AS SELECT * FROM {new.sql};"
                "  -- same transaction; drop it once no code uses the old name",
            )


DROPPED = (
    "Code deployed before this migration still reads or writes it: those queries fail. The "
    "data is gone for good."
)


@rule(
    "DBA403",
    "drop-column",
    Severity.WARNING,
    summary="DROP COLUMN",
    why=DROPPED,
    fix="First deploy code that no longer uses the column (ORMs: mark it ignored), then drop "
    "it in a later migration.",
)
def drop_column(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if not isinstance(node, ast.AlterTableStmt):
        return
    table = TableRef.of(node.relation)
    if state.is_new(table):
        return
    for cmd in alter_commands(node):
        if cmd.subtype == AlterTableType.AT_DropColumn:
            yield Hit(
                f"column {table.sql}.{quote_ident(cmd.name)} dropped",
                DROPPED,
                "-- deploy code that no longer uses the column first; drop it in a later migration",
            )


@rule(
    "DBA404",
    "drop-table",
    Severity.WARNING,
    summary="DROP TABLE",
    why=DROPPED,
    fix="Deploy code that no longer uses the table first; rename it aside and drop it in a "
    "later migration once nothing broke.",
)
def drop_table(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for effect in effects(stmt.node, state):
        table = effect.table()
        if effect.operation is Operation.DROP_TABLE and table and not state.is_new(table):
            yield Hit(
                f"table {table.sql} dropped",
                DROPPED + " " + describe(effect),
                "-- deploy code that no longer uses the table first; drop it later",
            )


@rule(
    "DBA405",
    "truncate-cascade",
    Severity.ERROR,
    summary="TRUNCATE ... CASCADE",
    why="CASCADE also empties every table with a foreign key to the truncated ones, and "
    "theirs in turn: data you did not name is deleted, under ACCESS EXCLUSIVE on all of them.",
    fix="TRUNCATE the tables you mean, named explicitly (RESTRICT, the default, refuses when "
    "another table refers to them).",
)
def truncate_cascade(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if isinstance(node, ast.TruncateStmt) and node.behavior == DropBehavior.DROP_CASCADE:
        names = ", ".join(TableRef.of(r).sql for r in node.relations or ())
        yield Hit(
            f"TRUNCATE {names} CASCADE",
            "Every table referencing these (transitively) is emptied too.",
            f"TRUNCATE {names};  -- name every table to empty",
        )


@rule(
    "DBA406",
    "drop-not-null",
    Severity.INFO,
    summary="DROP NOT NULL",
    why="Code and consumers (reports, exports, other services) that rely on the column "
    "never being NULL start seeing NULLs.",
    fix="Check the readers handle NULL before relaxing the constraint.",
)
def drop_not_null(stmt: Statement, state: FileState) -> Iterator[Hit]:
    node = stmt.node
    if not isinstance(node, ast.AlterTableStmt):
        return
    table = TableRef.of(node.relation)
    for cmd in alter_commands(node):
        if cmd.subtype == AlterTableType.AT_DropNotNull and not state.is_new(table):
            yield Hit(
                f"{table.sql}.{quote_ident(cmd.name)} may now be NULL",
                "Readers that assume a value start seeing NULLs.",
                "-- make sure every reader handles NULL first",
            )


@rule(
    "DBA407",
    "drop-database",
    Severity.ERROR,
    summary="DROP DATABASE in a migration",
    why="A migration that drops a database destroys everything in it; it is never part of "
    "a schema change.",
    fix="Remove the statement; drop databases by hand, deliberately.",
)
def drop_database(stmt: Statement, state: FileState) -> Iterator[Hit]:
    if isinstance(stmt.node, ast.DropdbStmt):
        yield Hit(
            f"DROP DATABASE {quote_ident(stmt.node.dbname)}",
            "Everything in the database is destroyed.",
            "-- remove this statement from the migration",
        )
