"""Which data type names a model may use: PostgreSQL's built-in types, the types the model
declares itself, and the types of well-known extensions it installs.

A type is read with PostgreSQL's own grammar (pglast), so every spelling PostgreSQL
accepts works: ``varchar(255)``, ``timestamp(3) with time zone``, ``double precision``,
``interval day to second``, ``int[]``, ``text ARRAY``, ``pg_catalog.int4``...
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from pglast import ast, parse_sql
from pglast.parser import ParseError, scan

from dbarch.model.objects import DEFAULT_SCHEMA, Schema
from dbarch.pg.quote import qualified, quote_ident


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Base, range and multirange types of pg_catalog (PostgreSQL 15 and 16): what a column,
# domain or composite attribute can be.
BUILTIN_TYPES: frozenset[str] = _names(
    """
    aclitem bit bool box bpchar bytea char cid cidr circle date datemultirange daterange
    float4 float8 gtsvector inet int2 int2vector int4 int4multirange int4range int8
    int8multirange int8range interval json jsonb jsonpath line lseg macaddr macaddr8
    money name numeric nummultirange numrange oid oidvector path pg_brin_bloom_summary
    pg_brin_minmax_multi_summary pg_dependencies pg_lsn pg_mcv_list pg_ndistinct
    pg_node_tree pg_snapshot point polygon refcursor regclass regcollation regconfig
    regdictionary regnamespace regoper regoperator regproc regprocedure regrole regtype
    text tid time timestamp timestamptz timetz tsmultirange tsquery tsrange
    tstzmultirange tstzrange tsvector txid_snapshot uuid varbit varchar xid xid8 xml
    """
)

# Built-in types that take a modifier: varchar(255), numeric(10,2), timestamp(3)...
MODIFIER_TYPES: frozenset[str] = _names(
    "bit bpchar interval numeric time timestamp timestamptz timetz varbit varchar"
)

# Domains of information_schema.
INFORMATION_SCHEMA_TYPES: frozenset[str] = _names(
    "cardinal_number character_data sql_identifier time_stamp yes_or_no"
)

# Not types but column notations of CREATE TABLE (an integer column owning a sequence).
SERIAL_TYPES: frozenset[str] = _names("smallserial serial bigserial serial2 serial4 serial8")

INTEGER_TYPES: frozenset[str] = frozenset({"int2", "int4", "int8"})

_COMMENTS = frozenset({"SQL_COMMENT", "C_COMMENT"})
_MODIFIER = re.compile(r"\([^()]*\)")

# The column types well-known extensions create (extensions absent here are not judged).
EXTENSION_TYPES: dict[str, frozenset[str]] = {
    name: _names(types)
    for name, types in {
        "btree_gin": "",
        "btree_gist": "",
        "citext": "citext",
        "cube": "cube",
        "earthdistance": "earth",
        "fuzzystrmatch": "",
        "hstore": "hstore",
        "intarray": "query_int",
        "isn": "ean13 isbn isbn13 ismn ismn13 issn issn13 upc",
        "lo": "lo",
        "ltree": "lquery ltree ltxtquery",
        "pg_stat_statements": "",
        "pg_trgm": "",
        "pgcrypto": "",
        "plpgsql": "",
        "postgis": "box2d box3d geography geometry geometry_dump valid_detail",
        "postgis_raster": "raster",
        "seg": "seg",
        "tablefunc": "",
        "unaccent": "",
        "uuid-ossp": "",
        "vector": "halfvec sparsevec vector",
    }.items()
}

# How people write the common types; offered as suggestions.
_SPELLINGS = (
    "character varying",
    "double precision",
    "bit varying",
    "time with time zone",
    "time without time zone",
    "timestamp with time zone",
    "timestamp without time zone",
    *("bigint", "bigserial", "boolean", "bytea", "character", "date", "inet", "integer"),
    *("interval", "json", "jsonb", "numeric", "real", "serial", "smallint", "smallserial"),
    *("text", "time", "timestamp", "timestamptz", "uuid", "varchar"),
)


@dataclass(frozen=True)
class TypeName:
    """A type name as PostgreSQL's grammar reads it (``int`` is ``pg_catalog.int4``)."""

    schema: str | None
    name: str
    modifiers: int
    array_dimensions: int


@functools.lru_cache(maxsize=4096)  # a model spells its few types again and again
def parse_type(text: str) -> TypeName | None:
    """``text`` read as a type name, or ``None`` when it is not one."""
    # Parsed only, never executed: the cast gives the grammar a place for a type name.
    try:
        statements = parse_sql("SELECT NULL::" + text)
    except ParseError:
        return None
    if len(statements) != 1 or any(t.name in _COMMENTS for t in scan(text)):
        return None
    select = statements[0].stmt
    if not isinstance(select, ast.SelectStmt) or len(select.targetList or ()) != 1:
        return None
    if any(getattr(select, f) for f in select.__slots__ if f not in ("targetList", "op")):
        return None
    if select.targetList[0].name is not None:  # "int x" reads as a column alias
        return None
    cast = select.targetList[0].val
    if not isinstance(cast, ast.TypeCast) or not isinstance(cast.arg, ast.A_Const):
        return None
    type_name = cast.typeName
    names = [n.sval for n in type_name.names]
    if type_name.setof or type_name.pct_type or len(names) > 2:
        return None
    return TypeName(
        schema=names[0] if len(names) == 2 else None,
        name=names[-1],
        modifiers=len(type_name.typmods or ()),
        array_dimensions=len(type_name.arrayBounds or ()),
    )


