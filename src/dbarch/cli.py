"""The ``dbarch`` command line: a thin face over the library.

Exit codes: 0 ok, 1 findings, 2 error. Errors print ``error: ...`` on stderr, never a
traceback for a user's mistake. ``NO_COLOR`` is honoured by rich.
"""

from __future__ import annotations

import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from dbarch import __version__
from dbarch.cli_options import DevUrl, Output, SourceArg
from dbarch.commands import register_all
from dbarch.errors import DbarchError
from dbarch.outfile import write_output

app = typer.Typer(
    name="dbarch",
    help="The work of a senior PostgreSQL database architect, as deterministic software.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True, highlight=False)


class ModelFormat(StrEnum):
    yaml = "yaml"
    json = "json"


def fail(message: str) -> NoReturn:
    """Print ``error: message`` and exit 2."""
    stderr.print(f"error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (see :mod:`dbarch.outfile`) or to stdout."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_output(output, text)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror}")


def version_callback(value: bool) -> None:
    if value:
        print(f"dbarch {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """dbarch: model, check, generate, migrate and document PostgreSQL schemas."""


@app.command()
def ddl(source: SourceArg, output: Output = None, dev_url: DevUrl = None) -> None:
    """Print complete, dependency-ordered PostgreSQL DDL for SOURCE."""
    from dbarch.ddl import to_ddl
    from dbarch.sources import load_source

    emit(to_ddl(load_source(source, dev_url=dev_url)), output)


@app.command()
def inspect(
    source: SourceArg,
    output: Output = None,
    fmt: Annotated[ModelFormat, typer.Option("--format", "-f", help="Model format.")] = (
        ModelFormat.yaml
    ),
    dev_url: DevUrl = None,
) -> None:
    """Print the model file of SOURCE (a live database, SQL, or another model file)."""
    from dbarch.model.dump import dump_model
    from dbarch.sources import load_source

    emit(dump_model(load_source(source, dev_url=dev_url), fmt.value), output)


@app.command("json-schema")
def json_schema_cmd(output: Output = None) -> None:
    """Print the JSON Schema of the model file format (for editors)."""
    import json

    from dbarch.model.jsonschema import json_schema

    emit(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", output)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter model.")] = Path(
        "schema.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter model (YAML, or JSON when PATH ends in .json)."""
    from dbarch.model.template import starter_model

    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    if path.suffix.lower() not in {".json", ".yaml", ".yml"}:
        fail(f"{path}: a model file ends in .yaml, .yml or .json")
    if path.exists() and not force:
        fail(f"{path}: already exists (use --force to overwrite)")
    emit(starter_model(fmt), path)
    stderr.print(f"wrote {path}", markup=False)


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Directory for the files the demo writes.")
    ] = Path("dbarch-demo"),
    dev_url: DevUrl = None,
) -> None:
    """Run the main job end to end on the bundled ML-platform example."""
    from dbarch.demo import run_demo

    run_demo(out, dev_url=dev_url, console=Console(highlight=False))


register_all(app)


def _show_warnings() -> None:
    """Warnings of the library's loggers (``dbarch.*``) reach stderr as ``warning: ...``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    handler.setLevel(logging.WARNING)
    log = logging.getLogger("dbarch")
    log.addHandler(handler)
    log.propagate = False


def main() -> None:
    """Console-script entry point: map dbarch errors to ``error:`` and exit code 2."""
    _show_warnings()
    try:
        app()
    except DbarchError as exc:
        stderr.print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        stderr.print("interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        # the reader went away (e.g. `dbarch ddl x | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
