"""Discovery on live tables (all rows, or sampled and checked in SQL), inclusion
dependencies, and proposed decompositions proven on scratch copies of the rows."""

from __future__ import annotations

from dbarch.normalize.discovery.database import TableRef
from dbarch.normalize.discovery.ind import ColumnRef, discover_inds
from dbarch.normalize.discovery.profile import profile_table
from dbarch.normalize.forms import NormalForm
from dbarch.normalize.proof import prove_lossless
from dbarch.normalize.run import normalize_source
from dbarch.pg.connect import connect
from dbarch.pg.introspect import inspect_database
from tests.pgutil import run_sql

ORDERS = """
CREATE TABLE orders (
    order_id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    customer_name text,
    city text,
    country text,
    note text
);
INSERT INTO orders
SELECT i, i % 40, 'customer ' || (i % 40), 'city ' || (i % 8), 'country ' || (i % 4),
       CASE WHEN i % 7 = 0 THEN NULL ELSE 'n' || (i % 3) END
FROM generate_series(1, 400) AS i;
UPDATE orders SET customer_name = NULL WHERE customer_id = 5;
"""

COLUMNS = ("order_id", "customer_id", "customer_name", "city", "country", "note")


def _profile(dsn: str, **options: object):  # type: ignore[no-untyped-def]
    with connect(dsn) as conn:
        return profile_table(conn, TableRef("public", "orders", COLUMNS), **options)  # type: ignore[arg-type]


def test_sampled_discovery_equals_discovery_on_all_rows(fresh_db: str) -> None:
    run_sql(fresh_db, ORDERS)
    full = _profile(fresh_db)
    sampled = _profile(fresh_db, sample_rows=25)
    assert full.sampled_rows is None and sampled.sampled_rows is not None
    assert sampled.fds == full.fds
    assert sampled.uccs == full.uccs == (("order_id",),)
    holds = {(fd.lhs, fd.rhs) for fd in full.fds}
    assert (("customer_id",), "customer_name") in holds
    assert (("customer_name",), "customer_id") in holds  # one NULL name: still a key
    assert (("city",), "country") in holds


def test_null_equals_null(fresh_db: str) -> None:
    run_sql(fresh_db, ORDERS + "UPDATE orders SET customer_name = NULL WHERE customer_id = 6;")
    holds = {(fd.lhs, fd.rhs) for fd in _profile(fresh_db).fds}
    # customers 5 and 6 both have a NULL name: NULL = NULL, so the name no longer
    # determines the customer, while the customer still determines the name
    assert (("customer_id",), "customer_name") in holds
    assert (("customer_name",), "customer_id") not in holds


def test_approximate_dependencies_see_through_dirty_rows(fresh_db: str) -> None:
    run_sql(fresh_db, ORDERS + "UPDATE orders SET country = 'typo' WHERE order_id = 3;")
    assert (("city",), "country") not in {(fd.lhs, fd.rhs) for fd in _profile(fresh_db).fds}
    for options in ({}, {"sample_rows": 50}):
        fds = {
            (fd.lhs, fd.rhs): fd.error for fd in _profile(fresh_db, max_error=0.01, **options).fds
        }
        assert fds[(("city",), "country")] == 1 / 400


def test_inclusion_dependencies(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        """
        CREATE TABLE customers (id integer PRIMARY KEY, name text);
        INSERT INTO customers SELECT i, 'c' || i FROM generate_series(0, 49) i;
        CREATE TABLE invoices (id integer PRIMARY KEY,
                               customer integer REFERENCES customers (id), buyer integer);
        INSERT INTO invoices SELECT i, i % 50, i % 30 FROM generate_series(100, 160) i;
        CREATE TABLE staff (id integer PRIMARY KEY, boss integer);
        INSERT INTO staff VALUES (1000, NULL), (1001, 1000), (1002, 1000), (1003, 1002);
        """,
    )
    with connect(fresh_db) as conn:
        tables = inspect_database(conn).tables
        unique = {
            ColumnRef("public", "customers", "id"),
            ColumnRef("public", "invoices", "id"),
            ColumnRef("public", "staff", "id"),
        }
        inds = discover_inds(conn, tables, unique)
    found = {(str(i.dependent), str(i.referenced)): (i.referenced_unique, i.declared) for i in inds}
    assert found[("public.invoices.customer", "public.customers.id")] == (True, True)
    assert found[("public.invoices.buyer", "public.customers.id")] == (True, False)
    assert ("public.customers.id", "public.invoices.id") not in found
    # a self-reference nobody declared: two columns of one table
    assert found[("public.staff.boss", "public.staff.id")] == (True, False)
    assert ("public.staff.id", "public.staff.boss") not in found
    assert not any(d == r for d, r in found)


