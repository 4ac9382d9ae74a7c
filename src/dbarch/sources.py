"""SOURCE: wherever dbarch expects a schema, a model file, SQL or a live database will do.

* ``.yaml`` / ``.yml`` / ``.json`` — a model file, read directly;
* ``.sql`` file or a directory of them — applied in name order to a scratch database on
  the dev server, so PostgreSQL itself interprets the SQL, then introspected;
* ``postgresql://...`` / ``postgres://...`` (or a libpq ``key=value`` string) — a live
  database, introspected, without dbarch's own ``dbarch.dbarch_schema_history`` table
  (and its schema when nothing else is in it);
* ``-`` — a model file (YAML or JSON) on standard input.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

from dbarch.errors import SourceError
from dbarch.model.loader import load_model, load_model_text
from dbarch.model.objects import Schema
from dbarch.pg.redact import redact

MODEL_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


class SourceKind(StrEnum):
    model = "model"
    sql = "sql"
    database = "database"
    stdin = "stdin"


def source_kind(source: str) -> SourceKind:
    """Which kind of SOURCE ``source`` names; a path that does not exist is an error."""
    if source == "-":
        return SourceKind.stdin
    if source.startswith(("postgresql://", "postgres://")) or (
        "=" in source and not Path(source).exists()
    ):
        return SourceKind.database
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{source}: no such file or directory")
    if path.is_dir() or path.suffix.lower() == ".sql":
        return SourceKind.sql
    if path.suffix.lower() in MODEL_SUFFIXES:
        return SourceKind.model
    raise SourceError(
        f"{source}: not a schema source (expected .yaml, .yml, .json, .sql, a directory "
        "of .sql files, or a postgresql:// connection string)"
    )


def load_source(source: str, *, dev_url: str | None = None) -> Schema:
    """The Schema of ``source`` (see the module docstring for the kinds)."""
    kind = source_kind(source)
    if kind is SourceKind.model:
        return load_model(Path(source))
    if kind is SourceKind.stdin:
        text = sys.stdin.read()
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
        return load_model_text(text, "<stdin>", fmt)
    if kind is SourceKind.database:
        # psycopg is imported only for a database
        from dbarch.migrate.runner.history import HistoryTable, without_history
        from dbarch.pg.introspect import inspect_dsn

        return without_history(inspect_dsn(source), HistoryTable())
    return schema_from_sql(Path(source), dev_url=dev_url)


def schema_from_sql(path: Path, *, dev_url: str | None = None) -> Schema:
    """Apply the SQL at ``path`` to a scratch database and read back its Schema."""
    # psycopg and the dev server are imported only when SQL is read (not for a model)
    from dbarch.pg.connect import connect
    from dbarch.pg.devdb import scratch_database
    from dbarch.pg.introspect import inspect_database
    from dbarch.pg.sqlfiles import apply_sql, read_sql_source

    scripts = read_sql_source(path)
    with scratch_database(dev_url) as dsn, connect(dsn) as conn:
        for filename, text in scripts:
            apply_sql(conn, text, filename)
        return inspect_database(conn)


def describe(source: str) -> str:
    """``source`` fit for messages: passwords in connection strings redacted."""
    return redact(source) if source_kind(source) is SourceKind.database else source
