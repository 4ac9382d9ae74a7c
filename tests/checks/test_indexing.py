"""Indexing rules that need no statistics (those are in test_live)."""

from __future__ import annotations

from .helpers import messages, objects, run

BASE = """
    tables:
      - name: customers
        columns: [{name: id, type: bigint, primary_key: true}]
      - name: orders
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: customer_id, type: bigint, nullable: false, references: customers.id}
          - {name: shop_id, type: bigint, nullable: false}
          - {name: status, type: text}
          - {name: created_at, type: timestamptz}
        foreign_keys:
          - columns: [shop_id, customer_id]
            references: {table: shops, columns: [id, customer_id]}
        indexes: %s
      - name: shops
        columns:
          - {name: id, type: bigint, nullable: false}
          - {name: customer_id, type: bigint, nullable: false}
        primary_key: {columns: [id, customer_id]}
"""


def test_foreign_keys_need_an_index_leading_with_their_columns() -> None:
    assert objects("DBA401", BASE % "[]") == [
        "public.orders.fk_orders_customer_id",
        "public.orders.fk_orders_shop_id_customer_id",
    ]
    # one index leading with both columns (in another order) covers both keys
    assert run("DBA401", BASE % "[{columns: [customer_id, shop_id, created_at]}]") == []
    # a partial index or one that only starts with part of the key does not
    partial = "[{columns: [customer_id], where: status = 'open'}, {columns: [shop_id]}]"
    assert objects("DBA401", BASE % partial) == [
        "public.orders.fk_orders_customer_id",
        "public.orders.fk_orders_shop_id_customer_id",
    ]


def test_duplicates_keep_the_constraint() -> None:
    indexes = """
          - {name: a_status, columns: [status]}
          - {name: b_status, columns: [status]}
          - {name: c_status, columns: [status], where: status <> 'x'}
          - {name: d_id, columns: [id]}
          - {name: e_gin, columns: [status], using: hash}
    """
    found = run("DBA402", BASE % indexes)
    assert [(f.object, f.fix) for f in found] == [
        ("public.b_status", "DROP INDEX public.b_status;"),
        ("public.d_id", "DROP INDEX public.d_id;"),
    ]
    assert found[1].message == "index d_id on public.orders duplicates constraint pk_orders_id"


def test_redundant_prefixes() -> None:
    indexes = """
          - {name: a, columns: [status]}
          - {name: b, columns: [status, created_at]}
          - {name: c, columns: [created_at], unique: true}
          - {name: d, columns: [created_at, status]}
          - {name: e, columns: [customer_id], where: status = 'open'}
          - {name: f, columns: [customer_id, status]}
          - {name: g, columns: [shop_id], include: [status]}
          - {name: h, columns: [shop_id, created_at]}
    """
    assert messages("DBA402", BASE % indexes) == []
    assert objects("DBA403", BASE % indexes) == ["public.a"]


def test_too_many_indexes_is_configurable() -> None:
    indexes = "[{columns: [status]}, {columns: [created_at]}]"
    assert run("DBA404", BASE % indexes) == []
    [finding] = run("DBA404", BASE % indexes, "[check.rules.too-many-indexes]\nmax_indexes = 2\n")
    assert finding.message == "table public.orders has 3 indexes (at most 2 wanted)"
    assert "relid = 'public.orders'::regclass" in finding.fix
