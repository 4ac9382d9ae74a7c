"""Read a live PostgreSQL 15+ database into a :class:`~dbarch.model.objects.Schema`.

The catalog is read with a fixed number of queries (one per object family, see
:mod:`dbarch.pg.catalog_sql`), inside a transaction (or savepoint) that is rolled back,
with ``search_path = public, pg_catalog`` so that PostgreSQL's deparsers print SQL
fragments in the model's canonical form. The queries are queued up front and run one
after another on a worker thread (:class:`CatalogReader`), so the rows of one family
become model objects while the server is still answering the next queries; with
:func:`inspect_dsn`, half of them run on a second connection whose transaction imports
the first one's snapshot (as ``pg_dump -j`` does), so both read the same catalog state
and the server answers on two cores. Objects in system schemas and objects that belong
to an extension are left out; extensions themselves are listed.

Forms chosen where the model leaves a choice:

* **References to routines, operator classes and operators** are SQL as PostgreSQL
  prints them: quoted as needed and qualified only when not visible through
  ``search_path = public, pg_catalog`` (trigger ``function``, aggregate ``sfunc``,
  ``finalfunc``, ``combinefunc``; index and exclusion ``opclass``; exclusion
  ``operator`` and aggregate ``sortop``, written ``OPERATOR(schema.op)`` when not visible).
* **References to collations and tables** are raw names: a collation is qualified as
  ``schema.name`` (raw parts joined with a dot) only when not visible; ``partition_of``,
  ``inherits``, ``Sequence.owned_by`` and ``Identity.sequence`` only when the other
  table or sequence lives in another schema than the referring table (or sequence).
* **Index expressions** are printed by ``pg_get_indexdef(index, n, true)``: in
  parentheses unless they are a function call (wrapping them in parentheses again is
  harmless). Exclusion constraint elements likewise.
* **View queries** are ``pg_get_viewdef(view, true)`` without surrounding white space
  and the closing semicolon.
* **Partitions** list all their columns, indexes (also those attached to a parent index)
  and constraints, except CHECK constraints inherited from the parent and foreign keys
  and triggers cloned from it. A table that inherits (not a partition) lists only the
  columns it defines itself.
* **public** is listed only when it differs from a fresh database's (owner
  ``pg_database_owner``, comment ``standard public schema``, ACL default plus ``USAGE``
  for PUBLIC): its owner is kept whenever it is not ``pg_database_owner`` and its grants
  and revokes are relative to that fresh ACL.
* **Owners** equal to the inspecting role are left out; **roles** are those the objects
  refer to (owners, grantees, policy roles) except the inspecting role, ``pg_*`` roles
  and PUBLIC; ``member_of`` lists memberships among them only.
* Constant values in SQL fragments are printed with ``DateStyle = ISO``,
  ``IntervalStyle = postgres`` and ``TimeZone = UTC``, whatever the session uses.

Not read, because the model has no place for them: tablespaces, access methods other
than heap, replica identity, ``CLUSTER ON``, per-column statistics targets, storage,
compression and options, operator class options, storage parameters of indexes that
back constraints, user-defined collations, range and base types, rules, statistics
objects, default privileges, the link symbol of C functions and the moving-aggregate and
serialization options of aggregates. Objects among these that a schema would miss
(rules, range and base types, collations, statistics objects, foreign tables, default
privileges, operators, casts, text search configurations, event triggers, publications,
tablespaces) are named in a warning of the ``dbarch.pg.introspect`` logger.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import pq
from psycopg.rows import dict_row
from psycopg.sql import SQL, Literal

from dbarch.errors import DatabaseError
from dbarch.gcpause import cycle_collector_paused
from dbarch.model.canonical import canonical
from dbarch.model.objects import Role, Schema
from dbarch.pg import catalog_sql as sql
from dbarch.pg.connect import connect
from dbarch.pg.introspect_common import PUBLIC, Context, Row, group_by
from dbarch.pg.introspect_routines import aggregate, function
from dbarch.pg.introspect_tables import (
    RelationParts,
    materialized_view,
    plain_indexes,
    policies,
    table,
    table_columns,
    table_constraints,
    triggers,
    undecided_indexes,
    view,
)
from dbarch.pg.introspect_types import extensions, schemas, sequences, user_types

MIN_SERVER_VERSION = 150000
logger = logging.getLogger(__name__)


class _Lane:
    """One connection and the worker thread that alone uses it while a reader is open."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._cursor = conn.cursor(row_factory=dict_row)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dbarch-catalog")

    def rows(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """The rows of ``query`` as dicts (on the worker thread)."""
        self._cursor.execute(query, params)
        return self._cursor.fetchall()

    def indexes(self) -> list[Row]:
        """Index rows, each with its ``elements`` and, when needed, its ``definition``."""
        indexes = self.rows(sql.INDEXES)
        elements = group_by(self.rows(sql.INDEX_ELEMENTS), "index_oid")
        undecided = undecided_indexes(indexes, elements)
        definitions = {
            row["oid"]: row["definition"]
            for row in self.rows(sql.INDEX_DEFINITIONS, {"oids": undecided})
        }
        return [
            {
                **index,
                "elements": elements[index["oid"]],
                "definition": definitions.get(index["oid"]),
            }
            for index in indexes
        ]


class CatalogReader:
    """Runs catalog queries on worker threads, one after another on each connection.

    Queries are asked for all at once and answered in order, so the rows of one family
    become model objects while the server still works on the next ones. With a
    ``helper`` connection (in a transaction on the same snapshot), the queries asked on
    lane 1 run there, beside those of lane 0 on ``conn``; without one, every lane is
    ``conn``. Only the workers use the connections until the reader is closed.
    """

    def __init__(
        self, conn: psycopg.Connection[Any], helper: psycopg.Connection[Any] | None = None
    ) -> None:
        self._lanes = [_Lane(conn)] + ([_Lane(helper)] if helper is not None else [])

    def __enter__(self) -> CatalogReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # queries not yet started are dropped; those running are waited for, so the
        # connections are free again when the transactions are rolled back
        for lane in self._lanes:
            lane.worker.shutdown(wait=True, cancel_futures=True)

    def _lane(self, number: int) -> _Lane:
        return self._lanes[min(number, len(self._lanes) - 1)]

    def ask(
        self, query: str, params: dict[str, Any] | None = None, lane: int = 0
    ) -> Future[list[Row]]:
        """The rows of ``query``, once the queries asked before it on its lane are
        answered."""
        chosen = self._lane(lane)
        return chosen.worker.submit(chosen.rows, query, params)

    def ask_everywhere(self, query: str) -> Future[list[Row]]:
        """``query`` (session settings) run on every connection; the rows of lane 0's."""
        asked = [lane.worker.submit(lane.rows, query, None) for lane in self._lanes]
        return asked[0]

    def ask_indexes(self, lane: int = 0) -> Future[list[Row]]:
        """Index rows, each with its ``elements`` and, when needed, its ``definition``."""
        chosen = self._lane(lane)
        return chosen.worker.submit(chosen.indexes)


def _referenced_roles(schema: Schema, ctx: Context) -> list[str]:
    """Roles the schema's objects refer to, sorted, without built-in ones."""
    names: set[str] = set()
    privileged = (
        *schema.schemas,
        *schema.enums,
        *schema.domains,
        *schema.composite_types,
        *schema.sequences,
        *schema.tables,
        *schema.views,
        *schema.materialized_views,
        *schema.functions,
        *schema.aggregates,
    )
    for obj in privileged:
        if obj.owner is not None:
            names.add(obj.owner)
        names.update(g.to for g in (*obj.grants, *obj.revokes))
    for t in schema.tables:
        for policy in t.policies:
            names.update(policy.roles)
    return sorted(
        n for n in names if n not in (PUBLIC, ctx.current_user) and not n.startswith("pg_")
    )


def _roles(rows: list[Row], referenced: list[str]) -> list[Role]:
    wanted = set(referenced)
    return [
        Role(
            name=row["name"],
            login=row["login"],
            superuser=row["superuser"],
            createdb=row["createdb"],
            createrole=row["createrole"],
            inherit=row["inherit"],
            replication=row["replication"],
            bypassrls=row["bypassrls"],
            connection_limit=row["connection_limit"],
            member_of=tuple(sorted(m for m in row["member_of"] if m in wanted)),
            comment=row["comment"],
        )
        for row in rows
    ]


_SHOWN_PER_KIND = 5


def _warn_left_out(rows: list[Row]) -> None:
    """A warning per kind of object the model has no place for, naming a few."""
    ordered = sorted(rows, key=lambda r: (r["kind"], r["name"]))
    for kind, group in group_by(ordered, "kind").items():
        names = [r["name"] for r in group]
        shown = ", ".join(names[:_SHOWN_PER_KIND])
        more = len(names) - _SHOWN_PER_KIND
        logger.warning(
            "the model has no place for %d %s%s, left out: %s%s",
            len(names),
            kind,
            "s" if len(names) > 1 else "",
            shown,
            f" and {more} more" if more > 0 else "",
        )


def _read(catalog: CatalogReader) -> Schema:
    setup = catalog.ask_everywhere(sql.SETUP).result()[0]
    if setup["server_version"] < MIN_SERVER_VERSION:
        raise DatabaseError(
            f"PostgreSQL 15 or newer is needed; the server is {setup['server_version']}"
        )
    ctx = Context(current_user=setup["current_user"])
    # asked in the order the answers are needed, the heaviest families first, on two
    # lanes of about equal work (one connection when there is no helper)
    columns_asked = catalog.ask(sql.COLUMNS)
    relations_asked = catalog.ask(sql.RELATIONS, lane=1)
    sequences_asked = catalog.ask(sql.SEQUENCES, lane=1)
    indexes_asked = catalog.ask_indexes(lane=1)
    constraints_asked = catalog.ask(sql.CONSTRAINTS)
    later = {
        name: catalog.ask(getattr(sql, name), lane=lane)
        for name, lane in (
            ("TRIGGERS", 1),
            ("POLICIES", 1),
            ("LEFT_OUT", 1),
            ("TYPES", 0),
            ("DOMAIN_CHECKS", 0),
            ("SCHEMAS", 0),
            ("EXTENSIONS", 0),
            ("FUNCTIONS", 0),
            ("AGGREGATES", 0),
        )
    }
    # built in the order the rows usually arrive
    relations = relations_asked.result()
    sequence_rows = sequences_asked.result()
    identities = {
        (s["table_oid"], s["column_number"]): s for s in sequence_rows if s["dependency"] == "i"
    }
    columns = group_by(columns_asked.result(), "relid")
    built_columns = table_columns(relations, columns, identities)
    indexes = group_by(indexes_asked.result(), "relid")
    built_indexes = plain_indexes(indexes)
    constraints = table_constraints(group_by(constraints_asked.result(), "relid"), indexes, columns)
    rows = {name: asked.result() for name, asked in later.items()}
    parts = RelationParts(
        column_rows=columns,
        columns=built_columns,
        indexes=built_indexes,
        constraints=constraints,
        triggers=triggers(group_by(rows["TRIGGERS"], "relid")),
        policies=policies(group_by(rows["POLICIES"], "relid")),
    )
    enums, domains, composites = user_types(rows["TYPES"], rows["DOMAIN_CHECKS"], columns, ctx)
    schema = Schema(
        schemas=tuple(schemas(rows["SCHEMAS"], ctx)),
        extensions=tuple(extensions(rows["EXTENSIONS"])),
        enums=tuple(enums),
        domains=tuple(domains),
        composite_types=tuple(composites),
        sequences=tuple(sequences(sequence_rows, ctx)),
        tables=tuple(table(r, parts, ctx) for r in relations if r["kind"] in ("r", "p")),
        views=tuple(view(r, parts, ctx) for r in relations if r["kind"] == "v"),
        materialized_views=tuple(
            materialized_view(r, parts, ctx) for r in relations if r["kind"] == "m"
        ),
        functions=tuple(function(r, ctx) for r in rows["FUNCTIONS"]),
        aggregates=tuple(aggregate(r, ctx) for r in rows["AGGREGATES"]),
    )
    settings = [
        {"kind": "column setting", "name": c["unmodelled_settings"]}
        for group in columns.values()
        for c in group
        if c["unmodelled_settings"] is not None
    ]
    _warn_left_out([*rows["LEFT_OUT"], *settings])
    referenced = _referenced_roles(schema, ctx)
    roles = _roles(catalog.ask(sql.ROLES, {"names": referenced}).result(), referenced)
    return canonical(schema.model_copy(update={"roles": tuple(roles)}))


def inspect_database(conn: psycopg.Connection[Any], *, helper_dsn: str | None = None) -> Schema:
    """The schema of the database ``conn`` is connected to, in canonical order.

    Runs in a transaction (a savepoint if one is open) that is rolled back, so the
    connection's settings are as they were; raises :class:`DatabaseError` when the
    server refuses a query or is older than PostgreSQL 15. With ``helper_dsn`` (the
    same database) and no transaction open, half the queries run on a second connection
    that shares the transaction's snapshot (as ``pg_dump -j`` does); when that
    connection cannot be had, everything runs on ``conn``.
    """
    status = conn.info.transaction_status
    if status == pq.TransactionStatus.INERROR:
        raise DatabaseError("the connection is in a failed transaction; roll it back first")
    try:
        with conn.transaction(force_rollback=True), cycle_collector_paused():
            if status == pq.TransactionStatus.IDLE:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            fresh = status == pq.TransactionStatus.IDLE
            with (
                snapshot_sharer(conn, helper_dsn if fresh else None) as helper,
                CatalogReader(conn, helper) as catalog,
            ):
                return _read(catalog)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot read the catalog: {exc}") from exc


@contextmanager
def snapshot_sharer(
    conn: psycopg.Connection[Any], dsn: str | None
) -> Iterator[psycopg.Connection[Any] | None]:
    """A second connection to ``dsn`` in a read-only transaction on the snapshot that
    ``conn``'s new transaction exports, rolled back and closed afterwards; ``None``
    without ``dsn`` or when the server does not give one (connection limits, a pooler
    that sends it to another server...)."""
    if dsn is None:
        yield None
        return
    snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
    try:
        helper = connect(dsn)
    except DatabaseError:
        yield None
        return
    with helper:
        try:
            helper.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            helper.execute(SQL("SET TRANSACTION SNAPSHOT {}").format(Literal(snapshot[0])))
        except psycopg.Error:
            yield None
            return
        try:
            yield helper
        finally:
            helper.rollback()


def inspect_dsn(dsn: str) -> Schema:
    """:func:`inspect_database` of a new connection to ``dsn`` (with a helper connection
    on the same snapshot), closed afterwards.

    Raises :class:`DatabaseError` (with any password masked) when it cannot connect.
    """
    with connect(dsn) as conn:
        return inspect_database(conn, helper_dsn=dsn)
