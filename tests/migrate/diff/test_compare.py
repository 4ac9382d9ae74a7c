"""compare() on Schemas written in code: which changes, in which order, what warnings."""

from __future__ import annotations

import pytest

from dbarch.migrate.diff.changes import (
    AddColumn,
    AddEnumValues,
    AlterColumn,
    CreateObject,
    DropObject,
    RenameColumn,
    RenameObject,
    SwapEnum,
    ValidateConstraint,
)
from dbarch.migrate.diff.compare import compare
from dbarch.migrate.diff.context import DiffError
from dbarch.migrate.diff.match import RenameError
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    EnumType,
    Function,
    PartitionBy,
    Role,
    Schema,
    Table,
    View,
)


def table(name: str, *columns: Column, **fields: object) -> Table:
    return Table(name=name, columns=columns, **fields)


def col(name: str, type_: str = "integer", **fields: object) -> Column:
    return Column(name=name, type=type_, **fields)


def summaries(old: Schema, new: Schema) -> list[str]:
    return [c.summary for c in compare(old, new).changes]


def test_equal_schemas_have_no_changes() -> None:
    schema = Schema(tables=(table("t", col("a"), col("b", "text")),))
    assert compare(schema, schema).empty


def test_model_only_fields_are_not_differences() -> None:
    old = Schema(tables=(table("t", col("a")),))
    new = Schema(tables=(table("t", col("a", ignore=("X1",)), ignore=("X2",)),))
    assert compare(old, new).empty


def test_declared_renames_become_renames() -> None:
    old = Schema(tables=(table("t", col("a"), col("b")),))
    new = Schema(tables=(table("u", col("a"), col("c", renamed_from="b"), renamed_from="t"),))
    changes = compare(old, new).changes
    assert [type(c) for c in changes] == [RenameObject, RenameColumn]
    assert [c.summary for c in changes] == [
        "rename table public.t to u",
        "rename column b of public.u to c",
    ]


def test_a_rename_already_done_is_no_change() -> None:
    new = Schema(tables=(table("u", col("c", renamed_from="b"), renamed_from="t"),))
    done = Schema(tables=(table("u", col("c")),))
    assert compare(done, new).empty


def test_undeclared_look_alike_is_a_possible_rename_not_applied() -> None:
    old = Schema(tables=(table("t", col("a"), col("b", "text")),))
    new = Schema(tables=(table("u", col("a"), col("b", "text")),))
    diff = compare(old, new)
    assert [type(c) for c in diff.changes] == [DropObject, CreateObject]
    assert diff.warnings == (
        "possible rename: table public.t is dropped and table public.u created alike; "
        "declare renamed_from: t on the new one to rename it instead",
    )


def test_a_column_look_alike_is_reported_too() -> None:
    old = Schema(tables=(table("t", col("a"), col("b", "text")),))
    new = Schema(tables=(table("t", col("a"), col("c", "text")),))
    diff = compare(old, new)
    assert "possible rename: column b of table public.t" in diff.warnings[0]


def test_renamed_from_that_names_nothing_is_an_error() -> None:
    old = Schema(tables=(table("t", col("a")),))
    new = Schema(tables=(table("u", col("a"), renamed_from="nope"),))
    with pytest.raises(RenameError, match=r"renamed_from names relation public\.nope"):
        compare(old, new)


def test_two_objects_claiming_one_old_name_is_an_error() -> None:
    old = Schema(tables=(table("t", col("a")),))
    new = Schema(
        tables=(table("u", col("a"), renamed_from="t"), table("v", col("a"), renamed_from="t"))
    )
    with pytest.raises(RenameError, match="both claim"):
        compare(old, new)


def test_a_new_partition_key_is_refused() -> None:
    old = Schema(tables=(table("t", col("a"), partition_by=PartitionBy(strategy="list", key="a")),))
    new = Schema(tables=(table("t", col("a"), partition_by=PartitionBy(strategy="hash", key="a")),))
    with pytest.raises(DiffError, match="PARTITION BY cannot change in place"):
        compare(old, new)


def test_column_order_is_reported_not_changed() -> None:
    old = Schema(tables=(table("t", col("a"), col("b")),))
    new = Schema(tables=(table("t", col("b"), col("a")),))
    diff = compare(old, new)
    assert diff.empty
    assert diff.warnings == (
        "table public.t: the columns are in another order; PostgreSQL cannot reorder "
        "columns in place, so the order is left as it is",
    )


