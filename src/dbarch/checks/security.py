"""Security: tenant isolation, secrets in clear text, PUBLIC privileges, SECURITY DEFINER."""

from __future__ import annotations

from collections.abc import Iterator

from dbarch.checks.context import RuleContext, all_targets
from dbarch.checks.english import words
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import Param, rule
from dbarch.checks.sqltext import rel
from dbarch.checks.typenames import TEXT_TYPES
from dbarch.model.objects import Function, Grant, Privileged
from dbarch.pg.quote import qualified, quote_ident

TENANT_COLUMNS = ("tenant_id", "org_id", "organization_id", "account_id")


@rule(
    code="DBA601",
    name="tenant-table-without-rls",
    severity=Severity.warning,
    summary="A tenant-scoped table (tenant_id, org_id...) has no row-level security.",
    rationale="""
        When tenants share tables, one forgotten WHERE tenant_id = ... in one query
        shows a tenant another tenant's rows. Row-level security makes the database
        apply the tenant filter to every query (seed 003: multi-tenant row-level
        security).
    """,
    fix="Enable row-level security and add a policy on the tenant column.",
    bad="""
tables:
  - name: invoices
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: tenant_id, type: bigint, nullable: false}
""",
    good="""
tables:
  - name: invoices
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: tenant_id, type: bigint, nullable: false}
    row_security: true
    policies:
      - name: tenant_isolation
        using: tenant_id = current_setting('app.tenant_id')::bigint
""",
    params=(Param("columns", TENANT_COLUMNS, "Column names that scope a row to a tenant."),),
)
def tenant_table_without_rls(ctx: RuleContext) -> Iterator[Hit]:
    scoping = ctx.words("columns")
    for t in ctx.schema.tables:
        column = next((c for c in t.columns if c.name in scoping), None)
        if column is None or t.row_security or t.partition_of is not None:
            continue
        name = quote_ident(column.name)
        fix = (
            f"ALTER TABLE {rel(t)} ENABLE ROW LEVEL SECURITY; CREATE POLICY tenant_isolation"
            f" ON {rel(t)} USING ({name} = current_setting('app.{column.name}')::{column.type});"
        )
        message = (
            f"table {t.schema_}.{t.name} is scoped by {column.name} but has no row-level security"
        )
        yield Hit(Target.relation(t), message, fix)


SECRET_WORDS = (
    *("password", "passwd", "pwd", "secret", "token", "ssn", "api_key", "apikey"),
    *("card_number", "cardnumber", "card_no", "card_num", "credit_card", "cvv", "cvc"),
    *("private_key", "iban", "pin", "passport", "national_id", "tax_id"),
    *("social_security", "driver_license", "drivers_license", "driving_licence"),
)
SAFE_WORDS = (
    *("hash", "hashed", "digest", "encrypted", "enc", "cipher", "ciphertext", "salt"),
    *("type", "kind", "last", "hint", "id", "count", "expires", "expiry", "length"),
    *("policy", "format", "status", "masked", "fingerprint", "reset"),
)


def _secret_words(name_words: list[str], phrases: list[list[str]]) -> set[int]:
    """Positions of ``name_words`` that some phrase (a secret word split into words)
    covers; empty when no phrase occurs in the name."""
    covered: set[int] = set()
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(name_words) - n + 1):
            if name_words[i : i + n] == phrase:
                covered.update(range(i, i + n))
    return covered


