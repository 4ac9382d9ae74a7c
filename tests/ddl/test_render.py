"""Rendering: the exact SQL of each object kind, quoting of odd names, failure paths."""

from __future__ import annotations

import pytest

from dbarch.ddl import render, to_ddl
from dbarch.ddl.privileges import ObjectRef, acl_statements, alter_owner, comment_on
from dbarch.ddl.sqlrefs import ends_in_comment, identity_arguments
from dbarch.errors import DbarchError
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

ODD = Table(name="Order Items", schema="Sales Data", columns=(Column(name="select", type="int"),))


def test_role_is_created_only_when_missing() -> None:
    role = Role(name='App\'s "Role"', login=True, inherit=False, connection_limit=5)
    assert render.create_role(role) == (
        "DO $$\n"
        "BEGIN\n"
        "    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles"
        " WHERE rolname = 'App''s \"Role\"') THEN\n"
        '        CREATE ROLE "App\'s ""Role""" LOGIN NOINHERIT CONNECTION LIMIT 5;\n'
        "    END IF;\n"
        "END\n"
        "$$;"
    )


def test_role_body_with_dollars_gets_another_quote_tag() -> None:
    sql = render.create_role(Role(name="a$$b"))
    assert sql.startswith("DO $_1$") and sql.endswith("$_1$;")


def test_membership_and_namespace() -> None:
    assert render.grant_role("Readers", "bob") == 'GRANT "Readers" TO bob;'
    assert render.create_schema(SchemaDef(name="Sales Data")) == 'CREATE SCHEMA "Sales Data";'
    assert (
        render.create_extension(Extension(name="uuid-ossp", schema="ext"))
        == 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA ext CASCADE;'
    )
    assert render.create_extension(Extension(name="plpgsql")) == (
        "CREATE EXTENSION IF NOT EXISTS plpgsql CASCADE;"
    )


def test_enum_and_composite() -> None:
    enum = EnumType(name="mood", schema="app", values=("sad", "it's ok"))
    assert render.create_enum(enum) == (
        "CREATE TYPE app.mood AS ENUM (\n    'sad',\n    'it''s ok'\n);"
    )
    assert render.create_enum(EnumType(name="empty", values=())) == (
        "CREATE TYPE public.empty AS ENUM ();"
    )
    composite = CompositeType(
        name="pair",
        attributes=(
            Attribute(name="Label", type="text", collation="C"),
            Attribute(name="n", type="app.mood[]"),
        ),
    )
    assert render.create_composite(composite) == (
        'CREATE TYPE public.pair AS (\n    "Label" text COLLATE "C",\n    n app.mood[]\n);'
    )


def test_domain_with_every_clause() -> None:
    domain = Domain(
        name="year",
        type="integer",
        nullable=False,
        default="2000",
        collation=None,
        checks=(DomainCheck(name="year_check", check="VALUE >= 1901"),),
    )
    assert render.create_domain(domain, True, domain.checks) == (
        "CREATE DOMAIN public.year AS integer\n"
        "    DEFAULT 2000\n"
        "    NOT NULL\n"
        "    CONSTRAINT year_check CHECK (VALUE >= 1901);"
    )
    assert render.create_domain(domain, False, ()) == (
        "CREATE DOMAIN public.year AS integer\n    NOT NULL;"
    )
    late = DomainCheck(name="late", check="VALUE < 2200", not_valid=True)
    assert render.domain_add_check(domain, late) == (
        "ALTER DOMAIN public.year ADD CONSTRAINT late CHECK (VALUE < 2200) NOT VALID;"
    )
    assert render.domain_set_default(domain, "2000") == (
        "ALTER DOMAIN public.year SET DEFAULT 2000;"
    )
    text = Domain(name="t", schema="app", type="text", collation="C")
    assert render.create_domain(text, True, ()) == 'CREATE DOMAIN app.t AS text\n    COLLATE "C";'


