"""Diff cases for schemas, enums, domains, composite types and sequences."""

from __future__ import annotations

from dbarch.migrate.plan import PlanOptions
from tests.migrate.diff.declare import renamed
from tests.migrate.diff.proof import Case, roles_sql

MOOD = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
USE = "CREATE TABLE t (id int, m mood DEFAULT 'ok', ms mood[]);"
ROWS = "INSERT INTO t VALUES (1, 'sad', '{sad,ok}'), (2, 'happy', '{}'), (3, NULL, NULL);"
ALL = "SELECT id, m::text, ms::text FROM t ORDER BY 1"

CASES = [
    Case("create schema", "", "CREATE SCHEMA app; CREATE TABLE app.t (x int);"),
    Case("drop schema", "CREATE SCHEMA app; CREATE TABLE app.t (x int);", ""),
    Case(
        "rename schema",
        "CREATE SCHEMA app; CREATE TABLE app.t (x int); CREATE INDEX i ON app.t (x);",
        "CREATE SCHEMA core; CREATE TABLE core.t (x int); CREATE INDEX i ON core.t (x);",
        data="INSERT INTO app.t VALUES (1), (2);",
        query="SELECT * FROM app.t ORDER BY 1",
        query_after="SELECT * FROM core.t ORDER BY 1",
        declare=renamed("schemas", "core", "app"),
    ),
    Case(
        "schema comment and public",
        "CREATE SCHEMA app;",
        "CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'the app';"
        "COMMENT ON SCHEMA public IS 'mine'; REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
    ),
    Case("create enum", "", MOOD + USE),
    Case("drop enum", MOOD, ""),
    Case(
        "add enum values",
        MOOD + USE,
        "CREATE TYPE mood AS ENUM ('awful', 'sad', 'ok', 'fine', 'happy', 'ecstatic');" + USE,
        data=ROWS,
        query=ALL,
    ),
    Case(
        "new labels used at once, plain DDL",
        "CREATE TYPE e AS ENUM ('a'); CREATE TABLE t (v e DEFAULT 'a');",
        "CREATE TYPE e AS ENUM ('a', 'b');"
        "CREATE TABLE t (v e DEFAULT 'b', w e DEFAULT 'b' CHECK (w <> 'a'));",
        options=PlanOptions(zero_downtime=False, allow_destructive=True),
    ),
    Case(
        "remove an enum value",
        MOOD + USE,
        "CREATE TYPE mood AS ENUM ('sad', 'ok');" + USE,
        data="INSERT INTO t VALUES (1, 'sad', '{sad,ok}'), (2, 'ok', '{}');",
        query=ALL,
    ),
    Case(
        "remove an enum value of an oddly named column, plain DDL",
        MOOD + 'CREATE TABLE t (id int, "My Mood" mood);',
        "CREATE TYPE mood AS ENUM ('sad', 'happy');" + 'CREATE TABLE t (id int, "My Mood" mood);',
        data="INSERT INTO t VALUES (1, 'sad'), (2, 'happy');",
        query='SELECT id, "My Mood"::text FROM t ORDER BY 1',
        options=PlanOptions(zero_downtime=False, allow_destructive=True),
    ),
    Case(
        "reorder enum values",
        MOOD + USE,
        "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');" + USE,
        data=ROWS,
        query=ALL,
    ),
    Case(
        "rename enum",
        MOOD + USE,
        "CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy');"
        "CREATE TABLE t (id int, m feeling DEFAULT 'ok', ms feeling[]);",
        data=ROWS,
        query=ALL,
        declare=renamed("enums", "feeling", "mood"),
    ),
    Case(
        "rename enum and remove a value",
        MOOD + USE,
        "CREATE TYPE feeling AS ENUM ('sad', 'happy');"
        "CREATE TABLE t (id int, m feeling DEFAULT 'sad', ms feeling[]);",
        data="INSERT INTO t VALUES (1, 'sad', '{sad}'), (2, 'happy', NULL);",
        query=ALL,
        declare=renamed("enums", "feeling", "mood"),
    ),
    Case("enum comment", MOOD, MOOD + "COMMENT ON TYPE mood IS 'how it goes';"),
    Case(
        "create domain",
        "",
        "CREATE DOMAIN pos AS integer DEFAULT 1 NOT NULL CONSTRAINT pos_check CHECK (VALUE > 0);"
        "CREATE TABLE t (p pos);",
    ),
    Case(
        "alter domain",
        "CREATE DOMAIN d AS text DEFAULT 'a' CONSTRAINT short CHECK (length(VALUE) < 10);",
        "CREATE DOMAIN d AS text NOT NULL CONSTRAINT shorter CHECK (length(VALUE) < 5);"
        "COMMENT ON CONSTRAINT shorter ON DOMAIN d IS 'five';",
    ),
    Case(
        "validate a domain check",
        "CREATE DOMAIN d AS integer;ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID;",
        "CREATE DOMAIN d AS integer CONSTRAINT pos CHECK (VALUE > 0);",
    ),
    Case(
        "schema privileges and owner",
        roles_sql("diff_schema_owner") + "CREATE SCHEMA app;",
        roles_sql("diff_schema_owner") + "CREATE SCHEMA app;"
        "ALTER SCHEMA app OWNER TO diff_schema_owner; GRANT USAGE ON SCHEMA app TO PUBLIC;",
    ),
    Case(
        "domain base type change",
        "CREATE DOMAIN d AS integer;",
        "CREATE DOMAIN d AS bigint;",
    ),
    Case(
        "composite type",
        "CREATE TYPE pair AS (a int, b text);",
        "CREATE TYPE pair AS (a bigint, c date); COMMENT ON COLUMN pair.a IS 'first';",
    ),
    Case("create sequence", "", "CREATE SEQUENCE s START 5 INCREMENT 2 CACHE 10 CYCLE;"),
    Case("drop sequence", "CREATE SEQUENCE s;", ""),
    Case(
        "alter sequence",
        "CREATE SEQUENCE s;",
        "CREATE SEQUENCE s AS integer START 100 MAXVALUE 1000 INCREMENT 5 CACHE 4;",
    ),
    Case(
        "sequence owned by",
        "CREATE TABLE t (a int); CREATE SEQUENCE s;",
        "CREATE TABLE t (a int); CREATE SEQUENCE s OWNED BY t.a;",
    ),
    Case(
        "rename sequence",
        "CREATE SEQUENCE s; CREATE TABLE t (a bigint DEFAULT nextval('s'));",
        "CREATE SEQUENCE s2; CREATE TABLE t (a bigint DEFAULT nextval('s2'));",
        declare=renamed("sequences", "s2", "s"),
    ),
]
