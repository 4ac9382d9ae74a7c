"""The schema as DBML (dbdiagram.io's database markup language).

``Project``, one ``Enum`` per enum type, one ``Table`` per table (columns with ``pk``,
``not null``, ``unique``, ``increment``, ``default`` and ``note``; ``indexes`` with the
composite primary key, unique constraints and indexes; ``checks``; the table's note), a
``Ref`` per foreign key with its actions, and a ``TableGroup`` per schema.

DBML has no way to escape a backtick inside an expression: a default, index expression or
check that holds one is left out and told in a note instead.
"""

from __future__ import annotations

import re

from dbarch.docs.catalog import Catalog, Link, TableKey, key_of
from dbarch.docs.text import element_text, exclusion_condition, index_columns
from dbarch.docs.types import read_type, short_type
from dbarch.model.objects import DEFAULT_SCHEMA, Column, EnumType, Table

_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEYWORDS = frozenset(
    {
        "as",
        "checks",
        "default",
        "enum",
        "false",
        "increment",
        "indexes",
        "key",
        "not",
        "note",
        "null",
        "pk",
        "primary",
        "project",
        "records",
        "ref",
        "table",
        "tablegroup",
        "tablepartial",
        "true",
        "unique",
    }
)
_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def quoted(text: str) -> str:
    """``text`` double-quoted, as DBML quotes identifiers, types and enum values."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ident(name: str) -> str:
    """A DBML identifier: bare when it is a plain word, else double-quoted."""
    if _BARE.match(name) and name.lower() not in _KEYWORDS:
        return name
    return quoted(name)


def string(text: str) -> str:
    """A DBML single-quoted string."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return "'" + escaped.replace("\r", "\\r") + "'"


def expression(text: str) -> str | None:
    """A DBML backtick expression, or ``None`` when ``text`` cannot be one."""
    if "`" in text:
        return None
    return "`" + " ".join(text.split()) + "`"


def table_ref(key: TableKey) -> str:
    """``users`` for ``public.users``, ``sales.orders`` otherwise."""
    schema, name = key
    return ident(name) if schema == DEFAULT_SCHEMA else f"{ident(schema)}.{ident(name)}"


def dbml(catalog: Catalog, title: str) -> str:
    """The DBML document of ``catalog``'s schema."""
    out = [f"Project {ident(' '.join(title.split()))} {{", "  database_type: 'PostgreSQL'", "}", ""]
    enums = {(e.schema_, e.name): e for e in catalog.schema.enums}
    for enum in catalog.schema.enums:
        out += _enum(enum)
    for table in catalog.tables:
        out += _table(catalog, table, enums)
    for table in catalog.tables:
        for link in catalog.outgoing(key_of(table)):
            out.append(_ref(catalog, link))
    out.append("")
    for schema in catalog.schemas():
        members = [t for t in catalog.tables if t.schema_ == schema and t.columns]
        if members:
            out.append(f"TableGroup {ident(schema)} {{")
            out += [f"  {table_ref(key_of(t))}" for t in members]
            out += ["}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _enum(enum: EnumType) -> list[str]:
    lines = [f"// {' '.join(enum.comment.split())}"] if enum.comment else []
    lines.append(f"Enum {table_ref((enum.schema_, enum.name))} {{")
    lines += [f"  {quoted(value)}" for value in enum.values]
    return [*lines, "}", ""]


def _type(text: str, enums: dict[TableKey, EnumType]) -> str:
    """A column type: an enum by its DBML name, a word bare, anything else quoted."""
    parsed = read_type(text)
    if parsed is not None and parsed.array_dimensions == 0:
        key = (parsed.schema or DEFAULT_SCHEMA, parsed.name)
        if key in enums:
            return table_ref(key)
    short = short_type(text)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\(\d+(,\d+)?\))?(\[\])*", short):
        return short
    return quoted(short)


def _table(catalog: Catalog, table: Table, enums: dict[TableKey, EnumType]) -> list[str]:
    if not table.columns:  # DBML wants at least one column
        return [f"// Table {' '.join(table_ref(key_of(table)).split())} has no columns", ""]
    lines = [f"Table {table_ref(key_of(table))} {{"]
    pk = table.primary_key.columns if table.primary_key else ()
    single_unique = {u.columns[0] for u in table.unique if len(u.columns) == 1 and not u.include}
    for column in table.columns:
        lines.append(_column(column, enums, pk=pk, unique=column.name in single_unique))
    indexes, left_out = _indexes(table)
    if indexes:
        lines += ["", "  indexes {", *indexes, "  }"]
    checks = _checks(table)
    if checks:
        lines += ["", "  checks {", *checks, "  }"]
    note = _table_note(catalog, table, left_out)
    if note:
        lines += ["", f"  Note: {string(note)}"]
    return [*lines, "}", ""]


