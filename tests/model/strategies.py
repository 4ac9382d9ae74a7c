"""Hypothesis strategies for random valid Schemas, in canonical and expanded form.

What they generate PostgreSQL accepts: names of at most 63 bytes, unique where
PostgreSQL wants them unique (with spaces, quotes, capitals, unicode, reserved words),
types in the spelling ``format_type`` prints, keys over existing columns, foreign keys
to a primary key with columns of the same types. Every constraint and index is named,
primary key and identity columns are NOT NULL: loading the dump of such a Schema gives
it back unchanged.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dbarch.model.canonical import canonical
from dbarch.model.datatypes import BUILTIN_TYPES
from dbarch.model.objects import (
    DEFAULT_SCHEMA,
    CheckConstraint,
    Column,
    EnumType,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    Reference,
    Schema,
    SchemaDef,
    Sequence,
    Table,
    UniqueConstraint,
)
from dbarch.pg.quote import qualified, quote_ident

NAME_BYTES = 63

# Types as format_type prints them, with a default PostgreSQL prints back the same way.
TYPES: dict[str, str | None] = {
    "integer": "0",
    "bigint": None,
    "text": "'x'::text",
    "boolean": "true",
    "numeric(10,2)": None,
    "timestamp with time zone": "now()",
    "jsonb": None,
    "uuid": None,
    "character varying(40)": None,
    "date": None,
    "text[]": None,
    "double precision": None,
}

SPECIAL_NAMES = (
    "user",
    "select",
    "order",
    "Order Items",
    'say "hi"',
    "it's",
    "naïve café",
    "日本語",
    "emoji 🎉",
    "a.b",
    "  padded ",
    "UPPER",
    "x",
    "é" * 31 + "x",  # 63 bytes
)

_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"))


def _fits(name: str) -> bool:
    return 0 < len(name.encode()) <= NAME_BYTES


names = st.one_of(
    st.sampled_from(SPECIAL_NAMES),
    st.text(alphabet=_CHARACTERS, min_size=1, max_size=24).filter(_fits),
)
"""Any identifier PostgreSQL accepts once quoted."""

comments = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    st.sampled_from(["line one\nline two\n", "trailing space \nnext", "\ttab\tand\nbreak"]),
)
"""Comment texts: anything PostgreSQL stores (no NUL), multi-line included."""


class _Names:
    """Draws names unique within a namespace (a schema's, or a table's columns)."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.taken: dict[object, set[str]] = {}

    def new(self, namespace: object, strategy: st.SearchStrategy[str] = names) -> str:
        taken = self.taken.setdefault(namespace, set())
        name = self.draw(strategy.filter(lambda n: n not in taken))
        taken.add(name)
        return name


def _schema_names(name: str) -> bool:
    return not name.startswith("pg_") and name not in ("public", "information_schema")


def _type_names(name: str) -> bool:
    return name.lower() not in BUILTIN_TYPES and name.lower() not in TYPES


@st.composite
def schemas(draw: st.DrawFn, max_tables: int = 4) -> Schema:
    """A random valid Schema in canonical, expanded form."""
    pool = _Names(draw)
    namespaces = [DEFAULT_SCHEMA]
    schema_defs = []
    for _ in range(draw(st.integers(0, 2))):
        name = pool.new(("schema names",), names.filter(_schema_names))
        namespaces.append(name)
        schema_defs.append(SchemaDef(name=name, comment=draw(comments)))
    enums = []
    for _ in range(draw(st.integers(0, 2))):
        in_schema = draw(st.sampled_from(namespaces))
        labels = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        name = pool.new(in_schema, names.filter(_type_names))
        enums.append(EnumType(name=name, schema=in_schema, values=tuple(labels)))
    column_types = list(TYPES) + [
        quote_ident(e.name) if e.schema_ == DEFAULT_SCHEMA else qualified(e.schema_, e.name)
        for e in enums
    ]
    tables: list[Table] = []
    for _ in range(draw(st.integers(0, max_tables))):
        in_schema = draw(st.sampled_from(namespaces))
        name = pool.new(in_schema)
        tables.append(draw(_table(pool, in_schema, name, column_types, tables)))
    sequences = [
        Sequence(
            name=pool.new(s, names.filter(lambda n: not n.endswith("_seq"))),
            schema=s,
            start=draw(
                st.none() | st.integers(2, 1000)
            ),  # 1 is the default: canonical form omits it
            comment=draw(comments),
        )
        for s in draw(st.lists(st.sampled_from(namespaces), max_size=2))
    ]
    return canonical(
        Schema(
            schemas=tuple(schema_defs),
            enums=tuple(enums),
            tables=tuple(tables),
            sequences=tuple(sequences),
        )
    )