@dataclass(frozen=True)
class TypeScope:
    """The types a model can use besides the built-in ones."""

    declared: frozenset[tuple[str, str]]
    extensions: tuple[tuple[str, str], ...]  # (schema, extension name)

    @classmethod
    def of(cls, schema: Schema) -> TypeScope:
        """The types ``schema`` declares (enums, domains, composites, row types) and the
        extensions it installs."""
        objects = (
            *schema.enums,
            *schema.domains,
            *schema.composite_types,
            *schema.tables,
            *schema.views,
            *schema.materialized_views,
        )
        return cls(
            declared=frozenset((o.schema_, o.name) for o in objects),
            extensions=tuple((e.schema_ or DEFAULT_SCHEMA, e.name) for e in schema.extensions),
        )

    def knows(self, schema: str, name: str) -> bool:
        """True when ``schema.name`` is declared, or may come from an extension there."""
        if (schema, name) in self.declared:
            return True
        for ext_schema, extension in self.extensions:
            if ext_schema == schema:
                provided = EXTENSION_TYPES.get(extension)
                if provided is None or name in provided:
                    return True
        return False

    def spellings(self) -> list[str]:
        """How the declared and extension types are written in SQL."""
        names = {(s, n) for s, n in self.declared}
        for ext_schema, extension in self.extensions:
            names |= {(ext_schema, n) for n in EXTENSION_TYPES.get(extension, ())}
        return sorted(quote_ident(n) if s == DEFAULT_SCHEMA else qualified(s, n) for s, n in names)


def type_problem(text: str, scope: TypeScope, *, serial: bool = False) -> str | None:
    """Why ``text`` is not a usable data type, or ``None`` when it is.

    ``serial`` allows the ``serial`` notations, which only a table column can use.
    """
    parsed = parse_type(text)
    if parsed is None:
        bare = parse_type(_MODIFIER.sub("", text))
        if bare and bare.schema in (None, "pg_catalog") and bare.name in BUILTIN_TYPES:
            return f"data type '{text}' takes no modifier such as (n)"
        return _unknown(f"not a data type: '{text}'", text, scope, serial)
    schema, name = parsed.schema, parsed.name
    if schema in (None, "pg_catalog") and name in BUILTIN_TYPES:
        if parsed.modifiers and name not in MODIFIER_TYPES:
            return f"data type '{text}' takes no modifier such as (n)"
        return None
    if schema is None and name in SERIAL_TYPES:
        if not serial:
            return f"'{name}' is only a column notation, not a data type; use an integer type"
        if parsed.modifiers or parsed.array_dimensions:
            return f"'{text}': {name} takes no modifier and cannot be an array"
        return None
    if schema == "information_schema" and name in INFORMATION_SCHEMA_TYPES:
        return None
    if schema != "pg_catalog" and scope.knows(schema or DEFAULT_SCHEMA, name):
        return None
    return _unknown(f"unknown data type '{text}'", text, scope, serial)


def _unknown(message: str, text: str, scope: TypeScope, serial: bool) -> str:
    candidates = [*_SPELLINGS, *sorted(BUILTIN_TYPES), *scope.spellings()]
    if not serial:
        candidates = [c for c in candidates if c not in SERIAL_TYPES]
    base = _fold(text.split("(")[0].split("[")[0])
    declared = {name for _, name in scope.extensions}
    for extension, provided in EXTENSION_TYPES.items():
        if base in provided and extension not in declared:
            return f"{message}; it comes with the extension '{extension}': add it to extensions"
    by_key = {
        key: c for c in reversed(candidates) for key in (_fold(c), _fold(c).rsplit(".", 1)[-1])
    }
    match = difflib.get_close_matches(base, list(by_key), n=1, cutoff=0.75)
    return f"{message}; did you mean '{by_key[match[0]]}'?" if match else message


def _fold(spelling: str) -> str:
    return " ".join(spelling.replace('"', "").lower().split())


def sequence_type_problem(text: str) -> str | None:
    """Why ``text`` cannot be a sequence's or identity's type (smallint, integer, bigint)."""
    parsed = parse_type(text)
    if (
        parsed is not None
        and parsed.schema in (None, "pg_catalog")
        and parsed.name in INTEGER_TYPES
        and not parsed.modifiers
        and not parsed.array_dimensions
    ):
        return None
    return f"a sequence's type must be smallint, integer or bigint, not '{text}'"