def test_function_with_every_attribute() -> None:
    function = Function(
        name="rich",
        schema="app",
        arguments="p_min integer DEFAULT 0, VARIADIC p_rest integer[] DEFAULT '{}'::integer[]",
        returns="SETOF app.account",
        language="sql",
        body="SELECT * FROM app.account WHERE balance > p_min",
        volatility="stable",
        strict=True,
        security_definer=True,
        leakproof=True,
        parallel="safe",
        cost=5,
        rows=20.5,
        config={"search_path": 'app, "Sales Data"', "work_mem": "64MB"},
    )
    assert render.create_function(function) == (
        "CREATE FUNCTION app.rich(p_min integer DEFAULT 0, VARIADIC p_rest integer[]"
        " DEFAULT '{}'::integer[]) RETURNS SETOF app.account\n"
        "    LANGUAGE sql STABLE STRICT SECURITY DEFINER LEAKPROOF PARALLEL SAFE COST 5 ROWS 20.5\n"
        "    SET search_path TO 'app', 'Sales Data'\n"
        "    SET work_mem TO '64MB'\n"
        "    AS $$SELECT * FROM app.account WHERE balance > p_min$$;"
    )
    assert render.routine_signature(function) == (
        "app.rich(p_min integer, VARIADIC p_rest integer[])"
    )


def test_procedure_and_sql_body() -> None:
    procedure = Function(
        name="bump",
        kind="procedure",
        arguments="IN n integer, INOUT total integer",
        body="BEGIN total := total + n; END",
        security_definer=True,
    )
    assert render.create_function(procedure) == (
        "CREATE PROCEDURE public.bump(IN n integer, INOUT total integer)\n"
        "    LANGUAGE plpgsql SECURITY DEFINER\n"
        "    AS $$BEGIN total := total + n; END$$;"
    )
    standard = Function(
        name="add_one",
        arguments="i integer",
        returns="integer",
        language="sql",
        sql_body="RETURN i + 1 -- plus one",
        volatility="immutable",
    )
    assert render.create_function(standard) == (
        "CREATE FUNCTION public.add_one(i integer) RETURNS integer\n"
        "    LANGUAGE sql IMMUTABLE\n"
        "    RETURN i + 1 -- plus one\n;"
    )


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (Function(name="f", returns="int"), "needs a 'body' or a 'sql_body'"),
        (Function(name="f", body="x"), "needs 'returns'"),
        (Function(name="f", returns="int", body="x", sql_body="RETURN 1"), "not both"),
        (Function(name="f", returns="int", body="x", config={"a b": "1"}), "configuration"),
    ],
)
def test_function_mistakes(function: Function, message: str) -> None:
    with pytest.raises(DbarchError, match=message):
        render.create_function(function)


def test_aggregate() -> None:
    aggregate = Aggregate(
        name="sum_text",
        schema="app",
        arguments="integer",
        sfunc="app.plus",
        stype="integer",
        finalfunc="app.fin",
        combinefunc="app.plus",
        initcond="0",
        sortop=">",
        parallel="safe",
    )
    assert render.create_aggregate(aggregate) == (
        "CREATE AGGREGATE app.sum_text(integer) (\n"
        "    SFUNC = app.plus,\n"
        "    STYPE = integer,\n"
        "    FINALFUNC = app.fin,\n"
        "    COMBINEFUNC = app.plus,\n"
        "    INITCOND = '0',\n"
        "    SORTOP = >,\n"
        "    PARALLEL = safe\n"
        ");"
    )
    nullary = Aggregate(name="n", arguments="", sfunc="f", stype="int")
    assert render.aggregate_ref(nullary) == ObjectRef(
        "AGGREGATE", "public.n(*)", "FUNCTION", "public.n()"
    )


def test_sequence() -> None:
    sequence = Sequence(
        name="counter",
        schema="app",
        type="integer",
        start=10,
        increment=5,
        min_value=5,
        max_value=1000,
        cache=2,
        cycle=True,
    )
    assert render.create_sequence(sequence) == (
        "CREATE SEQUENCE app.counter\n    AS integer\n    START WITH 10\n    INCREMENT BY 5\n"
        "    MINVALUE 5\n    MAXVALUE 1000\n    CACHE 2\n    CYCLE;"
    )
    assert render.create_sequence(Sequence(name="s")) == "CREATE SEQUENCE public.s;"
    assert render.sequence_owned_by(sequence, ODD, "select") == (
        'ALTER SEQUENCE app.counter OWNED BY "Sales Data"."Order Items"."select";'
    )