@rule(
    code="DBA602",
    name="plaintext-secret",
    severity=Severity.error,
    summary="A column named like a secret or personal identifier is stored as plain text.",
    rationale="""
        Passwords, tokens, API keys, card numbers and national identifiers in clear text
        leak with every backup, replica, log line and stolen laptop. Passwords and
        tokens are stored hashed (only compared, never read back); what must be read
        back is encrypted (seed 002: encrypt sensitive data; pgcrypto). Columns whose
        name says hash, digest or encrypted, and bytea columns, pass.
    """,
    fix="Store a hash (bcrypt/argon2 from the application, or pgcrypto crypt()) or "
    "ciphertext (bytea), under a name that says so.",
    bad="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: password, type: text, nullable: false}
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: password_hash, type: text, nullable: false}
""",
    params=(
        Param("words", SECRET_WORDS, "Names (or parts, joined by _) of secret columns."),
        Param("safe_words", SAFE_WORDS, "Name parts that mark a column as hashed or harmless."),
    ),
)
def plaintext_secret(ctx: RuleContext) -> Iterator[Hit]:
    phrases = [w.lower().split("_") for w in ctx.words("words")]
    safe = set(ctx.words("safe_words"))
    for t in ctx.schema.tables:
        for c in t.columns if t.partition_of is None else ():
            info = ctx.facts.type_of(c)
            if info is None or not info.is_(*TEXT_TYPES):
                continue
            name_words = words(c.name)
            covered = _secret_words(name_words, phrases)
            # a safe word beside the secret one (password_hash, token_type) clears it
            rest = {w for i, w in enumerate(name_words) if i not in covered}
            if covered and not safe & rest:
                hashed = quote_ident(f"{c.name}_hash")
                fix = (
                    f"ALTER TABLE {rel(t)} RENAME COLUMN {quote_ident(c.name)} TO {hashed};"
                    " then store only hashes (or ciphertext as bytea) in it"
                )
                message = f"column {t.schema_}.{t.name}.{c.name} holds a secret as {c.type}"
                yield Hit(Target.column(t, c), message, fix)


_KEYWORDS = {
    "table": "TABLE",
    "view": "TABLE",
    "materialized view": "TABLE",
    "sequence": "SEQUENCE",
    "schema": "SCHEMA",
    "type": "TYPE",
    "domain": "DOMAIN",
}


def _revoke(target: Target, node: Privileged, grant: Grant) -> str:
    privileges = ", ".join(grant.privileges)
    if grant.columns:
        privileges = ", ".join(
            f"{p} ({', '.join(map(quote_ident, grant.columns))})" for p in grant.privileges
        )
    if isinstance(node, Function):
        keyword = "PROCEDURE" if node.kind == "procedure" else "FUNCTION"
        on = f"{keyword} {qualified(node.schema_, node.name)}"
    elif target.kind == "schema":
        on = f"SCHEMA {quote_ident(target.name)}"
    else:
        on = f"{_KEYWORDS[target.kind]} {qualified(target.schema, target.name)}"
    return f"REVOKE {privileges} ON {on} FROM PUBLIC;"


@rule(
    code="DBA603",
    name="public-privileges",
    severity=Severity.warning,
    summary="Privileges are granted to PUBLIC, that is to every role.",
    rationale="""
        PUBLIC is every role that can connect, today and in the future: a grant to
        PUBLIC bypasses role-based access control entirely (seed 002: role-based access
        control). Grant to a role made for the purpose instead.
    """,
    fix="Revoke the privileges from PUBLIC and grant them to a dedicated role.",
    bad="""
tables:
  - name: salaries
    columns:
      - {name: id, type: bigint, primary_key: true}
    grants:
      - {to: PUBLIC, privileges: [SELECT]}
""",
    good="""
roles:
  - name: hr_reader
tables:
  - name: salaries
    columns:
      - {name: id, type: bigint, primary_key: true}
    grants:
      - {to: hr_reader, privileges: [SELECT]}
""",
)
def public_privileges(ctx: RuleContext) -> Iterator[Hit]:
    for target in all_targets(ctx.schema):
        node = target.nodes[-1]
        if not isinstance(node, Privileged):
            continue
        for grant in node.grants:
            if grant.to.upper() == "PUBLIC":
                listed = ", ".join(grant.privileges)
                message = f"{target.kind} {target.label} grants {listed} to PUBLIC"
                yield Hit(target, message, _revoke(target, node, grant))


@rule(
    code="DBA604",
    name="security-definer-search-path",
    severity=Severity.error,
    summary="A SECURITY DEFINER function does not fix its search_path.",
    rationale="""
        A SECURITY DEFINER function runs with its owner's rights but resolves unqualified
        names through the caller's search_path: a caller who can create objects in any
        schema on that path (or in pg_temp) can make the function call their code with
        the owner's rights. PostgreSQL's documentation calls for a fixed search_path.
    """,
    fix="SET search_path on the function (pg_catalog, the schemas it needs, pg_temp last).",
    bad="""
functions:
  - name: fn_reset_password
    arguments: user_id bigint
    returns: void
    language: sql
    security_definer: true
    body: UPDATE users SET password_hash = NULL WHERE id = user_id
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: password_hash, type: text}
""",
    good="""
functions:
  - name: fn_reset_password
    arguments: user_id bigint
    returns: void
    language: sql
    security_definer: true
    config: {search_path: "pg_catalog, public, pg_temp"}
    body: UPDATE public.users SET password_hash = NULL WHERE id = user_id
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: password_hash, type: text}
""",
)
def security_definer_search_path(ctx: RuleContext) -> Iterator[Hit]:
    for f in ctx.schema.functions:
        if not f.security_definer or "search_path" in {k.lower() for k in f.config}:
            continue
        keyword = "PROCEDURE" if f.kind == "procedure" else "FUNCTION"
        schema_path = ", ".join(dict.fromkeys(["pg_catalog", quote_ident(f.schema_), "pg_temp"]))
        fix = f"ALTER {keyword} {qualified(f.schema_, f.name)} SET search_path = {schema_path};"
        message = (
            f"SECURITY DEFINER {f.kind} {f.schema_}.{f.name}({f.arguments}) has no fixed"
            " search_path"
        )
        yield Hit(Target.function(f), message, fix)