def test_roles_are_never_dropped() -> None:
    old = Schema(roles=(Role(name="app"),))
    diff = compare(old, Schema())
    assert diff.empty
    assert "role app is no longer used" in diff.warnings[0]


def test_enum_labels_added_in_order_or_swapped() -> None:
    def enum(*values: str) -> Schema:
        return Schema(enums=(EnumType(name="e", values=values),))

    added = compare(enum("a", "c"), enum("a", "b", "c", "d")).changes
    assert [type(c) for c in added] == [AddEnumValues]
    assert added[0].summary == "add 'b', 'd' to enum public.e"
    removed = compare(enum("a", "b"), enum("a")).changes
    assert [type(c) for c in removed] == [SwapEnum]
    assert removed[0].summary == "remove 'b' from enum public.e"
    reordered = compare(enum("a", "b"), enum("b", "a")).changes
    assert reordered[0].summary == "reorder the labels of enum public.e"


def test_a_view_over_a_retyped_column_is_dropped_and_created_around_it() -> None:
    def schema(type_: str) -> Schema:
        return Schema(
            tables=(table("t", col("id"), col("n", type_)),),
            views=(
                View(name="v", query="SELECT n FROM t"),
                View(name="w", query="SELECT id FROM t"),
            ),
        )

    changes = summaries(schema("integer"), schema("bigint"))
    assert changes == ["drop view public.v", "alter column n of public.t", "create view public.v"]


def test_dependents_of_a_replaced_function_are_recreated() -> None:
    def schema(returns: str) -> Schema:
        function = Function(
            name="f", arguments="", returns=returns, language="sql", body="SELECT 1"
        )
        return Schema(
            functions=(function,),
            tables=(table("t", col("a", default="f()")),),
            views=(View(name="v", query="SELECT f() AS x"),),
        )

    assert summaries(schema("integer"), schema("bigint")) == [
        "alter column a of public.t",
        "drop view public.v",
        "drop function public.f()",
        "create function public.f()",
        "create view public.v",
        "alter column a of public.t",
    ]


def test_validation_of_a_not_valid_check_is_its_own_change() -> None:
    def schema(not_valid: bool) -> Schema:
        check = CheckConstraint(name="c", check="(a > 0)", not_valid=not_valid)
        return Schema(tables=(table("t", col("a"), checks=(check,)),))

    changes = compare(schema(True), schema(False)).changes
    assert [type(c) for c in changes] == [ValidateConstraint]


def test_changes_come_in_dependency_order() -> None:
    old = Schema(tables=(table("t", col("a")),))
    new = Schema(
        enums=(EnumType(name="e", values=("x",)),),
        tables=(table("t", col("a"), col("b", "e")),),
        views=(View(name="v", query="SELECT b FROM t"),),
    )
    changes = compare(old, new).changes
    assert [type(c) for c in changes] == [CreateObject, AddColumn, CreateObject]


def test_changes_are_deterministic() -> None:
    old = Schema(tables=(table("t", col("a"), col("b")), table("u", col("x"))))
    new = Schema(tables=(table("t", col("a", "bigint"), col("c")), table("w", col("y"))))
    assert summaries(old, new) == summaries(old, new)
    assert any(isinstance(c, AlterColumn) for c in compare(old, new).changes)


def test_a_domain_in_use_cannot_be_replaced() -> None:
    from dbarch.model.objects import Domain

    def schema(base: str) -> Schema:
        return Schema(domains=(Domain(name="d", type=base),), tables=(table("t", col("a", "d")),))

    with pytest.raises(DiffError, match=r"type public\.d must be dropped and created again, but"):
        compare(schema("integer"), schema("bigint"))


def test_a_renamed_and_changed_index_is_dropped_and_created() -> None:
    from dbarch.model.objects import Index

    old = Schema(
        tables=(table("t", col("a"), col("b"), indexes=(Index(name="i", columns=("a",)),)),)
    )
    new = Schema(
        tables=(
            table(
                "t",
                col("a"),
                col("b"),
                indexes=(Index(name="j", columns=("b",), renamed_from="i"),),
            ),
        )
    )
    assert summaries(old, new) == ["drop index public.i", "create index public.j"]
