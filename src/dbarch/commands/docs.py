"""``dbarch docs``: data dictionary, ERD, DBML and a static HTML site for a schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dbarch.cli_options import DevUrl, SourceArg


def parse_groups(specs: list[str]) -> dict[str, list[str]]:
    """``NAME=PATTERN[,PATTERN...]`` options as a mapping of group name to patterns."""
    from dbarch.docs import DocsError

    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, patterns = spec.partition("=")
        wanted = [p.strip() for p in patterns.split(",") if p.strip()]
        if not sep or not name.strip() or not wanted:
            raise DocsError(f"--group {spec!r}: expected NAME=PATTERN[,PATTERN...]")
        groups.setdefault(name.strip(), []).extend(wanted)
    return groups


def docs(
    source: SourceArg,
    out: Annotated[Path, typer.Option("--out", help="Directory to write the documents to.")],
    title: Annotated[
        str, typer.Option("--title", help="Title of the documents.")
    ] = "Database schema",
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            help="Diagram group NAME=PATTERN[,PATTERN...] over schema.table (repeatable); "
            "default: one diagram per schema.",
        ),
    ] = None,
    dev_url: DevUrl = None,
) -> None:
    """Write a data dictionary, ER diagrams, DBML and an HTML site for SOURCE."""
    from dbarch.docs import write_docs
    from dbarch.sources import load_source

    groups = parse_groups(group or [])
    files = write_docs(load_source(source, dev_url=dev_url), out, title=title, groups=groups)
    Console(stderr=True, highlight=False).print(
        f"wrote {len(files)} files to {out}", markup=False, soft_wrap=True
    )


def register(app: typer.Typer) -> None:
    """Add ``dbarch docs`` to the command line."""
    app.command("docs")(docs)
