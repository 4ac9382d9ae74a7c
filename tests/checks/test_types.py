"""Data type rules: every spelling PostgreSQL accepts, and the fixes they suggest."""

from __future__ import annotations

from dbarch.checks.typenames import read_type, resolve_type
from dbarch.model.objects import Column, Schema, Table

from .helpers import load, objects, run


def test_type_names_are_canonical() -> None:
    assert str(read_type("int")) == str(read_type("pg_catalog.int4")) == "int4"
    assert str(read_type("character varying(10)")) == "varchar(10)"
    assert str(read_type("timestamp(3) without time zone")) == "timestamp(3)"
    assert str(read_type("double precision[]")) == "float8[]"
    assert str(read_type("public.mood")) == str(read_type("mood")) == "mood"
    serial = read_type("bigserial")
    assert serial is not None and serial.serial and serial.name == "int8"
    assert read_type("not a type at all") is None
    schema = load("domains: [{name: cents, type: bigint}, {name: price, type: cents}]")
    assert str(resolve_type(schema, "price")) == "int8"


def test_timestamp_spellings() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a, type: timestamp without time zone}
              - {name: b, type: "timestamp(3)"}
              - {name: c, type: timestamptz}
              - {name: d, type: "timestamp[]"}
    """
    assert [f.fix for f in run("DBA301", model)] == [
        "ALTER TABLE public.t ALTER COLUMN a TYPE timestamptz USING a AT TIME ZONE 'UTC';",
        "ALTER TABLE public.t ALTER COLUMN b TYPE timestamptz(3) USING b AT TIME ZONE 'UTC';",
        "ALTER TABLE public.t ALTER COLUMN d TYPE timestamptz[];",
    ]


def test_char_and_varchar() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a, type: character}
              - {name: b, type: "character varying(20)"}
              - {name: c, type: varchar}
              - {name: d, type: text}
    """
    assert objects("DBA302", model) == ["public.t.a"]
    assert [f.fix for f in run("DBA303", model)] == [
        "ALTER TABLE public.t ALTER COLUMN b TYPE text; ALTER TABLE public.t ADD CONSTRAINT"
        " chk_t_b CHECK (char_length(b) <= 20);"
    ]


def test_float_money_words_are_words_not_substrings() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: unitPrice, type: real}
              - {name: pricing_model, type: double precision}
              - {name: totally_random, type: float8}
              - {name: latitude, type: float8}
    """
    assert objects("DBA305", model) == ["public.t.unitPrice"]
    assert objects("DBA305", model, '[check.rules.DBA305]\nwords = ["pricing"]\n') == [
        "public.t.pricing_model"
    ]


def test_integer_keys_that_count() -> None:
    orders = Table(
        name="orders",
        columns=(
            Column(
                name="id",
                type="integer",
                nullable=False,
                default="nextval('orders_id_seq'::regclass)",
            ),
            Column(name="n", type="smallint", identity={"generation": "always"}),
            Column(name="code", type="integer", nullable=False),
            Column(name="big", type="bigint", default="nextval('big_seq'::regclass)"),
        ),
    )
    found = run("DBA306", Schema(tables=(orders,)))
    assert [f.object for f in found] == ["public.orders.id", "public.orders.n"]
    assert found[0].fix == (
        "ALTER TABLE public.orders ALTER COLUMN id TYPE bigint; ALTER SEQUENCE orders_id_seq"
        " AS bigint;"
    )
    assert found[1].message.endswith("smallint, an identity column: it stops at 32,767")


def test_integer_key_fix_widens_referencing_columns() -> None:
    model = """
        tables:
          - name: users
            columns: [{name: id, type: serial, primary_key: true}]
          - name: posts
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: author_id, type: integer, references: users.id}
    """
    assert [f.fix for f in run("DBA306", model)] == [
        "ALTER TABLE public.users ALTER COLUMN id TYPE bigint; ALTER SEQUENCE"
        " public.users_id_seq AS bigint; ALTER TABLE public.posts ALTER COLUMN author_id"
        " TYPE bigint;"
    ]


def test_money_and_json() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: price, type: money}
              - {name: doc, type: json}
              - {name: docs, type: "json[]"}
              - {name: fine, type: jsonb}
    """
    assert objects("DBA304", model) == ["public.t.price"]
    assert [f.fix for f in run("DBA307", model)] == [
        "ALTER TABLE public.t ALTER COLUMN doc TYPE jsonb USING doc::jsonb;",
        "ALTER TABLE public.t ALTER COLUMN docs TYPE jsonb[] USING docs::jsonb[];",
    ]
