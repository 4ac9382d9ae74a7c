"""Benchmark of dbarch's spine: model file -> Schema -> DDL -> database -> Schema.

Generates a deterministic schema of 1,000 tables (about 10 columns, 2 indexes and 1 foreign
key each), writes it as a YAML model file and measures

* loading the model file and rendering its DDL (target: under 1 s together),
* applying the DDL to a database of a throwaway embedded server,
* introspecting that database, beside ``pg_dump --schema-only`` of the same database with
  the server's own pg_dump, best of 3 each (target: introspection no slower than pg_dump);
  for the whole job, also introspection plus the YAML model text, and the ``dbarch
  inspect -o FILE`` command as a new process (Python's start-up and imports included).

Run as ``.venv/bin/python bench/bench_spine.py``; it prints its figures and exits 0
whether or not the targets are met.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode

from psycopg.conninfo import conninfo_to_dict

from dbarch.ddl import to_ddl
from dbarch.model.dump import dump_model
from dbarch.model.loader import load_model
from dbarch.model.objects import (
    Column,
    ForeignKey,
    Identity,
    Index,
    PrimaryKey,
    Reference,
    Schema,
    Table,
)
from dbarch.pg.connect import connect
from dbarch.pg.introspect import inspect_dsn
from dbarch.pg.quote import quote_ident
from dbarch.pg.server import EmbeddedServer, default_install

LOAD_AND_DDL_TARGET_S = 1.0
INSPECT_RATIO_TARGET = 1.0
REPEATS = 3
BENCH_DB = "bench_spine"

T = TypeVar("T")

# (type, default) pairs the generated payload columns draw from
_COLUMN_KINDS: tuple[tuple[str, str | None], ...] = (
    ("text", None),
    ("text", "''::text"),
    ("integer", "0"),
    ("bigint", None),
    ("numeric(12,2)", "0"),
    ("boolean", "false"),
    ("timestamp with time zone", "now()"),
    ("date", None),
    ("jsonb", "'{}'::jsonb"),
    ("uuid", "gen_random_uuid()"),
)


def generate_table(rng: random.Random, number: int) -> Table:
    """Table ``t<number>``: an identity key, a foreign key to an earlier table (the first
    table refers to itself), 8 payload columns and 2 indexes."""
    name = f"t{number:04d}"
    parent = f"t{rng.randrange(max(number, 1)):04d}"
    payload = [
        Column(name=f"c{i}", type=kind, default=default, nullable=rng.random() < 0.6)
        for i, (kind, default) in enumerate(rng.choices(_COLUMN_KINDS, k=8), start=1)
    ]
    indexed = rng.choice(payload)
    return Table(
        name=name,
        columns=(
            Column(name="id", type="bigint", nullable=False, identity=Identity()),
            Column(name="parent_id", type="bigint"),
            *payload,
        ),
        primary_key=PrimaryKey(name=f"pk_{name}", columns=("id",)),
        foreign_keys=(
            ForeignKey(
                name=f"fk_{name}_parent_id",
                columns=("parent_id",),
                references=Reference(table=parent, columns=("id",)),
            ),
        ),
        indexes=(
            Index(name=f"idx_{name}_parent_id", columns=("parent_id",)),
            Index(name=f"idx_{name}_{indexed.name}", columns=(indexed.name,)),
        ),
    )


def generate_schema(tables: int, seed: int) -> Schema:
    """A schema of ``tables`` generated tables; the same seed gives the same schema."""
    rng = random.Random(seed)
    return Schema(tables=tuple(generate_table(rng, n) for n in range(tables)))


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """The result of one run of ``action`` and its wall-clock time in seconds."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def best_of(repeats: int, action: Callable[[], T]) -> tuple[T, float]:
    """The result of ``action`` and its shortest wall-clock time of ``repeats`` runs."""
    runs = [timed(action) for _ in range(repeats)]
    return runs[-1][0], min(seconds for _, seconds in runs)


def spine_run(model_file: Path) -> tuple[str, float, float]:
    """Load ``model_file`` and render its DDL: the DDL and the two times."""
    loaded, load_s = timed(lambda: load_model(model_file))
    ddl, ddl_s = timed(lambda: to_ddl(loaded))
    return ddl, load_s, ddl_s


def create_database(server: EmbeddedServer) -> str:
    """Create the benchmark's database on ``server`` and return its DSN."""
    with connect(server.dsn("postgres")) as admin:
        admin.execute(f"CREATE DATABASE {quote_ident(BENCH_DB)}")
    return server.dsn(BENCH_DB)


