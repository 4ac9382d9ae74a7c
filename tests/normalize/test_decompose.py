"""The model change and migration of a proposed decomposition (no database needed)."""

from __future__ import annotations

from dbarch.ddl import to_ddl
from dbarch.model.objects import Column, ForeignKey, PrimaryKey, Reference, Schema, Table
from dbarch.normalize.decompose import apply_plan, migration_sql, plan_decomposition, table_key
from dbarch.normalize.forms import NormalForm
from dbarch.normalize.proof import natural_join
from tests.normalize.notation import named_relation

ORDERS = Table(
    name="orders",
    columns=(
        Column(name="order_id", type="integer", nullable=False),
        Column(name="customer_id", type="integer", nullable=False),
        Column(name="customer_name", type="text"),
        Column(name="zip", type="text", nullable=False),
        Column(name="city", type="text", nullable=False),
    ),
    primary_key=PrimaryKey(columns=("order_id",)),
)
RELATION = named_relation(
    "order_id, customer_id, customer_name, zip, city",
    "order_id -> customer_id; customer_id -> customer_name, zip; zip -> city",
)


def test_plan_keeps_the_key_in_the_original_table_and_links_the_parts() -> None:
    plan = plan_decomposition(ORDERS, RELATION, RELATION.proposal(NormalForm.NF3))
    assert [t.name for t in plan.tables] == ["orders", "orders_customer_id", "orders_zip"]
    main, customers, zips = plan.tables
    assert [c.name for c in main.columns] == ["order_id", "customer_id"]
    assert main.primary_key == ORDERS.primary_key
    assert [(fk.columns, fk.references.table) for fk in main.foreign_keys] == [
        (("customer_id",), "orders_customer_id")
    ]
    assert customers.primary_key is not None and customers.primary_key.columns == ("customer_id",)
    assert [(fk.columns, fk.references.table) for fk in customers.foreign_keys] == [
        (("zip",), "orders_zip")
    ]
    assert zips.primary_key is not None and zips.primary_key.columns == ("zip",)
    assert plan.moved == ("customer_name", "zip", "city")


def test_migration_expands_then_contracts() -> None:
    plan = plan_decomposition(ORDERS, RELATION, RELATION.proposal(NormalForm.NF3))
    sql = migration_sql(plan)
    assert sql.index("CREATE TABLE public.orders_customer_id") < sql.index("INSERT INTO")
    assert (
        "INSERT INTO public.orders_zip (zip, city)\nSELECT DISTINCT zip, city FROM public.orders;"
        in sql
    )
    assert sql.index("ADD FOREIGN KEY") < sql.index("-- contract")
    assert sql.rstrip().endswith(
        "ALTER TABLE public.orders DROP COLUMN customer_name, DROP COLUMN zip, DROP COLUMN city;"
    )
    assert migration_sql(plan) == sql


def test_the_model_change_renders_as_ddl() -> None:
    plan = plan_decomposition(ORDERS, RELATION, RELATION.proposal(NormalForm.NF3))
    schema = apply_plan(Schema(tables=(ORDERS,)), plan)
    assert [t.name for t in schema.tables] == ["orders", "orders_customer_id", "orders_zip"]
    ddl = to_ddl(schema)
    assert "CREATE TABLE public.orders_zip" in ddl
    assert "REFERENCES public.orders_customer_id" in ddl


def test_nullable_keys_become_unique_nulls_not_distinct() -> None:
    table = ORDERS.model_copy(
        update={"columns": tuple(c.model_copy(update={"nullable": True}) for c in ORDERS.columns)}
    )
    plan = plan_decomposition(table, RELATION, RELATION.proposal(NormalForm.NF3))
    zips = plan.tables[2]
    assert zips.primary_key is None
    assert [(u.columns, u.nulls_not_distinct) for u in zips.unique] == [(("zip",), True)]
    assert "ADD UNIQUE NULLS NOT DISTINCT (zip);" in migration_sql(plan)