@st.composite
def _table(
    draw: st.DrawFn,
    pool: _Names,
    in_schema: str,
    name: str,
    column_types: list[str],
    earlier: list[Table],
) -> Table:
    relations = in_schema  # one namespace for every relation, type and constraint name
    columns: list[Column] = []
    for _ in range(draw(st.integers(1, 5))):
        column_type = draw(st.sampled_from(column_types))
        columns.append(
            Column(
                name=pool.new(("columns", in_schema, name)),
                type=column_type,
                nullable=draw(st.booleans()),
                default=TYPES.get(column_type) if draw(st.booleans()) else None,
                comment=draw(comments),
            )
        )
    primary_key = None
    if draw(st.booleans()):
        key = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=2, unique=True))
        key_names = {c.name for c in key}
        columns = [
            c.model_copy(update={"nullable": False}) if c.name in key_names else c for c in columns
        ]
        primary_key = PrimaryKey(name=pool.new(relations), columns=tuple(c.name for c in key))
    if draw(st.booleans()):
        identity = Column(
            name=pool.new(("columns", in_schema, name)),
            type="bigint",
            nullable=False,
            identity=Identity(generation=draw(st.sampled_from(["always", "by_default"]))),
        )
        columns.append(identity)
    foreign_keys = []
    targets = [t for t in earlier if t.primary_key is not None]
    if targets and draw(st.booleans()):
        target = draw(st.sampled_from(targets))
        assert target.primary_key is not None
        types = {c.name: c.type for c in target.columns}
        fk_columns = [
            Column(name=pool.new(("columns", in_schema, name)), type=types[k])
            for k in target.primary_key.columns
        ]
        columns += fk_columns
        foreign_keys.append(
            ForeignKey(
                name=pool.new(relations),
                columns=tuple(c.name for c in fk_columns),
                references=Reference(
                    table=target.name, schema=target.schema_, columns=target.primary_key.columns
                ),
                on_delete=draw(st.sampled_from(["no action", "cascade", "set null"])),
                comment=draw(comments),
            )
        )
    column_names = [c.name for c in columns]
    unique = [
        UniqueConstraint(name=pool.new(relations), columns=(column,), comment=draw(comments))
        for column in draw(st.lists(st.sampled_from(column_names), max_size=1))
    ]
    checks = [
        CheckConstraint(
            name=pool.new(relations),
            check=f"({quote_ident(column)} IS NOT NULL)",
        )
        for column in draw(st.lists(st.sampled_from(column_names), max_size=2))
    ]
    indexes = []
    for _ in range(draw(st.integers(0, 2))):
        keys: list[IndexElement | str] = [
            IndexElement(column=c, descending=True) if draw(st.booleans()) else c
            for c in draw(
                st.lists(st.sampled_from(column_names), min_size=1, max_size=2, unique=True)
            )
        ]
        indexes.append(
            Index(
                name=pool.new(relations),
                columns=tuple(keys),
                unique=draw(st.booleans()),
                comment=draw(comments),
            )
        )
    return Table(
        name=name,
        schema=in_schema,
        columns=tuple(columns),
        primary_key=primary_key,
        unique=tuple(unique),
        checks=tuple(checks),
        foreign_keys=tuple(foreign_keys),
        indexes=tuple(indexes),
        comment=draw(comments),
    )
