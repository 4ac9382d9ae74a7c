"""The registry is complete and consistent; docs/rules.md is generated from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dbarch.checks.registry import FAMILIES, all_rules, find_rule
from dbarch.checks.ruledocs import rules_json, rules_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_docs_rules_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `dbarch rules --format markdown > docs/rules.md`"
    )


def test_every_rule_is_complete_and_unique() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert re.fullmatch(r"DBA\d{3}", r.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
        assert r.family in FAMILIES
        assert r.summary.endswith(".") and r.rationale and r.fix and r.bad and r.good
        assert r.bad != r.good
        assert find_rule(r.code) is find_rule(r.name) is find_rule(r.code.lower()) is r
    families = {r.family for r in rules}
    assert families == set(FAMILIES)


def test_rules_json_lists_parameters() -> None:
    items = json.loads(rules_json())
    assert [i["code"] for i in items] == [r.code for r in all_rules()]
    god = next(i for i in items if i["name"] == "god-table")
    assert god["parameters"] == [
        {"name": "max_columns", "default": 30, "help": "Most columns a table may have."}
    ]
    style = next(i for i in items if i["code"] == "DBA201")
    assert style["parameters"][0]["choices"] == ["snake_case", "camelCase", "PascalCase"]
