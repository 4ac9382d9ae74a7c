"""Dumping a Schema as a model file: key order, YAML styles, JSON, and the round trip."""

from __future__ import annotations

import json

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dbarch.ddl import to_ddl
from dbarch.model.dump import dump_model
from dbarch.model.loader import load_model_text
from dbarch.model.objects import (
    Column,
    Function,
    Grant,
    Index,
    NamingConvention,
    Schema,
    Table,
)
from dbarch.pg.devdb import DevServer
from tests.model.strategies import schemas

TABLE = Table(
    name="orders",
    schema="sales",
    comment="Orders.",
    grants=(Grant(to="app", privileges=("SELECT",)),),
    columns=(Column(name="id", type="bigint", nullable=False),),
)


def test_name_and_schema_come_first_owner_grants_and_comment_last() -> None:
    text = dump_model(Schema(tables=(TABLE,)), "yaml")
    assert text == (
        "tables:\n"
        "  - name: orders\n"
        "    schema: sales\n"
        "    columns:\n"
        "      - name: id\n"
        "        type: bigint\n"
        "        nullable: false\n"
        "    grants:\n"
        "      - to: app\n"
        "        privileges: [SELECT]\n"
        "    comment: Orders.\n"
    )


def test_defaults_are_left_out_and_naming_only_when_changed() -> None:
    assert dump_model(Schema(), "yaml") == ""
    assert dump_model(Schema(), "json") == "{}\n"
    changed = Schema(naming=NamingConvention(index="ix_{table}_{columns}"))
    assert dump_model(changed, "yaml") == "naming:\n  index: ix_{table}_{columns}\n"


def test_sections_are_separated_by_a_blank_line() -> None:
    schema = Schema(tables=(TABLE,), functions=(Function(name="f", returns="integer"),))
    text = dump_model(schema, "yaml")
    assert "    comment: Orders.\n\nfunctions:\n  - name: f\n" in text


def test_multi_line_sql_is_a_literal_block() -> None:
    body = "\nBEGIN\n  RETURN 1;\nEND;\n"
    schema = Schema(functions=(Function(name="f", returns="integer", body=body),))
    text = dump_model(schema, "yaml")
    assert "    body: |2\n\n      BEGIN\n        RETURN 1;\n      END;\n" in text
    assert load_model_text(text, "f.yaml", "yaml") == schema


def test_lines_with_trailing_blanks_are_quoted_not_literal() -> None:
    for body in ("SELECT 1; \nSELECT 2;", "SELECT 1;\t\nSELECT 2;", "a\r\nb"):
        schema = Schema(functions=(Function(name="f", returns="integer", body=body),))
        text = dump_model(schema, "yaml")
        assert "body: |" not in text
        assert load_model_text(text, "f.yaml", "yaml") == schema


def test_sql_literals_are_double_quoted_and_unicode_is_kept() -> None:
    column = Column(name="état", type="text", default="'pending'::text", comment="Zustand ✓")
    text = dump_model(Schema(tables=(Table(name="t", columns=(column,)),)), "yaml")
    assert "name: état\n" in text
    assert "default: \"'pending'::text\"\n" in text
    assert "comment: Zustand ✓\n" in text


def test_long_sql_is_not_wrapped() -> None:
    where = " AND ".join(f"c{i} IS NOT NULL" for i in range(40))
    index = Index(name="i", columns=("c0",), where=where)
    text = dump_model(Schema(tables=(Table(name="t", indexes=(index,)),)), "yaml")
    assert f"where: {where}\n" in text


def test_free_mappings_keep_the_model_order() -> None:
    # storage parameters are shown by pg_dump in the order they were set in
    table = Table(name="t", with_={"fillfactor": "70", "autovacuum_enabled": "false"})
    text = dump_model(Schema(tables=(table,)), "yaml")
    assert text.index("fillfactor") < text.index("autovacuum_enabled")


def test_json_is_indented_with_a_final_newline() -> None:
    text = dump_model(Schema(tables=(TABLE,)), "json")
    assert text.endswith("}\n")
    assert text.startswith('{\n  "tables": [\n    {\n      "name": "orders",\n')
    assert json.loads(text)["tables"][0]["grants"] == [{"to": "app", "privileges": ["SELECT"]}]


def test_anchors_are_never_written() -> None:
    grant = Grant(to="app", privileges=("SELECT",))
    tables = (Table(name="a", grants=(grant,)), Table(name="b", grants=(grant,)))
    text = dump_model(Schema(tables=tables), "yaml")
    assert "&" not in text and "*" not in text


@settings(max_examples=150, deadline=None)
@given(schemas())
def test_dump_then_load_gives_the_schema_back(schema: Schema) -> None:
    for fmt in ("yaml", "json"):
        text = dump_model(schema, fmt)
        assert load_model_text(text, f"model.{fmt}", fmt) == schema
        assert dump_model(schema, fmt) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_text_survives_the_yaml_round_trip(text: str) -> None:
    schema = Schema(tables=(Table(name="t", comment=text),))
    assert load_model_text(dump_model(schema, "yaml"), "t.yaml", "yaml") == schema


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schema=schemas(max_tables=3))
def test_generated_schemas_are_accepted_by_postgresql(schema: Schema, pg_server: DevServer) -> None:
    with pg_server.scratch() as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(to_ddl(schema))
        tables = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema', "
            "'pg_toast')"
        ).fetchone()
    assert tables == (len(schema.tables),)
