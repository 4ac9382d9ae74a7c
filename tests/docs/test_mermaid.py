"""Mermaid ER diagrams: the strict grammar of the subset, and Mermaid's own parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dbarch.docs.catalog import Catalog
from dbarch.docs.erd_mermaid import attribute_word, entity_names, mermaid, mermaid_map
from dbarch.docs.layout import (
    Diagram,
    SchemaMap,
    neighbourhood,
    overview_diagrams,
    whole_schema,
)
from dbarch.docs.types import word_type
from tests.docs import tools
from tests.docs.browser import Chromium
from tests.docs.mermaid_grammar import problems
from tests.docs.schemas import generated, weird


@pytest.mark.parametrize(
    ("sql_type", "word"),
    [
        ("numeric(10,2)", "numeric_10_2_"),
        ("timestamp with time zone", "timestamptz"),
        ("timestamp(3) without time zone", "timestamp_3_"),
        ("character varying(255)", "varchar_255_"),
        ("character(2)", "char_2_"),
        ("double precision", "double_precision"),
        ("integer[]", "integer_array"),
        ("text[][]", "text_array_array"),
        ("ops.job_status", "ops_job_status"),
        ('"Mood Type"', "Mood_Type"),
        ("bit varying(8)", "varbit_8_"),
    ],
)
def test_types_become_mermaid_words_that_keep_their_meaning(sql_type: str, word: str) -> None:
    assert word_type(sql_type) == word


def test_names_never_read_as_mermaid_keywords() -> None:
    keys = [("public", n) for n in ("one", "tokens", "Many", "end", "u", "1st", "styles", "a")]
    keys += [("public", "名前"), ("Shop", "a"), ("public", "Shop__a")]
    names = entity_names(keys)
    assert names[("public", "a")] == "a"
    assert names[("public", "one")] == "t_one"
    assert names[("public", "tokens")] == "t_tokens"
    assert names[("public", "1st")] == "t_1st"
    assert names[("public", "名前")] == "t_"
    assert len(set(names.values())) == len(keys)
    assert attribute_word("pk") == "pk_"
    assert attribute_word("2fa") == "_2fa"
    assert attribute_word("Prénom") == "Prenom"


def test_cardinality_follows_nullability_and_uniqueness() -> None:
    catalog = Catalog(weird())
    text = mermaid(catalog, neighbourhood(catalog, ("public", "users")))
    assert 'users ||--o| profiles : "fk_profiles_user_id"' in text  # unique, in the PK
    assert 'users ||..o{ t_tokens : "fk_tokens_user_id"' in text  # NOT NULL, many
    assert 'users |o..o{ Order_Items : "fk_Order Items_user_id"' in text  # nullable
    assert "numeric_10_2_ pk_ PK" not in text
    assert 'numeric_10_2_ pk_ "pk"' in text
    assert 'bigint order_id PK "order id"' in mermaid(
        catalog, neighbourhood(catalog, ("public", "Order Items"))
    )


def _all_sources(catalog: Catalog) -> dict[str, str]:
    overviews = overview_diagrams(catalog)
    diagrams = [*overviews, *(neighbourhood(catalog, k) for k in catalog.by_key)]
    sources = {d.slug: mermaid(catalog, d) for d in diagrams}
    whole = whole_schema(catalog, overviews)
    if isinstance(whole, SchemaMap):
        sources["map"] = mermaid_map(whole)
    return sources


def test_a_large_schema_gets_a_map_of_its_diagrams() -> None:
    catalog = Catalog(generated(120, schemas=2))
    whole = whole_schema(catalog, overview_diagrams(catalog))
    assert isinstance(whole, SchemaMap)
    source = mermaid_map(whole)
    assert problems(source) == []
    assert (
        '    schema_s0_1 {\n        int tables "50 tables of Schema s0 (part 1 of 2)"\n' in source
    )
    assert 'schema_s0_1 }o..o{ schema_s1_1 : "' in source
    assert isinstance(whole_schema(Catalog(generated(50)), []), Diagram)


def test_every_diagram_of_awkward_names_is_in_the_strict_subset() -> None:
    for slug, source in _all_sources(Catalog(weird())).items():
        assert problems(source) == [], slug


def test_the_strict_reader_rejects_what_mermaid_rejects() -> None:
    assert problems("erDiagram\n    a {\n        timestamp with time zone x\n    }\n")
    assert problems("erDiagram\n    one {\n        int id\n    }\n")
    assert problems("erDiagram\n    a {\n        int pk\n    }\n")
    assert problems('erDiagram\n    a ||..o{ b : "x"\n')
    assert problems("erDiagram\n    a.b\n")
    assert problems("erDiagram\n    a {\n        int id\n")
    assert problems("erDiagram\n    a\n    b {\n    }\n") == []


def test_mermaid_itself_parses_every_diagram(chromium: Chromium, tmp_path: Path) -> None:
    bundle = tools.mermaid_js()
    page_file = tmp_path / "mermaid.html"
    page_file.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f'<script src="{bundle.as_uri()}"></script></head><body><script>'
        "mermaid.initialize({startOnLoad: false});</script></body></html>"
    )
    sources = _all_sources(Catalog(weird()))
    sources |= {f"generated {k}": v for k, v in _all_sources(Catalog(generated(60))).items()}
    assert "generated map" in sources
    with chromium.page() as page:
        page.open(page_file.as_uri())
        verdicts = page.run(
            "Promise.all(Object.entries("
            + json.dumps(sources)
            + ").map(([k, s]) => mermaid.parse(s).then(r => [k, r.diagramType],"
            " e => [k, String(e)])))",
            wait=True,
        )
        assert page.problems() == []
    assert {slug: verdict for slug, verdict in verdicts if verdict != "er"} == {}
    # and the referee does refuse a diagram that breaks the grammar
    with chromium.page() as page:
        page.open(page_file.as_uri())
        bad = page.run(
            'mermaid.parse("erDiagram\\n  a {\\n    numeric(10, 2) x\\n  }\\n")'
            ".then(() => 'parsed', () => 'refused')",
            wait=True,
        )
    assert bad == "refused"
