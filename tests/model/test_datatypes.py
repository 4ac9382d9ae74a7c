"""Data type names: what the model accepts, with PostgreSQL as the referee."""

from __future__ import annotations

import psycopg
from psycopg import sql

from dbarch.model.datatypes import (
    BUILTIN_TYPES,
    EXTENSION_TYPES,
    MODIFIER_TYPES,
    TypeName,
    TypeScope,
    parse_type,
    sequence_type_problem,
    type_problem,
)
from dbarch.model.objects import (
    Attribute,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Schema,
    Table,
)

NO_SCOPE = TypeScope.of(Schema())

ACCEPTED = [
    "int",
    "integer",
    "INTEGER",
    "int4",
    "bigint",
    "smallint",
    "varchar(255)",
    "character varying(255)",
    "char(2)",
    '"char"',
    "numeric(10,2)",
    "decimal(10, 2)",
    "float(24)",
    "double precision",
    "real",
    "timestamp(3) with time zone",
    "timestamp without time zone",
    "timestamptz",
    "time without time zone",
    "time(6) with time zone",
    "interval",
    "interval day to second",
    "interval year to month",
    "interval day to second(3)",
    "bit varying(8)",
    "bit(3)",
    "int[]",
    "integer[][]",
    "int[3]",
    "text ARRAY",
    "text ARRAY[4]",
    "pg_catalog.int4",
    "pg_catalog.text[]",
    "boolean",
    "bool",
    "jsonb",
    "json",
    "uuid",
    "bytea",
    "inet",
    "cidr",
    "macaddr8",
    "money",
    "tstzrange",
    "int4multirange",
    "tsvector",
    "xml",
    "point",
    "oid",
    "regclass",
    "information_schema.sql_identifier",
]

REJECTED = [
    "interger",
    "int(11)",
    "text(5)",
    "boolean(1)",
    "varchar(n)",
    "string",
    "datetime",
    "timestamp with timezone",
    "pg_catalog.citext",
    '"Integer"',
    '"int"',
    "trigger",
    "record",
    "int; DROP TABLE t",
    "a.b.c",
    "setof int",
    "int4 ORDER BY 1",
    "nope nope",
]

# pgvector before 0.7 has neither halfvec nor sparsevec.
NEWER_THAN_SOME_SERVERS = {"vector": {"halfvec", "sparsevec"}}


def _postgres_accepts(conn: psycopg.Connection, type_text: str) -> bool:
    """True when PostgreSQL creates a table with a column of the type."""
    try:
        conn.execute(sql.SQL("CREATE TABLE t (c {})").format(sql.SQL(type_text)))  # type: ignore[arg-type]
    except psycopg.Error:
        return False
    conn.execute("DROP TABLE t")
    return True


def test_accepted_types_are_accepted_by_postgresql(fresh_db: str) -> None:
    assert [t for t in ACCEPTED if type_problem(t, NO_SCOPE) is not None] == []
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        assert [t for t in ACCEPTED if not _postgres_accepts(conn, t)] == []


def test_rejected_types_are_rejected_by_postgresql(fresh_db: str) -> None:
    assert [t for t in REJECTED if type_problem(t, NO_SCOPE) is None] == []
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        assert [t for t in REJECTED if _postgres_accepts(conn, t)] == []


