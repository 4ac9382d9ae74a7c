"""Catalog introspection: every object kind read back field by field from a real server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import pq
from psycopg.conninfo import make_conninfo

from dbarch.ddl import to_ddl
from dbarch.errors import DatabaseError
from dbarch.model.objects import (
    Aggregate,
    Attribute,
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    DomainCheck,
    EnumType,
    ExclusionConstraint,
    ExclusionElement,
    Extension,
    ForeignKey,
    Function,
    Grant,
    Identity,
    Index,
    IndexElement,
    MaterializedView,
    PartitionBy,
    Policy,
    PrimaryKey,
    Reference,
    Role,
    Schema,
    SchemaDef,
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
    Volatility,
)
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.introspect import (
    CatalogReader,
    inspect_database,
    inspect_dsn,
    snapshot_sharer,
)
from dbarch.pg.introspect_common import column_grants, privileges
from dbarch.pg.introspect_text import (
    element_decorations,
    index_elements,
    trigger_condition_and_arguments,
)
from dbarch.pg.sqlfiles import apply_sql
from tests.pgutil import dump_schema, run_sql

pytestmark = pytest.mark.all_pg_versions

CORPUS = Path("/work/shared/corpus")

# Roles are cluster-wide: created once per server, whichever test gets there first.
RICH_SQL = r'''
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intro_reader') THEN
        CREATE ROLE intro_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intro_outsider') THEN
        CREATE ROLE intro_outsider NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'Intro Writer') THEN
        CREATE ROLE "Intro Writer" NOLOGIN NOINHERIT IN ROLE intro_reader, intro_outsider;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intro_owner') THEN
        CREATE ROLE intro_owner LOGIN CREATEDB CONNECTION LIMIT 5;
    END IF;
END
$$;
COMMENT ON ROLE intro_reader IS 'reads everything';

CREATE SCHEMA app;
CREATE SCHEMA "Weird ""Schema""";
CREATE SCHEMA archive AUTHORIZATION intro_owner;
COMMENT ON SCHEMA app IS 'the application';
GRANT USAGE ON SCHEMA app TO intro_reader;
GRANT CREATE, USAGE ON SCHEMA app TO "Intro Writer" WITH GRANT OPTION;

CREATE TYPE app.status AS ENUM ('new', 'it''s "done"', 'Ünïcode', 'select');
COMMENT ON TYPE app.status IS 'life cycle';
REVOKE USAGE ON TYPE app.status FROM PUBLIC;
GRANT USAGE ON TYPE app.status TO intro_reader;
CREATE DOMAIN app.price AS numeric(10,2) DEFAULT 0 NOT NULL
    CONSTRAINT price_positive CHECK (VALUE >= 0)
    CONSTRAINT "price < max" CHECK (VALUE < 1000000);
ALTER DOMAIN app.price ADD CONSTRAINT price_cents CHECK (VALUE = round(VALUE, 2)) NOT VALID;
COMMENT ON DOMAIN app.price IS 'money';
COMMENT ON CONSTRAINT price_positive ON DOMAIN app.price IS 'no debts';
CREATE DOMAIN app.code AS text COLLATE "C";
CREATE DOMAIN app.plain AS text;
CREATE TYPE app."Pair" AS (left_side integer, "Right Side" text COLLATE "C");
COMMENT ON TYPE app."Pair" IS 'two things';
COMMENT ON COLUMN app."Pair"."Right Side" IS 'the right one';

CREATE SEQUENCE app.countdown AS smallint INCREMENT BY -1;
CREATE SEQUENCE app.tickets
    START WITH 100 INCREMENT BY 10 MINVALUE 50 MAXVALUE 100000 CACHE 20 CYCLE;
COMMENT ON SEQUENCE app.tickets IS 'ticket numbers';
GRANT USAGE ON SEQUENCE app.tickets TO intro_reader;

CREATE FUNCTION app."Touch"() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF RETURN a + b;
COMMENT ON FUNCTION app.add(integer, integer) IS 'adds';
CREATE FUNCTION app.evens(n integer) RETURNS SETOF integer LANGUAGE sql STABLE ROWS 10 COST 5
    BEGIN ATOMIC SELECT g FROM generate_series(0, n, 2) AS g; END;
CREATE FUNCTION app.secret() RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, app SET work_mem = '64MB'
    AS $$ BEGIN RETURN 'x'; END $$;
REVOKE EXECUTE ON FUNCTION app.secret() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.secret() TO "Intro Writer";
CREATE PROCEDURE app.reset(IN keep integer) LANGUAGE sql BEGIN ATOMIC SELECT keep; END;
CREATE FUNCTION app."final step"(integer) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT $1 * 2';
CREATE AGGREGATE app.biggest(integer) (
    SFUNC = int4larger, STYPE = integer, FINALFUNC = app."final step",
    COMBINEFUNC = int4larger, SORTOP = >, PARALLEL = SAFE);
COMMENT ON AGGREGATE app.biggest(integer) IS 'the max, doubled';
CREATE AGGREGATE app.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');

CREATE TABLE public.rooms (
    id integer PRIMARY KEY,
    name text,
    CONSTRAINT rooms_name_key UNIQUE (name) INCLUDE (id)
);
ALTER TABLE public.rooms OWNER TO intro_owner;
CREATE TABLE public.seats (
    room integer,
    n integer,
    CONSTRAINT seats_pkey PRIMARY KEY (room, n) DEFERRABLE
);

CREATE TABLE app.customers (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5 CACHE 2),
    email text COLLATE "C" NOT NULL,
    "Display Name" text,
    status app.status NOT NULL DEFAULT 'new',
    balance app.price,
    email_domain text GENERATED ALWAYS AS (split_part(email, '@', 2)) STORED,
    touched timestamptz,
    tenant integer NOT NULL DEFAULT 1,
    CONSTRAINT customers_pkey PRIMARY KEY (id) INCLUDE (email),
    CONSTRAINT customers_email_key UNIQUE NULLS NOT DISTINCT (email)
        DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT customers_id_email_key UNIQUE (id, email),
    CONSTRAINT "email has @" CHECK (position('@' in email) > 0)
);
ALTER TABLE app.customers ADD CONSTRAINT tenant_positive CHECK (tenant > 0) NO INHERIT;
ALTER TABLE app.customers ADD CONSTRAINT tenant_small CHECK (tenant < 1000) NOT VALID;
COMMENT ON TABLE app.customers IS 'who buys';
COMMENT ON COLUMN app.customers.email IS 'login';
COMMENT ON CONSTRAINT customers_pkey ON app.customers IS 'the key';
COMMENT ON CONSTRAINT customers_email_key ON app.customers IS 'one per address';
COMMENT ON CONSTRAINT "email has @" ON app.customers IS 'looks like mail';
ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON app.customers
    USING (tenant = current_setting('app.tenant')::integer) WITH CHECK (tenant > 0);
