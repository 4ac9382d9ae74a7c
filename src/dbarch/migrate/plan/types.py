"""Facts about column types and default expressions that decide a recipe: whether a
type change loses data (narrowing), rewrites the table, and whether a default is
volatile (evaluated per row)."""

from __future__ import annotations

from dbarch.ddl.sqlrefs import expression_refs
from dbarch.migrate.lint.volatility import Volatility as BuiltinVolatility
from dbarch.migrate.lint.volatility import function_volatility
from dbarch.migrate.locks import ColumnType, parse_column_type, type_change_rewrites
from dbarch.model.objects import DEFAULT_SCHEMA, Schema, Volatility

# (old, new) base types where every old value has an equal new value
_WIDENING = frozenset(
    {
        ("int2", "int4"),
        ("int2", "int8"),
        ("int4", "int8"),
        ("float4", "float8"),
        ("int2", "numeric"),
        ("int4", "numeric"),
        ("int8", "numeric"),
        ("bpchar", "text"),
        ("bpchar", "varchar"),
        ("date", "timestamp"),
        ("date", "timestamptz"),
        ("timestamp", "timestamptz"),
        ("timestamptz", "timestamp"),
        ("cidr", "inet"),
        ("json", "text"),
        ("jsonb", "text"),
        ("uuid", "text"),
    }
)


def _parse(text: str) -> ColumnType | None:
    try:
        return parse_column_type(text)
    except ValueError:
        return None


def rewrites(old_type: str, new_type: str) -> bool:
    """True when ``ALTER COLUMN ... TYPE`` from ``old_type`` to ``new_type`` rewrites the
    table (see :func:`dbarch.migrate.locks.type_change_rewrites`; unknown is True)."""
    old, new = _parse(old_type), _parse(new_type)
    if old is None or new is None:
        return old_type != new_type
    return type_change_rewrites(old, new, timezone_utc=False)


def narrows(old_type: str, new_type: str) -> bool:
    """True when some value of ``old_type`` may not survive as ``new_type``."""
    if old_type == new_type:
        return False
    old, new = _parse(old_type), _parse(new_type)
    if old is None or new is None or old.array != new.array:
        return True
    if not type_change_rewrites(old, new, timezone_utc=True):
        return False  # the catalog-only changes are widenings
    if new.name == "text" and not new.modifiers:
        return False
    if (old.name, new.name) in _WIDENING:
        if new.name in ("numeric", "varchar") and new.modifiers:
            return True
        return bool(new.modifiers) and new.modifiers < old.modifiers
    return True


def volatile(expr: str, schema: Schema, what: str) -> bool:
    """True when ``expr`` calls a volatile function (or one whose volatility is unknown)."""
    for qualifier, name in expression_refs(expr, what).functions:
        mine = [
            f
            for f in schema.functions
            if f.name == name and f.schema_ == (qualifier or DEFAULT_SCHEMA)
        ]
        if mine:
            if any(f.volatility == Volatility.volatile for f in mine):
                return True
            continue
        found = function_volatility(name, qualifier)
        if found is None or found is BuiltinVolatility.VOLATILE:
            return True
    return False
