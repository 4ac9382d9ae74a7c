"""Ordering: Kahn's algorithm itself, and the dependencies to_ddl finds in a Schema."""

from __future__ import annotations

import pytest

from dbarch.ddl import to_ddl
from dbarch.ddl.order import CycleError, Step, order_steps
from dbarch.errors import DbarchError
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    EnumType,
    ForeignKey,
    Function,
    Index,
    MaterializedView,
    PartitionBy,
    PrimaryKey,
    Reference,
    Schema,
    Sequence,
    Table,
    View,
)


def _step(
    name: str, priority: int, *requires: str, soft: dict[str, set[str]] | None = None
) -> Step:
    return Step(
        key=("x", name),
        priority=(priority, 0, "", name, ""),
        statements=(f"-- {name}",),
        requires=frozenset(("x", r) for r in requires),
        soft={part: frozenset(("x", k) for k in keys) for part, keys in (soft or {}).items()},
    )


def _names(steps: list[Step]) -> list[str]:
    return [s.key[1] for s in steps]


def test_priority_decides_among_ready_steps() -> None:
    steps = [_step("c", 2), _step("b", 1), _step("a", 1)]
    assert _names(order_steps(steps)) == ["a", "b", "c"]


def test_requirements_beat_priority_and_unknown_ones_are_ignored() -> None:
    steps = [_step("first", 1, "late", "builtin"), _step("late", 9)]
    assert _names(order_steps(steps)) == ["late", "first"]


def test_soft_requirements_order_too() -> None:
    steps = [_step("t", 1, soft={"default:a": {"f"}}), _step("f", 5)]
    assert _names(order_steps(steps)) == ["f", "t"]


def test_cycle_is_reported_with_its_steps() -> None:
    steps = [_step("a", 1, "b"), _step("b", 1, "c"), _step("c", 1, "a"), _step("d", 0, "a")]
    with pytest.raises(CycleError) as caught:
        order_steps(steps)
    assert [_names(list(c)) for c in caught.value.cycles] == [["a", "b", "c"]]
    assert "a -> b -> c -> a" in str(caught.value)


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(DbarchError, match="two schema objects"):
        order_steps([_step("a", 1), _step("a", 2)])


# --------------------------------------------------------------------------- to_ddl


def _before(ddl: str, first: str, then: str) -> bool:
    assert first in ddl, first
    assert then in ddl, then
    return ddl.index(first) < ddl.index(then)


def _table(name: str, *columns: Column, **fields: object) -> Table:
    return Table(name=name, columns=columns or (Column(name="id", type="integer"),), **fields)


def test_view_on_view_follows_its_base() -> None:
    schema = Schema(
        tables=(_table("t"),),
        views=(
            View(name="a_top", query="SELECT id FROM z_base"),
            View(name="z_base", query="SELECT id FROM t"),
        ),
    )
    assert _before(to_ddl(schema), "CREATE VIEW public.z_base", "CREATE VIEW public.a_top")


def test_function_returning_a_row_type_follows_the_table() -> None:
    schema = Schema(
        tables=(_table("customer"),),
        functions=(
            Function(name="rows", returns="SETOF customer", language="sql", body="SELECT 1"),
        ),
    )
    ddl = to_ddl(schema)
    assert _before(ddl, "CREATE TABLE public.customer", "CREATE FUNCTION public.rows()")


def test_table_follows_the_function_its_default_calls() -> None:
    # the function's argument type is a table created later than functions normally are
    schema = Schema(
        tables=(
            _table("a_user", Column(name="id", type="integer", default="next_id(NULL::z_seed)")),
            _table("z_seed"),
        ),
        functions=(
            Function(name="next_id", arguments="z_seed", returns="integer", body="SELECT 1"),
        ),
    )
    ddl = to_ddl(schema)
    assert _before(ddl, "CREATE TABLE public.z_seed", "CREATE FUNCTION public.next_id")
    assert _before(ddl, "CREATE FUNCTION public.next_id", "CREATE TABLE public.a_user")


