"""``dbarch demo``: the main job, end to end, on the bundled ML-platform example.

Load and validate the model, write its DDL, apply it on the dev server (embedded by
default), read it back, prove the round trip, and summarise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.table import Table as RichTable

from dbarch.ddl import to_ddl
from dbarch.errors import DbarchError
from dbarch.examples import example_path
from dbarch.model.dump import dump_model
from dbarch.model.loader import load_model
from dbarch.model.objects import Schema
from dbarch.pg.devdb import dev_server
from dbarch.roundtrip import RoundTrip, round_trip

EXAMPLE = "ml_platform.yaml"
T = TypeVar("T")


class RoundTripFailed(DbarchError):
    """The database did not give back what the model said; the diff is in the out dir."""


def object_counts(schema: Schema) -> dict[str, int]:
    """How many objects of each kind ``schema`` holds."""
    tables = schema.tables
    return {
        "schemas": len(schema.schemas),
        "tables": sum(1 for t in tables if t.partition_of is None),
        "partitions": sum(1 for t in tables if t.partition_of is not None),
        "columns": sum(len(t.columns) for t in tables),
        "constraints": sum(
            (t.primary_key is not None)
            + len(t.unique)
            + len(t.checks)
            + len(t.foreign_keys)
            + len(t.exclusions)
            for t in tables
        ),
        "indexes": sum(len(t.indexes) for t in tables)
        + sum(len(m.indexes) for m in schema.materialized_views),
        "views": len(schema.views) + len(schema.materialized_views),
        "types": len(schema.enums) + len(schema.domains) + len(schema.composite_types),
        "functions": len(schema.functions) + len(schema.aggregates),
        "triggers": sum(len(t.triggers) for t in tables),
        "policies": sum(len(t.policies) for t in tables),
        "roles": len(schema.roles),
    }


class Stopwatch:
    """Named, timed steps; shows a spinner on a terminal and stays quiet when piped."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.console.is_terminal:
            with self.console.status(name + " ..."):
                yield
        else:
            yield
        self.seconds[name] = time.perf_counter() - start

    def run(self, name: str, work: Callable[[], T]) -> T:
        with self.step(name):
            return work()


def write(out: Path, name: str, text: str, written: list[Path]) -> None:
    path = out / name
    path.write_text(text, encoding="utf-8")
    written.append(path)


def run_demo(out: Path, *, dev_url: str | None, console: Console) -> RoundTrip:
    """Run the demo, writing its files under ``out``; raises if the round trip fails."""
    clock = Stopwatch(console)
    written: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DbarchError(f"{out}: cannot create directory: {exc.strerror}") from None
    model = clock.run("load and validate the model", lambda: load_model(example_path(EXAMPLE)))
    ddl = clock.run("generate DDL", lambda: to_ddl(model))
    write(out, "schema.sql", ddl, written)
    with ExitStack() as stack:
        with clock.step("start the dev server"):
            server = stack.enter_context(dev_server(dev_url))
        result = clock.run("apply, inspect, rebuild, compare", lambda: round_trip(model, server))
        version = server.version
    write(out, "model.yaml", dump_model(result.model, "yaml"), written)
    write(out, "pg_dump.sql", result.dump, written)
    if not result.proven:
        write(out, "roundtrip.diff", result.differences(), written)
        raise RoundTripFailed(f"round trip differs; see {out / 'roundtrip.diff'}")
    report(console, model, result, clock.seconds, written, version)
    return result


def report(
    console: Console,
    model: Schema,
    result: RoundTrip,
    seconds: dict[str, float],
    written: list[Path],
    version: int,
) -> None:
    """Print the demo's summary."""
    console.print(f"[bold]dbarch demo[/bold]: {EXAMPLE} on PostgreSQL {version}")
    counts = RichTable("object", "count", title="model", title_justify="left")
    for kind, n in object_counts(model).items():
        counts.add_row(kind, str(n))
    console.print(counts)
    steps = RichTable("step", "seconds", title="timings", title_justify="left")
    for name, s in seconds.items():
        steps.add_row(name, f"{s:.3f}")
    console.print(steps)
    console.print(
        "round trip: [green]proven[/green] — model, DDL "
        f"({len(result.canonical_ddl.splitlines())} lines) and pg_dump identical "
        "across two databases"
    )
    for path in written:
        console.print(f"wrote {path}", markup=False)
