"""``dbarch normalize SOURCE``: discover, analyse, propose, prove — for a CSV file or
every table (or one) of a live database."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dbarch.model.objects import Table
from dbarch.normalize.analysis import RelationReport, analyze_profile, csv_table
from dbarch.normalize.discovery import SAMPLE_ROWS
from dbarch.normalize.discovery.data import csv_rows, load_csv
from dbarch.normalize.discovery.database import TableRef
from dbarch.normalize.discovery.ind import (
    ColumnRef,
    CompositeInds,
    InclusionDependency,
    discover_composite_inds,
    discover_inds,
    unique_combinations,
)
from dbarch.normalize.discovery.profile import profile_data, profile_table
from dbarch.normalize.discovery.progress import Progress, silent
from dbarch.normalize.fd import NormalizeError
from dbarch.normalize.forms import NormalForm
from dbarch.normalize.proof import (
    as_text,
    copy_rows,
    load_rows,
    prove_lossless,
    self_contained,
)
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer, dev_server
from dbarch.pg.introspect import inspect_database
from dbarch.pg.redact import redact
from dbarch.pg.sqlfiles import apply_sql, read_sql_source


@dataclass(frozen=True)
class NormalizeResult:
    """Reports per relation, and inclusion dependencies, unary and composite (``None``
    for a CSV file)."""

    source: str
    reports: tuple[RelationReport, ...]
    inds: tuple[InclusionDependency, ...] | None
    composite_inds: CompositeInds | None

    @property
    def findings(self) -> bool:
        """Some relation is below the target normal form."""
        return any(not r.meets_target for r in self.reports)


def is_database(source: str) -> bool:
    """``source`` is a connection string rather than a file."""
    return source.startswith(("postgresql://", "postgres://")) or (
        "=" in source and not Path(source).exists()
    )


def _select(tables: Sequence[Table], wanted: str | None) -> list[Table]:
    candidates = [t for t in tables if t.partition_of is None]
    if wanted is None:
        return candidates
    chosen = [t for t in candidates if wanted in (t.name, f"{t.schema_}.{t.name}")]
    if not chosen:
        raise NormalizeError(f"no table {wanted!r} in the database")
    return chosen


def _database(
    dsn: str,
    wanted: str | None,
    target: NormalForm,
    max_error: float,
    sample_rows: int,
    progress: Progress,
) -> tuple[list[RelationReport], list[InclusionDependency], CompositeInds]:
    with connect(dsn) as conn:
        tables = _select(inspect_database(conn).tables, wanted)
        reports = []
        unique: set[ColumnRef] = set()
        keys: dict[tuple[str, str], set[tuple[str, ...]]] = {}
        for table in tables:
            ref = TableRef(table.schema_, table.name, tuple(c.name for c in table.columns))
            profile = profile_table(conn, ref, max_error, sample_rows, progress)
            unique |= {
                ColumnRef(table.schema_, table.name, k[0]) for k in profile.uccs if len(k) == 1
            }
            keys[(table.schema_, table.name)] = unique_combinations(table) | {
                tuple(k) for k in profile.uccs if len(k) > 1
            }
            reports.append(analyze_profile(profile, table, target))
        inds = discover_inds(conn, tables, unique, progress)
        composite = discover_composite_inds(conn, tables, inds, keys, progress)
    return reports, inds, composite


def _prove(
    reports: list[RelationReport], source: str, database: bool, dev_url: str | None
) -> list[RelationReport]:
    if not any(r.plan for r in reports):
        return reports
    with dev_server(dev_url) as server:
        return _prove_on(server, reports, source, database)


def _prove_on(
    server: DevServer, reports: list[RelationReport], source: str, database: bool
) -> list[RelationReport]:
    """Each proposed plan run on a scratch copy of its rows on ``server``."""
    proven = []
    for report in reports:
        if report.plan is None:
            proven.append(report)
            continue
        with server.scratch() as scratch:
            if database:
                typed = copy_rows(source, report.plan.original, scratch)
            else:
                load_rows(scratch, report.plan.original, csv_rows(Path(source))[1])
                typed = True
            plan = self_contained(report.plan)
            proof = prove_lossless(scratch, plan if typed else as_text(plan))
        proof = dataclasses.replace(proof, typed=typed)
        proven.append(dataclasses.replace(report, proof=proof))
    return proven


def _sql_source(
    path: Path,
    table: str | None,
    target: NormalForm,
    max_error: float,
    dev_url: str | None,
    prove: bool,
    sample_rows: int,
    progress: Progress,
) -> NormalizeResult:
    """SQL (schema and rows) applied in name order to a scratch database on the dev
    server, which is then read like a live database."""
    scripts = read_sql_source(path)
    with dev_server(dev_url) as server, server.scratch() as dsn:
        with connect(dsn) as conn:
            for filename, text in scripts:
                apply_sql(conn, text, filename)
        reports, inds, composite = _database(dsn, table, target, max_error, sample_rows, progress)
        if prove and any(r.plan for r in reports):
            reports = _prove_on(server, reports, dsn, True)
    return NormalizeResult(str(path), tuple(reports), tuple(inds), composite)


def normalize_source(
    source: str,
    *,
    table: str | None = None,
    target: NormalForm = NormalForm.NF3,
    max_error: float = 0.0,
    dev_url: str | None = None,
    prove: bool = True,
    sample_rows: int = SAMPLE_ROWS,
    progress: Progress = silent,
) -> NormalizeResult:
    """Discover the dependencies of ``source`` (a CSV file or a database), find what keeps
    each relation below ``target``, propose decompositions with their migrations and, with
    ``prove``, check each one on a scratch copy of the real rows."""
    if not 0 <= max_error < 1:
        raise NormalizeError(f"--max-error must be at least 0 and below 1, not {max_error}")
    if is_database(source):
        reports, inds, composite = _database(
            source, table, target, max_error, sample_rows, progress
        )
        shown, found_inds, found_composite = redact(source), tuple(inds), composite
    elif Path(source).is_dir() or Path(source).suffix.lower() == ".sql":
        return _sql_source(
            Path(source), table, target, max_error, dev_url, prove, sample_rows, progress
        )
    else:
        if table is not None:
            raise NormalizeError("--table applies to database sources, not to a CSV file")
        path = Path(source)
        if path.suffix.lower() != ".csv":
            raise NormalizeError(
                f"{source}: not a normalize source (expected a .csv file, a .sql file or a "
                "directory of them, or a postgresql:// connection string)"
            )
        profile = profile_data(load_csv(path), max_error, progress, sample_rows)
        reports = [analyze_profile(profile, csv_table(profile), target)]
        shown, found_inds, found_composite = source, None, None
    if prove:
        reports = _prove(reports, source, is_database(source), dev_url)
    return NormalizeResult(shown, tuple(reports), found_inds, found_composite)
