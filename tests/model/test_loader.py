"""Loading model files: the Schema they give, and every mistake with its file:line:col."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest

from dbarch.errors import ModelError, SourceError
from dbarch.examples import example_path
from dbarch.model.loader import load_model, load_model_text
from dbarch.model.objects import IndexElement, Reference, Schema


def problems(text: str, fmt: str = "yaml") -> list[str]:
    """The problems loading ``text`` reports, as ``file:line:col: message``."""
    with pytest.raises(ModelError) as info:
        load_model_text(dedent(text), f"m.{fmt}", fmt)  # type: ignore[arg-type]
    return [f"{location}: {message}" for location, message in info.value.problems]


def load(text: str, fmt: str = "yaml") -> Schema:
    return load_model_text(dedent(text), f"m.{fmt}", fmt)  # type: ignore[arg-type]


USERS = """\
    tables:
      - name: users
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: email, type: text, unique: true}
"""


# --------------------------------------------------------------------------- syntax


def test_yaml_syntax_error_has_the_position_of_the_yaml_mark() -> None:
    assert problems("tables:\n  - name: t\n   columns: []\n") == [
        "m.yaml:3:4: invalid YAML: while parsing a block collection expected <block end>,"
        " but found '<block mapping start>'"
    ]


def test_json_syntax_error_has_the_position_of_the_json_decoder() -> None:
    assert problems('{"tables": [\n  {"name": "t",}\n]}', "json") == [
        "m.json:2:16: invalid JSON: Expecting property name enclosed in double quotes"
    ]


def test_several_yaml_documents_are_an_error() -> None:
    assert problems("tables: []\n---\nviews: []\n") == [
        "m.yaml:2:1: invalid YAML: expected a single document in the stream"
        " but found another document"
    ]


def test_a_model_is_a_mapping() -> None:
    assert problems("- tables\n") == [
        "m.yaml:1:1: a model is a mapping of keys such as 'tables', got a list"
    ]
    assert problems('\n\n"tables"', "json") == [
        "m.json:3:1: a model is a mapping of keys such as 'tables', got a string"
    ]


def test_an_empty_file_is_an_empty_model() -> None:
    assert load("") == Schema()
    assert load("# nothing yet\n") == Schema()


# --------------------------------------------------------------------------- shape


def test_duplicate_keys_are_reported_where_they_repeat() -> None:
    text = """\
        tables:
          - name: t
            name: u
            columns: []
    """
    assert problems(text) == ["m.yaml:3:5: duplicate key 'name' (first defined at 2:5)"]
    as_json = '{"tables": [{"name": "t",\n "name": "u"}]}'
    assert problems(as_json, "json") == ["m.json:2:2: duplicate key 'name' (first defined at 1:14)"]


def test_unknown_keys_suggest_the_closest_known_one() -> None:
    text = """\
        tables:
          - name: users
            colums: []
        viewz: []
    """
    assert problems(text) == [
        "m.yaml:3:5: unknown key 'colums' in table 'users'; did you mean 'columns'?",
        "m.yaml:4:1: unknown key 'viewz' at the top level; did you mean 'views'?",
    ]


def test_unknown_keys_in_json_point_at_the_key() -> None:
    text = '{\n  "tables": [\n    {"name": "users", "colums": []}\n  ]\n}\n'
    assert problems(text, "json") == [
        "m.json:3:23: unknown key 'colums' in table 'users'; did you mean 'columns'?"
    ]


def test_wrong_value_kinds_say_what_was_expected() -> None:
    text = """\
        tables:
          - name: users
            columns: id, email
          - name: orders
            unlogged: maybe
            columns:
              - id
            foreign_keys:
              - columns: [id]
                references: {table: users, columns: [id]}
                on_delete: cascde
            indexes:
              - columns: [[id]]
                using: [gin]
    """
    assert problems(text) == [
        "m.yaml:3:14: expected a list of columns, got a string",
        "m.yaml:5:15: expected true or false, got 'maybe'",
        "m.yaml:7:9: expected a column (a mapping), got a string",
        "m.yaml:11:20: expected one of 'no action', 'restrict', 'cascade', 'set null' or"
        " 'set default', got 'cascde'; did you mean 'cascade'?",
        "m.yaml:13:19: expected a mapping or a string, got a list",
        "m.yaml:14:16: expected a string, got a list",
    ]


def test_a_key_element_mapping_is_checked_as_one() -> None:
    text = """\
        tables:
          - name: t
            columns: [{name: a, type: text}]
            indexes:
              - columns: [{colum: a}]
    """
    assert problems(text) == [
        "m.yaml:5:20: unknown key 'colum' in an index element; did you mean 'column'?"
    ]


def test_missing_required_keys_point_at_their_mapping() -> None:
    text = """\
        tables:
          - name: t
            columns:
              - name: a
    """
    assert problems(text) == ["m.yaml:4:9: missing required key 'type' in column 'a'"]


def test_errors_are_for_people() -> None:
    text = "tables:\n  - name: t\n    columns: 5\n    unlogged: []\n"
    for problem in problems(text):
        assert "pydantic" not in problem and "Input should" not in problem


# --------------------------------------------------------------------------- values


def test_scalars_become_sql_text_where_sql_text_is_wanted() -> None:
    text = """\
        extensions:
          - {name: citext, version: 1.10}
        enums:
          - {name: answer, values: [yes, no, 1]}
        tables:
          - name: t
            with: {fillfactor: 70}
            columns:
              - {name: a, type: integer, default: 0, nullable: no}
              - {name: b, type: date, default: 2024-01-01}
    """
    schema = load(text)
    assert schema.extensions[0].version == "1.10"
    assert schema.enums[0].values == ("yes", "no", "1")
    table = schema.tables[0]
    assert table.with_ == {"fillfactor": "70"}
    assert [(c.default, c.nullable) for c in table.columns] == [("0", False), ("2024-01-01", True)]


def test_json_numbers_become_sql_text_too() -> None:
    column = '{"name": "a", "type": "numeric", "default": 1.50}'
    text = '{"tables": [{"name": "t", "columns": [' + column + "]}]}"
    assert load(text, "json").tables[0].columns[0].default == "1.50"


def test_anchors_and_merge_keys_work() -> None:
    text = """\
        tables:
          - name: a
            columns:
              - &stamp {name: created_at, type: timestamptz, nullable: false}
          - name: b
            columns:
              - *stamp
              - <<: *stamp
                name: updated_at
    """
    b = load(text).table("b")
    assert b is not None
    assert [(c.name, c.type, c.nullable) for c in b.columns] == [
        ("created_at", "timestamptz", False),
        ("updated_at", "timestamptz", False),
    ]


def test_a_schema_key_for_editors_is_ignored() -> None:
    assert load('{"$schema": "model.schema.json", "tables": []}', "json") == Schema()
    assert load("$schema: model.schema.json\n") == Schema()


def test_the_result_is_canonical_and_expanded() -> None:
    text = (
        USERS
        + """\
      - name: orders
        columns:
          - {name: id, type: bigint, primary_key: true}
          - {name: user_id, type: bigint, references: users}
        indexes:
          - columns: [{column: user_id}]
    """
    )
    schema = load(text)
    assert [t.name for t in schema.tables] == ["orders", "users"]
    orders = schema.table("orders")
    assert orders is not None
    assert orders.foreign_keys[0].references == Reference(table="users", columns=("id",))
    assert orders.indexes[0].columns == ("user_id",)
    assert not any(c.primary_key or c.references for c in orders.columns)


# --------------------------------------------------------------------------- meaning


def test_unknown_data_types_suggest_a_known_one() -> None:
    text = """\
        enums:
          - {name: Mood, values: [happy]}
        tables:
          - name: t
            columns:
              - {name: a, type: interger}
              - {name: b, type: mood}
              - {name: c, type: "timestamp(3) with time zone"}
              - {name: d, type: "int(11)"}
              - {name: e, type: sales.thing}
              - {name: f, type: '"Mood"[]'}
    """
    assert problems(text) == [
        "m.yaml:6:25: unknown data type 'interger'; did you mean 'integer'?",
        "m.yaml:7:25: unknown data type 'mood'; did you mean '\"Mood\"'?",
        "m.yaml:9:25: data type 'int(11)' takes no modifier such as (n)",
        "m.yaml:10:25: unknown data type 'sales.thing'",
    ]


def test_unknown_data_types_in_json_point_at_the_value() -> None:
    text = '{"domains": [\n  {"name": "d",\n   "type": "strng"}]}'
    assert problems(text, "json") == ["m.json:3:12: unknown data type 'strng'"]


def test_extension_types_need_the_extension() -> None:
    table = (
        "tables:\n  - {name: t, columns: [{name: a, type: citext}, {name: v, type: vector(3)}]}\n"
    )
    assert problems(table) == [
        "m.yaml:2:41: unknown data type 'citext'; it comes with the extension 'citext':"
        " add it to extensions",
        "m.yaml:2:66: unknown data type 'vector(3)'; it comes with the extension 'vector':"
        " add it to extensions",
    ]
    assert load("extensions: [{name: citext}, {name: vector}]\n" + table).tables[0].columns


def test_types_in_an_extensions_schema_are_trusted() -> None:
    text = """\
        schemas: [{name: ext}]
        extensions: [{name: postgis_sfcgal, schema: ext}]
        tables:
          - {name: t, columns: [{name: g, type: ext.anything}]}
    """
    assert load(text).tables[0].columns[0].type == "ext.anything"


def test_serial_is_for_columns_only() -> None:
    text = """\
        domains: [{name: d, type: serial}]
        sequences: [{name: s, type: text}]
    """
    assert problems(text) == [
        "m.yaml:1:27: 'serial' is only a column notation, not a data type; use an integer type",
        "m.yaml:2:29: a sequence's type must be smallint, integer or bigint, not 'text'",
    ]


def test_references_to_missing_tables_and_columns() -> None:
    text = (
        USERS
        + """\
      - name: orders
        columns:
          - {name: id, type: bigint}
          - {name: user_id, type: bigint, references: user.id}
          - {name: other_id, type: bigint, references: users.idd}
        primary_key: {columns: [idd]}
        unique: [{columns: [id], include: [nope]}]
        foreign_keys:
          - columns: [user_id]
            references: {table: userz, columns: [id]}
          - columns: [usr_id]
            references: {table: users, columns: [emial]}
        indexes:
          - columns: [id, {column: nope}]
        triggers:
          - {name: t, timing: before, events: [update], function: f, update_of: [emial]}
    sequences:
      - {name: s, owned_by: orders.nope}
    """
    )
    assert problems(text) == [
        "m.yaml:9:51: table 'user' does not exist in schema 'public'; did you mean 'users'?",
        "m.yaml:10:52: table 'users' has no column 'idd'; did you mean 'id'?",
        "m.yaml:11:29: table 'orders' has no column 'idd'; did you mean 'id'?",
        "m.yaml:12:40: table 'orders' has no column 'nope'",
        "m.yaml:15:29: table 'userz' does not exist in schema 'public'; did you mean 'users'?",
        "m.yaml:16:19: table 'orders' has no column 'usr_id'; did you mean 'user_id'?",
        "m.yaml:17:46: table 'users' has no column 'emial'; did you mean 'email'?",
        "m.yaml:19:32: table 'orders' has no column 'nope'",
        "m.yaml:21:78: table 'orders' has no column 'emial'",
        "m.yaml:23:25: table 'orders' has no column 'nope'",
    ]


def test_a_references_shorthand_to_a_table_needs_its_one_column_key() -> None:
    text = """\
        tables:
          - name: a
            columns: [{name: x, type: int}, {name: y, type: int}]
            primary_key: {columns: [x, y]}
          - name: b
            columns: [{name: x, type: int}]
          - name: c
            columns: [{name: a, type: int, references: a}, {name: b, type: int, references: b}]
    """
    assert problems(text) == [
        "m.yaml:8:48: table 'a' has a composite primary key; name the referenced column"
        " (e.g. 'a.id') or use foreign_keys",
        "m.yaml:8:85: table 'b' has no primary key; name the referenced column"
        " (e.g. 'b.id') or use foreign_keys",
    ]


def test_foreign_key_targets_must_be_unique() -> None:
    text = """\
        tables:
          - name: users
            columns: [{name: id, type: bigint, primary_key: true}, {name: name, type: text}]
          - name: orders
            columns: [{name: a, type: bigint}, {name: b, type: text}]
            foreign_keys:
              - {columns: [a, b], references: {table: users, columns: [id]}}
              - {columns: [b], references: {table: users, columns: [name]}}
    """
    assert problems(text) == [
        "m.yaml:7:63: 2 column(s) cannot reference 1 column(s)",
        "m.yaml:8:60: table 'users' has no primary key or unique constraint on (name)",
    ]


def test_partitions_need_both_parent_and_bound() -> None:
    text = """\
        tables:
          - name: events
            columns: [{name: at, type: timestamptz}]
            partition_by: {strategy: range, key: at}
          - {name: plain, columns: [{name: a, type: int}]}
          - {name: p1, partition_of: events}
          - {name: p2, partition_bound: DEFAULT}
          - {name: p3, partition_of: plain, partition_bound: DEFAULT}
          - {name: p4, partition_of: nothing, partition_bound: DEFAULT}
          - {name: c, inherits: [plain, nope], columns: []}
    """
    assert problems(text) == [
        "m.yaml:6:30: a partition needs a partition_bound, e.g. FOR VALUES IN (1) or DEFAULT",
        "m.yaml:7:33: partition_bound needs partition_of (the partitioned table)",
        "m.yaml:8:30: table 'plain' is not partitioned (it has no partition_by)",
        "m.yaml:9:30: table 'nothing' does not exist in schema 'public'",
        "m.yaml:10:33: table 'nope' does not exist in schema 'public'",
    ]


def test_partitions_use_their_parents_columns() -> None:
    text = """\
        tables:
          - name: events
            columns: [{name: at, type: timestamptz}, {name: id, type: bigint}]
            partition_by: {strategy: range, key: at}
          - name: events_2025
            partition_of: events
            partition_bound: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
            indexes: [{columns: [id]}]
    """
    assert load(text).table("events_2025") is not None


def test_duplicate_names() -> None:
    text = """\
        enums:
          - {name: t, values: [a, b, a]}
        tables:
          - name: t
            columns: [{name: a, type: int}, {name: a, type: text}]
            checks:
              - {name: c, check: a > 0}
              - {name: c, check: a < 9}
            indexes:
              - {name: u, columns: [a]}
          - {name: u, columns: []}
    """
    assert problems(text) == [
        "m.yaml:2:30: enum 't' lists 'a' twice (first at 2:24)",
        "m.yaml:4:11: the name 't' is already taken in schema 'public' (first at 2:12)",
        "m.yaml:5:44: table 't' has two columns named 'a' (first at 5:22)",
        "m.yaml:8:16: table 't' has two constraints named 'c' (first at 7:16)",
        "m.yaml:11:12: the name 'u' is already taken in schema 'public' (first at 10:16)",
    ]


def test_same_names_in_different_schemas_are_fine() -> None:
    text = """\
        schemas: [{name: sales}]
        tables:
          - {name: t, columns: [{name: a, type: int}], indexes: [{name: i, columns: [a]}]}
          - {name: t, schema: sales, columns: [{name: a, type: int}],
             indexes: [{name: i, columns: [a]}]}
    """
    assert len(load(text).tables) == 2


def test_a_primary_key_is_given_once() -> None:
    text = """\
        tables:
          - name: t
            columns: [{name: a, type: int, primary_key: true}]
            primary_key: {columns: [a]}
    """
    assert problems(text) == ["m.yaml:3:49: table 't' already has a primary_key; list 'a' there"]


def test_schemas_must_be_declared_and_naming_placeholders_known() -> None:
    text = """\
        naming: {index: "ix_{tabel}"}
        schemas: [{name: sales}]
        tables: [{name: t, schema: sale}]
    """
    assert problems(text) == [
        "m.yaml:1:17: unknown placeholder {tabel} in 'ix_{tabel}';"
        " use {table}, {columns}, {ref_table}",
        "m.yaml:3:28: schema 'sale' is not declared; add it to schemas; did you mean 'sales'?",
    ]


def test_key_elements_need_a_column_or_an_expression() -> None:
    text = """\
        tables:
          - name: t
            columns: [{name: a, type: int}]
            indexes: [{columns: [{descending: true}]}]
    """
    assert problems(text) == ["m.yaml:4:26: give either a column or an expression"]


def test_all_problems_come_together_in_file_order() -> None:
    text = """\
        tables:
          - name: t
            columns:
              - {name: a, type: nope}
              - {name: b, type: int, references: x}
    """
    assert [p.split(": ", 1)[0] for p in problems(text)] == ["m.yaml:4:25", "m.yaml:5:42"]


def test_json_positions_of_semantic_problems() -> None:
    model = {
        "tables": [{"name": "t", "columns": [{"name": "a", "type": "int", "references": "x.y"}]}]
    }
    text = json.dumps(model, indent=2)
    assert problems(text, "json") == ["m.json:9:25: table 'x' does not exist in schema 'public'"]


# --------------------------------------------------------------------------- files


def test_load_model_reads_yaml_yml_and_json(tmp_path: Path) -> None:
    model = "tables: [{name: t, columns: [{name: a, type: int}]}]\n"
    for name in ("m.yaml", "m.yml", "m.JSON"):
        path = tmp_path / name
        text = model if "y" in name else json.dumps(load(model).model_dump(by_alias=True))
        path.write_text(text, encoding="utf-8")
        assert load_model(path).tables[0].name == "t"


def test_load_model_refuses_other_suffixes(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_text("tables: []\n")
    with pytest.raises(ModelError, match=r"m\.txt: unknown model file type '\.txt'"):
        load_model(path)


def test_load_model_of_a_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        load_model(tmp_path / "missing.yaml")


def test_a_byte_order_mark_is_fine_and_bad_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_bytes(b'\xef\xbb\xbf{"tables": []}')
    assert load_model(path) == Schema()
    path.write_bytes(b'{"tables": [],\n "x": "\xff"}')
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert str(info.value) == f"{path}:2:8: not UTF-8 text"


def test_the_bundled_examples_load() -> None:
    schema = load_model(example_path("ml_platform"))
    deployments = schema.table("deployments", "registry")
    assert deployments is not None
    assert [i.columns for i in deployments.indexes] == [("model_version_id",)]
    values = schema.table("feature_values", "features")
    assert values is not None
    assert isinstance(values.indexes[0].columns[1], IndexElement)


def test_functional_dependencies_name_columns_of_their_table() -> None:
    text = """\
        tables:
          - name: t
            columns: [{name: a, type: int}, {name: b, type: int}]
            functional_dependencies: [{lhs: [a], rhs: [c]}]
    """
    assert problems(text) == ["m.yaml:4:48: table 't' has no column 'c'"]


def test_identity_and_primary_key_shorthands_are_the_long_forms() -> None:
    short = load(
        """\
        tables:
          - name: users
            columns:
              - {name: id, type: bigint, identity: always}
              - {name: n, type: bigint, identity: by_default}
            primary_key: [id]
        """
    )
    long = load(
        """\
        tables:
          - name: users
            columns:
              - {name: id, type: bigint, identity: {generation: always}}
              - {name: n, type: bigint, identity: {generation: by_default}}
            primary_key: {columns: [id]}
        """
    )
    assert short == long
    assert short.tables[0].primary_key is not None
    assert short.tables[0].primary_key.columns == ("id",)


def test_shorthands_that_do_not_fit_say_what_would() -> None:
    text = """\
        tables:
          - name: users
            columns:
              - {name: id, type: bigint, identity: alway}
              - {name: n, type: bigint, identity: [always]}
            primary_key: id
    """
    assert problems(text) == [
        "m.yaml:4:44: expected always, by_default or a mapping of identity options, got"
        " 'alway'; did you mean 'always'?",
        "m.yaml:5:43: expected a mapping, got a list",
        "m.yaml:6:18: expected a mapping, got a string",
    ]
    missing = (
        "tables:\n  - name: t\n    columns: [{name: id, type: bigint}]\n    primary_key: [idd]\n"
    )
    assert problems(missing) == ["m.yaml:4:18: table 't' has no column 'idd'; did you mean 'id'?"]
