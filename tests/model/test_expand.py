"""Shorthands become the long form; missing names come from the naming convention."""

from __future__ import annotations

from textwrap import dedent

import psycopg
import pytest

from dbarch.model.expand import (
    NameProblem,
    expand,
    expression_words,
    fit_name,
    split_name,
    unique_name,
)
from dbarch.model.loader import load_model_text
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    ExclusionConstraint,
    ExclusionElement,
    Index,
    IndexElement,
    MaterializedView,
    NamingConvention,
    PrimaryKey,
    Reference,
    Schema,
    Table,
)


def load(text: str) -> Schema:
    return load_model_text(dedent(text), "m.yaml", "yaml")


def table(schema: Schema, name: str, in_schema: str = "public") -> Table:
    found = schema.table(name, in_schema)
    assert found is not None
    return found


# --------------------------------------------------------------------------- dotted names


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("customers", ("customers",)),
        ("sales.customers.id", ("sales", "customers", "id")),
        ('"Order Items".id', ("Order Items", "id")),
        ('"a.b"."say ""hi"""', ("a.b", 'say "hi"')),
        ("Customers", ("Customers",)),
    ],
)
def test_split_name(text: str, parts: tuple[str, ...]) -> None:
    assert split_name(text) == parts


@pytest.mark.parametrize("text", ["", "a..b", "a.", '"unclosed', '""', 'a"b', '"a"b'])
def test_split_name_rejects_malformed_names(text: str) -> None:
    with pytest.raises(NameProblem, match="not a valid dotted name"):
        split_name(text)


# --------------------------------------------------------------------------- shorthands


def test_column_primary_keys_become_the_table_key_in_column_order() -> None:
    schema = load("""\
        tables:
          - name: order_items
            columns:
              - {name: line_no, type: int, primary_key: true}
              - {name: note, type: text}
              - {name: order_id, type: bigint, primary_key: true}
    """)
    items = table(schema, "order_items")
    assert items.primary_key == PrimaryKey(
        name="pk_order_items_line_no_order_id", columns=("line_no", "order_id")
    )
    assert [(c.name, c.nullable, c.primary_key) for c in items.columns] == [
        ("line_no", False, False),
        ("note", True, False),
        ("order_id", False, False),
    ]


def test_key_and_identity_columns_are_not_null() -> None:
    schema = load("""\
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, identity: {generation: always}}
              - {name: k, type: text}
            primary_key: {columns: [k]}
    """)
    assert [c.nullable for c in table(schema, "t").columns] == [False, False]


def test_unique_columns_become_unique_constraints() -> None:
    schema = load("""\
        tables:
          - name: users
            columns:
              - {name: email, type: text, unique: true}
              - {name: login, type: text, unique: true}
    """)
    users = table(schema, "users")
    assert [(u.name, u.columns) for u in users.unique] == [
        ("uq_users_email", ("email",)),
        ("uq_users_login", ("login",)),
    ]
    assert not any(c.unique for c in users.columns)


def test_references_become_foreign_keys_without_touching_types() -> None:
    schema = load("""\
        schemas: [{name: sales}]
        tables:
          - name: customers
            schema: sales
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: code, type: text, unique: true}
          - name: users
            columns: [{name: id, type: bigint, primary_key: true}]
          - name: orders
            columns:
              - {name: user_id, type: integer, references: users}
              - {name: owner_id, type: bigint, references: users.id}
              - {name: customer_id, type: bigint, references: sales.customers.id}
              - name: customer_code
                type: text
                references: {schema: sales, table: customers, columns: [code]}
    """)
    orders = table(schema, "orders")
    assert [(f.name, f.columns, f.references) for f in orders.foreign_keys] == [
        (
            "fk_orders_customer_code",
            ("customer_code",),
            Reference(table="customers", schema="sales", columns=("code",)),
        ),
        (
            "fk_orders_customer_id",
            ("customer_id",),
            Reference(table="customers", schema="sales", columns=("id",)),
        ),
        ("fk_orders_owner_id", ("owner_id",), Reference(table="users", columns=("id",))),
        ("fk_orders_user_id", ("user_id",), Reference(table="users", columns=("id",))),
    ]
    assert orders.columns[0].type == "integer"
    assert all(c.references is None for c in orders.columns)


def test_references_are_relative_to_the_tables_schema() -> None:
    schema = load("""\
        schemas: [{name: sales}]
        tables:
          - {name: customers, schema: sales, columns: [{name: id, type: int, primary_key: true}]}
          - {name: orders, schema: sales, columns: [{name: c, type: int, references: customers}]}
    """)
    fk = table(schema, "orders", "sales").foreign_keys[0]
    assert fk.references == Reference(table="customers", schema="sales", columns=("id",))


def test_plain_index_elements_become_column_names() -> None:
    schema = load("""\
        tables:
          - name: t
            columns: [{name: a, type: int}, {name: b, type: int}]
            indexes: [{columns: [{column: a}, {column: b, descending: true}]}]
    """)
    assert table(schema, "t").indexes[0].columns == ("a", IndexElement(column="b", descending=True))


