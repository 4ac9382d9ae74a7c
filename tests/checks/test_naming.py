"""Naming rules: styles, English plurals, templates, prefixes, long names, keywords."""

from __future__ import annotations

import pytest

from dbarch.checks.english import is_plural, pluralize, singularize, snake_case, words

from .helpers import messages, objects, run


@pytest.mark.parametrize(
    ("word", "plural"),
    [
        ("user", "users"),
        ("category", "categories"),
        ("day", "days"),
        ("address", "addresses"),
        ("status", "statuses"),
        ("box", "boxes"),
        ("analysis", "analyses"),
        ("person", "people"),
        ("child", "children"),
        ("datum", "data"),
        ("equipment", "equipment"),
    ],
)
def test_english_plurals(word: str, plural: str) -> None:
    assert pluralize(word) == plural
    assert singularize(plural) == word or plural == word
    assert is_plural(plural)
    assert not is_plural(word) or word == plural


def test_words_of_identifiers() -> None:
    assert words("OrderItems") == ["order", "items"]
    assert words("HTTPRequest_log") == ["http", "request", "log"]
    assert snake_case("Customer Accounts") == "customer_accounts"
    assert snake_case("2fa codes") == "_2fa_codes"


STYLES = """
    tables:
      - name: order_items
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: unitPrice, type: numeric}
          - {name: UnitCount, type: integer}
"""


def test_snake_case_is_the_default_style() -> None:
    assert [f.fix for f in run("DBA201", STYLES)] == [
        'ALTER TABLE public.order_items RENAME COLUMN "UnitCount" TO unit_count;',
        'ALTER TABLE public.order_items RENAME COLUMN "unitPrice" TO unit_price;',
    ]


def test_camel_case_style_is_configurable() -> None:
    toml = '[check.rules.naming-style]\nstyle = "camelCase"\n'
    assert [f.fix for f in run("DBA201", STYLES, toml)] == [
        'ALTER TABLE public.order_items RENAME TO "orderItems";',
        'ALTER TABLE public.order_items RENAME COLUMN "UnitCount" TO "unitCount";',
        'ALTER TABLE public.order_items RENAME CONSTRAINT pk_order_items_id TO "pkOrderItemsId";',
    ]


def test_plural_and_singular_conventions() -> None:
    model = """
        tables:
          - {name: person, columns: [{name: id, type: bigint, primary_key: true}]}
          - {name: people, columns: [{name: id, type: bigint, primary_key: true}]}
          - {name: order_status, columns: [{name: id, type: bigint, primary_key: true}]}
          - {name: metadata, columns: [{name: id, type: bigint, primary_key: true}]}
          - {name: logs_2024, columns: [{name: id, type: bigint, primary_key: true}]}
          - {name: t, columns: [{name: id, type: bigint, primary_key: true}]}
    """
    assert messages("DBA202", model) == [
        "table public.order_status: the name should be plural ('order_statuses')",
        "table public.person: the name should be plural ('people')",
    ]
    singular = '[check.rules.plural-table-names]\nnumber = "singular"\n'
    assert objects("DBA202", model, singular) == ["public.people"]


def test_constraint_names_follow_the_models_own_templates() -> None:
    model = """
        naming:
          primary_key: "{table}_pkey"
          index: "{table}_{columns}_idx"
        tables:
          - name: users
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: email, type: text}
              - {name: name, type: text}
            indexes:
              - {name: users_name_idx, columns: [name]}
              - {name: by_email, columns: [email]}
              - {name: uq_users_name, columns: [name], unique: true}
    """
    found = run("DBA203", model)
    assert [f.object for f in found] == ["public.by_email"]
    assert found[0].fix == "ALTER INDEX public.by_email RENAME TO users_email_idx;"


def test_default_postgres_names_are_reported_with_the_seed_convention() -> None:
    model = """
        tables:
          - name: orders
            columns:
              - {name: id, type: bigint}
              - {name: total, type: numeric}
            primary_key: {name: orders_pkey, columns: [id]}
            checks:
              - {name: orders_total_check, check: total > 0}
    """
    assert [f.fix for f in run("DBA203", model)] == [
        "ALTER TABLE public.orders RENAME CONSTRAINT orders_pkey TO pk_orders_id;",
        "ALTER TABLE public.orders RENAME CONSTRAINT orders_total_check TO chk_orders_total;",
    ]