def test_bcnf_target_reports_lost_dependencies() -> None:
    relation = named_relation("s, i, d", "i -> d; s, d -> i")
    proposal = relation.proposal(NormalForm.BCNF)
    assert [p.columns for p in proposal.parts] == [("i", "d"), ("s", "i")]
    assert [(fd.lhs, fd.rhs) for fd in proposal.lost] == [(("s", "d"), ("i",))]


def test_a_constant_column_becomes_a_one_row_table_nothing_references() -> None:
    relation = named_relation("id, dept, dname, country", "-> country; id -> dept; dept -> dname")
    table = Table(
        name="emp",
        columns=tuple(
            Column(name=c, type="text", nullable=False) for c in ("id", "dept", "dname", "country")
        ),
    )
    plan = plan_decomposition(table, relation, relation.proposal(NormalForm.NF3))
    one_row = next(t for t in plan.new_tables if [c.name for c in t.columns] == ["country"])
    assert one_row.name == "emp_country"
    assert table_key(one_row) == () and one_row.primary_key is None
    assert all(fk.columns for t in plan.tables for fk in t.foreign_keys)
    assert not any(
        fk.references.table == one_row.name for t in plan.tables for fk in t.foreign_keys
    )
    sql = migration_sql(plan)
    assert "CREATE UNIQUE INDEX ON public.emp_country USING btree ((true));" in sql
    assert "()" not in sql
    assert table_key(plan.main) == ("id",)


def test_rows_with_duplicates_leave_the_main_table_without_a_key() -> None:
    plan = plan_decomposition(
        ORDERS.model_copy(update={"primary_key": None}),
        RELATION,
        RELATION.proposal(NormalForm.NF3),
        distinct_rows=False,
    )
    assert table_key(plan.main) is None
    assert all(table_key(t) for t in plan.new_tables)
    assert "ADD PRIMARY KEY (order_id)" not in migration_sql(plan)


def test_the_proof_joins_each_part_on_its_key() -> None:
    # the part keyed by zip shares a column with orders first, but its key is only known
    # once the customers part has been joined: customers comes first
    relation = named_relation(
        "order_id, customer_id, zip, city",
        "order_id -> customer_id; customer_id -> zip; zip -> city",
    )
    table = ORDERS.model_copy(
        update={"columns": tuple(c for c in ORDERS.columns if c.name != "customer_name")}
    )
    plan = plan_decomposition(table, relation, relation.proposal(NormalForm.NF3))
    reordered = (plan.main, *reversed(plan.new_tables))
    assert [t.name for t in reordered] == ["orders", "orders_zip", "orders_customer_id"]
    sql = natural_join(reordered, ["order_id", "customer_id", "zip", "city"])
    assert sql.index("public.orders_customer_id") < sql.index("public.orders_zip")


def test_a_foreign_key_moves_with_its_columns() -> None:
    relation = named_relation("id, zip, city", "id -> zip; zip -> city")
    table = Table(
        name="people",
        columns=tuple(Column(name=c, type="text", nullable=False) for c in ("id", "zip", "city")),
        primary_key=PrimaryKey(columns=("id",)),
        foreign_keys=(
            ForeignKey(
                name="fk_people_city",
                columns=("city",),
                references=Reference(table="cities", columns=("name",)),
            ),
        ),
    )
    plan = plan_decomposition(table, relation, relation.proposal(NormalForm.NF3))
    main, zips = plan.tables
    assert [fk.references.table for fk in main.foreign_keys] == ["people_zip"]
    assert [(fk.name, fk.columns, fk.references.table) for fk in zips.foreign_keys] == [
        (None, ("city",), "cities")
    ]
    assert (
        "ALTER TABLE public.people_zip ADD FOREIGN KEY (city) REFERENCES public.cities(name)"
        in (migration_sql(plan))
    )
