"""Data types in one canonical spelling, so that ``int``, ``integer``, ``int4`` and
``pg_catalog.int4`` compare equal, ``serial`` is ``int4`` and a domain is its base type.

PostgreSQL's grammar (pglast) reads the type; the result is PostgreSQL's internal name
(``int4``, ``varchar``, ``timestamptz``, ``float8``...) without ``pg_catalog``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pglast import ast, parse_sql
from pglast.parser import ParseError
from pglast.stream import RawStream

from dbarch.model.datatypes import BUILTIN_TYPES
from dbarch.model.objects import DEFAULT_SCHEMA, Schema

SERIALS = {
    "smallserial": "int2",
    "serial2": "int2",
    "serial": "int4",
    "serial4": "int4",
    "bigserial": "int8",
    "serial8": "int8",
}
TEXT_TYPES = frozenset({"text", "varchar", "bpchar", "citext"})
JSON_TYPES = frozenset({"json", "jsonb"})
INTEGER_TYPES = frozenset({"int2", "int4", "int8"})
FLOAT_TYPES = frozenset({"float4", "float8"})


@dataclass(frozen=True)
class TypeInfo:
    """A type in canonical form; ``schema`` is ``None`` when the type was written
    unqualified or in ``pg_catalog`` or ``public`` (as the model's canonical form does)."""

    name: str
    schema: str | None = None
    modifiers: tuple[str, ...] = ()
    array_dimensions: int = 0
    serial: bool = False  # written as a serial notation

    def __str__(self) -> str:
        text = self.name if self.schema is None else f"{self.schema}.{self.name}"
        if self.modifiers:
            text += "(" + ",".join(self.modifiers) + ")"
        return text + "[]" * self.array_dimensions

    @property
    def builtin(self) -> bool:
        """True for a type of ``pg_catalog``."""
        return self.schema is None and self.name in BUILTIN_TYPES

    def is_(self, *names: str) -> bool:
        """True when this is a built-in non-array type named one of ``names``."""
        return self.builtin and not self.array_dimensions and self.name in names


def read_type(text: str) -> TypeInfo | None:
    """``text`` as a canonical type, or ``None`` when it does not read as a type name."""
    try:
        statements = parse_sql("SELECT NULL::" + text)  # parsed only, never executed
    except ParseError:
        return None
    target = statements[0].stmt.targetList[0].val if len(statements) == 1 else None
    if not isinstance(target, ast.TypeCast):
        return None
    type_name = target.typeName
    names = [n.sval for n in type_name.names]
    schema = names[0] if len(names) == 2 else None
    name = names[-1]
    if schema in ("pg_catalog", DEFAULT_SCHEMA):
        schema = None
    serial = schema is None and name in SERIALS
    if serial:
        name = SERIALS[name]
    return TypeInfo(
        name=name,
        schema=schema,
        modifiers=tuple(RawStream()(m) for m in type_name.typmods or ()),
        array_dimensions=len(type_name.arrayBounds or ()),
        serial=serial,
    )


def resolve_type(schema: Schema, text: str) -> TypeInfo | None:
    """Like :func:`read_type`, with domains of ``schema`` replaced by their base type."""
    seen: set[tuple[str, str]] = set()
    info = read_type(text)
    while info is not None and not info.array_dimensions:
        key = (info.schema or DEFAULT_SCHEMA, info.name)
        domain = next((d for d in schema.domains if (d.schema_, d.name) == key), None)
        if domain is None or key in seen:
            break
        seen.add(key)
        info = read_type(domain.type)
    return info
