"""Diff cases for row-level security, policies, owners and privileges."""

from __future__ import annotations

from tests.migrate.diff.proof import Case, roles_sql

ROLES = roles_sql("diff_reader", "diff_owner")
T = "CREATE TABLE t (id int, owner_name text, n int);"
RLS = "ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
P = "CREATE POLICY own ON t FOR SELECT TO diff_reader USING (owner_name = current_user);"

CASES = [
    Case("enable row level security", ROLES + T, ROLES + T + RLS + P),
    Case(
        "force row level security",
        ROLES + T + RLS,
        ROLES + T + RLS + "ALTER TABLE t FORCE ROW LEVEL SECURITY;",
    ),
    Case("drop policy", ROLES + T + RLS + P, ROLES + T + RLS),
    Case(
        "alter policy",
        ROLES + T + RLS + P,
        ROLES + T + RLS + "CREATE POLICY own ON t FOR SELECT TO PUBLIC USING (n > 0);"
        "COMMENT ON POLICY own ON t IS 'n';",
    ),
    Case(
        "policy command changes",
        ROLES + T + RLS + P,
        ROLES + T + RLS + "CREATE POLICY own ON t AS RESTRICTIVE FOR UPDATE TO diff_reader"
        " USING (true) WITH CHECK (n > 0);",
    ),
    Case(
        "grants",
        ROLES + T,
        ROLES + T + "GRANT SELECT, INSERT ON t TO diff_reader;"
        "GRANT UPDATE (n) ON t TO diff_reader WITH GRANT OPTION;",
    ),
    Case(
        "revoke a grant",
        ROLES + T + "GRANT SELECT, INSERT ON t TO diff_reader; GRANT SELECT ON t TO PUBLIC;",
        ROLES + T + "GRANT SELECT ON t TO PUBLIC;",
    ),
    Case(
        "revoke execute from public",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
        "REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;",
    ),
    Case(
        "owners",
        ROLES + T + "CREATE SEQUENCE s;",
        ROLES + T + "CREATE SEQUENCE s; ALTER TABLE t OWNER TO diff_owner;"
        "ALTER SEQUENCE s OWNER TO diff_owner;",
    ),
]
