"""``dbarch lint``: hazards in hand-written migration files."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


def register(app: typer.Typer) -> None:
    """Add the ``lint`` command to ``app``."""

    @app.command("lint")
    def lint(
        files: Annotated[
            list[str],
            typer.Argument(metavar="FILE.sql...", help="Migration files; - reads stdin."),
        ],
        fmt: Annotated[
            LintFormat, typer.Option("--format", "-f", help="Output format.")
        ] = LintFormat.text,
        assume_in_transaction: Annotated[
            bool,
            typer.Option(
                "--assume-in-transaction",
                help="The runner wraps each file in one transaction (Flyway, Rails default).",
            ),
        ] = False,
    ) -> None:
        """Report lock, rewrite and breakage hazards in migration FILEs (exit 1 on findings)."""
        from dbarch.migrate.lint import lint_files
        from dbarch.migrate.lint.reporters import format_json, format_text
        from dbarch.migrate.lint.sarif import format_sarif

        findings = lint_files(files, assume_in_transaction=assume_in_transaction)
        render = {"text": format_text, "json": format_json, "sarif": format_sarif}[fmt.value]
        sys.stdout.write(render(findings))
        sys.stdout.flush()
        if findings:
            raise typer.Exit(1)
