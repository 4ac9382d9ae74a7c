"""The one place identifiers and literals become SQL text.

``quote_ident`` follows PostgreSQL's own ``quote_ident()``: a name stays bare only if it
is lower-case ASCII letters, digits and ``_`` (no leading digit), and not a keyword that
would change the parse; everything else is double-quoted with ``"`` doubled.
"""

from __future__ import annotations

import functools
import re

from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

_BARE = re.compile(r"[a-z_][a-z0-9_]*\Z")
_NEEDS_QUOTES = (
    frozenset(RESERVED_KEYWORDS) | frozenset(TYPE_FUNC_NAME_KEYWORDS) | frozenset(COL_NAME_KEYWORDS)
)


def needs_quoting(name: str) -> bool:
    """True when ``name`` must be double-quoted to survive as written."""
    return not _BARE.match(name) or name in _NEEDS_QUOTES


@functools.lru_cache(maxsize=65536)
def quote_ident(name: str) -> str:
    """An identifier as SQL: ``orders`` stays, ``Order Items`` becomes ``"Order Items"``."""
    if not needs_quoting(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str | None, name: str) -> str:
    """``schema.name`` with both parts quoted as needed; no schema gives just the name."""
    if schema is None:
        return quote_ident(name)
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def quote_literal(value: str) -> str:
    """A string literal: ``'it''s'``; backslashes force the ``E''`` form like PostgreSQL."""
    body = value.replace("'", "''")
    if "\\" in value:
        return "E'" + body.replace("\\", "\\\\") + "'"
    return "'" + body + "'"


def dollar_quote(body: str, tag: str = "") -> str:
    """``$tag$body$tag$`` with a tag that does not occur in ``body``."""
    candidate = tag
    n = 0
    # a body ending in "$" would run into an empty tag's closing "$$"
    while f"${candidate}$" in body or (not candidate and body.endswith("$")):
        n += 1
        candidate = f"{tag}{n}" if tag else f"_{n}"
    return f"${candidate}${body}${candidate}$"
