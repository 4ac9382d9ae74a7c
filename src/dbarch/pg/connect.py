"""Opening connections; messages about them never show a password (see :mod:`redact`)."""

from __future__ import annotations

import psycopg
from psycopg.rows import TupleRow

from dbarch.errors import DatabaseError
from dbarch.pg.redact import redact, scrub


def connect(
    dsn: str, *, autocommit: bool = True, application_name: str = "dbarch"
) -> psycopg.Connection[TupleRow]:
    """Open a connection to ``dsn`` (URI ``postgresql://``/``postgres://`` or key/value).

    Raises DatabaseError, whose message names the redacted DSN and never a password.
    """
    try:
        return psycopg.connect(dsn, autocommit=autocommit, application_name=application_name)
    except psycopg.Error as exc:
        reason = scrub(str(exc).strip(), dsn)
        raise DatabaseError(f"cannot connect to {redact(dsn)}: {reason}") from None
