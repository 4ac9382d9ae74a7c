"""Diff cases for views, materialized views, functions, procedures, aggregates, triggers."""

from __future__ import annotations

from tests.migrate.diff.declare import renamed
from tests.migrate.diff.proof import Case

T = "CREATE TABLE t (id int PRIMARY KEY, name text, n int);"
ROWS = "INSERT INTO t SELECT g, 'n' || g, g FROM generate_series(1, 300) g;"
V = "CREATE VIEW v AS SELECT id, name FROM t;"
W = "CREATE VIEW w AS SELECT id FROM v WHERE id > 1;"
INS = (
    "CREATE FUNCTION ins() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
    " INSERT INTO t (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;"
)
F = (
    "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$"
    "BEGIN NEW.n := coalesce(NEW.n, 0) + 1; RETURN NEW; END $$;"
)

CASES = [
    Case("create view", T, T + V + W),
    Case("drop view", T + V + W, T),
    Case(
        "change view under another view",
        T + V + W,
        T + "CREATE VIEW v AS SELECT id, name, n FROM t;" + W,
    ),
    Case(
        "view options",
        T + V,
        T + "CREATE VIEW v WITH (security_barrier = true) AS SELECT id, name FROM t"
        " WITH LOCAL CHECK OPTION;",
    ),
    Case(
        "rename view",
        T + V + W,
        T
        + "CREATE VIEW v2 AS SELECT id, name FROM t;"
        + "CREATE VIEW w AS SELECT id FROM v2 WHERE id > 1;",
        declare=renamed("views", "v2", "v"),
    ),
    Case(
        "view comments", T + V, T + V + "COMMENT ON VIEW v IS 'v'; COMMENT ON COLUMN v.id IS 'i';"
    ),
    Case(
        "column type under a view, expand and contract",
        "CREATE TABLE t (id int PRIMARY KEY, n int);CREATE VIEW v AS SELECT id, n FROM t;",
        "CREATE TABLE t (id int PRIMARY KEY, n bigint);CREATE VIEW v AS SELECT id, n FROM t;",
        data="INSERT INTO t SELECT g, g FROM generate_series(1, 300) g;",
        query="SELECT * FROM v ORDER BY 1",
    ),
    Case(
        "create materialized view",
        T,
        T + "CREATE MATERIALIZED VIEW m AS SELECT n, count(*) AS c FROM t GROUP BY n;"
        "CREATE UNIQUE INDEX m_n ON m (n);",
    ),
    Case(
        "change materialized view",
        T + "CREATE MATERIALIZED VIEW m AS SELECT n FROM t; CREATE INDEX m_n ON m (n);",
        T + "CREATE MATERIALIZED VIEW m AS SELECT n, id FROM t; CREATE INDEX m_n ON m (n);",
        data=ROWS,
    ),
    Case(
        "materialized view index and storage",
        T + "CREATE MATERIALIZED VIEW m AS SELECT n FROM t;",
        T + "CREATE MATERIALIZED VIEW m WITH (fillfactor = 90) AS SELECT n FROM t;"
        "CREATE INDEX m_n ON m (n);",
    ),
    Case(
        "create function",
        "",
        F + "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;",
    ),
    Case(
        "replace function body",
        "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';",
        "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql STABLE STRICT AS 'SELECT x + 2';",
    ),
    Case(
        "change function result type under a view",
        "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';"
        + T
        + "CREATE VIEW v AS SELECT f(id) AS y FROM t;",
        "CREATE FUNCTION f(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x::bigint';"
        + T
        + "CREATE VIEW v AS SELECT f(id) AS y FROM t;",
    ),
    Case(
        "change function signature",
        "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';",
        "CREATE FUNCTION f(x int, y int DEFAULT 0) RETURNS int LANGUAGE sql AS 'SELECT x + y';",
    ),
    Case(
        "function used by a column default",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        "CREATE TABLE t (a int DEFAULT f());",
        "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS 'SELECT 1';"
        "CREATE TABLE t (a int DEFAULT f());",
    ),
    Case(
        "procedure",
        "CREATE TABLE t (a int);",
        "CREATE TABLE t (a int);"
        "CREATE PROCEDURE p(v int) LANGUAGE sql AS $$INSERT INTO t VALUES (v)$$;",
    ),
    Case(
        "aggregate",
        "CREATE FUNCTION s(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';",
        "CREATE FUNCTION s(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';"
        "CREATE AGGREGATE total(int) (SFUNC = s, STYPE = int, INITCOND = '0');",
    ),
    Case(
        "procedure body",
        "CREATE TABLE t (a int);"
        "CREATE PROCEDURE p(v int) LANGUAGE sql AS $$INSERT INTO t VALUES (v)$$;",
        "CREATE TABLE t (a int);"
        "CREATE PROCEDURE p(v int) LANGUAGE sql AS $$INSERT INTO t VALUES (v + 1)$$;",
    ),
    Case(
        "replace aggregate",
        "CREATE FUNCTION s(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';"
        "CREATE AGGREGATE total(int) (SFUNC = s, STYPE = int, INITCOND = '0');",
        "CREATE FUNCTION s(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';"
        "CREATE AGGREGATE total(int) (SFUNC = s, STYPE = int, INITCOND = '10');",
    ),
    Case(
        "sql body over a retyped column",
        "CREATE TABLE t (id int PRIMARY KEY, n int);"
        "CREATE FUNCTION total() RETURNS bigint LANGUAGE sql"
        " BEGIN ATOMIC SELECT sum(n) FROM t; END;",
        "CREATE TABLE t (id int PRIMARY KEY, n bigint);"
        "CREATE FUNCTION total() RETURNS bigint LANGUAGE sql"
        " BEGIN ATOMIC SELECT sum(n) FROM t; END;",
        data="INSERT INTO t VALUES (1, 5), (2, 7);",
        query="SELECT total()",
    ),
    Case(
        "instead of trigger on a view",
        T + V + INS,
        T + V + INS + "CREATE TRIGGER v_ins INSTEAD OF INSERT ON v"
        " FOR EACH ROW EXECUTE FUNCTION ins();",
    ),
    Case(
        "create trigger",
        T + F,
        T + F + "CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();",
    ),
    Case(
        "drop trigger",
        T + F + "CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();",
        T + F,
    ),
    Case(
        "replace trigger",
        T + F + "CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();",
        T + F + "CREATE TRIGGER b BEFORE INSERT OR UPDATE OF n ON t FOR EACH ROW"
        " WHEN (NEW.n IS NOT NULL) EXECUTE FUNCTION bump();",
    ),
    Case(
        "disable trigger",
        T + F + "CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();",
        T + F + "CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump();"
        "ALTER TABLE t DISABLE TRIGGER b; COMMENT ON TRIGGER b ON t IS 'off';",
    ),
]
