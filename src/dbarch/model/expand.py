"""Shorthands of the model format, expanded into the long form, and generated names.

* a column's ``primary_key: true`` becomes the table's primary key (several such columns:
  a composite key in column order); ``unique: true`` a unique constraint;
  ``references: customers.id`` (``sales.customers.id``, or ``customers`` for the target's
  single-column primary key, or the long ``{table, columns, schema}`` mapping) a foreign
  key. Primary key and identity columns become ``nullable: false``, as PostgreSQL makes
  them.
* an index key that is a column with no options is written as the plain column name.
* (already when read, by the model's validators) a column's ``identity: always`` or
  ``identity: by_default`` is ``{generation: ...}``; a table's ``primary_key: [a, b]`` is
  ``{columns: [a, b]}``.
* constraints and indexes without a name get one from ``Schema.naming``: ``{table}``,
  ``{columns}`` (joined with ``_``; a check uses the columns its expression mentions, an
  expression key its function and column words) and ``{ref_table}``; unique within the
  schema (``_1``, ``_2``...) and at most 63 bytes (a short hash replaces the cut tail).

Dotted names (``references``, ``partition_of``, ``inherits``, ``owned_by``) are relative
to the schema of the object that holds them; a part with a dot or a quote is written in
double quotes (``"a.b"``).
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable, Iterator
from itertools import chain

from pglast import ast, parse_sql
from pglast.parser import ParseError

from dbarch.model.canonical import updated
from dbarch.model.objects import (
    Column,
    ExclusionConstraint,
    ForeignKey,
    Index,
    IndexElement,
    IndexKey,
    MaterializedView,
    NamingConvention,
    PrimaryKey,
    Reference,
    Schema,
    Table,
    UniqueConstraint,
)
from dbarch.spelling import did_you_mean

NAME_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1
_HASH_CHARS = 8
PLACEHOLDERS = ("table", "columns", "ref_table")


class NameProblem(ValueError):
    """A name or reference in the model that does not resolve; the message says why."""


# --------------------------------------------------------------------------- dotted names


def split_name(text: str) -> tuple[str, ...]:
    """``sales."Order Items".id`` -> ``("sales", "Order Items", "id")``."""
    parts: list[str] = []
    i = 0
    while True:
        if text.startswith('"', i):
            part, i = _quoted(text, i + 1)
        else:
            end = text.find(".", i)
            end = len(text) if end < 0 else end
            part, i = text[i:end].strip(), end
            if not part or '"' in part:
                raise NameProblem(f"'{text}' is not a valid dotted name")
        parts.append(part)
        if i == len(text):
            return tuple(parts)
        if text[i] != ".":
            raise NameProblem(f"'{text}' is not a valid dotted name")
        i += 1


def _quoted(text: str, i: int) -> tuple[str, int]:
    chars: list[str] = []
    while i < len(text):
        if text[i] == '"':
            if not text.startswith('""', i):
                if not chars:
                    break
                return "".join(chars), i + 1
            i += 1
        chars.append(text[i])
        i += 1
    raise NameProblem(f"'{text}' is not a valid dotted name")


def relation(text: str, default_schema: str) -> tuple[str, str]:
    """``(schema, name)`` of ``table`` or ``schema.table``."""
    parts = split_name(text)
    if len(parts) > 2:
        raise NameProblem(f"'{text}' has too many dotted parts; write table or schema.table")
    return (default_schema, parts[0]) if len(parts) == 1 else (parts[0], parts[1])


def column_path(text: str, default_schema: str) -> tuple[str, str, str]:
    """``(schema, table, column)`` of ``table.column`` or ``schema.table.column``."""
    parts = split_name(text)
    if len(parts) == 2:
        return (default_schema, *parts)
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise NameProblem(f"'{text}' should be table.column or schema.table.column")


class Tables:
    """The tables of a schema by schema and name (the first one where a name repeats)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.by_name: dict[tuple[str, str], Table] = {}
        for table in schema.tables:
            self.by_name.setdefault((table.schema_, table.name), table)

    def get(self, name: str, in_schema: str) -> Table | None:
        """The table ``in_schema.name``, or ``None``."""
        return self.by_name.get((in_schema, name))

    def find(self, name: str, in_schema: str) -> Table:
        """The table ``in_schema.name``; a missing one raises :class:`NameProblem`."""
        table = self.by_name.get((in_schema, name))
        if table is not None:
            return table
        names = [t.name for t in self.schema.tables if t.schema_ == in_schema]
        raise NameProblem(
            f"table '{name}' does not exist in schema '{in_schema}'" + did_you_mean(name, names)
        )


