"""Command-line pieces every command shares: argument and option types.

Kept apart from ``cli.py`` so command modules (``dbarch.commands.*``) can use them
without importing the command line itself, and light so ``dbarch --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

SourceArg = Annotated[
    str,
    typer.Argument(
        metavar="SOURCE",
        help="Model file (.yaml/.yml/.json), .sql file or directory, postgresql:// URL, or -.",
    ),
]
DevUrl = Annotated[
    str | None,
    typer.Option(
        "--dev-url",
        envvar="DBARCH_DEV_URL",
        help="Scratch PostgreSQL server for SQL sources (default: an embedded, throwaway one).",
        show_envvar=True,
    ),
]
Output = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write here instead of stdout ('-').")
]