def test_table_with_every_column_form() -> None:
    table = Table(
        name="account",
        schema="app",
        unlogged=True,
        columns=(
            Column(
                name="id",
                type="bigint",
                nullable=False,
                identity=Identity(generation="always", start=100, increment=10, sequence="ids"),
            ),
            Column(name="email", type="text", collation="C", nullable=False),
            Column(name="balance", type="numeric(12,2)", default="0", nullable=False),
            Column(name="cents", type="bigint", generated="(balance * 100)::bigint"),
            Column(name="café", type="text"),
        ),
        partition_by=PartitionBy(strategy="range", key="id"),
        with_={"toast.autovacuum_enabled": "false", "fillfactor": "80"},
    )
    checks = (
        CheckConstraint(name="positive", check="balance >= 0"),
        CheckConstraint(name="at", check="email ~ '@'", no_inherit=True),
    )
    assert render.create_table(table, table.columns, checks, ["app.base", '"Odd"."T"']) == (
        "CREATE UNLOGGED TABLE app.account (\n"
        "    id bigint GENERATED ALWAYS AS IDENTITY"
        " (SEQUENCE NAME app.ids START WITH 100 INCREMENT BY 10) NOT NULL,\n"
        '    email text COLLATE "C" NOT NULL,\n'
        "    balance numeric(12,2) DEFAULT 0 NOT NULL,\n"
        "    cents bigint GENERATED ALWAYS AS ((balance * 100)::bigint) STORED,\n"
        '    "café" text,\n'
        "    CONSTRAINT positive CHECK (balance >= 0),\n"
        "    CONSTRAINT at CHECK (email ~ '@') NO INHERIT\n"
        ")\n"
        'INHERITS (app.base, "Odd"."T")\n'
        "PARTITION BY RANGE (id)\n"
        "WITH (toast.autovacuum_enabled='false', fillfactor='80');"
    )


def test_empty_table_and_default_identity() -> None:
    assert render.create_table(Table(name="t"), (), (), ()) == "CREATE TABLE public.t (\n);"
    column = Column(name="id", type="int", identity=Identity(), nullable=False)
    assert render.column_definition(column, "public") == (
        "id int GENERATED BY DEFAULT AS IDENTITY NOT NULL"
    )


def test_bad_storage_parameter() -> None:
    table = Table(name="t", with_={"fill factor": "1"})
    with pytest.raises(DbarchError, match="not a storage parameter name"):
        render.create_table(table, (), (), ())


def test_table_alterations() -> None:
    assert render.set_default(ODD, "select", "1") == (
        'ALTER TABLE ONLY "Sales Data"."Order Items" ALTER COLUMN "select" SET DEFAULT 1;'
    )
    assert render.set_not_null(ODD, "select") == (
        'ALTER TABLE ONLY "Sales Data"."Order Items" ALTER COLUMN "select" SET NOT NULL;'
    )
    check = CheckConstraint(name="c", check="x > 0", not_valid=True)
    assert render.add_check(ODD, check) == (
        'ALTER TABLE "Sales Data"."Order Items" ADD CONSTRAINT c CHECK (x > 0) NOT VALID;'
    )
    check = CheckConstraint(check="x > 0", no_inherit=True)
    assert render.add_check(ODD, check) == (
        'ALTER TABLE ONLY "Sales Data"."Order Items" ADD CHECK (x > 0) NO INHERIT;'
    )


def test_attach_partition_accepts_both_bound_forms() -> None:
    parent = Table(name="events")
    for bound in ("FOR VALUES IN ('a')", "IN ('a')"):
        child = Table(name="events_a", partition_of="events", partition_bound=bound)
        assert render.attach_partition(parent, child) == (
            "ALTER TABLE ONLY public.events ATTACH PARTITION public.events_a FOR VALUES IN ('a');"
        )
    child = Table(name="events_other", partition_of="events", partition_bound="DEFAULT")
    assert render.attach_partition(parent, child).endswith("public.events_other DEFAULT;")
    with pytest.raises(DbarchError, match="no partition_bound"):
        render.attach_partition(parent, Table(name="x", partition_of="events"))


