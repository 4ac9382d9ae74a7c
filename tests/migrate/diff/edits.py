"""Hypothesis strategies for random edits of a Schema: (edited Schema, renames declared).

Edits are ones a real schema evolves by: add, drop, rename (declared) and comment
columns and tables, flip NOT NULL, add and drop indexes and checks, add enum labels.
Renames come back as a function that declares them on the introspected new Schema (a
database never reports ``renamed_from``).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

from dbarch.model.objects import CheckConstraint, Column, Index, Schema, Table
from dbarch.pg.quote import quote_ident
from tests.migrate.diff.declare import Declare, renamed_column, renamed_table
from tests.model.strategies import TYPES, comments, names

Edit = tuple[Schema, Declare | None]


def _taken(schema: Schema) -> set[str]:
    found: set[str] = set()
    for t in schema.tables:
        found |= {t.name, *(c.name for c in t.columns), *(i.name or "" for i in t.indexes)}
        found |= {c.name or "" for c in (*t.checks, *t.unique, *t.foreign_keys)}
        if t.primary_key is not None:
            found.add(t.primary_key.name or "")
    found |= {e.name for e in schema.enums} | {s.name for s in schema.sequences}
    return found


def _fresh(draw: st.DrawFn, schema: Schema) -> str:
    taken = _taken(schema)
    return draw(names.filter(lambda n: n not in taken and not n.endswith("_seq")))


def _used(table: Table) -> set[str]:
    """Columns a key, check, index or identity of ``table`` needs."""
    used = set(table.primary_key.columns) if table.primary_key else set()
    for key in (*table.unique, *table.foreign_keys):
        used |= set(key.columns)
    for index in table.indexes:
        used |= {k if isinstance(k, str) else k.column or "" for k in index.columns}
    for check in table.checks:
        used |= {c.name for c in table.columns if quote_ident(c.name) in check.check}
    return used | {c.name for c in table.columns if c.identity is not None}


def _referenced(schema: Schema, table: Table) -> bool:
    return any(
        (fk.references.schema_, fk.references.table) == (table.schema_, table.name)
        for other in schema.tables
        for fk in other.foreign_keys
    )


def _replace(schema: Schema, old: Table, new: Table | None) -> Schema:
    tables = tuple(t for t in (new if t is old else t for t in schema.tables) if t is not None)
    return schema.model_copy(update={"tables": tables})


@st.composite
def add_column(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    type_ = draw(st.sampled_from(sorted(TYPES)))
    default = TYPES[type_] if draw(st.booleans()) else None
    column = Column(
        name=_fresh(draw, schema),
        type=type_,
        default=default,
        nullable=default is None or draw(st.booleans()),
        comment=draw(comments),
    )
    return _replace(
        schema, table, table.model_copy(update={"columns": (*table.columns, column)})
    ), None


def drop_column(schema: Schema, table: Table) -> st.SearchStrategy[Edit]:
    """Drop the last column (PostgreSQL adds a column back at the end: the reverse must
    find the columns in their order)."""
    last = table.columns[-1]
    if len(table.columns) < 2 or last.name in _used(table):
        return st.just((schema, None))
    columns = table.columns[:-1]
    return st.just((_replace(schema, table, table.model_copy(update={"columns": columns})), None))


@st.composite
def rename_column(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    free = [c for c in table.columns if c.name not in _used(table) and c.identity is None]
    if not free:
        return schema, None
    column = draw(st.sampled_from(free))
    name = _fresh(draw, schema)
    columns = tuple(
        c.model_copy(update={"name": name}) if c is column else c for c in table.columns
    )
    edited = _replace(schema, table, table.model_copy(update={"columns": columns}))
    return edited, renamed_column(table.name, name, column.name)


@st.composite
def rename_table(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    if _referenced(schema, table) or any(c.identity for c in table.columns):
        return schema, None
    name = _fresh(draw, schema)
    return _replace(schema, table, table.model_copy(update={"name": name})), renamed_table(
        name, table.name
    )


@st.composite
def flip_nullable(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    key = set(table.primary_key.columns) if table.primary_key else set()
    free = [c for c in table.columns if c.name not in key and c.identity is None]
    if not free:
        return schema, None
    column = draw(st.sampled_from(free))
    flipped = column.model_copy(update={"nullable": not column.nullable})
    columns = tuple(flipped if c is column else c for c in table.columns)
    return _replace(schema, table, table.model_copy(update={"columns": columns})), None


@st.composite
def comment(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    text = draw(comments)
    return _replace(schema, table, table.model_copy(update={"comment": text})), None


@st.composite
def add_index(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    column = draw(st.sampled_from(table.columns))
    index = Index(name=_fresh(draw, schema), columns=(column.name,), unique=False)
    indexes = (*table.indexes, index)
    return _replace(schema, table, table.model_copy(update={"indexes": indexes})), None


@st.composite
def drop_pieces(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    keep = draw(st.booleans())
    update = {"indexes": table.indexes[:1] if keep else (), "checks": ()}
    return _replace(schema, table, table.model_copy(update=update)), None


@st.composite
def add_check(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    column = draw(st.sampled_from(table.columns))
    check = CheckConstraint(
        name=_fresh(draw, schema), check=f"({quote_ident(column.name)} IS NOT NULL)"
    )
    required = column.model_copy(update={"nullable": False})
    columns = tuple(required if c is column else c for c in table.columns)
    update = {"checks": (*table.checks, check), "columns": columns}
    return _replace(schema, table, table.model_copy(update=update)), None


def drop_table(schema: Schema, table: Table) -> st.SearchStrategy[Edit]:
    if _referenced(schema, table):
        return st.just((schema, None))
    return st.just((_replace(schema, table, None), None))


@st.composite
def add_table(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    column = Column(name=_fresh(draw, schema), type=draw(st.sampled_from(sorted(TYPES))))
    new = Table(name=_fresh(draw, schema), schema=table.schema_, columns=(column,))
    return schema.model_copy(update={"tables": (*schema.tables, new)}), None


@st.composite
def add_label(draw: st.DrawFn, schema: Schema, table: Table) -> Edit:
    if not schema.enums:
        return schema, None
    enum = draw(st.sampled_from(schema.enums))
    label = draw(names.filter(lambda n: n not in enum.values))
    position = draw(st.integers(0, len(enum.values)))
    values = (*enum.values[:position], label, *enum.values[position:])
    enums = tuple(e.model_copy(update={"values": values}) if e is enum else e for e in schema.enums)
    return schema.model_copy(update={"enums": enums}), None


RENAMES: tuple[Callable[[Schema, Table], st.SearchStrategy[Edit]], ...] = (
    rename_column,
    rename_table,
)
EDITS: tuple[Callable[[Schema, Table], st.SearchStrategy[Edit]], ...] = (
    add_column,
    drop_column,
    flip_nullable,
    comment,
    add_index,
    drop_pieces,
    add_check,
    drop_table,
    add_table,
    add_label,
)


@st.composite
def edited(draw: st.DrawFn, schema: Schema, count: int = 3, *, labels: bool = True) -> Edit:
    """``schema`` after a rename (maybe) and up to ``count`` other random edits, and the
    renames they declare (one at most, so that no rename is renamed again). Without
    ``labels``, no enum labels are added (undone online, that moves the enum's columns
    to the end of their tables)."""
    declare: Declare | None = None
    if schema.tables and draw(st.booleans()):
        rename = draw(st.sampled_from(RENAMES))
        schema, declare = draw(rename(schema, draw(st.sampled_from(schema.tables))))
    kinds = [e for e in EDITS if labels or e is not add_label]
    for _ in range(draw(st.integers(1, count))):
        if not schema.tables:
            break
        edit = draw(st.sampled_from(kinds))
        schema, _ = draw(edit(schema, draw(st.sampled_from(schema.tables))))
    return schema, declare
