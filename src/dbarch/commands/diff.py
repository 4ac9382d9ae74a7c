"""``dbarch diff FROM TO``: the migration between two schemas, as SQL or JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from dbarch.cli_options import DevUrl


class DiffFormat(StrEnum):
    sql = "sql"
    json = "json"


_SIDE = "Model file, .sql file or directory, postgresql:// URL, or -."


def diff(
    source_from: Annotated[str, typer.Argument(metavar="FROM", help=f"The schema now. {_SIDE}")],
    source_to: Annotated[str, typer.Argument(metavar="TO", help=f"The schema wanted. {_SIDE}")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="A psql script, or the steps as JSON.")
    ] = DiffFormat.sql,
    unsafe: Annotated[
        bool,
        typer.Option("--unsafe", help="Plain DDL instead of the zero-downtime plan."),
    ] = False,
    allow_destructive: Annotated[
        bool,
        typer.Option(
            "--allow-destructive",
            help="Allow steps that lose data (drop a table or column, narrow a type, "
            "remove an enum label).",
        ),
    ] = False,
    dev_url: DevUrl = None,
) -> None:
    """Print the steps that turn FROM into TO, each with its reverse, locks and effects."""
    from dbarch.migrate.canonical import load_for_diff
    from dbarch.migrate.diff.compare import compare
    from dbarch.migrate.plan import PlanOptions, plan
    from dbarch.migrate.render import render_json, render_sql

    old, new = load_for_diff([source_from, source_to], dev_url)
    options = PlanOptions(zero_downtime=not unsafe, allow_destructive=allow_destructive)
    result = plan(compare(old, new), options)
    sys.stdout.write(render_json(result) if fmt is DiffFormat.json else render_sql(result))
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add ``diff`` to the ``dbarch`` command line."""
    app.command("diff")(diff)
