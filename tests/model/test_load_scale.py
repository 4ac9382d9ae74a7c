"""Loading big models: the same Schema and the same problems whichever YAML parser reads
the file (libyaml when it is there, PyYAML's own parser otherwise), and every mistake of a
1,000-table model found where it is. Speed is measured in bench/, not here."""

from __future__ import annotations

import gc
from typing import Literal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dbarch.errors import ModelError
from dbarch.examples import example_path
from dbarch.model import locate
from dbarch.model.canonical import updated
from dbarch.model.dump import dump_model
from dbarch.model.loader import load_model_text
from dbarch.model.objects import Column, Schema
from tests.model.strategies import schemas

TABLES = 1000

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


def big_model(tables: int = TABLES) -> str:
    """``tables`` tables: a key, a reference to an earlier table, typed columns, an index."""
    lines = ["tables:"]
    for n in range(tables):
        lines += [
            f"  - name: t{n:04d}",
            "    columns:",
            "      - {name: id, type: bigint, primary_key: true, identity: {}}",
            f"      - {{name: parent_id, type: bigint, references: t{n // 2:04d}}}",
            f"      - {{name: code, type: 'varchar({n % 7 + 1})', unique: true}}",
            "      - name: amount",
            "        type: numeric(12,2)",
            "        default: 0",
            "        nullable: false",
            "      - {name: created, type: timestamp with time zone, default: now()}",
            "    indexes:",
            "      - columns: [parent_id, created]",
        ]
    return "\n".join(lines) + "\n"


def reading(text: str, fmt: Literal["yaml", "json"] = "yaml") -> tuple[object, ...]:
    """What parsing ``text`` gives: its data, where each of its values and keys is (and
    where paths one step further are found), the source texts and the problems; or the
    syntax error."""
    try:
        doc = locate.parse(text, f"m.{fmt}", fmt)
    except ModelError as exc:
        return ("error", str(exc))
    probes = [path + more for path in paths(doc.data) for more in ((), ("x",), (0,), (9,))]
    positions = {
        (probe, key): doc.position(probe, key=key) for probe in probes for key in (False, True)
    }
    problems = sorted(doc.problems)
    return ("read", repr(doc.data), positions, doc.texts, problems)


def paths(data: object, path: locate.Path = ()) -> list[locate.Path]:
    """The path of ``data`` and of everything in it."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*path, index))
    return found


def pyyaml_reading(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """:func:`reading` with PyYAML's pure-Python parser only."""
    with monkeypatch.context() as patch:
        patch.setattr(locate, "_LIBYAML", False)
        return reading(text)


