"""Profiles of relations: their dependencies and unique column combinations, each one
checked on every row, and checked to be minimal, before it is reported.

A relation in memory (a CSV file, a small table) of up to ``sample_rows`` rows goes through
TANE whole. A larger one is sampled: what TANE finds in the sample are candidates, checked
on all rows (with numpy in memory, with aggregate SQL in the database); a candidate that
fails brings the rows that refute it into the sample and discovery runs again, until every
candidate holds. Exact results are then complete: the minimal dependencies of the enlarged
sample that hold on the table are exactly the table's minimal dependencies (a dependency
of the table holds in the sample, so a minimal one of the sample lies under it; and rows
that refute a smaller left side in the sample refute it in the table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg

from dbarch.normalize.discovery import SAMPLE_ROWS
from dbarch.normalize.discovery import database as db
from dbarch.normalize.discovery.data import TableData, encode_rows
from dbarch.normalize.discovery.progress import Progress, silent
from dbarch.normalize.discovery.tane import FoundFD, discover_fds, max_removals
from dbarch.normalize.discovery.ucc import has_duplicate_rows, keys_from_fds
from dbarch.normalize.discovery.verify import Verifier
from dbarch.normalize.fd import bits, mask_key


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


def minimized(lhs: int, holds: Callable[[int], bool]) -> int:
    """A minimal subset of ``lhs`` that ``holds``, given that ``lhs`` does: attributes are
    dropped while the rest holds. Validity is monotone (a superset of a holding left side
    holds), so a set none of whose one-smaller subsets holds has no holding subset."""
    shrunk = True
    while shrunk:
        shrunk = False
        for a in bits(lhs):
            if holds(lhs & ~(1 << a)):
                lhs &= ~(1 << a)
                shrunk = True
                break
    return lhs


def verified_minimal(
    found: Iterable[FoundFD], holds: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """The ``(lhs, rhs)`` of ``found`` that hold, each brought down to a minimal left side
    (a no-op for a correct discovery; the check is what makes the report trustworthy),
    without duplicates, in canonical order."""
    out: set[tuple[int, int]] = set()
    for fd in found:
        if holds(fd.lhs, fd.rhs):
            out.add((minimized(fd.lhs, lambda x, a=fd.rhs: holds(x, a)), fd.rhs))
    return sorted(out, key=lambda f: (mask_key(f[0]), f[1]))


def _sample(
    data: TableData, sample_rows: int, progress: Progress
) -> tuple[np.ndarray, list[FoundFD]]:
    """Row indices of a sample whose minimal exact dependencies all hold on every row of
    ``data``, and those dependencies: a seeded random sample, grown by the rows that
    refute a candidate until none does (HyFD's sampling-and-validation loop)."""
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(data.rows, size=sample_rows, replace=False))
    full = Verifier(data)
    while True:
        found = discover_fds(data.take(rows), 0, progress)
        evidence = [full.witnesses(fd.lhs, fd.rhs) for fd in found]
        new = np.setdiff1d(np.concatenate([rows[:0], *evidence]), rows)
        if len(new) == 0:
            return rows, found
        rows = np.union1d(rows, new)


def profile_data(
    data: TableData,
    max_error: float = 0.0,
    progress: Progress = silent,
    sample_rows: int = SAMPLE_ROWS,
) -> RelationProfile:
    """Dependencies (exact, or within ``max_error``) and minimal unique combinations of
    ``data``, each verified on all rows and checked to be minimal.

    With more than ``sample_rows`` rows (exact dependencies only), discovery runs on a
    sample grown until every candidate holds on all rows (see :func:`_sample`); the
    minimal dependencies of such a sample that hold on all rows are exactly those of the
    whole relation. Keys follow from the exact dependencies (:func:`keys_from_fds`).
    """
    sampled: int | None = None
    seen = data
    if max_error == 0 and data.rows > sample_rows:
        rows, exact = _sample(data, sample_rows, progress)
        seen, sampled = data.take(rows), len(rows)
        found = exact
    else:
        found = discover_fds(data, max_error, progress)
        exact = found if max_error == 0 else discover_fds(data, 0, progress)
    uccs = [] if has_duplicate_rows(data) else keys_from_fds(seen, exact)
    verifier, local = Verifier(data), Verifier(seen)
    limit = max_removals(max_error, data.rows)

    def holds(lhs: int, rhs: int) -> bool:
        # an exact dependency is refuted on the sample first (cheap, and as good)
        exact_locally = max_error > 0 or local.removals(lhs, rhs) == 0
        return exact_locally and verifier.removals(lhs, rhs) <= limit

    verified = verified_minimal(found, holds)
    fds = tuple(
        Dependency(
            data.attributes.names_of(lhs),
            data.columns[rhs],
            verifier.removals(lhs, rhs) / data.rows if data.rows else 0.0,
        )
        for lhs, rhs in verified
    )
    keys = tuple(
        data.attributes.names_of(u)
        for u in uccs
        if verifier.is_unique(u) and not any(local.is_unique(u & ~(1 << a)) for a in bits(u))
    )
    return RelationProfile(data.name, data.columns, data.rows, fds, keys, sampled)


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
        exact = found if max_error == 0 else discover_fds(data, 0, progress)
        uccs = [data.attributes.names_of(u) for u in keys_from_fds(data, exact)]
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
    local = Verifier(data)
    validated = {(fd.lhs, fd.rhs) for fd in found} if max_error == 0 else set()
    counted: dict[tuple[int, int], int] = {}

    def removals(lhs: int, rhs: int) -> int:
        if (lhs, rhs) in validated:
            return 0  # no group of the table violates it (checked above)
        if (lhs, rhs) not in counted:
            names = data.attributes.names_of(lhs)
            counted[(lhs, rhs)] = db.fd_removals(conn, ref, names, data.columns[rhs])
        return counted[(lhs, rhs)]

    def holds(lhs: int, rhs: int) -> bool:
        # an exact dependency is refuted on the sample first (cheap, and as good)
        return (max_error > 0 or local.removals(lhs, rhs) == 0) and removals(lhs, rhs) <= limit

    fds = tuple(
        Dependency(data.attributes.names_of(lhs), data.columns[rhs], removals(lhs, rhs) / total)
        for lhs, rhs in verified_minimal(found, holds)
    )
    return RelationProfile(ref.display, ref.columns, total, fds, tuple(uccs), len(rows))