CREATE POLICY "readers see new" ON app.customers AS RESTRICTIVE FOR SELECT
    TO intro_reader, "Intro Writer" USING (status = 'new');
CREATE POLICY writers_insert ON app.customers FOR INSERT TO "Intro Writer" WITH CHECK (true);
COMMENT ON POLICY tenant_rows ON app.customers IS 'one tenant at a time';
CREATE TRIGGER touch BEFORE INSERT OR UPDATE OF email, "Display Name" ON app.customers
    FOR EACH ROW WHEN (NEW.email IS NOT NULL) EXECUTE FUNCTION app."Touch"();
COMMENT ON TRIGGER touch ON app.customers IS 'keeps touched';
GRANT SELECT, INSERT ON app.customers TO intro_reader WITH GRANT OPTION;
GRANT SELECT (email, "Display Name"), UPDATE ("Display Name") ON app.customers TO "Intro Writer";
GRANT REFERENCES (email) ON app.customers TO "Intro Writer";
REVOKE TRUNCATE ON app.customers FROM CURRENT_USER;

CREATE TABLE app.orders (
    id integer GENERATED BY DEFAULT AS IDENTITY
        (SEQUENCE NAME app.order_numbers MINVALUE 1 MAXVALUE 1000000),
    customer_id bigint,
    customer_email text COLLATE "C",
    ticket integer DEFAULT nextval('app.tickets'),
    period tsrange,
    seats int4range,
    room integer,
    placed_at timestamptz DEFAULT now(),
    note text DEFAULT 'none',
    PRIMARY KEY (id),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES app.customers (id)
        ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT orders_room_fk FOREIGN KEY (room) REFERENCES public.rooms ON DELETE RESTRICT
);
ALTER TABLE app.orders ADD CONSTRAINT orders_pair_fk FOREIGN KEY (customer_id, customer_email)
    REFERENCES app.customers (id, email) MATCH FULL ON DELETE SET DEFAULT NOT VALID;
ALTER TABLE app.orders ADD CONSTRAINT no_double_booking
    EXCLUDE USING gist (period WITH &&, int4range(room, room, '[]') WITH &&)
    WHERE (room IS NOT NULL) DEFERRABLE;
ALTER TABLE app.orders ADD CONSTRAINT seats_apart EXCLUDE USING gist (seats WITH &&) INCLUDE (note);
COMMENT ON CONSTRAINT no_double_booking ON app.orders IS 'one booking per room';
COMMENT ON CONSTRAINT orders_customer_fk ON app.orders IS 'who ordered';
ALTER SEQUENCE app.tickets OWNED BY app.orders.ticket;
CREATE SEQUENCE app.note_numbers OWNED BY app.orders.note;
CREATE INDEX orders_placed ON app.orders (placed_at DESC NULLS LAST) WHERE note <> 'none';
CREATE INDEX orders_placed_nulls_first ON app.orders (placed_at NULLS FIRST);
CREATE INDEX orders_placed_desc ON app.orders (placed_at DESC);
CREATE INDEX orders_customer ON app.orders (customer_id) INCLUDE (note, ticket)
    WITH (fillfactor = 80);
COMMENT ON INDEX app.orders_customer IS 'by customer';
CREATE INDEX orders_note_pattern ON app.orders (note text_pattern_ops);
CREATE INDEX orders_expressions ON app.orders (lower(note) COLLATE "C", (room + 1));
CREATE INDEX orders_ticket_hash ON app.orders USING hash (ticket);
CREATE INDEX orders_period_gist ON app.orders USING gist (period);
CREATE INDEX orders_placed_brin ON app.orders USING brin (placed_at) WITH (pages_per_range = 16);
CREATE INDEX orders_note_spgist ON app.orders USING spgist (note);
CREATE UNIQUE INDEX orders_ticket_unique ON app.orders (ticket) NULLS NOT DISTINCT;
CREATE TRIGGER "audit rows" AFTER UPDATE ON app.orders
    REFERENCING OLD TABLE AS "old rows" NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION public.noop('it''s', 'back\slash', '');
CREATE TRIGGER orders_truncate BEFORE TRUNCATE ON app.orders
    FOR EACH STATEMENT EXECUTE FUNCTION public.noop();
ALTER TABLE app.orders ENABLE REPLICA TRIGGER orders_truncate;
CREATE TRIGGER orders_always AFTER INSERT ON app.orders
    FOR EACH ROW EXECUTE FUNCTION public.noop();
ALTER TABLE app.orders ENABLE ALWAYS TRIGGER orders_always;
CREATE CONSTRAINT TRIGGER orders_check AFTER INSERT OR UPDATE ON app.orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.noop();
ALTER TABLE app.orders DISABLE TRIGGER orders_check;

CREATE TABLE "Weird ""Schema"""."Order Lines" (
    "select" integer NOT NULL,
    "Mixed Case" text,
    "ünï" jsonb DEFAULT '{}'::jsonb NOT NULL,
    "quote""d" text[],
    CONSTRAINT "Order Lines pkey" PRIMARY KEY ("select")
) WITH (fillfactor = 70, autovacuum_enabled = false, toast.autovacuum_enabled = false);
CREATE INDEX "gin path" ON "Weird ""Schema"""."Order Lines" USING gin ("ünï" jsonb_path_ops);
CREATE INDEX "gin tags" ON "Weird ""Schema"""."Order Lines" USING gin ("quote""d");
COMMENT ON COLUMN "Weird ""Schema"""."Order Lines"."quote""d" IS 'it''s quoted';
CREATE UNLOGGED TABLE public.scratch (id integer);

CREATE TABLE app.events (
    id bigint NOT NULL,
    at timestamptz NOT NULL,
    kind text NOT NULL,
    customer_id bigint REFERENCES app.customers (id),
    CONSTRAINT events_pkey PRIMARY KEY (id, at, kind),
    CONSTRAINT events_kind_check CHECK (kind <> '')
) PARTITION BY RANGE (at);
CREATE INDEX events_kind ON app.events (kind);
CREATE TRIGGER events_noop AFTER INSERT ON app.events
    FOR EACH ROW EXECUTE FUNCTION public.noop();
CREATE TABLE app.events_2024 PARTITION OF app.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
CREATE TABLE app.events_2024_clicks PARTITION OF app.events_2024 FOR VALUES IN ('click', 'tap');
CREATE TABLE app.events_2024_rest PARTITION OF app.events_2024 DEFAULT;
CREATE TABLE archive.events_old PARTITION OF app.events
    FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