def test_keys_and_constraints() -> None:
    key = PrimaryKey(name="pk", columns=("id", "At"), include=("x",), deferrable=True)
    assert render.add_primary_key(ODD, key, only=True) == (
        'ALTER TABLE ONLY "Sales Data"."Order Items" ADD CONSTRAINT pk'
        ' PRIMARY KEY (id, "At") INCLUDE (x) DEFERRABLE;'
    )
    unique = UniqueConstraint(
        columns=("email",), nulls_not_distinct=True, deferrable=True, initially_deferred=True
    )
    assert render.add_unique(Table(name="t"), unique, only=False) == (
        "ALTER TABLE public.t ADD UNIQUE NULLS NOT DISTINCT (email) DEFERRABLE INITIALLY DEFERRED;"
    )
    exclusion = ExclusionConstraint(
        name="no_overlap",
        elements=(
            ExclusionElement(column="during", operator="&&"),
            ExclusionElement(expression="lower(room)", opclass="text_ops", operator="="),
        ),
        include=("id",),
        where="tag IS NOT NULL",
    )
    assert render.add_exclusion(Table(name="t"), exclusion, only=True) == (
        "ALTER TABLE ONLY public.t ADD CONSTRAINT no_overlap EXCLUDE USING gist"
        " (during WITH &&, (lower(room)) text_ops WITH =) INCLUDE (id)"
        " WHERE (tag IS NOT NULL);"
    )
    with pytest.raises(DbarchError, match="exactly one of"):
        bad = ExclusionConstraint(elements=(ExclusionElement(operator="="),))
        render.add_exclusion(Table(name="t"), bad, only=True)


def test_foreign_key() -> None:
    key = ForeignKey(
        name="fk",
        columns=("a", "b"),
        references=Reference(table="Order Items", schema="Sales Data", columns=("x", "y")),
        on_delete="cascade",
        on_update="set null",
        match_full=True,
        deferrable=True,
        initially_deferred=True,
        not_valid=True,
    )
    assert render.add_foreign_key(Table(name="t"), key, only=True) == (
        "ALTER TABLE ONLY public.t ADD CONSTRAINT fk FOREIGN KEY (a, b)"
        ' REFERENCES "Sales Data"."Order Items"(x, y) MATCH FULL ON UPDATE SET NULL'
        " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;"
    )
    plain = ForeignKey(columns=("a",), references=Reference(table="u", columns=()))
    assert render.add_foreign_key(Table(name="t"), plain, only=False) == (
        "ALTER TABLE public.t ADD FOREIGN KEY (a) REFERENCES public.u;"
    )


def test_index_with_every_option() -> None:
    index = Index(
        name="account lookup",
        columns=(
            IndexElement(expression="lower(email)", opclass="text_pattern_ops", descending=True),
            IndexElement(column="Name", collation="POSIX", nulls_first=False),
            "mood",
        ),
        unique=True,
        nulls_not_distinct=True,
        include=("id",),
        where="balance > 0",
        with_={"fillfactor": "70"},
    )
    assert render.create_index("app", "account", index, only=True) == (
        'CREATE UNIQUE INDEX "account lookup" ON ONLY app.account USING btree'
        ' ((lower(email)) text_pattern_ops DESC, "Name" COLLATE "POSIX" NULLS LAST, mood)'
        " INCLUDE (id) NULLS NOT DISTINCT WITH (fillfactor='70') WHERE (balance > 0);"
    )
    unnamed = Index(columns=("a",), using="brin")
    assert render.create_index("public", "t", unnamed, only=False) == (
        "CREATE INDEX ON public.t USING brin (a);"
    )
    assert render.attach_index("app", "p_pkey", "Sales Data", "c pkey") == (
        'ALTER INDEX app.p_pkey ATTACH PARTITION "Sales Data"."c pkey";'
    )


