"""The ``Sample Data`` of seed 002's template: an INSERT a reader can start from.

It names the columns an INSERT must give (NOT NULL, no default, no identity, not
generated), like the template's ``INSERT INTO users (email, password_hash, first_name)``,
with a placeholder value of each column's type: text columns get their own name (cut to
the column's length), numbers ``1``, times ``now()`` and the like, enums their first label,
domains a value of their base type. The values are placeholders, not data: they satisfy
the types, not necessarily the CHECK constraints or foreign keys. A table whose columns all
have defaults gets ``INSERT INTO t DEFAULT VALUES;``.
"""

from __future__ import annotations

import re

from dbarch.docs.catalog import Catalog
from dbarch.docs.types import read_type
from dbarch.model.objects import DEFAULT_SCHEMA, Column, Table
from dbarch.pg.quote import qualified, quote_ident, quote_literal

_NUMBERS = frozenset({"int2", "int4", "int8", "numeric", "float4", "float8", "money", "oid"})
_TEXTS = frozenset({"text", "varchar", "bpchar", "name", "citext"})
_FIXED = {
    "bool": "true",
    "uuid": "gen_random_uuid()",
    "date": "CURRENT_DATE",
    "timestamptz": "now()",
    "timestamp": "LOCALTIMESTAMP",
    "timetz": "CURRENT_TIME",
    "time": "LOCALTIME",
    "interval": "'1 day'",
    "json": "'{}'",
    "jsonb": "'{}'",
    "bytea": "'\\x00'",
    "inet": "'192.0.2.1'",
    "cidr": "'192.0.2.0/24'",
    "macaddr": "'08:00:2b:01:02:03'",
    "macaddr8": "'08:00:2b:01:02:03:04:05'",
    "tsvector": "''",
    "tsquery": "'example'",
    "xml": "'<example/>'",
    "point": "'(0,0)'",
    "bit": "B'1'",
    "varbit": "B'1'",
    "char": "'x'",
    "pg_lsn": "'0/0'",
}
_RANGE = re.compile(r"(int4|int8|num|ts|tstz|date)(multi)?range\Z")
_LENGTH = re.compile(r"\((\d+)\)")
_MAX_DOMAIN_DEPTH = 20


def required_columns(table: Table) -> list[Column]:
    """The columns an INSERT into ``table`` must give a value."""
    return [
        c
        for c in table.columns
        if not c.nullable and c.default is None and c.identity is None and c.generated is None
    ]


def sample_insert(catalog: Catalog, table: Table) -> str:
    """An INSERT of placeholder values into the required columns of ``table``."""
    schema = None if table.schema_ == DEFAULT_SCHEMA else table.schema_
    target = qualified(schema, table.name)
    columns = required_columns(table)
    if not columns:
        return f"INSERT INTO {target} DEFAULT VALUES;"
    names = ", ".join(quote_ident(c.name) for c in columns)
    values = ", ".join(placeholder(catalog, c.type, c.name) for c in columns)
    return f"INSERT INTO {target} ({names})\nVALUES ({values});"


def placeholder(catalog: Catalog, type_text: str, column: str, depth: int = 0) -> str:
    """A literal or expression of type ``type_text`` for column ``column``."""
    parsed = read_type(type_text)
    if parsed is None:
        return "'...'"
    if parsed.array_dimensions:
        return "'{}'"
    if parsed.schema in (None, "pg_catalog"):
        name = parsed.name
        if name in _NUMBERS:
            return "1"
        if name in _TEXTS:
            return quote_literal(column[: _length(type_text, name)])
        if name in _FIXED:
            return _FIXED[name]
        if _RANGE.match(name):
            return "'{}'" if "multi" in name else "'empty'"
    key = (parsed.schema or DEFAULT_SCHEMA, parsed.name)
    enum = next((e for e in catalog.schema.enums if (e.schema_, e.name) == key), None)
    if enum is not None and enum.values:
        return quote_literal(enum.values[0])
    domain = next((d for d in catalog.schema.domains if (d.schema_, d.name) == key), None)
    if domain is not None and depth < _MAX_DOMAIN_DEPTH:
        return placeholder(catalog, domain.type, column, depth + 1)
    return "'...'"


def _length(type_text: str, name: str) -> int | None:
    """The length limit of a character type: ``varchar(20)`` 20, ``char`` 1."""
    match = _LENGTH.search(type_text)
    if match:
        return int(match.group(1))
    return 1 if name == "bpchar" else None