def _column(
    column: Column, enums: dict[TableKey, EnumType], *, pk: tuple[str, ...], unique: bool
) -> str:
    settings = []
    if pk == (column.name,):
        settings.append("pk")
    if column.identity is not None:
        settings.append("increment")
    if not column.nullable and pk != (column.name,):
        settings.append("not null")
    if unique:
        settings.append("unique")
    notes = [column.comment] if column.comment else []
    if column.default is not None:
        value = _default(column.default)
        if value is None:
            notes.append(f"default: {column.default}")
        else:
            settings.append(f"default: {value}")
    if column.generated is not None:
        notes.append(f"generated always as ({column.generated}) stored")
    if notes:
        settings.append(f"note: {string(chr(10).join(notes))}")
    text = f"  {ident(column.name)} {_type(column.type, enums)}"
    return text + (f" [{', '.join(settings)}]" if settings else "")


def _default(text: str) -> str | None:
    if _NUMBER.match(text) or text in ("true", "false"):
        return text
    return expression(text)


def _indexes(table: Table) -> tuple[list[str], list[str]]:
    """The lines of the ``indexes`` block, and notes on indexes DBML cannot hold."""
    lines: list[str] = []
    left_out: list[str] = []
    pk = table.primary_key
    if pk is not None and len(pk.columns) > 1:
        lines.append(f"    ({', '.join(ident(c) for c in pk.columns)}) [pk]")
    for unique in table.unique:
        if len(unique.columns) > 1 or unique.include:
            settings = ["unique"] + ([f"name: {string(unique.name)}"] if unique.name else [])
            keys = ", ".join(ident(c) for c in unique.columns)
            lines.append(f"    ({keys}) [{', '.join(settings)}]")
    for index in table.indexes:
        keys = []
        for element in index.columns:
            if isinstance(element, str):
                keys.append(ident(element))
                continue
            plain = element_text(element) == element.column
            text = element.expression if element.expression is not None else element_text(element)
            key = ident(element.column) if plain and element.column else expression(text)
            if key is None:
                left_out.append(f"index {index.name or ''}: {index_columns(index)}")
                break
            keys.append(key)
        else:
            settings = ["unique"] if index.unique else []
            if index.name:
                settings.append(f"name: {string(index.name)}")
            if index.using in ("btree", "hash"):
                settings.append(f"type: {index.using}")
            if index.comment or index.where or index.using not in ("btree", "hash"):
                note = [index.comment] if index.comment else []
                note += [f"using {index.using}"] if index.using not in ("btree", "hash") else []
                note += [f"where {index.where}"] if index.where else []
                settings.append(f"note: {string(chr(10).join(note))}")
            lines.append(f"    ({', '.join(keys)}) [{', '.join(settings)}]")
    return lines, left_out


def _checks(table: Table) -> list[str]:
    lines = []
    for check in table.checks:
        value = expression(check.check)
        if value is not None:
            name = f" [name: {string(check.name)}]" if check.name else ""
            lines.append(f"    {value}{name}")
    return lines


def _table_note(catalog: Catalog, table: Table, left_out: list[str]) -> str | None:
    parts = [table.comment] if table.comment else []
    parent = catalog.parent(key_of(table))
    if parent is not None:
        parts.append(f"partition of {parent[0]}.{parent[1]} {table.partition_bound or ''}".strip())
    if table.partition_by is not None:
        by = table.partition_by
        parts.append(f"partitioned by {by.strategy} ({by.key})")
    parts += [f"exclusion {e.name or ''}: {exclusion_condition(e)}" for e in table.exclusions]
    parts += [f"check {c.name or ''}: {c.check}" for c in table.checks if "`" in c.check]
    parts += left_out
    return "\n".join(parts) or None


def _ref(catalog: Catalog, link: Link) -> str:
    source = f"{table_ref(link.source)}.({', '.join(ident(c) for c in link.fk.columns)})"
    columns = ", ".join(ident(c) for c in link.fk.references.columns)
    target = f"{table_ref(link.target)}.({columns})"
    unique = catalog.has(link.source) and catalog.is_unique(
        catalog.by_key[link.source], link.fk.columns
    )
    actions = f"delete: {link.fk.on_delete}, update: {link.fk.on_update}"
    name = f" {ident(link.name)}" if link.fk.name else ""
    # one-to-one names the parent first: DBML takes the second side as the foreign key
    ends = f"{target} - {source}" if unique else f"{source} > {target}"
    text = f"Ref{name}: {ends} [{actions}]"
    if catalog.has(link.target):
        return text
    return "// " + " ".join(f"{text} leaves out: the referenced table is missing".split())
