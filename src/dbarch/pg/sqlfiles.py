"""SQL files as a source: reading them, and applying them to a database with exact locations.

Each file is applied in one transaction, statement by statement (PostgreSQL's own grammar,
through pglast, finds where statements end), so an error names the file, line and column
PostgreSQL pointed at, or the line where the failing statement starts. ``COPY ... FROM
stdin`` followed by its rows and a ``\\.`` line (what pg_dump writes) is run as psql runs
it, the rows sent through the COPY protocol; an error in a row names its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from pglast import ast, parse_sql
from pglast.parser import ParseError, Token, scan, split

from dbarch.errors import DatabaseError, Location, SourceError

_MAYBE_PSQL_ONLY = re.compile(r"\\|\bstdin\b", re.IGNORECASE)
_NAIVE_META = re.compile(r"^[ \t]*(\\\S*)", re.MULTILINE)
_NAIVE_COPY = re.compile(r"^[ \t]*COPY\b[^;]*\bFROM\s+STDIN\b", re.IGNORECASE | re.MULTILINE)
_NOT_IN_TRANSACTION = "25001"
# pg_dump (15.14+, 16.10+, 17.6+) brackets its output with these; they only guard psql.
_DUMP_RESTRICT = re.compile(r"^\\(?:un)?restrict [A-Za-z0-9]+[ \t]*$", re.MULTILINE)
_COPY_WORD = re.compile(r"\bCOPY\b", re.IGNORECASE)
_STATEMENT_END = re.compile(r";[ \t]*(?:--[^\n]*)?(?:\r?\n|\Z)")
_END_OF_ROWS = re.compile(r"^\\\.[ \t]*\r?(?:\n|\Z)", re.MULTILINE)
_COPY_ROW_LINE = re.compile(r"\bline (\d+)")
_MAX_COPY_ENDS = 50  # semicolons tried as the end of one COPY statement


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
    "COPY ... FROM stdin: its rows cannot be told apart (end the statement with ';' at the "
    "end of its line, the rows on the lines after it, then a line \\.)"
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


def _details(diag: psycopg.errors.Diagnostic, *, context: bool = False) -> list[str]:
    lines = [f"DETAIL: {diag.message_detail}"] if diag.message_detail else []
    lines += [f"HINT: {diag.message_hint}"] if diag.message_hint else []
    lines += [f"CONTEXT: {diag.context.strip()}"] if context and diag.context else []
    return lines


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
    lines = [f"{where}: {diag.message_primary or str(exc).strip()}", *_details(diag)]
    if diag.sqlstate == _NOT_IN_TRANSACTION:
        lines.append(
            "dbarch applies each SQL file in one transaction; put this statement in a file "
            "of its own and run it outside dbarch"
        )
    return SourceError("\n".join(lines))


@dataclass(frozen=True)
class _CopyIn:
    """A ``COPY ... FROM stdin`` statement and the rows written after it."""

    statement: slice
    rows: slice


def _copy_in_at(text: str, start: int) -> tuple[_CopyIn, int] | None:
    """The ``COPY ... FROM stdin`` statement at ``start`` with its rows, and where the text
    goes on after their ``\\.`` line; None when no such statement starts there."""
    for tried, end in enumerate(_STATEMENT_END.finditer(text, start)):
        if tried == _MAX_COPY_ENDS:
            return None
        statement = slice(start, end.start() + 1)
        try:
            parsed = parse_sql(text[statement])
        except ParseError:
            continue  # a semicolon inside the statement (a quoted delimiter...)
        copy = parsed[0].stmt if len(parsed) == 1 else None
        if not isinstance(copy, ast.CopyStmt) or not copy.is_from or copy.filename:
            return None
        if copy.is_program:
            return None
        finish = _END_OF_ROWS.search(text, end.end())
        if finish is None:
            return _CopyIn(statement, slice(end.end(), len(text))), len(text)
        return _CopyIn(statement, slice(end.end(), finish.start())), finish.end()
    return None


def _statement_starts(before: str) -> bool:
    """True when a statement starts right after ``before`` (whole statements, each ended
    by a semicolon, and comments)."""
    try:
        tokens = [t for t in scan(before) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    except ParseError:
        return False
    return not tokens or tokens[-1].name == "ASCII_59"


def _pieces(text: str) -> list[slice | _CopyIn]:
    """``text`` cut into SQL and ``COPY ... FROM stdin`` with its rows, in order."""
    pieces: list[slice | _CopyIn] = []
    position = 0
    for candidate in _COPY_WORD.finditer(text):
        start = candidate.start()
        if start < position or not _statement_starts(text[position:start]):
            continue  # within rows, a literal, a comment or another statement
        found = _copy_in_at(text, start)
        if found is not None:
            copy_in, position_after = found
            pieces += [slice(position, start), copy_in]
            position = position_after
    return [*pieces, slice(position, len(text))]


def _shifted(statements: list[slice], piece: slice) -> list[slice]:
    """Slices of ``text[piece]`` as slices of ``text``."""
    return [slice(piece.start + part.start, piece.start + part.stop) for part in statements]


def _copy_error(exc: psycopg.Error, text: str, filename: str, copy_in: _CopyIn) -> SourceError:
    """The error of a COPY, at the line of the row PostgreSQL names."""
    diag = exc.diag
    row = _COPY_ROW_LINE.search(diag.context or "")
    if row is not None:
        first = _location(filename, text, copy_in.rows.start, column=False)
        where = Location(filename, (first.line or 1) + int(row.group(1)) - 1)
    else:
        where = _location(filename, text, copy_in.statement.start, column=False)
    message = diag.message_primary or str(exc).strip()
    return SourceError("\n".join([f"{where}: {message}", *_details(diag, context=True)]))


def apply_sql(conn: psycopg.Connection[Any], text: str, filename: str) -> None:
    """Run the SQL script ``text`` on ``conn`` in one transaction: all of it, or nothing.

    ``COPY ... FROM stdin`` with its rows (ended by a ``\\.`` line) is run as psql runs
    it; pg_dump's ``\\restrict``/``\\unrestrict`` lines are skipped. Raises SourceError
    ``FILE:LINE:COL: message`` for PostgreSQL's complaint, and for other psql
    meta-commands (``\\connect``...), which need psql.
    """
    text = _DUMP_RESTRICT.sub(lambda m: " " * len(m.group()), text)
    pieces = _pieces(text)
    for piece in pieces:
        if isinstance(piece, slice) and (psql_only := _find_psql_only(text[piece])):
            offset, message = psql_only
            where = _location(filename, text, piece.start + offset, column=False)
            raise SourceError(f"{where}: {message}")
    sent: slice | _CopyIn = slice(0, 0)
    one_statement = True
    try:
        with conn.transaction():
            for piece in pieces:
                if isinstance(piece, _CopyIn):
                    sent = piece
                    with conn.cursor().copy(text[piece.statement]) as copy:
                        copy.write(text[piece.rows])
                    continue
                statements = _statements(text[piece])
                one_statement = statements is not None
                for sent in _shifted(statements, piece) if statements is not None else [piece]:
                    conn.execute(text[sent])
    except psycopg.Error as exc:
        if exc.diag.sqlstate is None:
            raise DatabaseError(f"{filename}: {str(exc).strip()}") from None
        if isinstance(sent, _CopyIn):
            raise _copy_error(exc, text, filename, sent) from None
        raise _error_for(exc, text, filename, sent, one_statement=one_statement) from None