def load(text: str) -> Schema:
    return load_model_text(text, "m.yaml", "yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(ModelError) as info:
        load(text)
    return [f"{location}: {message}" for location, message in info.value.problems]


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the line holding ``fragment``."""
    return text[: text.index(fragment)].count("\n") + 1


# --------------------------------------------------------------------------- 1,000 tables


def test_a_big_model_loads_expanded_and_named() -> None:
    schema = load(big_model())
    assert [t.name for t in schema.tables] == [f"t{n:04d}" for n in range(TABLES)]
    table = schema.tables[777]
    assert table.primary_key is not None and table.primary_key.name == "pk_t0777_id"
    [fk] = table.foreign_keys
    assert (fk.name, fk.references.table, fk.references.columns) == (
        "fk_t0777_parent_id",
        "t0388",
        ("id",),
    )
    assert [u.name for u in table.unique] == ["uq_t0777_code"]
    assert [i.name for i in table.indexes] == ["idx_t0777_parent_id_created"]
    assert [(c.name, c.type, c.default, c.nullable) for c in table.columns] == [
        ("id", "bigint", None, False),
        ("parent_id", "bigint", None, True),
        ("code", "varchar(1)", None, True),
        ("amount", "numeric(12,2)", "0", False),
        ("created", "timestamp with time zone", "now()", True),
    ]


def test_a_big_model_survives_dump_and_load() -> None:
    schema = load(big_model())
    assert load(dump_model(schema, "yaml")) == schema
    assert load_model_text(dump_model(schema, "json"), "m.json", "json") == schema


def test_every_mistake_of_a_big_model_is_found_where_it_is() -> None:
    text = big_model()
    for right, wrong in MISTAKES:
        assert right in text
        text = text.replace(right, wrong, 1)
    duplicate = text[: text.rindex("  - name: t0998\n")].count("\n") + 1
    assert problems(text) == [
        f"m.yaml:{line_of(text, 'craeted')}:30: table 't0000' has no column 'craeted';"
        " did you mean 'created'?",
        f"m.yaml:{line_of(text, 'varchr')}:28: unknown data type 'varchr(3)';"
        " did you mean 'varchar'?",
        f"m.yaml:{line_of(text, 't9999')}:53: table 't9999' does not exist in schema 'public';"
        " did you mean 't0998'?",
        f"m.yaml:{duplicate}:11: the name 't0998' is already taken in schema 'public'"
        f" (first at {line_of(text, '  - name: t0998')}:11)",
    ]


MISTAKES = (
    ("columns: [parent_id, created]", "columns: [parent_id, craeted]"),
    ("type: 'varchar(3)'", "type: 'varchr(3)'"),
    ("references: t0450}", "references: t9999}"),
    ("  - name: t0999\n", "  - name: t0998\n"),
)


def test_the_cycle_collector_runs_again_after_a_load() -> None:
    load(big_model(3))
    assert gc.isenabled()
    with pytest.raises(ModelError):
        load("tables: [")
    assert gc.isenabled()
    gc.disable()
    try:
        load(big_model(3))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_updated_keeps_a_node_that_would_not_change() -> None:
    column = Column(name="id", type="bigint")
    assert updated(column, {"type": "bigint", "nullable": True}) is column
    assert updated(column, {"nullable": False}) == Column(name="id", type="bigint", nullable=False)


# --------------------------------------------------------------------------- libyaml


@needs_libyaml
def test_libyaml_reads_a_clean_model_itself() -> None:
    for text in (big_model(50), example_path("ml_platform.yaml").read_text(encoding="utf-8")):
        assert not locate._libyaml_may_differ(text)
        locate._walk(*locate._libyaml_graph(text), libyaml=True)  # no _Unlike


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(big_model(30), id="generated"),
        pytest.param(example_path("ml_platform.yaml").read_text(encoding="utf-8"), id="example"),
        "a: 1\r\nb: x\r\n  y\r\nc: [1, 2]\r\n",
        "a: 1\rb: 2\r",
        "é: ü\nkey: '😀😀'\n😀: {a: b, c: [d, 'e', \"f\"]}\n",
        "a: b\u2028c: d\u2029e: \x85f\n",
        "a: &x\n  k: v\n  j: 1\nb:\n  <<: *x\n  k: w\n",
        "a: &x [1, *x]\n",
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "- |\n  block\n  text\n- >-\n  folded\n  text\n- plain\n  multi\n",
        "a: yes\nb: 0x1F\nc: 1e3\nd: .inf\ne: ~\nf: 2024-01-01\ng: 12:30:45\n= : 1\n",
        "a: !!str 1\nb: !!int '2'\nc: !custom 1\nd: !!binary aGVsbG8=\n",
        "a: !!int x\nb: 2024-13-45\n",
        "a:\nb:\n  - \n  -\n",
        "{a: , b: 1}\n",
        "[a: ]\n",
        "- !\n- ? \n",
        "a:\tb\n",
        "a: 1\n\ufeffb: 2\n",
        "a: |#\n  x\n",
        "%YAML 1.1#\n---\na: 1\n",
        "[1, 2?  3]\n",
        "{a:b, c}\n",
        "!:! a: 1\n",
        "a: \x07\n",
        "a: [1, 2\n",
        "",
        "# only a comment\n",
    ],
)
def test_libyaml_and_pyyaml_read_alike(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert reading(text) == pyyaml_reading(text, monkeypatch)


FRAGMENTS = (
    *("a", "key", ":", ": ", " ", "\n", "\r\n", "\t", "- ", "[", "]", "{", "}", ",", "'", '"'),
    *("#", " #", "&x ", "*x", "!!str ", "!x ", "!", "? ", "?", "|", ">", "|-", "1", "yes"),
    *("~", "<<: ", "---", "...", "é", "\u2028", "\x85", "\ufeff", "%", "\n  ", "\n- ", "x: "),
)


@needs_libyaml
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=16).map("".join))
def test_libyaml_and_pyyaml_read_any_text_alike(text: str) -> None:
    libyaml = reading(text)
    locate._LIBYAML = False
    try:
        pyyaml = reading(text)
    finally:
        locate._LIBYAML = yaml.__with_libyaml__
    assert libyaml == pyyaml


@needs_libyaml
@settings(max_examples=40, deadline=None)
@given(schemas(max_tables=6))
def test_libyaml_reads_every_dumped_model_itself(schema: Schema) -> None:
    text = dump_model(schema, "yaml")
    assert not locate._libyaml_may_differ(text)
    locate._walk(*locate._libyaml_graph(text), libyaml=True)  # no _Unlike
    assert load(text) == schema


# --------------------------------------------------------------------------- YAML mistakes


def test_a_character_yaml_does_not_allow_is_located() -> None:
    assert problems("tables:\n  - name: t\x07\n") == [
        "m.yaml:2:12: invalid YAML: character '\\x07' is not allowed"
    ]


def test_a_value_its_tag_rejects_is_a_yaml_problem() -> None:
    text = "tables:\n  - name: t\n    comment: !!int x\n  - name: u\n    comment: 2024-13-45\n"
    assert problems(text) == [
        "m.yaml:3:14: invalid YAML: 'x' is not a valid int",
        "m.yaml:5:14: invalid YAML: '2024-13-45' is not a valid timestamp",
    ]


def test_a_key_set_again_is_found_where_it_was_set_last() -> None:
    text = "base: &b {k: {x: 1}, j: 2}\nuse:\n  <<: *b\n  k: own\nuse2: {k: 1, k: [2]}\n"
    doc = locate.parse(text, "m.yaml", "yaml")
    assert doc.data == {
        "base": {"k": {"x": 1}, "j": 2},
        "use": {"k": "own", "j": 2},
        "use2": {"k": [2]},
    }
    where = {
        path: (str(doc.position(path)), str(doc.position(path, key=True)))
        for path in (("use", "k"), ("use", "j"), ("use", "k", "x"), ("use2", "k", 0))
    }
    assert where == {
        ("use", "k"): ("4:6", "4:3"),
        ("use", "j"): ("1:25", "1:22"),
        ("use", "k", "x"): ("1:18", "1:15"),  # where the merged value had it
        ("use2", "k", 0): ("5:18", "5:18"),
    }


# --------------------------------------------------------------------------- JSON

JSON_TEXTS = [
    '{"tables": [{"name": "t", "columns": [{"name": "a", "type": "int", "default": 0}]}]}',
    '{"a": [1, -0, 2.50, 1e3, 1E-2, true, false, null, NaN, Infinity, -Infinity, "x"]}',
    '{\n  "a": {"b": {"c": [[], {}, [{"d": "\\u00e9\\"q\\""}]]}},\n  "e": 12345678901234567890\n}',
    '{"k": 1, "k": {"n": 2}, "m": [true, {"k": 3, "k": 4}]}',
    "7",
    "[]",
]


@pytest.mark.parametrize("text", JSON_TEXTS)
def test_json_reads_as_the_full_scan_does(text: str) -> None:
    assert reading(text, "json") == reading_by_scan(text)


@settings(max_examples=30, deadline=None)
@given(schemas(max_tables=4))
def test_json_reads_every_dumped_model_as_the_full_scan_does(schema: Schema) -> None:
    text = dump_model(schema, "json")
    assert reading(text, "json") == reading_by_scan(text)


def reading_by_scan(text: str) -> tuple[object, ...]:
    """:func:`reading` of JSON ``text`` with every place found by the full scan up front
    (a fixture cannot patch inside a hypothesis test, hence by hand)."""
    original = locate._parse_json
    locate._parse_json = lambda text, _: locate._scanned_json(text)  # type: ignore[assignment]
    try:
        return reading(text, "json")
    finally:
        locate._parse_json = original