def test_expand_is_idempotent() -> None:
    schema = load("""\
        tables:
          - name: users
            columns: [{name: id, type: int, primary_key: true}, {name: e, type: text, unique: true}]
          - name: orders
            columns: [{name: u, type: int, references: users}]
            checks: [{check: u > 0}]
            indexes: [{columns: [u]}]
    """)
    assert expand(schema) == schema


# --------------------------------------------------------------------------- naming


def test_names_follow_seed_002_by_default() -> None:
    schema = load("""\
        tables:
          - name: users
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: email, type: text, unique: true}
            indexes: [{columns: [email]}]
          - name: orders
            columns:
              - {name: user_id, type: bigint, references: users}
              - {name: amount, type: numeric}
              - {name: created_at, type: timestamptz}
            checks: [{check: amount > 0}]
            indexes: [{columns: [user_id, created_at]}]
    """)
    users, orders = table(schema, "users"), table(schema, "orders")
    assert users.primary_key is not None and users.primary_key.name == "pk_users_id"
    assert [u.name for u in users.unique] == ["uq_users_email"]
    assert [i.name for i in users.indexes] == ["idx_users_email"]
    assert [f.name for f in orders.foreign_keys] == ["fk_orders_user_id"]
    assert [c.name for c in orders.checks] == ["chk_orders_amount"]
    assert [i.name for i in orders.indexes] == ["idx_orders_user_id_created_at"]


def test_custom_templates_and_the_referenced_table() -> None:
    naming = NamingConvention(primary_key="{table}_pkey", foreign_key="{table}_{ref_table}_fk")
    users = Table(
        name="users",
        columns=(Column(name="id", type="int"),),
        primary_key=PrimaryKey(columns=("id",)),
    )
    orders = Table(name="orders", columns=(Column(name="u", type="int", references="users"),))
    schema = expand(Schema(naming=naming, tables=(users, orders)))
    assert schema.tables[0].primary_key is not None
    assert schema.tables[0].primary_key.name == "users_pkey"
    assert schema.tables[1].foreign_keys[0].name == "orders_users_fk"


def test_check_names_use_the_columns_the_expression_mentions() -> None:
    checks = (
        CheckConstraint(check="lower(email) <> '' AND t.email_verified OR \"Ref\" > 0"),
        CheckConstraint(check="true"),
        CheckConstraint(check="this is not SQL ("),
    )
    t = Table(name="t", checks=checks)
    names = [c.name for c in expand(Schema(tables=(t,))).tables[0].checks]
    assert names == ["chk_t_email_email_verified_Ref", "chk_t", "chk_t_1"]


def test_expression_keys_are_named_by_their_words() -> None:
    index = Index(columns=(IndexElement(expression="lower(email)"), "id"))
    exclusion = ExclusionConstraint(
        elements=(
            ExclusionElement(expression="tstzrange(starts, ends)", operator="&&"),
            ExclusionElement(column="room", operator="="),
        )
    )
    t = Table(name="bookings", indexes=(index,), exclusions=(exclusion,))
    expanded = expand(Schema(tables=(t,))).tables[0]
    assert expanded.indexes[0].name == "idx_bookings_lower_email_id"
    assert expanded.exclusions[0].name == "excl_bookings_tstzrange_starts_ends_room"


def test_expression_words() -> None:
    assert expression_words("lower(a.b) || c", functions=True) == ["lower", "b", "c"]
    assert expression_words("lower(a.b) || c", functions=False) == ["b", "c"]
    assert expression_words("(", functions=True) == []


def test_generated_names_are_unique_within_the_schema() -> None:
    tables = (
        Table(name="t", indexes=(Index(columns=("a",)), Index(columns=("a",)))),
        Table(name="idx_t_a_2"),
        Table(name="u", checks=(CheckConstraint(name="idx_t_a_1", check="a > 0"),)),
    )
    schema = expand(Schema(tables=tables))
    assert [i.name for i in schema.tables[0].indexes] == ["idx_t_a", "idx_t_a_3"]


def test_materialized_view_indexes_are_named() -> None:
    view = MaterializedView(name="totals", query="SELECT 1 AS n", indexes=(Index(columns=("n",)),))
    assert expand(Schema(materialized_views=(view,))).materialized_views[0].indexes[0].name == (
        "idx_totals_n"
    )


def test_long_names_are_cut_to_63_bytes_with_a_stable_hash() -> None:
    long = "é" * 40  # 80 bytes
    name = fit_name(f"idx_{long}")
    assert len(name.encode()) <= 63
    assert name.startswith("idx_é")
    assert name == fit_name(f"idx_{long}")
    assert name != fit_name(f"idx_{long}x")
    assert fit_name("x" * 63) == "x" * 63
    taken: set[str] = set()
    first, second = unique_name("y" * 70, taken), unique_name("y" * 70, taken)
    assert first != second and {len(first), len(second)} == {63}


def test_postgresql_keeps_generated_names_as_they_are(fresh_db: str) -> None:
    names = [fit_name("idx_" + "é" * 40), fit_name("a" * 80), unique_name("ü" * 31, {"ü" * 31})]
    with psycopg.connect(fresh_db) as conn:
        for name in names:
            assert conn.execute("SELECT %s::name::text", [name]).fetchone() == (name,)
        too_long = "b" * 64
        assert conn.execute("SELECT %s::name::text", [too_long]).fetchone() == ("b" * 63,)
