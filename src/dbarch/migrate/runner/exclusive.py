"""One run at a time per database: a session advisory lock on the history table's key.

Two ``apply`` runs against one database never both run: the second waits (polling
``pg_try_advisory_lock``) until the first finishes or the wait runs out, then fails with
the process id of the session holding the lock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from dbarch.errors import DbarchError
from dbarch.migrate.runner.history import HistoryTable

POLL = 0.1

_HOLDER = """
SELECT pid FROM pg_catalog.pg_locks
WHERE locktype = 'advisory' AND granted AND objsubid = 1
  AND classid::bigint = (%(key)s >> 32) & 4294967295 AND objid::bigint = %(key)s & 4294967295
  AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
LIMIT 1
"""


class RunLockedError(DbarchError):
    """Another dbarch run holds the database's migration lock."""


def _try(conn: psycopg.Connection[Any], key: int) -> bool:
    row = conn.execute("SELECT pg_catalog.pg_try_advisory_lock(%s)", (key,)).fetchone()
    return bool(row and row[0])


@contextmanager
def exclusive_run(
    conn: psycopg.Connection[Any], history: HistoryTable, wait: float
) -> Iterator[None]:
    """Hold the migration lock of ``history``'s database while the block runs, waiting up
    to ``wait`` seconds for it; RunLockedError when it stays taken."""
    key = history.advisory_key
    deadline = time.monotonic() + wait
    while not _try(conn, key):
        left = deadline - time.monotonic()
        if left <= 0:
            row = conn.execute(_HOLDER, {"key": key}).fetchone()
            holder = f" (process {row[0]})" if row else ""
            raise RunLockedError(
                f"another dbarch run holds the migration lock of this database{holder}; "
                f"gave up after waiting {wait:g} s — run again when it has finished"
            )
        time.sleep(min(POLL, left))
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            conn.execute("SELECT pg_catalog.pg_advisory_unlock(%s)", (key,))
