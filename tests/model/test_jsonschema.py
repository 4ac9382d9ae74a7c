"""The JSON Schema of the format, and the starter model ``dbarch init`` writes."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from dbarch.ddl import to_ddl
from dbarch.model.jsonschema import DIALECT, MODEL_SCHEMA_ID, json_schema
from dbarch.model.loader import load_model_text
from dbarch.model.template import starter_model

EXAMPLES = sorted(
    p for p in Path(str(files("dbarch.examples"))).iterdir() if p.suffix in (".yaml", ".json")
)


def validate(
    instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str = ""
) -> list[str]:
    """Problems of ``instance`` against the JSON Schema keywords the format's schema uses."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(instance, root["$defs"][name], root, at)
    if "anyOf" in schema:
        results = [validate(instance, option, root, at) for option in schema["anyOf"]]
        return [] if any(not r for r in results) else min(results, key=len)
    problems: list[str] = []
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "null": type(None),
        "integer": int,
        "number": (int, float),
    }
    if kinds and not any(isinstance(instance, python[k]) for k in kinds):
        return [f"{at}: {instance!r} is not {kinds}"]
    if "enum" in schema and instance not in schema["enum"]:
        problems.append(f"{at}: {instance!r} not in {schema['enum']}")
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        problems += [f"{at}: missing {k}" for k in schema.get("required", []) if k not in instance]
        for key, value in instance.items():
            if key in properties:
                problems += validate(value, properties[key], root, f"{at}/{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{at}: unknown key {key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += validate(value, schema["additionalProperties"], root, f"{at}/{key}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            problems += validate(item, schema["items"], root, f"{at}/{i}")
    return problems


def _objects(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [("(root)", schema), *schema["$defs"].items()]


def test_the_schema_is_draft_2020_12_with_an_id() -> None:
    schema = json_schema()
    assert list(schema)[:5] == ["$schema", "$id", "title", "description", "type"]
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == MODEL_SCHEMA_ID
    assert list(schema["$defs"]) == sorted(schema["$defs"])


def test_unknown_keys_are_disallowed_everywhere() -> None:
    for name, definition in _objects(json_schema()):
        if "properties" in definition:
            assert definition["additionalProperties"] is False, name
    assert validate({"tables": [{"name": "t", "colums": []}]}, json_schema(), json_schema()) == [
        "/tables/0: unknown key colums"
    ]


def test_every_object_and_key_is_described() -> None:
    undocumented = [
        f"{name}.{key}"
        for name, definition in _objects(json_schema())
        for key, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    undocumented += [name for name, d in _objects(json_schema()) if not d.get("description")]
    assert undocumented == []


def test_keys_are_the_file_keys() -> None:
    table = json_schema()["$defs"]["Table"]["properties"]
    assert {"schema", "with"} <= set(table) and "schema_" not in table
    assert "$schema" in json_schema()["properties"]


def test_string_keys_take_scalars_as_the_loader_does() -> None:
    column = json_schema()["$defs"]["Column"]["properties"]
    assert column["default"]["anyOf"][0] == {"type": ["string", "number", "boolean"]}
    assert column["nullable"]["type"] == "boolean"


def test_the_schema_is_deterministic() -> None:
    assert json.dumps(json_schema()) == json.dumps(json_schema())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_bundled_example_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    instance = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    schema = json_schema()
    assert validate(instance, schema, schema) == []


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_starter_validates_and_loads(fmt: str) -> None:
    text = starter_model(fmt, schema_ref="dbarch.schema.json")  # type: ignore[arg-type]
    instance = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    schema = json_schema()
    assert validate(instance, schema, schema) == []
    model = load_model_text(text, f"schema.{fmt}", fmt)  # type: ignore[arg-type]
    assert model == load_model_text(starter_model("yaml"), "schema.yaml", "yaml")


def test_the_starter_refers_editors_to_the_schema_only_when_asked() -> None:
    assert "$schema" not in json.loads(starter_model("json"))
    assert json.loads(starter_model("json", "s.json"))["$schema"] == "s.json"
    assert starter_model("yaml", "s.json").startswith("# yaml-language-server: $schema=s.json\n")
    assert not starter_model("yaml").startswith("# yaml-language-server")


def test_the_starter_shows_the_common_features() -> None:
    model = load_model_text(starter_model("yaml"), "schema.yaml", "yaml")
    raw = yaml.safe_load(starter_model("yaml"))
    columns = [c for t in raw["tables"] for c in t["columns"]]
    assert any(c.get("identity") and c.get("primary_key") for c in columns)
    assert any(isinstance(c.get("references"), str) for c in columns)
    assert any(t.get("foreign_keys") for t in raw["tables"])
    assert any(c.get("unique") for c in columns)
    assert any(c["type"] == "timestamptz" for c in columns)
    indexes = [i for t in model.tables for i in t.indexes]
    assert any(i.using == "gin" for i in indexes)
    assert any(i.where for i in indexes)
    assert all(t.checks for t in model.tables)
    assert [e.name for e in model.enums] == ["order_status"]
    described = [*model.tables, *model.enums, *(c for t in model.tables for c in t.columns)]
    assert [o.name for o in described if not o.comment] == []


def test_the_starter_applies_to_postgresql(fresh_db: str) -> None:
    model = load_model_text(starter_model("json"), "schema.json", "json")
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute(to_ddl(model))
        conn.execute("INSERT INTO customers (email, name) VALUES ('a@example.com', 'A')")
        conn.execute("INSERT INTO orders (customer_id, total) VALUES (1, 9.5)")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO orders (customer_id, total) VALUES (1, -1)")
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO customers (email, name) VALUES ('a@example.com', 'B')")


def test_shorthands_validate_as_the_loader_takes_them() -> None:
    schema = json_schema()
    table = {
        "name": "t",
        "columns": [{"name": "id", "type": "bigint", "identity": "always"}],
        "primary_key": ["id"],
    }
    assert validate({"tables": [table]}, schema, schema) == []
    table["columns"][0]["identity"] = "sometimes"  # type: ignore[index]
    assert validate({"tables": [table]}, schema, schema) != []
