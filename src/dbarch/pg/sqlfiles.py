"""SQL files as a source: reading them, and applying them to a database with exact locations.

Each file is applied in one transaction, statement by statement (PostgreSQL's own grammar,
through pglast, finds where statements end), so an error names the file, line and column
PostgreSQL pointed at, or the line where the failing statement starts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg
from pglast.parser import ParseError, Token, scan, split

from dbarch.errors import DatabaseError, Location, SourceError

_MAYBE_PSQL_ONLY = re.compile(r"\\|\bstdin\b", re.IGNORECASE)
_NAIVE_META = re.compile(r"^[ \t]*(\\\S*)", re.MULTILINE)
_NAIVE_COPY = re.compile(r"^[ \t]*COPY\b[^;]*\bFROM\s+STDIN\b", re.IGNORECASE | re.MULTILINE)
_NOT_IN_TRANSACTION = "25001"
# pg_dump (15.14+, 16.10+, 17.6+) brackets its output with these; they only guard psql.
_DUMP_RESTRICT = re.compile(r"^\\(?:un)?restrict [A-Za-z0-9]+[ \t]*$", re.MULTILINE)


def read_sql_source(path: Path) -> list[tuple[str, str]]:
    """``(filename, text)`` of a ``.sql`` file, or of a directory's ``*.sql`` files by name."""
    if path.is_dir():
        files = sorted((p for p in path.glob("*.sql") if p.is_file()), key=lambda p: p.name)
        if not files:
            raise SourceError(f"{path}: directory has no .sql files")
    elif path.is_file():
        files = [path]
    else:
        raise SourceError(f"{path}: no such file or directory")
    return [(str(file), _read_text(file)) for file in files]


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{file}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise SourceError(f"{file}: {exc.strerror}") from None


def _location(filename: str, text: str, offset: int, *, column: bool = True) -> Location:
    """The 1-based line and column of character ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    line = text.count("\n", 0, offset) + 1
    return Location(filename, line, offset - line_start + 1 if column else None)


def _psql_only_in_tokens(tokens: list[Token], text: str) -> tuple[int, str] | None:
    statement_start = True
    copy_at: int | None = None
    after_from = False
    for token in tokens:
        if token.name in ("SQL_COMMENT", "C_COMMENT"):
            continue
        if token.name == "ASCII_92":
            command = re.match(r"\\\S*", text[token.start :])
            return token.start, _meta_message(command.group() if command else "\\")
        if statement_start and token.name == "COPY":
            copy_at = token.start
        if copy_at is not None and after_from and token.name == "STDIN":
            return copy_at, _COPY_MESSAGE
        after_from = token.name == "FROM"
        statement_start = token.name == "ASCII_59"
        if statement_start:
            copy_at = None
    return None


def _meta_message(command: str) -> str:
    return (
        f"psql meta-command {command} is not supported: the file is sent to PostgreSQL as "
        "plain SQL, not run by psql"
    )


_COPY_MESSAGE = (
    "COPY ... FROM stdin with inline data is a psql feature, not supported: the file is sent "
    "to PostgreSQL as plain SQL"
)


def _find_psql_only(text: str) -> tuple[int, str] | None:
    """Offset and message of the first psql-only construct in ``text``, if any."""
    if _MAYBE_PSQL_ONLY.search(text) is None:
        return None
    try:
        return _psql_only_in_tokens(scan(text), text)
    except ParseError:
        # The scanner gave up (an unterminated literal); fall back to looking at lines.
        found = [(m.start(1), _meta_message(m.group(1))) for m in _NAIVE_META.finditer(text)]
        found += [(m.start(), _COPY_MESSAGE) for m in _NAIVE_COPY.finditer(text)]
        return min(found, default=None)


def _statements(text: str) -> list[slice] | None:
    """Where each statement is, or None if pglast cannot parse the text."""
    try:
        return list(split(text, only_slices=True))
    except ParseError:
        return None


def _error_for(
    exc: psycopg.Error, text: str, filename: str, sent: slice, *, one_statement: bool
) -> SourceError:
    diag = exc.diag
    if diag.statement_position:
        where = _location(filename, text, sent.start + int(diag.statement_position) - 1)
    elif one_statement:
        where = _location(filename, text, sent.start, column=False)
    else:
        where = Location(filename)
    lines = [f"{where}: {diag.message_primary or str(exc).strip()}"]
    lines += [f"DETAIL: {diag.message_detail}"] if diag.message_detail else []
    lines += [f"HINT: {diag.message_hint}"] if diag.message_hint else []
    if diag.sqlstate == _NOT_IN_TRANSACTION:
        lines.append(
            "dbarch applies each SQL file in one transaction; put this statement in a file "
            "of its own and run it outside dbarch"
        )
    return SourceError("\n".join(lines))


def apply_sql(conn: psycopg.Connection[Any], text: str, filename: str) -> None:
    """Run the SQL script ``text`` on ``conn`` in one transaction: all of it, or nothing.

    Raises SourceError ``FILE:LINE:COL: message`` for PostgreSQL's complaint, and for psql
    meta-commands (``\\connect``, ``COPY ... FROM stdin`` data), which need psql; pg_dump's
    ``\\restrict``/``\\unrestrict`` lines are skipped.
    """
    text = _DUMP_RESTRICT.sub(lambda m: " " * len(m.group()), text)
    psql_only = _find_psql_only(text)
    if psql_only is not None:
        offset, message = psql_only
        raise SourceError(f"{_location(filename, text, offset, column=False)}: {message}")
    statements = _statements(text)
    pieces = [slice(0, len(text))] if statements is None else statements
    sent = slice(0, 0)
    try:
        with conn.transaction():
            for sent in pieces:
                conn.execute(text[sent])
    except psycopg.Error as exc:
        if exc.diag.sqlstate is None:
            raise DatabaseError(f"{filename}: {str(exc).strip()}") from None
        raise _error_for(exc, text, filename, sent, one_statement=statements is not None) from None
