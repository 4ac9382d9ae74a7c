"""Profiles of relations: their dependencies and unique column combinations, each one
checked on every row before it is reported.

In memory (a CSV file, a small table) TANE runs on all rows and every result is checked
again by :class:`~dbarch.normalize.discovery.verify.Verifier`. A large table is sampled:
dependencies found in the sample are candidates, checked on all rows in SQL; a candidate
that fails brings the rows that refute it into the sample and discovery runs again, until
every candidate holds. Exact results are then complete: the minimal dependencies of the
enlarged sample that hold on the table are exactly the table's minimal dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from dbarch.normalize.discovery import SAMPLE_ROWS
from dbarch.normalize.discovery import database as db
from dbarch.normalize.discovery.data import TableData, encode_rows
from dbarch.normalize.discovery.progress import Progress, silent
from dbarch.normalize.discovery.tane import FoundFD, discover_fds, max_removals
from dbarch.normalize.discovery.ucc import discover_uccs
from dbarch.normalize.discovery.verify import Verifier


@dataclass(frozen=True)
class Dependency:
    """A discovered ``lhs -> rhs`` and its g3 error (0 when it holds exactly)."""

    lhs: tuple[str, ...]
    rhs: str
    error: float = 0.0


@dataclass(frozen=True)
class RelationProfile:
    """What the rows of one relation tell about it."""

    name: str
    columns: tuple[str, ...]
    rows: int
    fds: tuple[Dependency, ...]
    uccs: tuple[tuple[str, ...], ...]
    sampled_rows: int | None = None

    @property
    def duplicate_rows(self) -> bool:
        """Some rows are complete duplicates (so no column combination is unique)."""
        return not self.uccs


def _dependencies(
    data: TableData, found: list[FoundFD], removals: Callable[[FoundFD], int | None], rows: int
) -> tuple[Dependency, ...]:
    """``found`` by name with their error, keeping those ``removals`` accepts."""
    out = []
    for fd in found:
        count = removals(fd)
        if count is not None:
            lhs = data.attributes.names_of(fd.lhs)
            out.append(Dependency(lhs, data.columns[fd.rhs], count / rows if rows else 0.0))
    return tuple(out)


def profile_data(
    data: TableData, max_error: float = 0.0, progress: Progress = silent
) -> RelationProfile:
    """Dependencies (exact, or within ``max_error``) and minimal unique combinations of
    ``data``, each verified on all rows."""
    found = discover_fds(data, max_error, progress)
    uccs = discover_uccs(data, progress)
    verifier = Verifier(data)
    limit = max_removals(max_error, data.rows)

    def checked(fd: FoundFD) -> int | None:
        count = verifier.removals(fd.lhs, fd.rhs)
        return count if count <= limit else None

    fds = _dependencies(data, found, checked, data.rows)
    keys = tuple(data.attributes.names_of(u) for u in uccs if verifier.is_minimal_unique(u))
    return RelationProfile(data.name, data.columns, data.rows, fds, keys)


def profile_table(
    conn: psycopg.Connection[Any],
    ref: db.TableRef,
    max_error: float = 0.0,
    sample_rows: int = SAMPLE_ROWS,
    progress: Progress = silent,
) -> RelationProfile:
    """The profile of a database table; sampled (and checked in SQL) when it is large."""
    total = db.count_rows(conn, ref)
    if total <= sample_rows:
        data = encode_rows(ref.display, ref.columns, db.read_all(conn, ref))
        return profile_data(data, max_error, progress)
    rows = db.read_sample(conn, ref, min(100.0, 100.0 * sample_rows / total))
    while True:
        data = encode_rows(ref.display, ref.columns, list(rows.values()))
        found = discover_fds(data, max_error, progress)
        uccs = [data.attributes.names_of(u) for u in discover_uccs(data, progress)]
        evidence: dict[db.RowId, db.Row] = {}
        if max_error == 0:
            by_lhs: dict[tuple[str, ...], list[str]] = {}
            for fd in found:
                by_lhs.setdefault(data.attributes.names_of(fd.lhs), []).append(data.columns[fd.rhs])
            for lhs, rhs in by_lhs.items():
                for a, violated in zip(rhs, db.fd_violations(conn, ref, lhs, rhs), strict=True):
                    if violated:
                        evidence |= db.fd_witnesses(conn, ref, lhs, a)
        for key in uccs:
            if not db.is_unique(conn, ref, key):
                evidence |= db.duplicate_witnesses(conn, ref, key)
        new = {row_id: row for row_id, row in evidence.items() if row_id not in rows}
        if not new:
            break
        rows |= new
    limit = max_removals(max_error, total)

    def checked(fd: FoundFD) -> int | None:
        lhs = data.attributes.names_of(fd.lhs)
        count = db.fd_removals(conn, ref, lhs, data.columns[fd.rhs]) if max_error else 0
        return count if count <= limit else None

    fds = _dependencies(data, found, checked, total)
    return RelationProfile(ref.display, ref.columns, total, fds, tuple(uccs), len(rows))