def test_views() -> None:
    view = View(
        name="positive",
        schema="app",
        query="SELECT id FROM app.account;\n",
        check_option="local",
        security_barrier=True,
        security_invoker=True,
    )
    assert render.create_view(view) == (
        "CREATE VIEW app.positive WITH (security_barrier='true', security_invoker='true') AS\n"
        "SELECT id FROM app.account\n"
        "  WITH LOCAL CHECK OPTION;"
    )
    commented = View(name="v", query="SELECT 1 -- one")
    assert render.create_view(commented) == "CREATE VIEW public.v AS\nSELECT 1 -- one\n;"
    matview = MaterializedView(name="stats", query=" SELECT 1 AS n", with_={"fillfactor": "50"})
    assert render.create_matview(matview) == (
        "CREATE MATERIALIZED VIEW public.stats WITH (fillfactor='50') AS\n"
        "SELECT 1 AS n\n  WITH NO DATA;"
    )
    assert render.refresh_matview(matview) == "REFRESH MATERIALIZED VIEW public.stats;"


def test_triggers() -> None:
    trigger = Trigger(
        name="Audit",
        timing="after",
        events=("insert", "update"),
        update_of=("name", "Mood"),
        for_each="row",
        when="OLD.name IS DISTINCT FROM NEW.name",
        function="app.touch",
        arguments=("a", "it's"),
        constraint=True,
        deferrable=True,
        initially_deferred=True,
        enabled="replica",
    )
    assert render.create_trigger("app", "account", trigger) == (
        'CREATE CONSTRAINT TRIGGER "Audit" AFTER INSERT OR UPDATE OF name, "Mood"'
        " ON app.account DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        " WHEN (OLD.name IS DISTINCT FROM NEW.name)"
        " EXECUTE FUNCTION app.touch('a', 'it''s');"
    )
    assert render.trigger_state("app", "account", trigger) == (
        'ALTER TABLE app.account ENABLE REPLICA TRIGGER "Audit";'
    )
    batch = Trigger(
        name="batch",
        timing="after",
        events=("update",),
        function="touch",
        referencing_old="old rows",
        referencing_new="new_rows",
    )
    assert render.create_trigger("public", "t", batch) == (
        'CREATE TRIGGER batch AFTER UPDATE ON public.t REFERENCING OLD TABLE AS "old rows"'
        " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION touch();"
    )


def test_row_level_security() -> None:
    table = Table(name="t", row_security=True, force_row_security=True)
    assert render.row_security(table) == [
        "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE public.t FORCE ROW LEVEL SECURITY;",
    ]
    policy = Policy(
        name="own rows",
        command="update",
        permissive=False,
        roles=("Edge Reader", "public"),
        using="owner = current_user",
        with_check="balance >= 0",
    )
    assert render.create_policy(table, policy) == (
        'CREATE POLICY "own rows" ON public.t AS RESTRICTIVE FOR UPDATE TO "Edge Reader", PUBLIC'
        " USING (owner = current_user) WITH CHECK (balance >= 0);"
    )
    assert render.create_policy(table, Policy(name="all")) == (
        'CREATE POLICY "all" ON public.t AS PERMISSIVE FOR ALL TO PUBLIC;'
    )


def test_owner_comment_and_privileges() -> None:
    ref = ObjectRef("TABLE", "app.t", "TABLE", "app.t")
    assert alter_owner(ref, "Edge Owner") == 'ALTER TABLE app.t OWNER TO "Edge Owner";'
    assert comment_on("COLUMN", "app.t.c", "it's") == "COMMENT ON COLUMN app.t.c IS 'it''s';"
    assert comment_on("TABLE", "app.t", None) == "COMMENT ON TABLE app.t IS NULL;"
    table = Table(
        name="t",
        grants=(
            Grant(to="Edge Reader", privileges=("SELECT", "UPDATE"), columns=("a", "B")),
            Grant(to="PUBLIC", privileges=("SELECT",), grant_option=True),
        ),
        revokes=(Grant(to="owner", privileges=("TRUNCATE",), grant_option=True),),
    )
    assert acl_statements(ref, table, "t") == [
        "REVOKE GRANT OPTION FOR TRUNCATE ON TABLE app.t FROM owner;",
        'GRANT SELECT (a, "B"), UPDATE (a, "B") ON TABLE app.t TO "Edge Reader";',
        "GRANT SELECT ON TABLE app.t TO PUBLIC WITH GRANT OPTION;",
    ]


