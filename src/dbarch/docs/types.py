"""Data type spellings for people and for diagram languages.

Types arrive as PostgreSQL prints them (``character varying(255)``, ``timestamp with time
zone``) or as a model file wrote them. Documents show the short names people use
(``varchar(255)``, ``timestamptz``); the data dictionary writes built-in types in capitals
like seed 002's template (``VARCHAR(255)``), user-defined types exactly as named.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dbarch.model.datatypes import BUILTIN_TYPES, TypeName, parse_type

_SHORT = (
    (re.compile(r"character varying\b"), "varchar"),
    (re.compile(r"character\b"), "char"),
    (re.compile(r"bit varying\b"), "varbit"),
    (re.compile(r"timestamp(\(\d+\))? with time zone\b"), r"timestamptz\1"),
    (re.compile(r"timestamp(\(\d+\))? without time zone\b"), r"timestamp\1"),
    (re.compile(r"time(\(\d+\))? with time zone\b"), r"timetz\1"),
    (re.compile(r"time(\(\d+\))? without time zone\b"), r"time\1"),
)
_ARRAY = re.compile(r"(\[\d*\])+\Z")


@lru_cache(maxsize=4096)
def short_type(text: str) -> str:
    """``text`` with PostgreSQL's long built-in spellings shortened:
    ``character varying(255)`` -> ``varchar(255)``, ``timestamp(3) with time zone`` ->
    ``timestamptz(3)``; anything else unchanged."""
    for pattern, replacement in _SHORT:
        match = pattern.match(text)
        if match:
            return match.expand(replacement) + text[match.end() :]
    return text


@lru_cache(maxsize=4096)
def read_type(text: str) -> TypeName | None:
    """``text`` read by PostgreSQL's grammar (see :func:`parse_type`), remembered."""
    return parse_type(text)


def is_builtin(text: str) -> bool:
    """True when ``text`` names a built-in type of ``pg_catalog`` (or an array of one)."""
    parsed = read_type(text)
    return (
        parsed is not None
        and parsed.schema in (None, "pg_catalog")
        and parsed.name in BUILTIN_TYPES
        and not text.lstrip().startswith('"')
    )


def dictionary_type(text: str) -> str:
    """The type as the data dictionary shows it: ``VARCHAR(255)``, ``ops.job_status``."""
    return short_type(text).upper() if is_builtin(text) else text


def word_type(text: str) -> str:
    """The type as one ASCII word ``[A-Za-z0-9_]`` for diagram languages that allow no
    spaces or punctuation: ``numeric(10,2)`` -> ``numeric_10_2_``, ``timestamp with time
    zone`` -> ``timestamptz``, ``integer[]`` -> ``integer_array``."""
    short = short_type(text)
    array = _ARRAY.search(short)
    base = short[: array.start()] if array else short
    word = ascii_word(" ".join(base.replace('"', "").split()))
    return word + "_array" * (array.group().count("[") if array else 0)


@lru_cache(maxsize=65536)
def ascii_word(text: str) -> str:
    """``text`` with accents dropped and every character outside ``[A-Za-z0-9_]``
    replaced by ``_``: ``Prénom`` -> ``Prenom``, ``a-b c`` -> ``a_b_c``."""
    kept = (c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in kept)
