"""Security rules beyond their examples."""

from __future__ import annotations

from .helpers import objects, run


def test_tenant_columns_and_row_security() -> None:
    model = """
        tables:
          - name: invoices
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: org_id, type: uuid, nullable: false}
          - name: notes
            row_security: true
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: tenant_id, type: bigint}
    """
    [finding] = run("DBA601", model)
    assert finding.fix == (
        "ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY; CREATE POLICY tenant_isolation"
        " ON public.invoices USING (org_id = current_setting('app.org_id')::uuid);"
    )
    toml = '[check.rules.DBA601]\ncolumns = ["workspace_id"]\n'
    assert run("DBA601", model, toml) == []


def test_secret_names_are_matched_by_words() -> None:
    model = """
        tables:
          - name: accounts
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: api_key, type: text}
              - {name: apiKey2, type: text}
              - {name: hashed_password, type: text}
              - {name: password_hash, type: text}
              - {name: refresh_token, type: "varchar(200)"}
              - {name: token_type, type: text}
              - {name: card_number_last4, type: text}
              - {name: credit_card, type: bytea}
              - {name: cardinality, type: text}
              - {name: scorecard, type: text}
              - {name: user_ssn, type: "char(11)"}
              - {name: secret_expires_at, type: timestamptz}
              - {name: passport_number, type: text}
              - {name: national_id, type: text}
              - {name: tax_id, type: text}
              - {name: token_id, type: text}
              - {name: card_no, type: text}
              - {name: card_brand, type: text}
              - {name: drivers_license, type: text}
    """
    assert objects("DBA602", model) == [
        "public.accounts.apiKey2",
        "public.accounts.api_key",
        "public.accounts.card_no",
        "public.accounts.drivers_license",
        "public.accounts.national_id",
        "public.accounts.passport_number",
        "public.accounts.refresh_token",
        "public.accounts.tax_id",
        "public.accounts.user_ssn",
    ]
    # the words are configurable, in any case
    toml = '[check.rules.DBA602]\nwords = ["Birth_Date"]\n'
    assert objects("DBA602", model.replace("tax_id", "birth_date"), toml) == [
        "public.accounts.birth_date"
    ]


def test_grants_to_public_on_every_kind() -> None:
    model = """
        schemas:
          - name: app
            grants: [{to: PUBLIC, privileges: [CREATE]}]
        tables:
          - name: t
            schema: app
            columns: [{name: id, type: bigint, primary_key: true}, {name: x, type: text}]
            grants:
              - {to: PUBLIC, privileges: [SELECT, UPDATE], columns: [x]}
        sequences:
          - {name: s, schema: app, grants: [{to: PUBLIC, privileges: [USAGE]}]}
        functions:
          - name: f
            schema: app
            kind: procedure
            language: sql
            body: SELECT 1
            grants: [{to: PUBLIC, privileges: [EXECUTE]}]
    """
    assert [f.fix for f in run("DBA603", model)] == [
        "REVOKE CREATE ON SCHEMA app FROM PUBLIC;",
        "REVOKE EXECUTE ON PROCEDURE app.f FROM PUBLIC;",
        "REVOKE USAGE ON SEQUENCE app.s FROM PUBLIC;",
        "REVOKE SELECT (x), UPDATE (x) ON TABLE app.t FROM PUBLIC;",
    ]


def test_security_definer_with_search_path_in_any_case() -> None:
    model = """
        schemas: [{name: Billing}]
        functions:
          - {name: fn_a, schema: Billing, returns: integer, language: sql, body: SELECT 1,
             security_definer: true, config: {SEARCH_PATH: pg_catalog}}
          - {name: fn_b, schema: Billing, returns: integer, language: sql, body: SELECT 1,
             security_definer: true}
          - {name: fn_c, schema: Billing, returns: integer, language: sql, body: SELECT 1}
    """
    assert [f.fix for f in run("DBA604", model)] == [
        'ALTER FUNCTION "Billing".fn_b SET search_path = pg_catalog, "Billing", pg_temp;'
    ]