COMPOSITE = """
CREATE TABLE offices (country text, code integer, name text, PRIMARY KEY (country, code));
INSERT INTO offices SELECT c, i, c || i FROM unnest(ARRAY['ch', 'fr']) c,
                                               generate_series(1, 5) i;
CREATE TABLE desks (id integer PRIMARY KEY, country text, office integer, seat integer,
                    FOREIGN KEY (country, office) REFERENCES offices);
INSERT INTO desks SELECT i, CASE WHEN i % 2 = 0 THEN 'ch' ELSE 'fr' END, 1 + i % 5, i % 3
FROM generate_series(1, 40) i;
INSERT INTO desks VALUES (41, NULL, 9, 0);  -- MATCH SIMPLE: a NULL exempts the row
CREATE TABLE visits (at integer PRIMARY KEY, land text, site integer, badge integer);
INSERT INTO visits SELECT i, CASE WHEN i % 3 = 0 THEN 'fr' ELSE 'ch' END, 1 + i % 4, i
FROM generate_series(1, 30) i;
CREATE TABLE strays (id integer PRIMARY KEY, land text, site integer);
INSERT INTO strays VALUES (101, 'ch', 1), (102, 'fr', 2), (103, 'ch', 5);
"""


def test_composite_inclusion_dependencies(fresh_db: str, dev_url: str) -> None:
    run_sql(fresh_db, COMPOSITE)
    result = normalize_source(fresh_db, dev_url=dev_url, prove=False)
    assert result.composite_inds is not None and result.composite_inds.unchecked == 0
    found = {(str(i.dependent), str(i.referenced)): i.declared for i in result.composite_inds.found}
    assert found == {
        ("public.desks(country, office)", "public.offices(country, code)"): True,
        ("public.visits(land, site)", "public.offices(country, code)"): False,
        ("public.strays(land, site)", "public.offices(country, code)"): False,
    }


def test_a_pair_that_is_not_contained_together_is_not_reported(fresh_db: str, dev_url: str) -> None:
    # every value of land and of site is in offices, but (ch, 6) is not a pair there
    missing = (
        "INSERT INTO offices VALUES ('de', 6, 'de6'); UPDATE strays SET site = 6 WHERE id = 103;"
    )
    run_sql(fresh_db, COMPOSITE + missing)
    result = normalize_source(fresh_db, dev_url=dev_url, prove=False)
    assert result.composite_inds is not None
    found = {(str(i.dependent), str(i.referenced)) for i in result.composite_inds.found}
    assert ("public.strays(land, site)", "public.offices(country, code)") not in found
    assert ("public.desks(country, office)", "public.offices(country, code)") in found


def test_normalize_database_proposes_and_proves(fresh_db: str, dev_url: str) -> None:
    run_sql(fresh_db, ORDERS)
    result = normalize_source(fresh_db, table="orders", dev_url=dev_url)
    [report] = result.reports
    assert result.findings and report.normal_form is NormalForm.NF2
    assert report.proof is not None and report.proof.holds and report.proof.typed
    assert report.proof.original_rows == 400
    assert report.plan is not None and report.plan.main.name == "orders"
    # the migration really runs on the source too, and the join gives the rows back
    with connect(fresh_db) as conn:
        before = conn.execute("SELECT count(*) FROM orders").fetchone()
    proof = prove_lossless(fresh_db, report.plan)  # rolled back afterwards
    assert proof.holds and proof.original_rows == before[0]  # type: ignore[index]
    run_sql(fresh_db, report.migration or "")
    with connect(fresh_db) as conn:
        schema = inspect_database(conn)
    assert {t.name for t in schema.tables} == {t.name for t in report.plan.tables}
    orders = schema.table("orders")
    assert orders is not None and orders.foreign_keys


def test_a_decomposition_that_loses_rows_is_caught(fresh_db: str, dev_url: str) -> None:
    # with a dirty row, city -> country only holds approximately; the split on it fails
    run_sql(fresh_db, ORDERS + "UPDATE orders SET country = 'typo' WHERE order_id = 3;")
    result = normalize_source(fresh_db, table="orders", max_error=0.01, dev_url=dev_url)
    [report] = result.reports
    assert report.proof is not None and not report.proof.holds
    assert report.proof.error is not None or report.proof.missing or report.proof.extra


def test_types_the_scratch_server_lacks_are_compared_as_text(fresh_db: str, dev_url: str) -> None:
    run_sql(
        fresh_db,
        """
        CREATE TYPE size AS ENUM ('S', 'M', 'L');
        CREATE TABLE shirt (id integer PRIMARY KEY, model text NOT NULL, size size NOT NULL);
        INSERT INTO shirt SELECT i, 'm' || (i % 5), (ARRAY['S','M','L']::size[])[1 + i % 5 % 3]
        FROM generate_series(1, 30) i;
        """,
    )
    [report] = normalize_source(fresh_db, dev_url=dev_url).reports
    assert report.proof is not None and report.proof.holds and not report.proof.typed