CREATE TABLE app.events_other PARTITION OF app.events DEFAULT;
ALTER TABLE app.events_other ADD CONSTRAINT other_local_check CHECK (id > 0);
CREATE INDEX events_other_local ON app.events_other (customer_id);
CREATE TABLE public.buckets (id integer NOT NULL, v text) PARTITION BY HASH (id);
CREATE TABLE public.buckets_0 PARTITION OF public.buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.buckets_1 PARTITION OF public.buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE TABLE public.vehicles (
    id integer NOT NULL,
    wheels integer DEFAULT 4,
    CONSTRAINT wheels_positive CHECK (wheels > 0)
);
CREATE TABLE public.registered (plate text);
CREATE TABLE public.trucks (payload numeric, wheels integer DEFAULT 6)
    INHERITS (public.vehicles, public.registered);

CREATE VIEW app.active_customers WITH (security_barrier) AS
    SELECT id, email, "Display Name" FROM app.customers WHERE status <> 'new'
    WITH LOCAL CHECK OPTION;
COMMENT ON VIEW app.active_customers IS 'active ones';
COMMENT ON COLUMN app.active_customers.email IS 'their login';
GRANT SELECT ON app.active_customers TO intro_reader;
GRANT UPDATE (email) ON app.active_customers TO "Intro Writer";
ALTER VIEW app.active_customers OWNER TO intro_owner;
CREATE VIEW public.invoker_view WITH (security_invoker = true) AS SELECT 1 AS one;
CREATE TRIGGER invoker_insert INSTEAD OF INSERT ON public.invoker_view
    FOR EACH ROW EXECUTE FUNCTION public.noop();
CREATE MATERIALIZED VIEW app.order_counts WITH (fillfactor = 90) AS
    SELECT customer_id, count(*) AS orders FROM app.orders GROUP BY customer_id
    WITH NO DATA;
