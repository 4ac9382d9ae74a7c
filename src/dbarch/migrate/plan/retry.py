"""Strong locks held briefly: a short ``lock_timeout`` and retries with backoff.

A statement that waits for a lock blocks everyone who queues behind it, so a migration
that waits behind a long transaction stalls the application. Statements that take a
lock blocking reads or writes therefore run inside a ``DO`` block that sets
``lock_timeout`` and, when the lock is not granted in time (``lock_not_available``),
gives up its locks, sleeps (doubling the pause each time, at most 10 seconds) and tries
again. The block is plain SQL that psql runs unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from dbarch.migrate.plan.steps import PlanOptions
from dbarch.pg.quote import dollar_quote, quote_literal

_INDENT = "    "
MAX_PAUSE = 10


def with_retries(statements: Sequence[str], options: PlanOptions) -> str:
    """``statements`` in one ``DO`` block that retries them when a lock times out (kept
    verbatim: re-indenting would change multi-line literals)."""
    body = "\n".join(statements)
    pause = f"least({options.retry_delay!r} * 2 ^ (attempt - 1), {MAX_PAUSE})"
    block = (
        "\nDECLARE\n"
        f"{_INDENT}attempt integer := 1;\n"
        "BEGIN\n"
        f"{_INDENT}SET LOCAL lock_timeout = {quote_literal(options.lock_timeout)};\n"
        f"{_INDENT}LOOP\n"
        f"{_INDENT * 2}BEGIN\n"
        f"{body}\n"
        f"{_INDENT * 3}EXIT;\n"
        f"{_INDENT * 2}EXCEPTION WHEN lock_not_available THEN\n"
        f"{_INDENT * 3}IF attempt >= {int(options.lock_retries)} THEN\n"
        f"{_INDENT * 4}RAISE;\n"
        f"{_INDENT * 3}END IF;\n"
        f"{_INDENT * 3}RAISE WARNING 'dbarch: lock not available (attempt % of %), retrying',\n"
        f"{_INDENT * 4}attempt, {int(options.lock_retries)};\n"
        f"{_INDENT * 3}PERFORM pg_sleep({pause});\n"
        f"{_INDENT * 3}attempt := attempt + 1;\n"
        f"{_INDENT * 2}END;\n"
        f"{_INDENT}END LOOP;\n"
        "END\n"
    )
    return f"DO {dollar_quote(block)};"


def with_timeout(statement: str, options: PlanOptions) -> str:
    """A statement that cannot run in a transaction block, under ``lock_timeout``."""
    timeout = quote_literal(options.lock_timeout)
    return f"SET lock_timeout = {timeout};\n{statement}\nRESET lock_timeout;"