@pytest.mark.parametrize("privileges", [(), ("SELECT; DROP TABLE x",), ("select",)])
def test_bad_privileges(privileges: tuple[str, ...]) -> None:
    table = Table(name="t", grants=(Grant(to="r", privileges=privileges),))
    with pytest.raises(DbarchError, match="privilege"):
        acl_statements(ObjectRef("TABLE", "t", "TABLE", "t"), table, "table t")


def test_identity_arguments_drop_defaults_only() -> None:
    text = "a integer DEFAULT 0, \"x,y\" numeric(5,2) = 'a,b', OUT b text, c text[] DEFAULT '{}'"
    assert identity_arguments(text) == 'a integer, "x,y" numeric(5,2), OUT b text, c text[]'
    assert identity_arguments("") == ""


def test_trailing_line_comments_are_detected() -> None:
    assert ends_in_comment("select 1 -- x")
    assert not ends_in_comment("select '--'")
    assert not ends_in_comment("select 1 /* x */")
    assert render.fragment("now() -- x") == "now() -- x\n"


def test_shorthand_columns_are_refused() -> None:
    schema = Schema(tables=(Table(name="t", columns=(Column(name="a", type="int", unique=True),)),))
    with pytest.raises(DbarchError, match="shorthand"):
        to_ddl(schema)


def test_unnamed_constraint_with_comment_is_refused() -> None:
    key = PrimaryKey(columns=("a",), comment="x")
    schema = Schema(
        tables=(Table(name="t", columns=(Column(name="a", type="int"),), primary_key=key),)
    )
    with pytest.raises(DbarchError, match="unnamed constraint"):
        to_ddl(schema)


def test_unparsable_fragment_names_its_object() -> None:
    # fragments that name no object of the Schema are left to PostgreSQL to check
    schema = Schema(tables=(Table(name="t", columns=(Column(name="a", type="t("),)),))
    with pytest.raises(DbarchError, match=r"table public\.t: PostgreSQL cannot parse"):
        to_ddl(schema)


def test_view_triggers_cannot_be_disabled() -> None:
    trigger = Trigger(
        name="t", timing="instead of", events=("insert",), function="f", enabled="disabled"
    )
    view = View(name="v", query="SELECT 1", triggers=(trigger,))
    with pytest.raises(DbarchError, match="triggers on a view cannot be disabled"):
        to_ddl(Schema(views=(view,)))


def test_table_that_is_its_own_ancestor() -> None:
    a = Table(name="a", inherits=("b",))
    b = Table(name="b", inherits=("a",))
    with pytest.raises(DbarchError, match="its own partition or ancestor"):
        to_ddl(Schema(tables=(a, b)))


def test_missing_parent_table() -> None:
    child = Table(name="c", partition_of="nowhere", partition_bound="DEFAULT")
    with pytest.raises(DbarchError, match="table 'nowhere' is not in the schema"):
        to_ddl(Schema(tables=(child,)))


def test_whole_script_layout_and_the_public_schema() -> None:
    schema = Schema(
        roles=(Role(name="app", member_of=("base",), comment="the app"), Role(name="base")),
        schemas=(
            SchemaDef(
                name="public",
                owner="app",
                comment="mine",
                grants=(Grant(to="PUBLIC", privileges=("CREATE",)),),
            ),
        ),
    )
    role = render.create_role
    assert (
        to_ddl(schema)
        == "\n\n".join(
            [
                "SET check_function_bodies = false;",
                "SET client_min_messages = warning;",
                "SET search_path = public, pg_catalog;",
                role(Role(name="app")),
                "COMMENT ON ROLE app IS 'the app';",
                role(Role(name="base")),
                "GRANT base TO app;",
                "ALTER SCHEMA public OWNER TO app;",
                "COMMENT ON SCHEMA public IS 'mine';",
                "GRANT CREATE ON SCHEMA public TO PUBLIC;",
            ]
        )
        + "\n"
    )
