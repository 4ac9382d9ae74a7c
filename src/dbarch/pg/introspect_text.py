"""Facts the catalogs keep only in PostgreSQL's deparsed SQL text.

``pg_get_indexdef`` alone knows whether an index element's collation and operator class
are the defaults (it prints them only when they are not), and ``pg_get_triggerdef`` is
the only printer of a trigger's WHEN condition. These helpers scan that text token by
token, stepping over quoted identifiers and string literals; they never re-parse SQL.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dbarch.errors import DatabaseError

_TOKEN = re.compile(
    r"""
    \s*
    (?: (?P<ident>"(?:[^"]|"")*")
      | (?P<string>'(?:[^']|'')*')
      | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
      | (?P<symbol>\S)
    )
    """,
    re.VERBOSE,
)

_NAME = r'(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)'
_INDEX_HEAD = re.compile(
    rf"CREATE (?:UNIQUE )?INDEX {_NAME} ON (?:ONLY )?{_NAME}(?:\.{_NAME})? USING {_NAME} \("
)
_BRACKET_OR_COMMA = re.compile(r"""\"(?:[^"]|"")*"|'(?:[^']|'')*'|[(),\[\]]""")

_OPEN = "(["
_CLOSE = ")]"


class Token(NamedTuple):
    """One lexical token of deparsed SQL; ``depth`` counts enclosing brackets."""

    kind: str
    text: str
    start: int
    end: int
    depth: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words

    def is_symbol(self, symbol: str) -> bool:
        return self.kind == "symbol" and self.text == symbol


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` without white space, each with its bracket depth."""
    result: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "symbol"
        value = match.group(kind)
        if kind == "symbol":
            if value in _CLOSE:
                depth -= 1
            elif value in _OPEN:
                result.append(Token(kind, value, match.start(kind), match.end(), depth))
                depth += 1
                continue
        result.append(Token(kind, value, match.start(kind), match.end(), depth))
    return result


def _closing(toks: list[Token], opening: int) -> int:
    """Index of the bracket that closes ``toks[opening]``."""
    depth = toks[opening].depth
    for i in range(opening + 1, len(toks)):
        if toks[i].depth == depth and toks[i].kind == "symbol" and toks[i].text in _CLOSE:
            return i
    raise DatabaseError("unbalanced brackets in SQL text PostgreSQL printed")


def _unreadable(what: str, text: str) -> DatabaseError:
    return DatabaseError(f"cannot read the {what} PostgreSQL printed: {text}")


def index_elements(definition: str) -> list[str]:
    """The elements of ``CREATE INDEX ... USING method (e1, e2, ...)``, as printed."""
    head = _INDEX_HEAD.match(definition)
    if head is None:
        raise _unreadable("index definition", definition)
    elements: list[str] = []
    depth = 0
    start = head.end()
    for match in _BRACKET_OR_COMMA.finditer(definition, start):
        char = match.group()
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth > 0:
            depth -= 1
        elif depth == 0 and char in ",)":
            elements.append(definition[start : match.start()].strip())
            if char == ")":
                return elements
            start = match.end()
    raise _unreadable("index definition", definition)


def _skip_name(toks: list[Token], i: int) -> int:
    """Index after a possibly qualified name starting at ``toks[i]``."""
    i += 1
    while i + 1 < len(toks) and toks[i].is_symbol("."):
        i += 2
    return i


def element_decorations(element: str, key: str) -> tuple[bool, bool]:
    """``(has_collate, has_opclass)`` of an index element printed as ``element``.

    ``key`` is the column or expression text the element starts with; PostgreSQL
    prints ``COLLATE`` and the operator class only when they differ from the defaults.
    """
    if not element.startswith(key):
        raise _unreadable("index element", element)
    toks = tokens(element[len(key) :])
    i = 0
    has_collate = bool(toks) and toks[0].is_word("COLLATE")
    if has_collate:
        i = _skip_name(toks, 1)
    has_opclass = i < len(toks) and not toks[i].is_word("ASC", "DESC", "NULLS")
    return has_collate, has_opclass


def _unquote_literal(text: str) -> str:
    return text[1:-1].replace("''", "'")


def trigger_condition_and_arguments(definition: str) -> tuple[str | None, tuple[str, ...]]:
    """The WHEN condition (text inside its parentheses) and the arguments of a trigger,
    from ``pg_get_triggerdef`` printed with ``standard_conforming_strings`` on."""
    toks = tokens(definition)
    for i in range(len(toks) - 2):
        if (
            toks[i].depth == 0
            and toks[i].is_word("FOR")
            and toks[i + 1].is_word("EACH")
            and toks[i + 2].is_word("ROW", "STATEMENT")
        ):
            break
    else:
        raise _unreadable("trigger definition", definition)
    rest = i + 3
    condition = None
    if rest + 1 < len(toks) and toks[rest].is_word("WHEN") and toks[rest + 1].is_symbol("("):
        closing = _closing(toks, rest + 1)
        condition = definition[toks[rest + 1].end : toks[closing].start].strip()
        rest = closing + 1
    if not (
        rest + 1 < len(toks)
        and toks[rest].is_word("EXECUTE")
        and toks[rest + 1].is_word("FUNCTION", "PROCEDURE")
    ):
        raise _unreadable("trigger definition", definition)
    opening = next(
        (j for j in range(rest + 2, len(toks)) if toks[j].is_symbol("(") and toks[j].depth == 0),
        None,
    )
    if opening is None:
        raise _unreadable("trigger definition", definition)
    closing = _closing(toks, opening)
    arguments = tuple(
        _unquote_literal(t.text) for t in toks[opening + 1 : closing] if t.kind == "string"
    )
    return condition, arguments
