"""``dbarch check`` (the architect's review as rules) and ``dbarch rules``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from dbarch.checks.findings import Finding, Severity

if TYPE_CHECKING:
    from dbarch.checks.config import CheckConfig
    from dbarch.pg.stats import Statistics
from dbarch.cli_options import DevUrl, SourceArg


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _statistics_note(settings: CheckConfig, stats: Statistics | None) -> str | None:
    """Which rules read (or would have read) the live database's statistics and rows."""
    from dbarch.checks.engine import active_rules

    wanted = ", ".join(r.code for r in active_rules(settings, statistics=True) if r.statistics)
    if not wanted:
        return None
    if stats is not None:
        return f"statistics and sample rows of the live database were read for {wanted}"
    return f"not a live database: {wanted} (statistics and sample rows) did not run"


def check(
    source: SourceArg,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.text
    ),
    fail_on: Annotated[
        Severity, typer.Option("--fail-on", help="Exit 1 when a finding is this severe or more.")
    ] = Severity.error,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Configuration file (default: dbarch.toml or pyproject.toml found upwards).",
        ),
    ] = None,
    dev_url: DevUrl = None,
) -> None:
    """Review SOURCE against the rules; exit 1 when findings reach --fail-on."""
    from dbarch.checks.config import load_config
    from dbarch.checks.engine import active_rules, columns_to_sample, run_checks
    from dbarch.checks.locations import ModelLocations
    from dbarch.checks.reporters import print_text, to_json, to_sarif
    from dbarch.checks.sqllocations import SqlLocations
    from dbarch.pg.connect import connect
    from dbarch.pg.stats import collect_statistics
    from dbarch.sources import SourceKind, load_source, source_kind

    settings = load_config(config)
    kind = source_kind(source)
    schema = load_source(source, dev_url=dev_url)
    stats = None
    if kind is SourceKind.database:
        with connect(source) as conn:
            stats = collect_statistics(conn, columns_to_sample(schema))
    locations: ModelLocations | SqlLocations | None = None
    if kind is SourceKind.model:
        locations = ModelLocations.read(Path(source))
    elif kind is SourceKind.sql:
        locations = SqlLocations.read(Path(source))
    findings = run_checks(schema, settings, stats, locations)
    rules = active_rules(settings, statistics=stats is not None)
    note = _statistics_note(settings, stats)
    artifact = source if kind in (SourceKind.model, SourceKind.sql) else None
    if fmt is CheckFormat.text:
        print_text(findings, rules, Console(highlight=False), [note] if note else [])
    else:
        output = (
            to_json(findings) if fmt is CheckFormat.json else to_sarif(findings, rules, artifact)
        )
        sys.stdout.write(output)
        sys.stdout.flush()
        if note:
            Console(stderr=True, highlight=False).print(note, markup=False, soft_wrap=True)
    if _fails(findings, fail_on):
        raise typer.Exit(1)


def _fails(findings: list[Finding], fail_on: Severity) -> bool:
    return any(f.severity.rank >= fail_on.rank for f in findings)


def rules(
    fmt: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = (
        RulesFormat.text
    ),
) -> None:
    """List every rule of dbarch check (markdown: docs/rules.md)."""
    from dbarch.checks.ruledocs import print_rules, rules_json, rules_markdown

    if fmt is RulesFormat.text:
        print_rules(Console(highlight=False))
        return
    sys.stdout.write(rules_json() if fmt is RulesFormat.json else rules_markdown())
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add ``check`` and ``rules`` to the ``dbarch`` command line."""
    app.command("check")(check)
    app.command("rules")(rules)