def test_default_in_a_cycle_is_set_later() -> None:
    node = _table(
        "node",
        Column(name="id", type="integer", default="(first_node()).id + 1"),
        checks=(CheckConstraint(name="c", check="id <> (first_node()).id"),),
    )
    first = Function(name="first_node", returns="node", language="sql", body="SELECT 1")
    ddl = to_ddl(Schema(tables=(node,), functions=(first,)))
    assert "CREATE TABLE public.node (\n    id integer\n);" in ddl
    assert _before(ddl, "CREATE TABLE public.node", "CREATE FUNCTION public.first_node")
    assert _before(
        ddl,
        "CREATE FUNCTION public.first_node",
        "ALTER TABLE ONLY public.node ALTER COLUMN id SET DEFAULT (first_node()).id + 1;",
    )
    assert "ALTER TABLE public.node ADD CONSTRAINT c CHECK (id <> (first_node()).id);" in ddl


def test_independent_cycles_are_all_broken() -> None:
    tables = tuple(
        _table(f"n{i}", Column(name="id", type="integer", default=f"(first_{i}()).id"))
        for i in range(3)
    )
    functions = tuple(
        Function(name=f"first_{i}", returns=f"n{i}", language="sql", body="SELECT 1")
        for i in range(3)
    )
    ddl = to_ddl(Schema(tables=tables, functions=functions))
    for i in range(3):
        assert f"ALTER TABLE ONLY public.n{i} ALTER COLUMN id SET DEFAULT (first_{i}()).id;" in ddl


def test_domain_check_in_a_cycle_is_added_later() -> None:
    domain = Domain(name="d", type="integer", checks=(), default="f(NULL::d)")
    function = Function(name="f", arguments="d", returns="integer", body="SELECT 1")
    ddl = to_ddl(Schema(domains=(domain,), functions=(function,)))
    assert _before(ddl, "CREATE DOMAIN public.d AS integer;", "CREATE FUNCTION public.f(d)")
    assert _before(ddl, "CREATE FUNCTION", "ALTER DOMAIN public.d SET DEFAULT f(NULL::d);")


def test_hard_cycle_is_an_error() -> None:
    view = View(name="v", query="SELECT * FROM f()")
    function = Function(name="f", returns="SETOF v", language="sql", body="SELECT 1")
    with pytest.raises(DbarchError, match="circular dependency"):
        to_ddl(Schema(views=(view,), functions=(function,)))


def test_foreign_key_cycle_comes_after_both_tables_and_keys() -> None:
    def fk(name: str, target: str) -> ForeignKey:
        return ForeignKey(
            name=name, columns=("other",), references=Reference(table=target, columns=("id",))
        )

    columns = (Column(name="id", type="integer"), Column(name="other", type="integer"))
    schema = Schema(
        tables=(
            _table(
                "a",
                *columns,
                primary_key=PrimaryKey(name="a_pk", columns=("id",)),
                foreign_keys=(fk("a_fk", "b"),),
            ),
            _table(
                "b",
                *columns,
                primary_key=PrimaryKey(name="b_pk", columns=("id",)),
                foreign_keys=(fk("b_fk", "a"),),
            ),
        )
    )
    ddl = to_ddl(schema)
    for key in ("ADD CONSTRAINT a_fk", "ADD CONSTRAINT b_fk"):
        assert _before(ddl, "CREATE TABLE public.b", key)
        assert _before(ddl, "ADD CONSTRAINT b_pk", key)


def test_types_follow_the_types_they_use() -> None:
    schema = Schema(
        enums=(EnumType(name="z_mood", values=("ok",)),),
        domains=(
            Domain(name="a_good", type="m_mood"),
            Domain(name="m_mood", type="z_mood"),
        ),
        composite_types=(CompositeType(name="a_pair", attributes=()),),
    )
    ddl = to_ddl(schema)
    assert _before(ddl, "CREATE TYPE public.z_mood", "CREATE DOMAIN public.m_mood")
    assert _before(ddl, "CREATE DOMAIN public.m_mood", "CREATE DOMAIN public.a_good")


def test_sequence_is_created_before_and_owned_after_its_table() -> None:
    schema = Schema(
        sequences=(Sequence(name="t_id_seq", owned_by="t.id"),),
        tables=(
            _table("t", Column(name="id", type="integer", default="nextval('t_id_seq'::regclass)")),
        ),
    )
    ddl = to_ddl(schema)
    assert _before(ddl, "CREATE SEQUENCE public.t_id_seq", "CREATE TABLE public.t")
    assert _before(ddl, "CREATE TABLE public.t", "OWNED BY public.t.id;")


