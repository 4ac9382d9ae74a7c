"""Every rule's bad example is caught and its good example passes: the failing and passing
case of each rule, and a guarantee that docs/rules.md shows examples that are true."""

from __future__ import annotations

import pytest

from dbarch.checks.engine import run_checks
from dbarch.checks.registry import Rule, all_rules
from dbarch.errors import ModelError
from dbarch.model.loader import load_model_text

from .helpers import example_config

# The model loader already refuses these bad examples, as PostgreSQL would; the rules
# still guard Schemas built otherwise (see test_integrity).
REFUSED_BY_LOADER = {"DBA102", "DBA104"}
OFFLINE = [r for r in all_rules() if not r.statistics]


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda r: r.code)
def test_bad_example_is_caught(rule: Rule) -> None:
    if rule.code in REFUSED_BY_LOADER:
        with pytest.raises(ModelError):
            load_model_text(rule.bad, "bad.yaml", "yaml")
        return
    schema = load_model_text(rule.bad, "bad.yaml", "yaml")
    findings = run_checks(schema, example_config(rule))
    assert findings, f"{rule.code} found nothing in its bad example"
    assert {f.rule for f in findings} == {rule.code}


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda r: r.code)
def test_good_example_passes(rule: Rule) -> None:
    schema = load_model_text(rule.good, "good.yaml", "yaml")
    assert run_checks(schema, example_config(rule)) == []
