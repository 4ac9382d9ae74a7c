"""The DDL applies cleanly with psql on a real server (once per PostgreSQL major) and
builds exactly what it describes: pg_dump cannot tell it from hand-written SQL."""

from __future__ import annotations

import subprocess

import pytest

from dbarch.ddl import to_ddl
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
)
from dbarch.pg.devdb import DevServer
from tests.pgutil import dump_schema, run_sql

pytestmark = pytest.mark.all_pg_versions

OWNER = "DDL Owner"
READER = "ddl_reader"


def _psql(server: DevServer, dsn: str, sql: str) -> None:
    done = subprocess.run(
        [str(server.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _col(name: str, type_: str, **fields: object) -> Column:
    return Column(name=name, type=type_, **fields)


ID = _col("id", "integer", nullable=False)

ACCOUNT = Table(
    name="Account",
    schema="app",
    owner=OWNER,
    comment='accounts, it\'s "quoted"',
    columns=(
        _col(
            "id",
            "bigint",
            nullable=False,
            identity=Identity(generation="always", start=100, increment=10),
        ),
        _col("email", "text", collation="C", nullable=False, comment="login"),
        _col("name", "short_text"),
        _col("mood", "app.good_mood"),
        _col("balance", "numeric(12,2)", default="0", nullable=False),
        _col("cents", "bigint", generated="(balance * 100)::bigint"),
        _col("select", "integer", default="nextval('app.counter'::regclass)"),
        _col("café", "text", default="app.greeting()"),
    ),
    primary_key=PrimaryKey(name="account_pkey", columns=("id",), include=("email",)),
    unique=(
        UniqueConstraint(
            name="account_email_key",
            columns=("email",),
            nulls_not_distinct=True,
            deferrable=True,
            initially_deferred=True,
            comment="one per address",
        ),
    ),
    checks=(
        CheckConstraint(name="balance_positive", check="balance >= 0", comment="no debt"),
        CheckConstraint(name="email_has_at", check="position('@' in email) > 0", no_inherit=True),
        CheckConstraint(name="name_not_x", check="name <> 'x'", not_valid=True),
    ),
    indexes=(
        Index(
            name="account lookup",
            columns=(
                IndexElement(
                    expression="lower(email)", opclass="text_pattern_ops", descending=True
                ),
                IndexElement(column="name", collation="POSIX", nulls_first=False),
            ),
            include=("mood",),
            where="balance > 0",
            with_={"fillfactor": "70"},
            comment="lookup",
        ),
        Index(name="account_mood_hash", columns=("mood",), using="hash"),
    ),
    with_={"fillfactor": "80", "toast.autovacuum_enabled": "false"},
    row_security=True,
    force_row_security=True,
    policies=(
        Policy(
            name="own rows",
            command="update",
            permissive=False,
            roles=(READER, OWNER),
            using="email = current_user",
            with_check="balance >= 0",
            comment="only yours",
        ),
        Policy(name="everyone", using="true"),
    ),
    triggers=(
        Trigger(
            name="a_touch",
            timing="before",
            events=("update",),
            update_of=("name", "mood"),
            for_each="row",
            when="OLD.name IS DISTINCT FROM NEW.name",
            function="app.touch",
            enabled="disabled",
            comment="touch it",
        ),
        Trigger(
            name="b_audit",
            timing="after",
            events=("update",),
            function="app.touch",
            referencing_old="old rows",
            referencing_new="new_rows",
        ),
        Trigger(
            name="c_check",
            timing="after",
            events=("insert", "delete"),
            for_each="row",
            function="app.touch",
            arguments=("a", "it's"),
            constraint=True,
            deferrable=True,
            initially_deferred=True,
            enabled="replica",
        ),
    ),
    grants=(
        Grant(to=READER, privileges=("SELECT",), columns=("id", "email")),
        Grant(to=READER, privileges=("UPDATE",), columns=("name",)),
        Grant(to="PUBLIC", privileges=("SELECT",), grant_option=False),
    ),
)

THING = Table(
    name="thing",
    schema="app",
    columns=(
        _col("id", "integer", nullable=False, identity=Identity(sequence="thing_ids")),
        _col("during", "int4range"),
        _col("owner_id", "bigint"),
        _col("tag", "text"),
    ),
    primary_key=PrimaryKey(name="thing_pkey", columns=("id",)),
    exclusions=(
        ExclusionConstraint(
            name="thing_no_overlap",
            elements=(ExclusionElement(column="during", operator="&&"),),
            where="tag IS NOT NULL",
            comment="no double booking",
        ),
    ),
    foreign_keys=(
        ForeignKey(
            name="thing_owner",
            columns=("owner_id",),
            references=Reference(table="Account", schema="app", columns=("id",)),
            on_delete="cascade",
            deferrable=True,
            comment="whose",
        ),
    ),
)

# a foreign key cycle and a NOT VALID key
DEPARTMENTS = Table(
    name="departments",
    columns=(ID, _col("manager_id", "integer")),
    primary_key=PrimaryKey(name="departments_pkey", columns=("id",)),
    foreign_keys=(
        ForeignKey(
            name="departments_manager",
            columns=("manager_id",),
            references=Reference(table="employees", columns=("id",)),
            not_valid=True,
        ),
    ),
)
EMPLOYEES = Table(
    name="employees",
    columns=(ID, _col("department_id", "integer")),
    primary_key=PrimaryKey(name="employees_pkey", columns=("id",)),
    foreign_keys=(
        ForeignKey(
            name="employees_department",
            columns=("department_id",),
            references=Reference(table="departments", columns=("id",)),
            match_full=True,
            on_update="restrict",
        ),
    ),
)

# inheritance: a merged column and a merged check
BASE = Table(
    name="base",
    schema="app",
    columns=(ID, _col("created", "timestamptz", default="now()")),
    checks=(CheckConstraint(name="id_pos", check="id > 0"),),
)
CHILD = Table(
    name="child",
    schema="app",
    inherits=("base",),
    columns=(_col("extra", "text"), ID),
    checks=(
        CheckConstraint(name="id_pos", check="id > 0"),
        CheckConstraint(name="extra_len", check="length(extra) < 10"),
    ),
)

# partitions: multi-level, default, hash, with and without their own columns and indexes
EVENT_COLUMNS = (
    _col("id", "bigint", nullable=False),
    _col("at", "date", nullable=False),
    _col("kind", "text", nullable=False),
    _col("payload", "jsonb"),
)
EVENTS = Table(
    name="events",
    schema="app",
    columns=EVENT_COLUMNS,
    partition_by=PartitionBy(strategy="range", key="at"),
    primary_key=PrimaryKey(name="events_pkey", columns=("id", "at", "kind")),
    checks=(CheckConstraint(name="kind_nonempty", check="kind <> ''"),),
    indexes=(Index(name="events_kind", columns=("kind",)),),
    foreign_keys=(
        ForeignKey(
            name="events_account",
            columns=("id",),
            references=Reference(table="Account", schema="app", columns=("id",)),
        ),
    ),
    triggers=(
        Trigger(
            name="ev_touch",
            timing="before",
            events=("insert",),
            for_each="row",
            function="app.touch",
        ),
    ),
)
EVENTS_2024 = Table(
    name="events_2024",
    schema="app",
    partition_of="events",
    partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    partition_by=PartitionBy(strategy="list", key="kind"),
    columns=EVENT_COLUMNS,
    primary_key=PrimaryKey(name="events_2024_pkey", columns=("id", "at", "kind")),
    indexes=(Index(name="events_2024_kind", columns=("kind",)),),
)
EVENTS_2024_A = Table(
    name="events_2024_a",
    schema="app",
    partition_of="events_2024",
    partition_bound="FOR VALUES IN ('a', 'b')",
    columns=EVENT_COLUMNS,
    primary_key=PrimaryKey(name="events_2024_a_pkey", columns=("id", "at", "kind")),
    indexes=(Index(name="events_2024_a_kind", columns=("kind",)),),
)
EVENTS_2024_OTHER = Table(
    name="events_2024_other",
    schema="app",
    partition_of="events_2024",
    partition_bound="DEFAULT",
    columns=EVENT_COLUMNS,
    primary_key=PrimaryKey(name="events_2024_other_pkey", columns=("id", "at", "kind")),
    indexes=(Index(name="events_2024_other_kind", columns=("kind",)),),
    triggers=(
        Trigger(
            name="ev_touch",
            timing="before",
            events=("insert",),
            for_each="row",
            function="app.touch",
            enabled="disabled",
        ),
    ),
)
EVENTS_2025 = Table(  # hand-written: no columns, no indexes of its own
    name="events_2025",
    schema="app",
    partition_of="events",
    partition_bound="FROM ('2025-01-01') TO ('2026-01-01')",
)
HASHED = Table(
    name="hashed",
    schema="app",
    columns=(ID, _col("v", "text")),
    partition_by=PartitionBy(strategy="hash", key="id"),
    unique=(UniqueConstraint(name="hashed_id_key", columns=("id",)),),
)
HASHED_PARTS = tuple(
    Table(
        name=f"hashed_{i}",
        schema="app",
        partition_of="hashed",
        partition_bound=f"FOR VALUES WITH (modulus 2, remainder {i})",
        columns=(ID, _col("v", "text")),
        unique=(UniqueConstraint(name=f"hashed_{i}_id_key", columns=("id",)),),
    )
    for i in range(2)
)

# a function that returns a table's row type, used in that table's default and check
NODE = Table(
    name="node",
    schema="app",
    columns=(
        _col("id", "integer", nullable=False, default="COALESCE((app.first_node()).id, 0) + 1"),
        _col("label", "text"),
    ),
    checks=(CheckConstraint(name="node_label", check="label <> (app.first_node()).label"),),
)

ORDER_ITEMS = Table(
    name="Order Items",
    unlogged=True,
    columns=(_col("Id", "integer", nullable=False), _col("where", "point")),
    primary_key=PrimaryKey(name="Order Items pkey", columns=("Id",)),
    indexes=(Index(name="Order Items gist", columns=("where",), using="gist"),),
)

FUNCTIONS = (
    Function(
        name="rich",
        schema="app",
        arguments="p_min integer DEFAULT 0, VARIADIC p_rest integer[] DEFAULT '{}'::integer[]",
        returns='SETOF app."Account"',
        language="sql",
        body='SELECT * FROM app."Account" WHERE balance > p_min',
        volatility="stable",
        strict=True,
        security_definer=True,
        parallel="safe",
        cost=5,
        rows=20,
        config={"search_path": 'app, "Sales Data"', "work_mem": "64MB"},
        revokes=(Grant(to="PUBLIC", privileges=("EXECUTE",)),),
        grants=(Grant(to=READER, privileges=("EXECUTE",)),),
        comment="rich ones",
    ),
    Function(
        name="total",
        schema="app",
        arguments="OUT n bigint, OUT s numeric",
        returns="record",
        language="sql",
        sql_body='BEGIN ATOMIC\n SELECT count(*), sum(balance) FROM app."Account";\nEND',
    ),
    Function(
        name="pairs",
        schema="app",
        returns="TABLE(a integer, b text)",
        language="sql",
        sql_body="RETURN ROW(1, 'x')",
        volatility="immutable",
        leakproof=True,
    ),
    Function(
        name="bump",
        schema="app",
        kind="procedure",
        arguments="IN n integer, INOUT total integer",
        body="BEGIN total := total + n; END",
        security_definer=True,
        config={"search_path": "app"},
        comment="bumps",
    ),
    Function(
        name="plus",
        schema="app",
        arguments="a integer, b integer",
        returns="integer",
        language="sql",
        body="SELECT a + b",
        volatility="immutable",
        parallel="safe",
        owner=OWNER,
    ),
    Function(name="greeting", schema="app", returns="text", language="sql", body="SELECT 'hi'"),
    Function(
        name="first_node",
        schema="app",
        returns="app.node",
        language="sql",
        body="SELECT * FROM app.node LIMIT 1",
    ),
    Function(
        name="touch",
        schema="app",
        returns="trigger",
        body="BEGIN RETURN NEW; END",
    ),
    Function(
        name="positives",
        schema="app",
        returns="SETOF app.positive",
        language="sql",
        body="SELECT * FROM app.positive",
    ),
)

EVERYTHING = Schema(
    roles=(
        Role(name=OWNER, comment="owns things"),
        Role(name=READER, login=True, inherit=False, connection_limit=3, member_of=(OWNER,)),
    ),
    schemas=(
        SchemaDef(
            name="public",
            comment="the public one",
            revokes=(Grant(to="PUBLIC", privileges=("USAGE",)),),
        ),
        SchemaDef(
            name="app",
            owner=OWNER,
            comment="it's the app",
            grants=(Grant(to=READER, privileges=("USAGE",), grant_option=True),),
        ),
        SchemaDef(name="Sales Data"),
    ),
    extensions=(Extension(name="plpgsql", schema="pg_catalog"),),
    enums=(EnumType(name="mood", schema="app", values=("sad", "meh", "it's ok"), comment="how"),),
    domains=(
        Domain(
            name="good_mood",
            schema="app",
            type="app.mood",
            nullable=False,
            default="'meh'::app.mood",
            checks=(DomainCheck(name="not_sad", check="VALUE <> 'sad'", comment="cheer up"),),
            owner=OWNER,
            grants=(Grant(to=READER, privileges=("USAGE",)),),
        ),
        Domain(
            name="short_text",
            type="text",
            collation="C",
            checks=(
                DomainCheck(name="short", check="length(VALUE) < 100"),
                DomainCheck(name="not_empty", check="VALUE <> ''", not_valid=True),
            ),
        ),
    ),
    composite_types=(
        CompositeType(
            name="pair",
            schema="app",
            attributes=(
                Attribute(name="label", type="short_text", comment="the label"),
                Attribute(name='Weird "Col"', type="app.good_mood"),
                Attribute(name="c", type="text", collation="POSIX"),
            ),
        ),
    ),
    sequences=(
        Sequence(
            name="counter",
            schema="app",
            type="integer",
            start=10,
            increment=5,
            min_value=5,
            max_value=1000,
            cache=2,
            cycle=True,
            owned_by="Account.select",
            owner=OWNER,
        ),
        Sequence(
            name="invoice no",
            schema="Sales Data",
            comment="numbers",
            grants=(Grant(to=READER, privileges=("USAGE", "SELECT")),),
        ),
    ),
    tables=(
        ACCOUNT,
        THING,
        DEPARTMENTS,
        EMPLOYEES,
        BASE,
        CHILD,
        EVENTS,
        EVENTS_2024,
        EVENTS_2024_A,
        EVENTS_2024_OTHER,
        EVENTS_2025,
        HASHED,
        *HASHED_PARTS,
        NODE,
        ORDER_ITEMS,
    ),
    views=(
        View(
            name="account_names",
            schema="app",
            query='SELECT id, name FROM app."Account" WHERE balance > 0',
            security_barrier=True,
            grants=(Grant(to=READER, privileges=("SELECT",)),),
        ),
        View(
            name="positive",
            schema="app",
            query="SELECT id, name FROM app.account_names WHERE name IS NOT NULL",
            check_option="local",
            comment="positives",
            column_comments={"name": "the name"},
            owner=OWNER,
        ),
        View(
            name="by_account",
            schema="app",
            query=(
                'SELECT a.id, a.email, count(t.id) AS things FROM app."Account" a '
                "LEFT JOIN app.thing t ON t.owner_id = a.id GROUP BY a.id"
            ),
            security_invoker=True,
            triggers=(
                Trigger(
                    name="instead_ins",
                    timing="instead of",
                    events=("insert",),
                    for_each="row",
                    function="app.touch",
                ),
            ),
        ),
    ),
    materialized_views=(
        MaterializedView(
            name="stats",
            schema="app",
            query='SELECT mood, count(*) AS n FROM app."Account" GROUP BY mood',
            indexes=(Index(name="stats_mood", columns=("mood",), unique=True, comment="one"),),
            with_={"fillfactor": "50"},
            comment="stats",
            column_comments={"n": "count"},
            grants=(Grant(to=READER, privileges=("SELECT",)),),
        ),
        MaterializedView(
            name="stats2", schema="app", query="SELECT sum(n) AS total FROM app.stats"
        ),
    ),
    functions=FUNCTIONS,
    aggregates=(
        Aggregate(
            name="sum_plus",
            schema="app",
            arguments="integer",
            sfunc="app.plus",
            stype="integer",
            combinefunc="app.plus",
            initcond="0",
            parallel="safe",
            comment="sums",
            owner=OWNER,
        ),
        Aggregate(
            name="mymax",
            schema="app",
            arguments="integer",
            sfunc="int4larger",
            stype="integer",
            sortop=">",
        ),
    ),
)


def test_every_object_kind_applies_with_psql(pg_server: DevServer, fresh_db: str) -> None:
    ddl = to_ddl(EVERYTHING)
    assert ddl == to_ddl(EVERYTHING)
    _psql(pg_server, fresh_db, ddl)
    populated = run_sql(fresh_db, "SELECT relispopulated FROM pg_class WHERE relname = 'stats2'")
    assert populated == [(True,)]
    attached = run_sql(
        fresh_db,
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relnamespace = 'app'::regnamespace AND NOT i.indisvalid",
    )
    assert attached == [(0,)]
    cloned = run_sql(
        fresh_db,
        "SELECT c.relname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = 'ev_touch' ORDER BY 1",
    )
    assert cloned == [
        ("events", "O"),
        ("events_2024", "O"),
        ("events_2024_a", "O"),
        ("events_2024_other", "D"),
        ("events_2025", "O"),
    ]
    reader = run_sql(
        fresh_db,
        "SELECT rolcanlogin, rolinherit, rolconnlimit, pg_has_role(oid, 'DDL Owner', 'MEMBER') "
        "FROM pg_roles WHERE rolname = 'ddl_reader'",
    )
    assert reader == [(True, False, 3, True)]
    # roles are cluster-wide: the same DDL builds the same thing in a second database
    with pg_server.scratch() as second:
        _psql(pg_server, second, ddl)
        assert dump_schema(second, pg_server.bindir) == dump_schema(fresh_db, pg_server.bindir)


HAND_WRITTEN = """
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('new', 'paid');
CREATE TABLE shop.customer (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    since date DEFAULT CURRENT_DATE
);
CREATE FUNCTION shop.best() RETURNS SETOF shop.customer LANGUAGE sql STABLE
    AS $$ SELECT * FROM shop.customer $$;
CREATE TABLE shop.orders (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    customer_id integer NOT NULL REFERENCES shop.customer ON DELETE CASCADE,
    status shop.status NOT NULL DEFAULT 'new',
    placed date NOT NULL,
    PRIMARY KEY (id, placed)
) PARTITION BY RANGE (placed);
CREATE TABLE shop.orders_2024 PARTITION OF shop.orders
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE shop.orders_rest PARTITION OF shop.orders DEFAULT;
CREATE INDEX orders_status ON shop.orders (status);
CREATE VIEW shop.open_orders AS SELECT id, customer_id FROM shop.orders WHERE status = 'new';
COMMENT ON VIEW shop.open_orders IS 'to do';
"""

SHOP = Schema(
    schemas=(SchemaDef(name="shop"),),
    enums=(EnumType(name="status", schema="shop", values=("new", "paid")),),
    sequences=(
        Sequence(name="customer_id_seq", schema="shop", type="integer", owned_by="customer.id"),
    ),
    tables=(
        Table(
            name="customer",
            schema="shop",
            columns=(
                _col("id", "integer", default="nextval('shop.customer_id_seq')"),
                _col("email", "text", nullable=False),
                _col("since", "date", default="CURRENT_DATE"),
            ),
            primary_key=PrimaryKey(name="customer_pkey", columns=("id",)),
            unique=(UniqueConstraint(name="customer_email_key", columns=("email",)),),
        ),
        Table(
            name="orders",
            schema="shop",
            columns=(
                _col("id", "bigint", identity=Identity(sequence="orders_id_seq")),
                _col("customer_id", "integer", nullable=False),
                _col("status", "shop.status", nullable=False, default="'new'"),
                _col("placed", "date", nullable=False),
            ),
            partition_by=PartitionBy(strategy="range", key="placed"),
            primary_key=PrimaryKey(name="orders_pkey", columns=("id", "placed")),
            indexes=(Index(name="orders_status", columns=("status",)),),
            foreign_keys=(
                ForeignKey(
                    name="orders_customer_id_fkey",
                    columns=("customer_id",),
                    references=Reference(table="customer", schema="shop", columns=("id",)),
                    on_delete="cascade",
                ),
            ),
        ),
        Table(
            name="orders_2024",
            schema="shop",
            partition_of="orders",
            partition_bound="FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            primary_key=PrimaryKey(name="orders_2024_pkey", columns=("id", "placed")),
            indexes=(Index(name="orders_2024_status_idx", columns=("status",)),),
        ),
        Table(name="orders_rest", schema="shop", partition_of="orders", partition_bound="DEFAULT"),
    ),
    views=(
        View(
            name="open_orders",
            schema="shop",
            query="SELECT id, customer_id FROM shop.orders WHERE status = 'new'",
            comment="to do",
        ),
    ),
    functions=(
        Function(
            name="best",
            schema="shop",
            returns="SETOF shop.customer",
            language="sql",
            body=" SELECT * FROM shop.customer ",
            volatility="stable",
        ),
    ),
)


def test_pg_dump_cannot_tell_the_ddl_from_hand_written_sql(pg_server: DevServer) -> None:
    with pg_server.scratch() as original, pg_server.scratch() as copy:
        _psql(pg_server, original, HAND_WRITTEN)
        _psql(pg_server, copy, to_ddl(SHOP))
        assert dump_schema(copy, pg_server.bindir) == dump_schema(original, pg_server.bindir)


def _tree_table(name: str, parent: str | None, bound: str | None, **fields: object) -> Table:
    return Table(name=name, schema="tree", partition_of=parent, partition_bound=bound, **fields)


def _tree_keys(name: str) -> dict[str, object]:
    return {
        "columns": (_col("id", "integer", nullable=False), _col("k", "text", nullable=False)),
        "primary_key": PrimaryKey(name=f"{name}_pk", columns=("id", "k")),
        "indexes": (Index(name=f"{name}_k", columns=("k",)),),
    }


PARTITION_TREE = Schema(
    schemas=(SchemaDef(name="tree"),),
    tables=(
        _tree_table(
            "p", None, None, partition_by=PartitionBy(strategy="list", key="k"), **_tree_keys("p")
        ),
        _tree_table("c1", "p", "FOR VALUES IN ('a')", **_tree_keys("c1")),
        _tree_table(
            "c2",
            "p",
            "FOR VALUES IN ('b', 'c')",
            partition_by=PartitionBy(strategy="list", key="k"),
            **_tree_keys("c2"),
        ),
        _tree_table("l1", "c2", "FOR VALUES IN ('b')", **_tree_keys("l1")),
        _tree_table("l2", "c2", "FOR VALUES IN ('c')"),  # hand-written: nothing of its own
        Table(
            name="r",
            schema="tree",
            columns=(_col("id", "integer"), _col("k", "text")),
            foreign_keys=(
                ForeignKey(
                    name="r_p",
                    columns=("id", "k"),
                    references=Reference(table="p", schema="tree", columns=("id", "k")),
                ),
            ),
        ),
    ),
)


def test_partition_tree_gets_complete_valid_indexes(pg_server: DevServer, fresh_db: str) -> None:
    ddl = to_ddl(PARTITION_TREE)
    assert "ALTER TABLE ONLY tree.p ADD CONSTRAINT p_pk PRIMARY KEY (id, k);" in ddl
    assert "ALTER TABLE tree.c2 ADD CONSTRAINT c2_pk PRIMARY KEY (id, k);" in ddl
    assert "ALTER INDEX tree.p_pk ATTACH PARTITION tree.c2_pk;" in ddl
    _psql(pg_server, fresh_db, ddl)
    indexes = run_sql(
        fresh_db,
        "SELECT c.relname, i.indisvalid, (SELECT p.relname FROM pg_inherits h "
        "JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = c.oid) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relnamespace = 'tree'::regnamespace ORDER BY 1",
    )
    assert indexes == [
        ("c1_k", True, "p_k"),
        ("c1_pk", True, "p_pk"),
        ("c2_k", True, "p_k"),
        ("c2_pk", True, "p_pk"),
        ("l1_k", True, "c2_k"),
        ("l1_pk", True, "c2_pk"),
        ("l2_k_idx", True, "c2_k"),
        ("l2_pkey", True, "c2_pk"),
        ("p_k", True, None),
        ("p_pk", True, None),
    ]