def test_view_grouping_by_a_primary_key_follows_the_key() -> None:
    table = _table(
        "t",
        Column(name="id", type="integer"),
        Column(name="v", type="text"),
        primary_key=PrimaryKey(name="t_pk", columns=("id",)),
    )
    view = View(name="v", query="SELECT id, v FROM t GROUP BY id")
    ddl = to_ddl(Schema(tables=(table,), views=(view,)))
    assert _before(ddl, "ADD CONSTRAINT t_pk", "CREATE VIEW public.v")


def test_materialized_views_refresh_after_what_they_read_through_views() -> None:
    schema = Schema(
        materialized_views=(
            MaterializedView(name="a_top", query="SELECT n FROM m_middle"),
            MaterializedView(name="z_base", query="SELECT 1 AS n"),
        ),
        views=(View(name="m_middle", query="SELECT n FROM z_base"),),
    )
    ddl = to_ddl(schema)
    assert _before(ddl, "CREATE MATERIALIZED VIEW public.z_base", "CREATE VIEW public.m_middle")
    assert _before(
        ddl, "REFRESH MATERIALIZED VIEW public.z_base;", "REFRESH MATERIALIZED VIEW public.a_top;"
    )
    assert ddl.rstrip().endswith("REFRESH MATERIALIZED VIEW public.a_top;")


def _partitioned(child_index: bool) -> Schema:
    columns = (Column(name="id", type="integer", nullable=False), Column(name="k", type="text"))
    parent = Table(
        name="p",
        columns=columns,
        partition_by=PartitionBy(strategy="list", key="k"),
        primary_key=PrimaryKey(name="p_pk", columns=("id", "k")),
        indexes=(Index(name="p_k", columns=("k",)),),
    )
    a = Table(
        name="p_a",
        partition_of="p",
        partition_bound="FOR VALUES IN ('a')",
        columns=columns,
        primary_key=PrimaryKey(name="p_a_pk", columns=("id", "k")),
        indexes=(Index(name="p_a_k", columns=("k",)),) if child_index else (),
    )
    b = Table(name="p_b", partition_of="p", partition_bound="DEFAULT")
    return Schema(tables=(parent, a, b) if not child_index else (parent, a))


def test_partition_indexes_are_attached_when_every_partition_has_one() -> None:
    ddl = to_ddl(_partitioned(child_index=True))
    assert "CREATE INDEX p_k ON ONLY public.p USING btree (k);" in ddl
    assert "ALTER TABLE ONLY public.p ADD CONSTRAINT p_pk PRIMARY KEY (id, k);" in ddl
    assert _before(ddl, "CREATE TABLE public.p ", "CREATE TABLE public.p_a ")
    assert _before(ddl, "ATTACH PARTITION public.p_a FOR", "ADD CONSTRAINT p_pk")
    assert _before(
        ddl, "CREATE INDEX p_a_k", "ALTER INDEX public.p_k ATTACH PARTITION public.p_a_k;"
    )
    assert _before(ddl, "CREATE INDEX p_k", "ALTER INDEX public.p_k ATTACH PARTITION public.p_a_k;")
    assert "ALTER INDEX public.p_pk ATTACH PARTITION public.p_a_pk;" in ddl


def test_partitions_without_matching_indexes_get_them_from_postgresql() -> None:
    ddl = to_ddl(_partitioned(child_index=False))
    assert "CREATE INDEX p_k ON public.p USING btree (k);" in ddl
    assert "ALTER TABLE public.p ADD CONSTRAINT p_pk PRIMARY KEY (id, k);" in ddl
    assert _before(ddl, "ADD CONSTRAINT p_a_pk", "ADD CONSTRAINT p_pk")
    assert "ATTACH PARTITION public.p_a_pk" not in ddl
    # a partition written without columns gets its parent's, NOT NULL from the key
    assert "CREATE TABLE public.p_b (\n    id integer NOT NULL,\n    k text NOT NULL\n);" in ddl


def test_output_does_not_depend_on_input_order() -> None:
    schema = Schema(
        tables=(_table("b"), _table("a"), _table("c")),
        views=(View(name="v2", query="SELECT 1"), View(name="v1", query="SELECT 2")),
        functions=(
            Function(name="f", arguments="integer", returns="int", body="x"),
            Function(name="f", arguments="text", returns="int", body="x"),
        ),
    )
    reversed_schema = schema.model_copy(
        update={k: tuple(reversed(getattr(schema, k))) for k in ("tables", "views", "functions")}
    )
    ddl = to_ddl(schema)
    assert ddl == to_ddl(reversed_schema)
    assert ddl.endswith(";\n") and "\n\n\n" not in ddl