def apply(dsn: str, ddl: str) -> None:
    """Run ``ddl`` in the database at ``dsn`` (one transaction)."""
    with connect(dsn) as conn:
        conn.execute(ddl)


def pg_dump(server: EmbeddedServer, dsn: str, out: Path) -> None:
    """``pg_dump --schema-only`` of ``dsn`` into ``out`` with the server's own pg_dump."""
    command = [str(server.install.tool("pg_dump")), "--schema-only", "--file", str(out), dsn]
    subprocess.run(command, check=True)


def inspect_command(dsn: str, out: Path) -> None:
    """``dbarch inspect DSN -o out`` as a user runs it: a new process."""
    url = "postgresql:///?" + urlencode(conninfo_to_dict(dsn))
    command = [sys.executable, "-m", "dbarch", "inspect", url, "-o", str(out)]
    subprocess.run(command, check=True)


def verdict(met: bool) -> str:
    """``met`` or ``missed``."""
    return "met" if met else "missed"


def run(tables: int, seed: int) -> None:
    """Generate the schema, take the measurements and print the report."""
    schema = generate_schema(tables, seed)
    with tempfile.TemporaryDirectory(prefix="dbarch-bench-") as tmp:
        model_file = Path(tmp) / "spine.yaml"
        model_file.write_text(dump_model(schema, "yaml"), encoding="utf-8")
        runs = [spine_run(model_file) for _ in range(REPEATS)]
        ddl, first_load_s, first_ddl_s = runs[0]
        with EmbeddedServer(default_install()) as server:
            dsn = create_database(server)
            _, apply_s = timed(lambda: apply(dsn, ddl))
            inspected, inspect_s = best_of(REPEATS, lambda: inspect_dsn(dsn))
            _, model_text_s = best_of(REPEATS, lambda: dump_model(inspect_dsn(dsn), "yaml"))
            _, dump_s = best_of(REPEATS, lambda: pg_dump(server, dsn, Path(tmp) / "dump.sql"))
            _, command_s = best_of(REPEATS, lambda: inspect_command(dsn, Path(tmp) / "i.yaml"))
            version = server.version

    spine_s = min(load_s + ddl_s for _, load_s, ddl_s in runs)
    ratio = inspect_s / dump_s
    rows = [
        ("measure", "result", "target or note"),
        ("load model file, first run", f"{first_load_s:.3f} s", ""),
        ("render DDL, first run", f"{first_ddl_s:.3f} s", ""),
        ("load + DDL, first run", f"{first_load_s + first_ddl_s:.3f} s", ""),
        (f"load + DDL, best of {REPEATS}", f"{spine_s:.3f} s", f"< {LOAD_AND_DDL_TARGET_S:g} s"),
        ("apply DDL", f"{apply_s:.3f} s", ""),
        (
            f"inspect_dsn, best of {REPEATS}",
            f"{inspect_s:.3f} s",
            f"{len(inspected.tables)} tables read",
        ),
        (f"pg_dump --schema-only, best of {REPEATS}", f"{dump_s:.3f} s", ""),
        ("inspect / pg_dump", f"{ratio:.2f}", f"<= {INSPECT_RATIO_TARGET:g}"),
        (
            f"inspect_dsn + YAML model text, best of {REPEATS}",
            f"{model_text_s:.3f} s",
            f"{model_text_s / dump_s:.2f} x pg_dump",
        ),
        (
            f"`dbarch inspect -o FILE` process, best of {REPEATS}",
            f"{command_s:.3f} s",
            f"{command_s / dump_s:.2f} x pg_dump (incl. Python start-up and imports)",
        ),
    ]
    print(f"spine benchmark: {tables} tables (seed {seed}), PostgreSQL {version}")
    width = max(len(label) for label, _, _ in rows)
    for label, figure, note in rows:
        print(f"  {label:<{width}}  {figure:>9}  {note}".rstrip())
    spine = verdict(spine_s < LOAD_AND_DDL_TARGET_S)
    inspect = verdict(ratio <= INSPECT_RATIO_TARGET)
    print(
        f"targets: load + DDL < {LOAD_AND_DDL_TARGET_S:g} s {spine}; "
        f"inspect / pg_dump <= {INSPECT_RATIO_TARGET:g} {inspect}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000, help="tables to generate")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator")
    args = parser.parse_args()
    run(args.tables, args.seed)


if __name__ == "__main__":
    main()
