"""DBA6xx: column types that cause trouble later."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pglast import ast
from pglast.enums import AlterTableType, ConstrType
from pglast.parser import ParseError, scan

from dbarch.migrate.lint.analysis import (
    FileState,
    Statement,
    TableRef,
    alter_commands,
    column_constraints,
    defined_columns,
)
from dbarch.migrate.lint.effects import SERIAL_TYPES
from dbarch.migrate.lint.registry import Hit, Severity, rule
from dbarch.migrate.locks import ColumnType, column_type
from dbarch.pg.quote import quote_ident

NAME_LIMIT = 63


@dataclass(frozen=True)
class TypedColumn:
    """A column whose type a statement sets: in CREATE TABLE, ADD COLUMN or ALTER TYPE."""

    table: TableRef
    name: str
    type: ColumnType
    offset: int | None
    column: ast.ColumnDef


def typed_columns(stmt: Statement) -> Iterator[TypedColumn]:
    node = stmt.node
    for table, col in defined_columns(node):
        if col.typeName is not None and col.colname:
            yield _typed(table, col.colname, col)
    if isinstance(node, ast.AlterTableStmt):
        for cmd in alter_commands(node):
            col = cmd.def_
            if cmd.subtype == AlterTableType.AT_AlterColumnType and isinstance(col, ast.ColumnDef):
                yield _typed(TableRef.of(node.relation), str(cmd.name), col)


def _typed(table: TableRef, name: str, col: ast.ColumnDef) -> TypedColumn:
    where = col.typeName.location if col.typeName.location is not None else None
    offset = where if where is not None and where >= 0 else None
    return TypedColumn(table, name, column_type(col.typeName), offset, col)


def _type_rule(
    stmt: Statement, wanted: frozenset[str], message: str, why: str, fix: str
) -> Iterator[Hit]:
    for col in typed_columns(stmt):
        if col.type.name in wanted:
            where = f"{col.table.sql}.{quote_ident(col.name)}"
            yield Hit(
                message.format(column=where, type=col.type),
                why,
                fix.format(column=where),
                offset=col.offset,
            )


@rule(
    "DBA601",
    "timestamp-without-time-zone",
    Severity.WARNING,
    summary="timestamp without time zone",
    why="A timestamp without time zone records wall-clock time with no zone: the same value "
    "means different instants to clients in different zones, and DST makes some values "
    "ambiguous.",
    fix="timestamptz (timestamp with time zone) stores an instant; each session shows it in "
    "its TimeZone.",
)
def timestamp(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _type_rule(
        stmt,
        frozenset({"timestamp"}),
        "{column} is timestamp without time zone",
        "The value has no zone: clients in other zones read a different instant.",
        "timestamptz",
    )


@rule(
    "DBA602",
    "char-n",
    Severity.WARNING,
    summary="char(n) / character(n)",
    why="char(n) pads with spaces, compares ignoring them and is no faster than text; a "
    "value longer than n is an error.",
    fix="text (with a CHECK on length if a limit is a business rule).",
)
def char_n(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _type_rule(
        stmt,
        frozenset({"bpchar"}),
        "{column} is {type}",
        "char(n) pads values with spaces and gains nothing over text.",
        "text",
    )


@rule(
    "DBA603",
    "varchar-n",
    Severity.INFO,
    summary="varchar(n)",
    why="The limit is rarely a real rule. Raising it later is cheap (no rewrite, but still a "
    "brief ACCESS EXCLUSIVE), lowering it rewrites the table.",
    fix="text, with a CHECK (char_length(col) <= n) when the limit matters: a CHECK can be "
    "replaced NOT VALID and validated without blocking.",
)
def varchar_n(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for col in typed_columns(stmt):
        if col.type.name == "varchar" and col.type.modifiers:
            where = f"{col.table.sql}.{quote_ident(col.name)}"
            yield Hit(
                f"{where} is varchar({col.type.modifiers[0]})",
                "A length limit in the type is harder to change than a CHECK.",
                f"text CHECK (char_length({quote_ident(col.name)}) <= {col.type.modifiers[0]})",
                offset=col.offset,
            )


@rule(
    "DBA604",
    "json-not-jsonb",
    Severity.WARNING,
    summary="json instead of jsonb",
    why="json stores the text as written and re-parses it on every access; it has no "
    "equality operator (DISTINCT, GROUP BY, UNIQUE fail) and no GIN indexing.",
    fix="jsonb (unless key order and duplicate keys must be kept verbatim).",
)
def json(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _type_rule(
        stmt,
        frozenset({"json"}),
        "{column} is json",
        "json is re-parsed on each access and cannot be compared or GIN-indexed.",
        "jsonb",
    )


@rule(
    "DBA605",
    "serial",
    Severity.INFO,
    summary="serial / bigserial",
    why="serial is a sequence default with separately owned permissions and dependencies; "
    "identity columns are the SQL-standard replacement and copy cleanly with the table.",
    fix="bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT).",
)
def serial(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _type_rule(
        stmt,
        SERIAL_TYPES,
        "{column} is {type}",
        "serial is a legacy sequence default; identity columns replace it.",
        "bigint GENERATED ALWAYS AS IDENTITY",
    )


_SMALL_INTS = frozenset({"int2", "int4", "serial", "serial4", "smallserial", "serial2"})


def _key_columns(stmt: Statement) -> dict[str, str]:
    """Columns of the statement used as primary or foreign keys: name -> 'primary'/'foreign'."""
    node = stmt.node
    keys: dict[str, str] = {}
    constraints: list[tuple[ast.Constraint, str | None]] = []
    for _, col in defined_columns(node):
        constraints += [(c, col.colname) for c in column_constraints(col)]
    if isinstance(node, ast.CreateStmt):
        constraints += [(e, None) for e in node.tableElts or () if isinstance(e, ast.Constraint)]
    for con, column in constraints:
        names = [column] if column else []
        if con.contype == ConstrType.CONSTR_PRIMARY:
            names = names or [str(k.sval) for k in con.keys or ()]
            keys.update(dict.fromkeys(names, "primary"))
        elif con.contype == ConstrType.CONSTR_FOREIGN:
            names = names if not con.fk_attrs else [str(k.sval) for k in con.fk_attrs]
            for name in names:
                keys.setdefault(name, "foreign")
    return keys


@rule(
    "DBA606",
    "integer-key",
    Severity.WARNING,
    summary="integer or smallint primary or foreign key",
    why="A 32-bit key runs out at 2,147,483,647 rows (or sequence values, including rolled "
    "back ones); widening it later rewrites the table and every referencing table.",
    fix="bigint (bigint GENERATED ALWAYS AS IDENTITY for a surrogate key); foreign keys "
    "match the referenced key's type.",
)
def integer_key(stmt: Statement, state: FileState) -> Iterator[Hit]:
    keys = _key_columns(stmt)
    for col in typed_columns(stmt):
        if col.name in keys and col.type.name in _SMALL_INTS and not col.type.array:
            where = f"{col.table.sql}.{quote_ident(col.name)}"
            yield Hit(
                f"{keys[col.name]} key {where} is {col.type}: it can run out",
                "A 32-bit key overflows at 2^31 - 1; widening it later rewrites the table.",
                "bigint",
                offset=col.offset,
            )


@rule(
    "DBA607",
    "money-type",
    Severity.WARNING,
    summary="money",
    why="money's fraction digits and symbol follow the lc_monetary setting: the same data "
    "reads differently on another server, and it has no currency.",
    fix="numeric(p, s), with a currency column when there is more than one.",
)
def money(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _type_rule(
        stmt,
        frozenset({"money"}),
        "{column} is money",
        "money depends on lc_monetary and carries no currency.",
        "numeric(12, 2)",
    )


_MONEY_WORDS = re.compile(
    r"(^|_)(price|prices|amount|amounts|cost|costs|total|balance|fee|fees|salary|wage|tax|"
    r"payment|revenue|charge|discount|refund|subtotal|invoice|budget)(_|$)"
)


@rule(
    "DBA608",
    "float-for-money",
    Severity.WARNING,
    summary="real or double precision for an amount of money",
    why="Binary floating point cannot represent most decimal fractions (0.1 + 0.2 <> 0.3): "
    "sums of amounts drift by cents.",
    fix="numeric(p, s) (or integer minor units such as cents).",
)
def float_money(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for col in typed_columns(stmt):
        if col.type.name in ("float4", "float8") and _MONEY_WORDS.search(col.name.lower()):
            where = f"{col.table.sql}.{quote_ident(col.name)}"
            yield Hit(
                f"{where} looks like money but is {col.type}",
                "Floating point rounds decimal amounts.",
                "numeric(12, 2)",
                offset=col.offset,
            )


@rule(
    "DBA609",
    "timetz",
    Severity.WARNING,
    summary="time with time zone",
    why="A time of day with a UTC offset but no date cannot follow daylight saving time; "
    "PostgreSQL's own documentation advises against it.",
    fix="timestamptz, or time plus a separate time zone name column.",
)
def timetz(stmt: Statement, state: FileState) -> Iterator[Hit]:
    yield from _type_rule(
        stmt,
        frozenset({"timetz"}),
        "{column} is time with time zone",
        "An offset without a date cannot handle daylight saving time.",
        "timestamptz",
    )


def _long_identifiers(stmt: Statement) -> Iterator[tuple[str, int]]:
    """Identifiers longer than the limit as written (the parser has truncated them already)."""
    try:
        tokens = scan(stmt.source)
    except ParseError:
        return
    for token in tokens:
        if token.name != "IDENT":
            continue
        raw = stmt.source[token.start : token.end + 1]
        name = raw[1:-1].replace('""', '"') if raw.startswith('"') else raw.lower()
        if len(name.encode("utf-8")) > NAME_LIMIT:
            yield name, stmt.start + token.start


@rule(
    "DBA610",
    "identifier-too-long",
    Severity.WARNING,
    summary="identifier longer than 63 bytes",
    why="PostgreSQL silently truncates names to 63 bytes: two long names can collide, and "
    "code using the full name does not find the object.",
    fix="A name of at most 63 bytes (UTF-8).",
)
def too_long(stmt: Statement, state: FileState) -> Iterator[Hit]:
    for name, offset in _long_identifiers(stmt):
        size = len(name.encode("utf-8"))
        yield Hit(
            f"name {quote_ident(name)} is {size} bytes: PostgreSQL truncates it to {NAME_LIMIT}",
            "The object gets a different name than the one written, and code using the full "
            "name does not find it.",
            f"-- shorten to {NAME_LIMIT} bytes or fewer",
            offset=offset,
        )