CREATE UNIQUE INDEX order_counts_customer ON app.order_counts (customer_id);
COMMENT ON MATERIALIZED VIEW app.order_counts IS 'orders per customer';
COMMENT ON COLUMN app.order_counts.orders IS 'how many';
'''


@dataclass(frozen=True)
class Inspected:
    """The rich database, its model and the role that inspected it."""

    dsn: str
    schema: Schema
    user: str
    version: int


@pytest.fixture(scope="module")
def rich(pg_server: DevServer) -> Iterator[Inspected]:
    with pg_server.scratch() as dsn:
        run_sql(dsn, RICH_SQL)
        with connect(dsn) as conn:
            user = conn.execute("SELECT current_user").fetchone()[0]  # type: ignore[index]
            yield Inspected(dsn, inspect_database(conn), user, pg_server.version)


def _table(schema: Schema, name: str, namespace: str = "public") -> Table:
    table = schema.table(name, namespace)
    assert table is not None, f"{namespace}.{name} not inspected"
    return table


def _named(items: tuple[Any, ...], name: str) -> Any:
    found = [item for item in items if item.name == name]
    assert len(found) == 1, f"{name} not found once in {[i.name for i in items]}"
    return found[0]


# --------------------------------------------------------------------------- cluster objects


def test_roles_are_those_the_objects_refer_to(rich: Inspected) -> None:
    assert rich.schema.roles == (
        Role(name="Intro Writer", inherit=False, member_of=("intro_reader",)),
        Role(name="intro_owner", login=True, createdb=True, connection_limit=5),
        Role(name="intro_reader", comment="reads everything"),
    )
    names = {r.name for r in rich.schema.roles}
    assert rich.user not in names  # the inspecting role is never listed
    assert "intro_outsider" not in names  # only a role Intro Writer belongs to


def test_schemas_with_owner_grants_and_comment(rich: Inspected) -> None:
    assert rich.schema.schemas == (
        SchemaDef(name='Weird "Schema"'),
        SchemaDef(
            name="app",
            comment="the application",
            grants=(
                Grant(to="intro_reader", privileges=("USAGE",)),
                Grant(to="Intro Writer", privileges=("USAGE", "CREATE"), grant_option=True),
            ),
        ),
        SchemaDef(name="archive", owner="intro_owner"),
    )


def test_a_fresh_public_schema_is_left_out_and_a_changed_one_kept(
    fresh_db: str, rich: Inspected
) -> None:  # rich: its roles exist
    assert inspect_dsn(fresh_db).schemas == ()
    run_sql(
        fresh_db,
        "REVOKE USAGE ON SCHEMA public FROM PUBLIC;"
        "GRANT CREATE ON SCHEMA public TO intro_reader;"
        "COMMENT ON SCHEMA public IS 'ours';",
    )
    assert inspect_dsn(fresh_db).schemas == (
        SchemaDef(
            name="public",
            comment="ours",
            grants=(Grant(to="intro_reader", privileges=("CREATE",)),),
            revokes=(Grant(to="PUBLIC", privileges=("USAGE",)),),
        ),
    )
    with connect(fresh_db) as conn:
        user = conn.execute("SELECT current_user").fetchone()[0]  # type: ignore[index]
        conn.execute("ALTER SCHEMA public OWNER TO CURRENT_USER")
        conn.execute("COMMENT ON SCHEMA public IS 'standard public schema'")
        conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
        conn.execute("REVOKE CREATE ON SCHEMA public FROM intro_reader")
    # the owner of public is kept even when it is the inspecting role
    assert inspect_dsn(fresh_db).schemas == (SchemaDef(name="public", owner=user),)


# --------------------------------------------------------------------------- types, sequences


def test_enum_labels_in_sort_order_with_privileges(rich: Inspected) -> None:
    assert rich.schema.enums == (
        EnumType(
            name="status",
            schema_="app",
            values=("new", 'it\'s "done"', "Ünïcode", "select"),
            comment="life cycle",
            grants=(Grant(to="intro_reader", privileges=("USAGE",)),),
            revokes=(Grant(to="PUBLIC", privileges=("USAGE",)),),
        ),
    )


def test_domains(rich: Inspected) -> None:
    assert rich.schema.domains == (
        Domain(name="code", schema_="app", type="text", collation="C"),
        Domain(name="plain", schema_="app", type="text"),
        Domain(
            name="price",
            schema_="app",
            type="numeric(10,2)",
            nullable=False,
            default="0",
            comment="money",
            checks=(
                DomainCheck(name="price < max", check="(VALUE < (1000000)::numeric)"),
                DomainCheck(name="price_cents", check="(VALUE = round(VALUE, 2))", not_valid=True),
                DomainCheck(
                    name="price_positive", check="(VALUE >= (0)::numeric)", comment="no debts"
                ),
            ),
        ),
    )


def test_composite_types(rich: Inspected) -> None:
    assert rich.schema.composite_types == (
        CompositeType(
            name="Pair",
            schema_="app",
            comment="two things",
            attributes=(
                Attribute(name="left_side", type="integer"),
                Attribute(name="Right Side", type="text", collation="C", comment="the right one"),
            ),
        ),
    )


def test_standalone_sequences_with_non_default_options_only(rich: Inspected) -> None:
    assert rich.schema.sequences == (
        Sequence(name="countdown", schema_="app", type="smallint", increment=-1),
        Sequence(name="note_numbers", schema_="app", owned_by="orders.note"),
        Sequence(
            name="tickets",
            schema_="app",
            start=100,
            increment=10,
            min_value=50,
            max_value=100000,
            cache=20,
            cycle=True,
            owned_by="orders.ticket",
            comment="ticket numbers",
            grants=(Grant(to="intro_reader", privileges=("USAGE",)),),
        ),
    )  # identity sequences (order_numbers, customers_id_seq) belong to their columns


# --------------------------------------------------------------------------- tables


def test_columns_identity_generated_collation_defaults(rich: Inspected) -> None:
    customers = _table(rich.schema, "customers", "app")
    assert customers.columns == (
        Column(
            name="id",
            type="bigint",
            nullable=False,
            identity=Identity(generation="always", start=10, increment=5, cache=2),
        ),
        Column(name="email", type="text", nullable=False, collation="C", comment="login"),
        Column(name="Display Name", type="text"),
        Column(name="status", type="app.status", nullable=False, default="'new'::app.status"),
        Column(name="balance", type="app.price"),
        Column(name="email_domain", type="text", generated="split_part(email, '@'::text, 2)"),
        Column(name="touched", type="timestamp with time zone"),
        Column(name="tenant", type="integer", nullable=False, default="1"),
    )
    orders = _table(rich.schema, "orders", "app")
    assert orders.columns[0] == Column(
        name="id",
        type="integer",
        nullable=False,
        identity=Identity(max_value=1000000, sequence="order_numbers"),
    )
    assert orders.columns[3].default == "nextval('app.tickets'::regclass)"


def test_table_owner_grants_column_grants_and_revokes(rich: Inspected) -> None:
    customers = _table(rich.schema, "customers", "app")
    assert customers.owner is None  # the inspecting role's
    assert customers.comment == "who buys"
    assert customers.grants == (
        Grant(to="intro_reader", privileges=("INSERT", "SELECT"), grant_option=True),
        Grant(to="Intro Writer", privileges=("SELECT", "REFERENCES"), columns=("email",)),
        Grant(to="Intro Writer", privileges=("SELECT", "UPDATE"), columns=("Display Name",)),
    )
    assert customers.revokes == (Grant(to=rich.user, privileges=("TRUNCATE",)),)
    assert _table(rich.schema, "rooms").owner == "intro_owner"


def test_primary_unique_and_check_constraints(rich: Inspected) -> None:
    customers = _table(rich.schema, "customers", "app")
    assert customers.primary_key == PrimaryKey(
        name="customers_pkey", columns=("id",), include=("email",), comment="the key"
    )
    assert customers.unique == (
        UniqueConstraint(
            name="customers_email_key",
            columns=("email",),
            nulls_not_distinct=True,
            deferrable=True,
            initially_deferred=True,
            comment="one per address",
        ),
        UniqueConstraint(name="customers_id_email_key", columns=("id", "email")),
    )
    assert customers.checks == (
        CheckConstraint(
            name="email has @",
            check="(POSITION(('@'::text) IN (email)) > 0)",
            comment="looks like mail",
        ),
        CheckConstraint(name="tenant_positive", check="(tenant > 0)", no_inherit=True),
        CheckConstraint(name="tenant_small", check="(tenant < 1000)", not_valid=True),
    )
    assert _table(rich.schema, "rooms").unique == (
        UniqueConstraint(name="rooms_name_key", columns=("name",), include=("id",)),
    )
    assert _table(rich.schema, "seats").primary_key == PrimaryKey(
        name="seats_pkey", columns=("room", "n"), deferrable=True
    )


def test_foreign_keys_with_every_option(rich: Inspected) -> None:
    assert _table(rich.schema, "orders", "app").foreign_keys == (
        ForeignKey(
            name="orders_customer_fk",
            columns=("customer_id",),
            references=Reference(table="customers", columns=("id",), schema_="app"),
            on_delete="set null",
            on_update="cascade",
            deferrable=True,
            initially_deferred=True,
            comment="who ordered",
        ),
        ForeignKey(
            name="orders_pair_fk",
            columns=("customer_id", "customer_email"),
            references=Reference(table="customers", columns=("id", "email"), schema_="app"),
            on_delete="set default",
            match_full=True,
            not_valid=True,
        ),
        ForeignKey(
            name="orders_room_fk",
            columns=("room",),
            references=Reference(table="rooms", columns=("id",)),
            on_delete="restrict",
        ),
    )


def test_exclusion_constraints(rich: Inspected) -> None:
    assert _table(rich.schema, "orders", "app").exclusions == (
        ExclusionConstraint(
            name="no_double_booking",
            elements=(
                ExclusionElement(column="period", operator="&&"),
                ExclusionElement(expression="int4range(room, room, '[]'::text)", operator="&&"),
            ),
            where="(room IS NOT NULL)",
            deferrable=True,
            comment="one booking per room",
        ),
        ExclusionConstraint(
            name="seats_apart",
            elements=(ExclusionElement(column="seats", operator="&&"),),
            include=("note",),
        ),
    )


def test_indexes_of_every_kind(rich: Inspected) -> None:
    indexes = _table(rich.schema, "orders", "app").indexes
    expected = {
        "orders_customer": Index(
            name="orders_customer",
            columns=("customer_id",),
            include=("note", "ticket"),
            with_={"fillfactor": "80"},
            comment="by customer",
        ),
        "orders_expressions": Index(
            name="orders_expressions",
            columns=(
                IndexElement(expression="lower(note)", collation="C"),
                IndexElement(expression="(room + 1)"),
            ),
        ),
        "orders_note_pattern": Index(
            name="orders_note_pattern",
            columns=(IndexElement(column="note", opclass="text_pattern_ops"),),
        ),
        "orders_note_spgist": Index(name="orders_note_spgist", columns=("note",), using="spgist"),
        "orders_period_gist": Index(name="orders_period_gist", columns=("period",), using="gist"),
        "orders_placed": Index(
            name="orders_placed",
            columns=(IndexElement(column="placed_at", descending=True, nulls_first=False),),
            where="(note <> 'none'::text)",
        ),
        "orders_placed_brin": Index(
            name="orders_placed_brin",
            columns=("placed_at",),
            using="brin",
            with_={"pages_per_range": "16"},
        ),
        "orders_placed_desc": Index(
            name="orders_placed_desc",
            columns=(IndexElement(column="placed_at", descending=True),),
        ),
        "orders_placed_nulls_first": Index(
            name="orders_placed_nulls_first",
            columns=(IndexElement(column="placed_at", nulls_first=True),),
        ),
        "orders_ticket_hash": Index(name="orders_ticket_hash", columns=("ticket",), using="hash"),
        "orders_ticket_unique": Index(
            name="orders_ticket_unique",
            columns=("ticket",),
            unique=True,
            nulls_not_distinct=True,
        ),
    }
    assert indexes == tuple(expected[name] for name in sorted(expected))
    lines = _table(rich.schema, "Order Lines", 'Weird "Schema"')
    assert lines.indexes == (
        Index(
            name="gin path",
            columns=(IndexElement(column="ünï", opclass="jsonb_path_ops"),),
            using="gin",
        ),
        Index(name="gin tags", columns=('quote"d',), using="gin"),
    )


def test_storage_parameters_persistence_and_row_security(rich: Inspected) -> None:
    lines = _table(rich.schema, "Order Lines", 'Weird "Schema"')
    assert list(lines.with_.items()) == [
        ("fillfactor", "70"),
        ("autovacuum_enabled", "false"),
        ("toast.autovacuum_enabled", "false"),
    ]
    assert lines.columns[3] == Column(name='quote"d', type="text[]", comment="it's quoted")
    assert _table(rich.schema, "scratch").unlogged
    customers = _table(rich.schema, "customers", "app")
    assert customers.row_security and customers.force_row_security


def test_policies(rich: Inspected) -> None:
    assert _table(rich.schema, "customers", "app").policies == (
        Policy(
            name="readers see new",
            command="select",
            permissive=False,
            roles=("Intro Writer", "intro_reader"),
            using="(status = 'new'::app.status)",
        ),
        Policy(
            name="tenant_rows",
            using="(tenant = (current_setting('app.tenant'::text))::integer)",
            with_check="(tenant > 0)",
            comment="one tenant at a time",
        ),
        Policy(name="writers_insert", command="insert", roles=("Intro Writer",), with_check="true"),
    )


def test_triggers(rich: Inspected) -> None:
    assert _table(rich.schema, "customers", "app").triggers == (
        Trigger(
            name="touch",
            timing="before",
            events=("insert", "update"),
            update_of=("email", "Display Name"),
            for_each="row",
            when="new.email IS NOT NULL",
            function='app."Touch"',
            comment="keeps touched",
        ),
    )
    assert _table(rich.schema, "orders", "app").triggers == (
        Trigger(
            name="audit rows",
            timing="after",
            events=("update",),
            function="noop",
            arguments=("it's", "back\\slash", ""),
            referencing_old="old rows",
            referencing_new="new_rows",
        ),
        Trigger(
            name="orders_always",
            timing="after",
            events=("insert",),
            for_each="row",
            function="noop",
            enabled="always",
        ),
        Trigger(
            name="orders_check",
            timing="after",
            events=("insert", "update"),
            for_each="row",
            function="noop",
            constraint=True,
            deferrable=True,
            initially_deferred=True,
            enabled="disabled",
        ),
        Trigger(
            name="orders_truncate",
            timing="before",
            events=("truncate",),
            function="noop",
            enabled="replica",
        ),
    )


# --------------------------------------------------------------------------- partitions


def test_partitioned_table_and_its_partitions(rich: Inspected) -> None:
    events = _table(rich.schema, "events", "app")
    assert events.partition_by == PartitionBy(strategy="range", key="at")
    assert [c.name for c in events.columns] == ["id", "at", "kind", "customer_id"]
    assert [k.name for k in events.foreign_keys] == ["events_customer_id_fkey"]
    assert [c.name for c in events.checks] == ["events_kind_check"]
    assert [t.name for t in events.triggers] == ["events_noop"]

    middle = _table(rich.schema, "events_2024", "app")
    assert middle.partition_of == "events"
    assert middle.partition_bound == (
        "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')"
    )
    assert middle.partition_by == PartitionBy(strategy="list", key="kind")
    # all columns, the attached key and index; nothing cloned from the parent
    assert [c.name for c in middle.columns] == ["id", "at", "kind", "customer_id"]
    assert middle.primary_key == PrimaryKey(name="events_2024_pkey", columns=("id", "at", "kind"))
    assert middle.indexes == (Index(name="events_2024_kind_idx", columns=("kind",)),)
    assert middle.foreign_keys == middle.checks == middle.triggers == ()

    clicks = _table(rich.schema, "events_2024_clicks", "app")
    assert (clicks.partition_of, clicks.partition_bound) == (
        "events_2024",
        "FOR VALUES IN ('click', 'tap')",
    )
    assert _table(rich.schema, "events_2024_rest", "app").partition_bound == "DEFAULT"
    old = _table(rich.schema, "events_old", "archive")
    assert old.partition_of == "app.events"  # qualified: another schema than the partition's
    assert old.partition_bound == "FOR VALUES FROM (MINVALUE) TO ('2024-01-01 00:00:00+00')"
    other = _table(rich.schema, "events_other", "app")
    assert other.checks == (CheckConstraint(name="other_local_check", check="(id > 0)"),)
    assert [i.name for i in other.indexes] == ["events_other_kind_idx", "events_other_local"]

    assert _table(rich.schema, "buckets").partition_by == PartitionBy(strategy="hash", key="id")
    assert _table(rich.schema, "buckets_1").partition_bound == (
        "FOR VALUES WITH (modulus 2, remainder 1)"
    )


def test_inheritance_lists_local_columns_only(rich: Inspected) -> None:
    trucks = _table(rich.schema, "trucks")
    assert trucks.inherits == ("vehicles", "registered")
    assert trucks.columns == (
        Column(name="wheels", type="integer", default="6"),
        Column(name="payload", type="numeric"),
    )
    assert trucks.checks == ()  # wheels_positive is the parent's
    assert _table(rich.schema, "vehicles").checks == (
        CheckConstraint(name="wheels_positive", check="(wheels > 0)"),
    )


# --------------------------------------------------------------------------- views


def test_views(rich: Inspected) -> None:
    active = _named(rich.schema.views, "active_customers")
    query = (
        'SELECT id,\n    email,\n    "Display Name"\n   FROM app.customers\n'
        "  WHERE status <> 'new'::app.status"
    )
    if rich.version == 15:  # PostgreSQL 15 qualifies the columns
        query = (
            'SELECT customers.id,\n    customers.email,\n    customers."Display Name"\n'
            "   FROM app.customers\n  WHERE customers.status <> 'new'::app.status"
        )
    assert active == View(
        name="active_customers",
        schema_="app",
        query=query,
        check_option="local",
        security_barrier=True,
        owner="intro_owner",
        comment="active ones",
        column_comments={"email": "their login"},
        grants=(
            Grant(to="intro_reader", privileges=("SELECT",)),
            Grant(to="Intro Writer", privileges=("UPDATE",), columns=("email",)),
        ),
    )
    assert _named(rich.schema.views, "invoker_view") == View(
        name="invoker_view",
        query="SELECT 1 AS one",
        security_invoker=True,
        triggers=(
            Trigger(
                name="invoker_insert",
                timing="instead of",
                events=("insert",),
                for_each="row",
                function="noop",
            ),
        ),
    )


def test_materialized_views(rich: Inspected) -> None:
    query = (
        "SELECT customer_id,\n    count(*) AS orders\n   FROM app.orders\n  GROUP BY customer_id"
    )
    if rich.version == 15:
        query = (
            "SELECT orders.customer_id,\n    count(*) AS orders\n   FROM app.orders\n"
            "  GROUP BY orders.customer_id"
        )
    assert rich.schema.materialized_views == (
        MaterializedView(
            name="order_counts",
            schema_="app",
            query=query,
            indexes=(Index(name="order_counts_customer", columns=("customer_id",), unique=True),),
            with_={"fillfactor": "90"},
            comment="orders per customer",
            column_comments={"orders": "how many"},
        ),
    )


# --------------------------------------------------------------------------- routines


def test_functions_and_procedures(rich: Inspected) -> None:
    functions = rich.schema.functions
    assert _named(functions, "add") == Function(
        name="add",
        schema_="app",
        arguments="a integer, b integer DEFAULT 1",
        returns="integer",
        language="sql",
        sql_body="RETURN (a + b)",
        volatility=Volatility.immutable,
        strict=True,
        leakproof=True,
        parallel="safe",
        comment="adds",
    )
    evens = _named(functions, "evens")
    assert (evens.returns, evens.cost, evens.rows, evens.volatility) == (
        "SETOF integer",
        5.0,
        10.0,
        Volatility.stable,
    )
    assert evens.body is None
    assert evens.sql_body is not None and evens.sql_body.startswith("BEGIN ATOMIC\n")
    assert evens.sql_body.endswith("\nEND")
    assert _named(functions, "secret") == Function(
        name="secret",
        schema_="app",
        returns="text",
        body=" BEGIN RETURN 'x'; END ",
        security_definer=True,
        config={"search_path": "pg_catalog, app", "work_mem": "64MB"},
        grants=(Grant(to="Intro Writer", privileges=("EXECUTE",)),),
        revokes=(Grant(to="PUBLIC", privileges=("EXECUTE",)),),
    )
    reset = _named(functions, "reset")
    assert (reset.kind, reset.arguments, reset.returns) == ("procedure", "IN keep integer", None)
    assert _named(functions, "final step").body == "SELECT $1 * 2"
    assert _named(functions, "noop").cost is None  # plpgsql's default of 100


def test_aggregates(rich: Inspected) -> None:
    assert rich.schema.aggregates == (
        Aggregate(
            name="biggest",
            schema_="app",
            arguments="integer",
            sfunc="int4larger",
            stype="integer",
            finalfunc='app."final step"',
            combinefunc="int4larger",
            sortop=">",
            parallel="safe",
            comment="the max, doubled",
        ),
        Aggregate(
            name="total",
            schema_="app",
            arguments="integer",
            sfunc="int4pl",
            stype="integer",
            initcond="0",
        ),
    )


# --------------------------------------------------------------------------- whole database


def test_ddl_of_the_model_rebuilds_a_database_pg_dump_cannot_tell_apart(
    rich: Inspected, pg_server: DevServer
) -> None:
    # Storage parameters are compared as a set: PostgreSQL keeps them in the order
    # written, which the model keeps and the DDL does not (yet).
    original = dump_schema(rich.dsn, pg_server.bindir)
    with pg_server.scratch() as copy:
        run_sql(copy, to_ddl(rich.schema))
        assert inspect_dsn(copy) == rich.schema
        rebuilt = dump_schema(copy, pg_server.bindir)
    assert _sorted_options(rebuilt) == _sorted_options(original)


def _sorted_options(dump: str) -> str:
    return "\n".join(
        "WITH (" + ", ".join(sorted(line[6:-2].split(", "))) + ");"
        if line.startswith("WITH (") and line.endswith(");")
        else line
        for line in dump.splitlines()
    )


def test_the_same_database_gives_the_same_model_whatever_the_session(rich: Inspected) -> None:
    with connect(rich.dsn) as conn:
        conn.execute('SET search_path = app, "Weird ""Schema"""')
        conn.execute("SET TimeZone = 'Pacific/Kiritimati'")
        conn.execute("SET DateStyle = 'SQL, DMY'")
        conn.execute("SET quote_all_identifiers = on")
        assert inspect_database(conn) == rich.schema


def test_extension_members_are_left_out(fresh_db: str) -> None:
    available = {row[0] for row in run_sql(fresh_db, "SELECT name FROM pg_available_extensions")}
    extension = next((e for e in ("citext", "vector", "hstore") if e in available), None)
    if extension is None:
        pytest.skip("no extension with types, functions and aggregates to try")
    run_sql(
        fresh_db,
        f"CREATE SCHEMA ext; CREATE EXTENSION {extension} WITH SCHEMA ext;"
        f"CREATE TABLE uses_it (v ext.{extension});",
    )
    schema = inspect_dsn(fresh_db)
    assert schema.extensions == (Extension(name=extension, schema_="ext"),)
    assert schema.schemas == (SchemaDef(name="ext"),)
    assert [t.name for t in schema.tables] == ["uses_it"]
    assert schema.tables[0].columns == (Column(name="v", type=f"ext.{extension}"),)
    assert schema.functions == schema.aggregates == ()
    assert schema.enums == schema.domains == schema.composite_types == ()


# --------------------------------------------------------------------------- queries, sessions


def _generated_tables(count: int) -> str:
    """``count`` tables, each with most object kinds hanging off it."""
    parts = ["CREATE TABLE t0 (id integer PRIMARY KEY);"]
    for n in range(1, count):
        parts.append(
            f"CREATE TABLE t{n} (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            f" parent integer REFERENCES t0, note text DEFAULT 'x' CHECK (note <> ''),"
            f" tags text[], at tsrange, EXCLUDE USING gist (at WITH &&));"
            f"CREATE INDEX t{n}_note ON t{n} (lower(note)) WHERE note <> 'y';"
            f"CREATE INDEX t{n}_tags ON t{n} USING gin (tags);"
            f"CREATE TRIGGER t{n}_touch BEFORE UPDATE ON t{n}"
            f" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch('a');"
            f"CREATE POLICY t{n}_own ON t{n} TO intro_reader USING (true);"
            f"CREATE VIEW v{n} AS SELECT id FROM t{n};"
            f"COMMENT ON TABLE t{n} IS 'table {n}';"
            f"GRANT SELECT (note) ON t{n} TO intro_reader;"
        )
    return "\n".join(parts)


def _queries_to_inspect(dsn: str) -> int:
    executed = 0

    class Counting(psycopg.Cursor[Any]):
        def execute(self, *args: Any, **kwargs: Any) -> Any:
            nonlocal executed
            executed += 1
            return super().execute(*args, **kwargs)

    with psycopg.connect(dsn, cursor_factory=Counting, autocommit=True) as conn:
        inspect_database(conn)
    return executed


def test_the_number_of_queries_does_not_grow_with_the_tables(
    pg_server: DevServer, rich: Inspected
) -> None:
    counts = []
    for tables in (5, 50):
        with pg_server.scratch() as dsn:
            run_sql(
                dsn,
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql"
                " AS $$ BEGIN RETURN NEW; END $$;" + _generated_tables(tables),
            )
            assert len(inspect_dsn(dsn).tables) == tables
            counts.append(_queries_to_inspect(dsn))
    assert counts[0] == counts[1] == _queries_to_inspect(rich.dsn)


def test_the_connection_is_left_as_it_was(rich: Inspected) -> None:
    with psycopg.connect(rich.dsn) as conn:  # not autocommit
        conn.execute("SET search_path = app")
        conn.execute("SET TimeZone = 'Asia/Tokyo'")
        conn.commit()
        assert conn.info.transaction_status == pq.TransactionStatus.IDLE
        inspect_database(conn)
        assert conn.info.transaction_status == pq.TransactionStatus.IDLE
        assert conn.execute("SHOW search_path").fetchone() == ("app",)
        assert conn.execute("SHOW TimeZone").fetchone() == ("Asia/Tokyo",)


def test_an_open_transaction_is_kept_and_its_changes_are_seen(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        conn.execute("CREATE TABLE pending (id integer)")
        conn.execute("SET LOCAL search_path = pg_catalog")
        assert conn.info.transaction_status == pq.TransactionStatus.INTRANS
        schema = inspect_database(conn)
        assert [t.name for t in schema.tables] == ["pending"]
        assert conn.info.transaction_status == pq.TransactionStatus.INTRANS
        assert conn.execute("SHOW search_path").fetchone() == ("pg_catalog",)
        conn.rollback()
    assert inspect_dsn(fresh_db).tables == ()


def test_a_failed_transaction_is_refused(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        with pytest.raises(psycopg.errors.DivisionByZero):
            conn.execute("SELECT 1 / 0")
        with pytest.raises(DatabaseError, match="failed transaction"):
            inspect_database(conn)


def test_a_refused_catalog_query_is_a_database_error(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intro_limited')"
        " THEN CREATE ROLE intro_limited LOGIN; END IF; END $$;"
        "REVOKE EXECUTE ON FUNCTION pg_catalog.pg_get_function_sqlbody(oid) FROM PUBLIC;",
    )
    with psycopg.connect(make_conninfo(fresh_db, user="intro_limited")) as conn:
        with pytest.raises(DatabaseError, match="cannot read the catalog: permission denied"):
            inspect_database(conn)
        assert conn.info.transaction_status == pq.TransactionStatus.IDLE


def test_a_catalog_reader_closed_early_drops_the_queries_not_started(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn:
        with pytest.raises(RuntimeError, match="stop"), CatalogReader(conn) as catalog:
            running = catalog.ask("SELECT pg_sleep(1)")
            queued = [catalog.ask("SELECT 1 AS one") for _ in range(20)]
            raise RuntimeError("stop")
        assert running.done() and not running.cancelled()
        assert all(asked.cancelled() for asked in queued)
        assert conn.execute("SELECT 2").fetchone() == (2,)


def test_catalog_reader_answers_in_the_order_asked(fresh_db: str) -> None:
    with psycopg.connect(fresh_db) as conn, CatalogReader(conn) as catalog:
        slow = catalog.ask("SELECT pg_sleep(0.1), clock_timestamp() AS at")
        fast = catalog.ask("SELECT clock_timestamp() AS at")
        assert fast.result()[0]["at"] > slow.result()[0]["at"]


def test_two_connections_on_one_snapshot_read_what_one_reads(rich: Inspected) -> None:
    # inspect_dsn reads half the families on a second connection; inspect_database one
    assert inspect_dsn(rich.dsn) == rich.schema


def test_the_snapshot_sharer_sees_the_snapshot_not_later_commits(fresh_db: str) -> None:
    with connect(fresh_db) as conn, conn.transaction(force_rollback=True):
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with snapshot_sharer(conn, fresh_db) as helper:
            assert helper is not None
            run_sql(fresh_db, "CREATE TABLE late (id integer)")
            seen = "SELECT count(*) FROM pg_class WHERE relname = 'late'"
            assert helper.execute(seen).fetchone() == (0,)
            assert conn.execute(seen).fetchone() == (0,)
        assert helper.closed


def test_without_a_second_connection_one_reads_alone(fresh_db: str) -> None:
    run_sql(
        fresh_db,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intro_single')"
        " THEN CREATE ROLE intro_single LOGIN CONNECTION LIMIT 1; END IF; END $$;"
        "CREATE TABLE t (id integer PRIMARY KEY);"
        "GRANT SELECT ON t TO intro_single;",
    )
    single = make_conninfo(fresh_db, user="intro_single")
    assert [t.name for t in inspect_dsn(single).tables] == ["t"]
    # a helper on another database cannot take the snapshot: it is given up
    other = make_conninfo(fresh_db, dbname="postgres")
    with connect(fresh_db) as conn, conn.transaction(force_rollback=True):
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with snapshot_sharer(conn, other) as helper:
            assert helper is None
        assert conn.execute("SELECT 1").fetchone() == (1,)


LEFT_OUT_SQL = """
CREATE TABLE t (id integer PRIMARY KEY, v text);
CREATE RULE t_no_delete AS ON DELETE TO t DO INSTEAD NOTHING;
CREATE TYPE floats AS RANGE (subtype = float8);
CREATE STATISTICS t_stats (dependencies) ON id, v FROM t;
CREATE COLLATION ci FROM "C";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
CREATE FUNCTION text_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE
    RETURN $1 = $2;
CREATE OPERATOR === (LEFTARG = text, RIGHTARG = text, FUNCTION = text_eq);
ALTER TABLE t REPLICA IDENTITY FULL;
ALTER TABLE t CLUSTER ON t_pkey;
ALTER TABLE t ALTER v SET STATISTICS 500, ALTER v SET STORAGE EXTERNAL,
    ALTER v SET COMPRESSION pglz;
"""


def test_what_the_model_cannot_hold_is_named_in_a_warning(
    fresh_db: str, caplog: pytest.LogCaptureFixture
) -> None:
    run_sql(fresh_db, LEFT_OUT_SQL)
    with caplog.at_level("WARNING", logger="dbarch.pg.introspect"):
        schema = inspect_dsn(fresh_db)
    assert [t.name for t in schema.tables] == ["t"]
    assert [r.getMessage() for r in caplog.records] == [
        "the model has no place for 1 CLUSTER ON, left out: t_pkey on t",
        "the model has no place for 1 collation, left out: public.ci",
        (
            "the model has no place for 1 column setting, left out: "
            "t.v (statistics 500, storage external, compression pglz)"
        ),
        "the model has no place for 1 default privilege setting, left out: for role "
        + schema_owner(fresh_db)
        + " in schema public",
        "the model has no place for 1 operator, left out: public.===",
        "the model has no place for 1 range type, left out: floats",
        "the model has no place for 1 replica identity, left out: t (full)",
        "the model has no place for 1 rule, left out: t_no_delete on t",
        "the model has no place for 1 statistics object, left out: public.t_stats",
    ]


def schema_owner(dsn: str) -> str:
    """The role connected to ``dsn``."""
    return str(run_sql(dsn, "SELECT current_user")[0][0])


def test_inspect_dsn_reports_unreachable_databases_without_passwords(fresh_db: str) -> None:
    with pytest.raises(DatabaseError) as caught:
        inspect_dsn(make_conninfo(fresh_db, dbname="intro_missing", password="hunter2"))
    assert "does not exist" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    with pytest.raises(DatabaseError, match="cannot connect"):
        inspect_dsn("host=/nonexistent/socket/dir port=1 password=hunter2")


# --------------------------------------------------------------------------- the corpus


def _inspect_sql_file(pg_server: DevServer, path: Path) -> Schema:
    with pg_server.scratch() as dsn, connect(dsn) as conn:
        apply_sql(conn, path.read_text(encoding="utf-8"), str(path))
        return inspect_database(conn)


@pytest.mark.parametrize(
    ("name", "tables"),
    [("chinook", 11), ("northwind", 14), ("world", 4), ("pgbench_partitioned", 8)],
)
def test_corpus_schemas(pg_server: DevServer, name: str, tables: int) -> None:
    path = CORPUS / name / "schema.sql"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    schema = _inspect_sql_file(pg_server, path)
    assert len(schema.tables) == tables
    assert all(t.columns for t in schema.tables)


def test_pagila(pg_server: DevServer) -> None:
    path = CORPUS / "pagila_2024" / "schema.sql"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    schema = _inspect_sql_file(pg_server, path)
    payment = _table(schema, "payment")
    assert payment.partition_by == PartitionBy(strategy="range", key="payment_date")
    partitions = [t for t in schema.tables if t.partition_of == "payment"]
    assert [(t.name, t.partition_bound) for t in partitions] == [
        (
            f"payment_p2022_0{m}",
            f"FOR VALUES FROM ('2022-0{m}-01 00:00:00+00') TO ('2022-0{m + 1}-01 00:00:00+00')",
        )
        for m in range(1, 8)
    ]
    assert _named(schema.domains, "year").checks == (
        DomainCheck(name="year_check", check="((VALUE >= 1901) AND (VALUE <= 2155))"),
    )
    assert _named(schema.enums, "mpaa_rating").values == ("G", "PG", "PG-13", "R", "NC-17")
    assert schema.aggregates == (
        Aggregate(name="group_concat", arguments="text", sfunc="_group_concat", stype="text"),
    )
    assert len(schema.views) == 7
    (rentals,) = schema.materialized_views
    assert rentals.indexes == (Index(name="rental_category", columns=("category",), unique=True),)
    with_trigger = [
        t.name for t in schema.tables if any(g.name == "last_updated" for g in t.triggers)
    ]
    assert len(with_trigger) == 14
    assert _named(_table(schema, "film").triggers, "film_fulltext_trigger").arguments == (
        "fulltext",
        "pg_catalog.english",
        "title",
        "description",
    )


# --------------------------------------------------------------------------- helpers


def test_index_elements_are_split_where_postgresql_would() -> None:
    definition = (
        'CREATE UNIQUE INDEX "a, (b" ON ONLY "s ("."t, )" USING gist '
        '(f(a, \'),(\'), (ARRAY[1, 2]), "x""y" COLLATE "C" text_ops DESC) '
        "INCLUDE (z) WHERE (a > 0)"
    )
    assert index_elements(definition) == [
        "f(a, '),(')",
        "(ARRAY[1, 2])",
        '"x""y" COLLATE "C" text_ops DESC',
    ]
    with pytest.raises(DatabaseError, match="cannot read the index definition"):
        index_elements("CREATE INDEX i ON t (a)")


def test_element_decorations() -> None:
    assert element_decorations("b", "b") == (False, False)
    assert element_decorations("b DESC NULLS LAST", "b") == (False, False)
    assert element_decorations('b COLLATE "C"', "b") == (True, False)
    assert element_decorations('b COLLATE s."C" DESC', "b") == (True, False)
    assert element_decorations('b COLLATE "C" s.my_ops (siglen=8) ASC', "b") == (True, True)
    assert element_decorations("lower(b) text_pattern_ops", "lower(b)") == (False, True)
    with pytest.raises(DatabaseError, match="cannot read the index element"):
        element_decorations("c", "b")


def test_trigger_condition_and_arguments() -> None:
    definition = (
        'CREATE TRIGGER "FOR EACH ROW WHEN (" AFTER UPDATE ON "t (" FOR EACH ROW '
        "WHEN ((new.a)::text <> 'x) EXECUTE FUNCTION f(''y') "
        "EXECUTE FUNCTION s.\"f (\"('a''b', ')', '')"
    )
    assert trigger_condition_and_arguments(definition) == (
        "(new.a)::text <> 'x) EXECUTE FUNCTION f(''y'",
        ("a'b", ")", ""),
    )
    assert trigger_condition_and_arguments(
        "CREATE TRIGGER t AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION f()"
    ) == (None, ())
    with pytest.raises(DatabaseError, match="cannot read the trigger definition"):
        trigger_condition_and_arguments("CREATE TRIGGER t AFTER INSERT ON t")


def test_privileges_against_the_default() -> None:
    default = [["o", "INSERT", False], ["o", "SELECT", False], ["o", "UPDATE", False]]
    acl = [
        ["o", "INSERT", False],
        ["o", "SELECT", False],
        ["r", "UPDATE", True],
        ["r", "SELECT", True],
        [None, "SELECT", False],
        ["r", "DELETE", False],
    ]
    assert privileges(acl, default) == (
        (
            Grant(to="r", privileges=("SELECT", "UPDATE"), grant_option=True),
            Grant(to="PUBLIC", privileges=("SELECT",)),
            Grant(to="r", privileges=("DELETE",)),
        ),
        (Grant(to="o", privileges=("UPDATE",)),),
    )
    assert privileges(None, None) == ((), ())
    assert privileges(None, None, [("PUBLIC", "USAGE", False)]) == (
        (),
        (Grant(to="PUBLIC", privileges=("USAGE",)),),
    )


def test_column_grants_share_a_grant_per_privilege_set() -> None:
    grants = column_grants(
        [
            ("a", [["r", "SELECT", False], ["r", "UPDATE", False]]),
            ("b", None),
            ("c", [["r", "UPDATE", False], ["r", "SELECT", False], ["w", "INSERT", True]]),
            ("d", [["r", "SELECT", False]]),
        ]
    )
    assert grants == (
        Grant(to="r", privileges=("SELECT", "UPDATE"), columns=("a", "c")),
        Grant(to="r", privileges=("SELECT",), columns=("d",)),
        Grant(to="w", privileges=("INSERT",), columns=("c",), grant_option=True),
    )