def find_column(table: Table, name: str) -> Column:
    """The column ``name`` of ``table``; a missing one raises :class:`NameProblem`."""
    for column in table.columns:
        if column.name == name:
            return column
    names = [c.name for c in table.columns]
    raise NameProblem(f"table '{table.name}' has no column '{name}'" + did_you_mean(name, names))


# --------------------------------------------------------------------------- shorthands


def primary_key_columns(table: Table) -> tuple[str, ...]:
    """The primary key columns of ``table``, written long or as column shorthands."""
    if table.primary_key is not None:
        return table.primary_key.columns
    return tuple(c.name for c in table.columns if c.primary_key)


def resolve_reference(tables: Tables, table: Table, target: str | Reference) -> Reference:
    """The foreign key target of a column's ``references`` shorthand."""
    if isinstance(target, Reference):
        return target
    parts = split_name(target)
    if len(parts) > 3:
        raise NameProblem(f"'{target}' should be table, table.column or schema.table.column")
    if len(parts) == 1:
        referenced = tables.find(parts[0], table.schema_)
        key = primary_key_columns(referenced)
        if len(key) != 1:
            what = "no primary key" if not key else "a composite primary key"
            raise NameProblem(
                f"table '{referenced.name}' has {what}; name the referenced column "
                f"(e.g. '{referenced.name}.id') or use foreign_keys"
            )
        columns = key
    else:
        in_schema, name, column = column_path(target, table.schema_)
        referenced = tables.find(name, in_schema)
        columns = (find_column(referenced, column).name,)
    return Reference(table=referenced.name, schema=referenced.schema_, columns=columns)


def _plain_key(key: IndexKey) -> IndexKey:
    if isinstance(key, IndexElement) and key.column and key == IndexElement(column=key.column):
        return key.column
    return key


def _expand_table(tables: Tables, table: Table) -> Table:
    key = primary_key_columns(table)
    primary_key = table.primary_key or (PrimaryKey(columns=key) if key else None)
    unique = tuple(UniqueConstraint(columns=(c.name,)) for c in table.columns if c.unique)
    foreign_keys = tuple(
        ForeignKey(columns=(c.name,), references=resolve_reference(tables, table, c.references))
        for c in table.columns
        if c.references is not None
    )
    columns = tuple(
        updated(
            c,
            {
                "primary_key": False,
                "unique": False,
                "references": None,
                "nullable": c.nullable and c.name not in key and c.identity is None,
            },
        )
        for c in table.columns
    )
    indexes = tuple(
        updated(i, {"columns": tuple(_plain_key(k) for k in i.columns)}) for i in table.indexes
    )
    return updated(
        table,
        {
            "columns": columns,
            "primary_key": primary_key,
            "unique": table.unique + unique,
            "foreign_keys": table.foreign_keys + foreign_keys,
            "indexes": indexes,
        },
    )


# --------------------------------------------------------------------------- naming


def naming_problem(template: str) -> str | None:
    """Why ``template`` is not a usable naming template, or ``None``."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        return f"invalid naming template '{template}': {exc}"
    unknown = [f for f in fields if f not in PLACEHOLDERS]
    if unknown:
        allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        return f"unknown placeholder {{{unknown[0]}}} in '{template}'; use {allowed}"
    return None


def fit_name(name: str) -> str:
    """``name`` cut to 63 bytes of UTF-8, a hash of the whole replacing the cut tail."""
    data = name.encode()
    if len(data) <= NAME_BYTES:
        return name
    digest = hashlib.sha256(data).hexdigest()[:_HASH_CHARS]
    head = data[: NAME_BYTES - _HASH_CHARS - 1].decode(errors="ignore")
    return f"{head}_{digest}"


def unique_name(base: str, taken: set[str]) -> str:
    """``base`` (fitted), or ``base_1``, ``base_2``...: the first not in ``taken``; taken."""
    n = 0
    while True:
        candidate = fit_name(base if n == 0 else f"{base}_{n}")
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        n += 1


def expression_words(expression: str, *, functions: bool) -> list[str]:
    """Column names (and function names with ``functions``) an SQL expression mentions,
    in order of appearance; none when it does not parse."""
    try:
        statements = parse_sql("SELECT " + expression)  # parsed only, never executed
    except ParseError:
        return []
    found: list[tuple[int, str]] = []
    for node in _walk(statements):
        if isinstance(node, ast.ColumnRef):
            last = node.fields[-1]
            if isinstance(last, ast.String):
                found.append((node.location, last.sval))
        elif functions and isinstance(node, ast.FuncCall):
            found.append((node.location, node.funcname[-1].sval))
    return list(dict.fromkeys(word for _, word in sorted(found, key=lambda f: f[0])))


def _walk(value: object) -> Iterator[ast.Node]:
    if isinstance(value, ast.Node):
        yield value
        for slot in value.__slots__:
            yield from _walk(getattr(value, slot))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _walk(item)


def _element_words(column: str | None, expression: str | None) -> list[str]:
    if column is not None:
        return [column]
    return expression_words(expression or "", functions=True)


def index_words(index: Index) -> list[str]:
    """The words an index's generated name is made of: its columns and expression words."""
    words: list[str] = []
    for key in index.columns:
        if isinstance(key, IndexElement):
            words += _element_words(key.column, key.expression)
        else:
            words.append(key)
    return words


