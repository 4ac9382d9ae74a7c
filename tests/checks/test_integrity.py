"""Integrity rules beyond their examples: Schemas the loader would refuse, canonical
types, cycles, partitions, unique indexes, CHECK subtleties."""

from __future__ import annotations

from dbarch.model.objects import (
    Column,
    Extension,
    ForeignKey,
    PrimaryKey,
    Reference,
    Schema,
    Table,
    UniqueConstraint,
)

from .helpers import messages, objects, run


def _fk(name: str, columns: tuple[str, ...], table: str, target: tuple[str, ...]) -> ForeignKey:
    return ForeignKey(name=name, columns=columns, references=Reference(table=table, columns=target))


CUSTOMERS = Table(
    name="customers",
    columns=(Column(name="id", type="bigint", nullable=False), Column(name="email", type="text")),
    primary_key=PrimaryKey(name="pk_customers_id", columns=("id",)),
)


def test_foreign_key_to_missing_table_and_column() -> None:
    orders = Table(
        name="orders",
        columns=(Column(name="customer_id", type="bigint"), Column(name="shop_id", type="bigint")),
        foreign_keys=(
            _fk("fk_orders_customer_id", ("customer_id",), "customers", ("uid",)),
            _fk("fk_orders_shop_id", ("shop_id",), "shops", ("id",)),
        ),
    )
    found = messages("DBA102", Schema(tables=(CUSTOMERS, orders)))
    assert found == [
        "foreign key fk_orders_customer_id of public.orders (customer_id) references"
        " column(s) uid that table public.customers does not have",
        "foreign key fk_orders_shop_id of public.orders (shop_id) references table"
        " public.shops, which does not exist",
    ]


def test_references_into_an_extensions_schema_are_not_judged() -> None:
    sites = Table(
        name="sites",
        columns=(Column(name="srid", type="integer"),),
        foreign_keys=(_fk("fk_sites_srid", ("srid",), "spatial_ref_sys", ("srid",)),),
    )
    assert run("DBA102", Schema(tables=(sites,))) != []
    with_postgis = Schema(tables=(sites,), extensions=(Extension(name="postgis"),))
    assert run("DBA102", with_postgis) == []


def test_foreign_key_not_to_a_key() -> None:
    orders = Table(
        name="orders",
        columns=(Column(name="email", type="text"),),
        foreign_keys=(_fk("fk_orders_email", ("email",), "customers", ("email",)),),
    )
    [finding] = run("DBA104", Schema(tables=(CUSTOMERS, orders)))
    assert finding.object == "public.orders.fk_orders_email"
    assert (
        finding.fix
        == "ALTER TABLE public.customers ADD CONSTRAINT uq_customers_email UNIQUE (email);"
    )
    unique = CUSTOMERS.model_copy(
        update={"unique": (UniqueConstraint(name="u", columns=("email",)),)}
    )
    assert run("DBA104", Schema(tables=(unique, orders))) == []


def test_types_compare_in_canonical_form() -> None:
    model = """
        domains:
          - {name: money_id, type: int8}
        tables:
          - name: a
            columns:
              - {name: id, type: integer, primary_key: true}
              - {name: code, type: "character varying(10)", nullable: false, unique: true}
              - {name: big, type: bigint, nullable: false, unique: true}
          - name: b
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a_id, type: int4, references: a.id}
              - {name: a_code, type: "varchar(10)", references: a.code}
              - {name: a_big, type: money_id, references: a.big}
          - name: c
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a_id, type: serial, references: a.id}
              - {name: a_code, type: "varchar(20)", references: a.code}
              - {name: a_big, type: numeric, references: a.big}
          - name: d
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a_id, type: bigint, references: a.id}
              - {name: b_id, type: smallint, references: b.id}
    """
    assert objects("DBA103", model) == [
        "public.c.fk_c_a_big",
        "public.c.fk_c_a_code",
        "public.d.fk_d_a_id",
        "public.d.fk_d_b_id",
    ]
    fixes = [f.fix for f in run("DBA103", model)]
    assert fixes == [
        "ALTER TABLE public.c ALTER COLUMN a_big TYPE bigint;",
        "ALTER TABLE public.c ALTER COLUMN a_code TYPE character varying(10);",
        # a wider integer referencing a narrower key: the key is widened, not narrowed
        "ALTER TABLE public.a ALTER COLUMN id TYPE bigint;",
        "ALTER TABLE public.d ALTER COLUMN b_id TYPE bigint;",
    ]