def test_object_prefixes() -> None:
    model = """
        tables:
          - name: users
            columns: [{name: id, type: bigint, primary_key: true}]
            triggers:
              - name: users_touch
                timing: before
                events: [update]
                for_each: row
                function: touch
        views:
          - {name: vw_users, query: SELECT id FROM users}
        materialized_views:
          - {name: user_counts, query: SELECT count(*) AS n FROM users}
        functions:
          - {name: touch, returns: trigger, body: "BEGIN RETURN NEW; END"}
          - {name: fn_ok, returns: integer, language: sql, body: SELECT 1}
    """
    assert [f.fix for f in run("DBA204", model)] == [
        "ALTER FUNCTION public.touch RENAME TO fn_touch;",
        "ALTER MATERIALIZED VIEW public.user_counts RENAME TO mv_user_counts;",
        "ALTER TRIGGER users_touch ON public.users RENAME TO trg_users_touch;",
    ]
    off = '[check.rules.object-prefixes]\nfunction_prefix = ""\nmaterialized_view_prefix = ""\n'
    assert objects("DBA204", model, off) == ["public.users.users_touch"]


def test_long_names_are_measured_in_bytes() -> None:
    name = "ü" * 32  # 64 bytes, 32 characters
    model = f"""
        tables:
          - name: t
            columns:
              - {{name: id, type: bigint, primary_key: true}}
              - {{name: {name}, type: text}}
    """
    [finding] = run("DBA205", model)
    assert finding.message.endswith("the name is 64 bytes; PostgreSQL keeps only the first 63")
    assert len(finding.fix) < 200


def test_keywords_and_quoting() -> None:
    model = """
        tables:
          - name: order
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: user, type: text}
              - {name: name, type: text}
              - {name: Total, type: numeric}
              - {name: 1st_choice, type: text}
    """
    assert [f.fix for f in run("DBA206", model)] == [
        'ALTER TABLE public."order" RENAME TO orders;',
        'ALTER TABLE public."order" RENAME COLUMN "user" TO order_user;',
    ]
    assert [f.fix for f in run("DBA207", model)] == [
        'ALTER TABLE public."order" RENAME COLUMN "1st_choice" TO _1st_choice;',
        'ALTER TABLE public."order" RENAME COLUMN "Total" TO total;',
    ]


def test_keywords_postgresql_takes_bare_in_that_position_pass() -> None:
    model = """
        tables:
          - name: join
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: time, type: timestamptz}
              - {name: position, type: integer}
              - {name: values, type: text}
              - {name: left, type: text}
        domains:
          - {name: values, type: integer}
          - {name: similar, type: integer}
          - {name: amount, type: integer}
        functions:
          - {name: position, returns: integer, language: sql, body: SELECT 1}
          - {name: similar, returns: integer, language: sql, body: SELECT 1}
    """
    assert objects("DBA206", model) == [
        "public.join",
        "public.join.left",
        "public.position()",
        "public.similar",
        "public.values",
    ]
    assert objects("DBA207", model) == []


def test_names_without_an_ascii_form_get_advice() -> None:
    model = """
        domains:
          - {name: bıgınt, type: bigint}
    """
    [finding] = run("DBA201", model)
    assert finding.fix == "Rename it using only ASCII letters, digits and underscores."


def test_partition_columns_are_judged_on_the_parent_only() -> None:
    model = """
        tables:
          - name: Events
            partition_by: {strategy: list, key: kind}
            columns:
              - {name: kind, type: text}
              - {name: AT, type: timestamp}
          - name: Events_A
            partition_of: Events
            partition_bound: FOR VALUES IN ('a')
    """
    assert objects("DBA207", model) == ["public.Events", "public.Events.AT", "public.Events_A"]
    assert objects("DBA301", model) == ["public.Events.AT"]
