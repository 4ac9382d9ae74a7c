"""Running one rule on a tiny model, for the rule tests."""

from __future__ import annotations

import tomllib
from textwrap import dedent

from dbarch.checks.config import CheckConfig, parse_config
from dbarch.checks.engine import run_checks
from dbarch.checks.findings import Finding
from dbarch.checks.registry import Rule, find_rule
from dbarch.model.loader import load_model_text
from dbarch.model.objects import Schema
from dbarch.pg.stats import Statistics


def load(text: str) -> Schema:
    """The Schema of YAML model ``text`` (dedented)."""
    return load_model_text(dedent(text), "m.yaml", "yaml")


def only(code: str, toml: str = "") -> CheckConfig:
    """A configuration that runs only rule ``code`` (with the ``[check]`` TOML ``toml``)."""
    data = tomllib.loads(dedent(toml)).get("check", {}) if toml else {}
    parsed = parse_config(data)
    return CheckConfig(
        disable=("all",), enable=(code,), severity=parsed.severity, params=parsed.params
    )


def example_config(rule: Rule) -> CheckConfig:
    """Only ``rule``, configured as its examples assume."""
    return only(rule.code, rule.config)


def run(
    code: str, schema: Schema | str, toml: str = "", stats: Statistics | None = None
) -> list[Finding]:
    """The findings of rule ``code`` alone on ``schema`` (a Schema or YAML text)."""
    if isinstance(schema, str):
        schema = load(schema)
    assert find_rule(code) is not None, code
    return run_checks(schema, only(code, toml), stats)


def messages(code: str, schema: Schema | str, toml: str = "") -> list[str]:
    """The messages of rule ``code`` alone on ``schema``."""
    return [f.message for f in run(code, schema, toml)]


def objects(code: str, schema: Schema | str, toml: str = "") -> list[str]:
    """The objects rule ``code`` reports on ``schema``."""
    return [f.object for f in run(code, schema, toml)]
