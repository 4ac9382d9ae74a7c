"""Run the rules over a Schema: configuration, suppression, locations, order."""

from __future__ import annotations

from typing import Protocol

from dbarch.checks.config import CheckConfig
from dbarch.checks.context import RuleContext, SchemaFacts
from dbarch.checks.findings import Finding, Target
from dbarch.checks.registry import Rule, all_rules
from dbarch.checks.suppression import suppressed_codes
from dbarch.checks.typenames import JSON_TYPES, TEXT_TYPES
from dbarch.errors import Location
from dbarch.model.objects import Schema
from dbarch.pg.stats import Statistics


class Locator(Protocol):
    """Where an object is written in the SOURCE (a model file), when that is known."""

    def find(self, target: Target) -> Location | None:
        """The location of ``target``, or ``None``."""
        ...


def columns_to_sample(schema: Schema) -> list[tuple[str, str, str]]:
    """``(schema, table, column)`` of the text and JSON columns whose values the
    statistics rules judge from sample rows."""
    facts = SchemaFacts(schema)
    wanted = TEXT_TYPES | JSON_TYPES
    return [
        (t.schema_, t.name, c.name)
        for t in schema.tables
        for c in t.columns
        if (info := facts.type_of(c)) is not None and info.is_(*wanted)
    ]


def active_rules(config: CheckConfig, *, statistics: bool) -> list[Rule]:
    """The rules ``config`` enables; statistics rules only when ``statistics`` is true."""
    return [
        r for r in all_rules() if config.settings(r).enabled and (statistics or not r.statistics)
    ]


def run_checks(
    schema: Schema,
    config: CheckConfig | None = None,
    stats: Statistics | None = None,
    locations: Locator | None = None,
) -> list[Finding]:
    """Every finding of the enabled rules on ``schema``, suppressions applied, in a
    deterministic order (see :meth:`Finding.sort_key`).

    Rules that read statistics or sample rows run only when ``stats`` is given.
    """
    config = config or CheckConfig()
    facts = SchemaFacts(schema)
    findings: set[Finding] = set()
    for r in active_rules(config, statistics=stats is not None):
        settings = config.settings(r)
        ctx = RuleContext(schema=schema, facts=facts, params=settings.params, stats=stats)
        for hit in r.check(ctx):
            if r.code in suppressed_codes(hit.target):
                continue
            findings.add(
                Finding(
                    rule=r.code,
                    severity=settings.severity,
                    object=hit.target.label,
                    kind=hit.target.kind,
                    message=hit.message,
                    reason=r.rationale,
                    fix=hit.fix,
                    location=locations.find(hit.target) if locations else None,
                )
            )
    return sorted(findings, key=Finding.sort_key)
