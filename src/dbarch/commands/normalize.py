"""``dbarch normalize``: functional dependencies, keys and normal forms from the data."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dbarch.cli_options import DevUrl
from dbarch.normalize.discovery import SAMPLE_ROWS
from dbarch.normalize.discovery.progress import Progress as ProgressCallback
from dbarch.normalize.discovery.progress import silent


class Target(StrEnum):
    nf2 = "2nf"
    nf3 = "3nf"
    bcnf = "bcnf"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A progress bar on stderr when it is a terminal; silence otherwise."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield silent
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("discovering", total=None)

        def update(phase: str, done: int, total: int) -> None:
            bar.update(task, description=phase, completed=done, total=max(total, 1))

        yield update


def normalize(
    source: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE",
            help="A CSV file (one relation), a .sql file or directory of them (schema and "
            "rows, run on the dev database), or a postgresql:// database.",
        ),
    ],
    table: Annotated[
        str | None, typer.Option("--table", help="Only this table (name or schema.name).")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.text
    ),
    target: Annotated[
        Target, typer.Option("--target", help="The normal form every relation should reach.")
    ] = Target.nf3,
    max_error: Annotated[
        float,
        typer.Option(
            "--max-error",
            help="Also report dependencies violated by at most this fraction "
            "of the rows (g3 error), to see through dirty rows.",
        ),
    ] = 0.0,
    sample_rows: Annotated[
        int,
        typer.Option(
            "--sample-rows",
            help="Tables with more rows are sampled to about this many; every reported "
            "dependency is still checked on all rows.",
        ),
    ] = SAMPLE_ROWS,
    prove: Annotated[
        bool,
        typer.Option(
            "--prove/--no-prove",
            help="Run each proposed migration on a scratch copy and check the join of the "
            "parts gives back exactly the original rows.",
        ),
    ] = True,
    dev_url: DevUrl = None,
) -> None:
    """Discover functional dependencies, keys and inclusion dependencies in SOURCE, report
    the normal form of each relation and propose a lossless decomposition where it falls
    short. Exit 1 when a relation is below the target normal form."""
    from dbarch.normalize.forms import NormalForm
    from dbarch.normalize.report import to_json, to_text
    from dbarch.normalize.run import normalize_source

    form = NormalForm.parse(target.value)
    with _progress() as progress:
        result = normalize_source(
            source,
            table=table,
            target=form,
            max_error=max_error,
            dev_url=dev_url,
            prove=prove,
            sample_rows=sample_rows,
            progress=progress,
        )
    if fmt is OutputFormat.json:
        text = to_json(
            result.source, form, max_error, result.reports, result.inds, result.composite_inds
        )
    else:
        text = to_text(result.reports, result.inds, result.composite_inds)
    sys.stdout.write(text)
    sys.stdout.flush()
    if result.findings:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``dbarch normalize`` to the command line."""
    app.command("normalize")(normalize)