def test_the_builtin_types_are_postgresqls(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        rows = conn.execute(
            "SELECT typname, typmodin <> 0 FROM pg_type "
            "WHERE typnamespace = 'pg_catalog'::regnamespace AND typtype IN ('b', 'r', 'm') "
            "AND NOT (typelem <> 0 AND typlen = -1 AND typname LIKE '\\_%')"
        ).fetchall()
    assert {name for name, _ in rows} == BUILTIN_TYPES
    assert {name for name, modifiable in rows if modifiable} == MODIFIER_TYPES


def test_extension_types_are_what_the_extensions_create(fresh_db: str) -> None:
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        available = {row[0] for row in conn.execute("SELECT name FROM pg_available_extensions")}
        checked = sorted(set(EXTENSION_TYPES) & available)
        for extension in checked:
            conn.execute(
                sql.SQL("CREATE EXTENSION IF NOT EXISTS {} CASCADE").format(
                    sql.Identifier(extension)
                )
            )
        rows = conn.execute(
            "SELECT e.extname, t.typname FROM pg_depend d "
            "JOIN pg_extension e ON e.oid = d.refobjid "
            "JOIN pg_type t ON t.oid = d.objid "
            "WHERE d.classid = 'pg_type'::regclass AND d.deptype = 'e'"
        ).fetchall()
    assert checked  # every server here has at least plpgsql
    created: dict[str, set[str]] = {}
    for extension, type_name in rows:
        created.setdefault(extension, set()).add(type_name)
    missing = {
        e: EXTENSION_TYPES[e] - created.get(e, set()) - NEWER_THAN_SOME_SERVERS.get(e, set())
        for e in checked
    }
    assert {e: m for e, m in missing.items() if m} == {}


def test_serial_is_a_column_notation(fresh_db: str) -> None:
    assert type_problem("bigserial", NO_SCOPE, serial=True) is None
    assert type_problem("bigserial", NO_SCOPE) == (
        "'bigserial' is only a column notation, not a data type; use an integer type"
    )
    assert type_problem("serial[]", NO_SCOPE, serial=True) == (
        "'serial[]': serial takes no modifier and cannot be an array"
    )
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (a smallserial, b serial, c bigserial, d serial8)")


def test_comments_and_collations_are_not_part_of_a_type() -> None:
    for text in ("int -- note", "int /* x */", 'text COLLATE "C"'):
        assert type_problem(text, NO_SCOPE) == f"not a data type: '{text}'"


def test_parse_type_reads_postgresqls_grammar() -> None:
    assert parse_type("timestamp(3) with time zone") == TypeName("pg_catalog", "timestamptz", 1, 0)
    assert parse_type('"My Schema"."My Type"[][]') == TypeName("My Schema", "My Type", 0, 2)
    assert parse_type("numeric(10,2) ARRAY") == TypeName("pg_catalog", "numeric", 2, 1)
    assert parse_type("nope nope") is None


def test_declared_types_resolve_by_schema() -> None:
    schema = Schema(
        enums=(
            EnumType(name="Mood", values=("a",)),
            EnumType(name="status", schema="sales", values=("a",)),
        ),
        domains=(Domain(name="email", type="text"),),
        composite_types=(
            CompositeType(name="pair", attributes=(Attribute(name="a", type="int"),)),
        ),
        tables=(Table(name="users"),),
    )
    scope = TypeScope.of(schema)
    for ok in ('"Mood"', 'public."Mood"', "sales.status", "email", "pair[]", "users"):
        assert type_problem(ok, scope) is None, ok
    assert type_problem("mood", scope) == "unknown data type 'mood'; did you mean '\"Mood\"'?"
    assert type_problem("status", scope) == (
        "unknown data type 'status'; did you mean 'sales.status'?"
    )
    assert type_problem("sales.email", scope) == "unknown data type 'sales.email'"


def test_extension_types_follow_the_extension_schema() -> None:
    schema = Schema(
        extensions=(
            Extension(name="citext"),
            Extension(name="hstore", schema="ext"),
            Extension(name="some_unknown_extension", schema="other"),
        )
    )
    scope = TypeScope.of(schema)
    assert type_problem("citext", scope) is None
    assert type_problem("public.citext", scope) is None
    assert type_problem("ext.hstore", scope) is None
    assert type_problem("hstore", scope) == "unknown data type 'hstore'; did you mean 'ext.hstore'?"
    assert type_problem("ext.hstores", scope) == (
        "unknown data type 'ext.hstores'; did you mean 'ext.hstore'?"
    )
    assert type_problem("other.whatever(3)", scope) is None
    assert type_problem("ltree", scope) == (
        "unknown data type 'ltree'; it comes with the extension 'ltree': add it to extensions"
    )


def test_sequences_are_integers() -> None:
    for ok in ("smallint", "integer", "bigint", "int8", "pg_catalog.int4"):
        assert sequence_type_problem(ok) is None
    for bad in ("numeric", "bigint[]", "text", "serial"):
        assert sequence_type_problem(bad) == (
            f"a sequence's type must be smallint, integer or bigint, not '{bad}'"
        )