def test_partitions_are_covered_by_their_parent_key() -> None:
    model = """
        tables:
          - name: measurements
            partition_by: {strategy: range, key: taken_at}
            columns:
              - {name: id, type: bigint}
              - {name: taken_at, type: timestamptz, nullable: false}
            primary_key: {columns: [id, taken_at]}
          - name: measurements_2024
            partition_of: measurements
            partition_bound: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
          - name: loose
            columns:
              - {name: id, type: bigint}
    """
    [finding] = run("DBA101", model)
    assert finding.object == "public.loose"
    assert finding.fix == "ALTER TABLE public.loose ADD PRIMARY KEY (id);"


def test_primary_key_fix_promotes_a_not_null_unique_key() -> None:
    model = """
        tables:
          - name: codes
            columns:
              - {name: code, type: text, nullable: false, unique: true}
    """
    assert [f.fix for f in run("DBA101", model)] == [
        "ALTER TABLE public.codes ADD PRIMARY KEY (code);"
    ]


CYCLE = """
    tables:
      - name: a
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: b_id, type: bigint, nullable: false}
        foreign_keys:
          - {name: fk_a_b, columns: [b_id], references: {table: b, columns: [id]}%s}
      - name: b
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: c_id, type: bigint, nullable: false, references: c.id}
      - name: c
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: a_id, type: bigint, nullable: false, references: a.id}
          - {name: parent_id, type: bigint, nullable: false, references: c.id}
"""


def test_cycle_names_its_path() -> None:
    [finding] = run("DBA105", CYCLE % "")
    assert finding.message == (
        "foreign keys form a cycle that cannot be filled: public.a -> public.b -> public.c"
        " -> public.a (via fk_a_b, fk_b_c_id, fk_c_a_id)"
    )
    assert (
        finding.fix == "ALTER TABLE public.a ALTER CONSTRAINT fk_a_b DEFERRABLE INITIALLY DEFERRED;"
    )


def test_a_deferrable_link_breaks_the_cycle() -> None:
    assert run("DBA105", CYCLE % ", deferrable: true") == []


def test_unique_index_with_nullable_columns() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a, type: text}
              - {name: b, type: text, nullable: false}
            indexes:
              - {name: idx_t_a_b, columns: [a, b], unique: true}
              - {name: idx_t_b_a, columns: [b, a], unique: true, nulls_not_distinct: true}
              - {name: idx_t_a, columns: [a], unique: true}
    """
    [finding] = run("DBA106", model)
    assert finding.object == "public.idx_t_a_b"
    assert finding.fix == (
        "DROP INDEX public.idx_t_a_b; CREATE UNIQUE INDEX idx_t_a_b ON public.t (a, b)"
        " NULLS NOT DISTINCT;"
    )


def test_check_contradictions_respect_types_and_no_inherit() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: code, type: citext}
              - {name: label, type: text, collation: "und-x-icu"}
              - {name: n, type: integer}
            checks:
              - {name: chk_code, check: "code = 'a' AND code = 'A'"}
              - {name: chk_label, check: "label = 'a' AND label = 'b'"}
              - {name: chk_parent_only, check: "false", no_inherit: true}
              - {name: chk_n, check: "n IN (1, 2) AND n NOT IN (1, 2)"}
        extensions:
          - {name: citext}
    """
    assert objects("DBA107", model) == ["public.t.chk_n"]
