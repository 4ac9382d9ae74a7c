"""Declared dependencies on model tables: what ``dbarch check`` reports."""

from __future__ import annotations

import pytest

from dbarch.model.loader import load_model_text
from dbarch.model.objects import Column, FunctionalDependency, Table
from dbarch.normalize import NormalForm, NormalizeError, normal_form_violations


def _orders(*fds: tuple[tuple[str, ...], tuple[str, ...]]) -> Table:
    columns = ("order_id", "customer_id", "customer_name", "amount")
    return Table(
        name="orders",
        columns=tuple(Column(name=c, type="text") for c in columns),
        functional_dependencies=tuple(FunctionalDependency(lhs=a, rhs=b) for a, b in fds),
    )


def test_transitive_dependency_is_a_3nf_violation_with_its_fix() -> None:
    table = _orders(
        (("order_id",), ("customer_id", "customer_name", "amount")),
        (("customer_id",), ("customer_name",)),
    )
    [violation] = normal_form_violations(table)
    assert violation.breaks is NormalForm.NF3
    assert violation.fd == FunctionalDependency(lhs=("customer_id",), rhs=("customer_name",))
    left, rest = violation.decomposition
    assert (left.columns, left.key) == (("customer_id", "customer_name"), ("customer_id",))
    assert (rest.columns, rest.key) == (("order_id", "customer_id", "amount"), ("order_id",))
    assert normal_form_violations(table, "2nf") == []


def test_table_without_dependencies_reaches_bcnf() -> None:
    assert normal_form_violations(_orders(), NormalForm.BCNF) == []


def test_unknown_column_and_unknown_form_are_errors() -> None:
    with pytest.raises(NormalizeError, match="table orders: functional dependency: no column 'x'"):
        normal_form_violations(_orders((("x",), ("amount",))))
    with pytest.raises(NormalizeError, match="unknown normal form '4nf'"):
        normal_form_violations(_orders(), "4nf")


def test_model_files_declare_dependencies() -> None:
    schema = load_model_text(
        """
tables:
  - name: orders
    columns:
      - {name: order_id, type: integer, primary_key: true}
      - {name: customer_id, type: integer}
      - {name: customer_name, type: text}
    functional_dependencies:
      - {lhs: [customer_id], rhs: [customer_name]}
""",
        "model.yaml",
        "yaml",
    )
    table = schema.table("orders")
    assert table is not None
    # the primary key counts as a dependency: customer_name depends on it transitively
    [violation] = normal_form_violations(table)
    assert violation.breaks is NormalForm.NF3
    assert violation.fd.lhs == ("customer_id",)