def exclusion_words(exclusion: ExclusionConstraint) -> list[str]:
    """The words an exclusion constraint's generated name is made of."""
    return [w for e in exclusion.elements for w in _element_words(e.column, e.expression)]


class _Namer:
    """Fills in missing names, one set of taken names per schema."""

    def __init__(self, schema: Schema) -> None:
        self.naming: NamingConvention = schema.naming
        self.taken: dict[str, set[str]] = {}
        relations = chain(
            schema.tables,
            schema.views,
            schema.materialized_views,
            schema.sequences,
            schema.composite_types,
        )
        for r in relations:
            self._taken(r.schema_).add(r.name)
        for t in schema.tables:
            named = chain(
                (t.primary_key,) if t.primary_key else (),
                t.unique,
                t.checks,
                t.foreign_keys,
                t.exclusions,
                t.indexes,
            )
            self._taken(t.schema_).update(c.name for c in named if c.name is not None)
        for m in schema.materialized_views:
            self._taken(m.schema_).update(i.name for i in m.indexes if i.name is not None)

    def _taken(self, schema: str) -> set[str]:
        return self.taken.setdefault(schema, set())

    def _name(
        self, template: str, owner: Table | MaterializedView, words: Iterable[str], ref: str = ""
    ) -> str:
        columns = "_".join(words)
        base = template.format(table=owner.name, columns=columns, ref_table=ref).strip("_")
        return unique_name(base, self._taken(owner.schema_))

    def table(self, t: Table) -> Table:
        """``t`` with its constraints and indexes named."""
        n = self.naming
        pk = t.primary_key
        if pk is not None and pk.name is None:
            pk = pk.model_copy(update={"name": self._name(n.primary_key, t, pk.columns)})
        unique = tuple(
            u if u.name else u.model_copy(update={"name": self._name(n.unique, t, u.columns)})
            for u in t.unique
        )
        checks = tuple(
            c
            if c.name
            else c.model_copy(
                update={"name": self._name(n.check, t, expression_words(c.check, functions=False))}
            )
            for c in t.checks
        )
        foreign_keys = tuple(
            f
            if f.name
            else f.model_copy(
                update={"name": self._name(n.foreign_key, t, f.columns, f.references.table)}
            )
            for f in t.foreign_keys
        )
        exclusions = tuple(
            e
            if e.name
            else e.model_copy(update={"name": self._name(n.exclusion, t, exclusion_words(e))})
            for e in t.exclusions
        )
        return updated(
            t,
            {
                "primary_key": pk,
                "unique": unique,
                "checks": checks,
                "foreign_keys": foreign_keys,
                "exclusions": exclusions,
                "indexes": self._indexes(t, t.indexes),
            },
        )

    def matview(self, m: MaterializedView) -> MaterializedView:
        """``m`` with its indexes named."""
        return updated(m, {"indexes": self._indexes(m, m.indexes)})

    def _indexes(
        self, owner: Table | MaterializedView, indexes: tuple[Index, ...]
    ) -> tuple[Index, ...]:
        return tuple(
            i
            if i.name
            else i.model_copy(update={"name": self._name(self.naming.index, owner, index_words(i))})
            for i in indexes
        )


def expand(schema: Schema) -> Schema:
    """``schema`` with every shorthand in long form and every constraint and index named.

    The schema must be free of the problems the loader reports (missing tables...).
    """
    tables = Tables(schema)
    expanded = schema.model_copy(
        update={"tables": tuple(_expand_table(tables, t) for t in schema.tables)}
    )
    namer = _Namer(expanded)
    return expanded.model_copy(
        update={
            "tables": tuple(namer.table(t) for t in expanded.tables),
            "materialized_views": tuple(namer.matview(m) for m in expanded.materialized_views),
        }
    )
