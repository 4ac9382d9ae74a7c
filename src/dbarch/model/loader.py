"""Load a model file (YAML or JSON) into a :class:`Schema`, or report every mistake in it.

Mistakes come in two rounds: first the file's shape (syntax, duplicate or unknown keys,
values of the wrong kind), then, once it has the shape of a Schema, its meaning (unknown
data types, references to missing tables or columns, clashing names...). Each mistake is
reported with the file, line and column of the node it is about.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ValidationError

from dbarch.errors import Location, ModelError, SourceError
from dbarch.gcpause import cycle_collector_paused
from dbarch.model import locate
from dbarch.model.canonical import canonical
from dbarch.model.datatypes import TypeScope, sequence_type_problem, type_problem
from dbarch.model.expand import (
    NameProblem,
    Tables,
    column_path,
    expand,
    naming_problem,
    primary_key_columns,
    relation,
    resolve_reference,
)
from dbarch.model.locate import Document, Position
from dbarch.model.objects import (
    DEFAULT_SCHEMA,
    Column,
    ExclusionElement,
    ForeignKey,
    IndexElement,
    NamingConvention,
    Schema,
    Table,
    Trigger,
)
from dbarch.spelling import did_you_mean

Format = Literal["yaml", "json"]
FORMATS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
SCHEMA_KEY = "$schema"  # a JSON Schema reference for editors; ignored

Problem = tuple[Position | None, str]


def load_model(path: Path) -> Schema:
    """The expanded, canonical Schema of the model file ``path`` (.yaml, .yml or .json)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        message = f"unknown model file type '{path.suffix}'; use .yaml, .yml or .json"
        raise ModelError([(Location(str(path)), message)])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ModelError([(Location(str(path), line, column), "not UTF-8 text")]) from None
    return load_model_text(text, str(path), fmt)


def load_model_text(text: str, filename: str, fmt: Format) -> Schema:
    """The expanded, canonical Schema of model ``text``; ``filename`` names it in errors."""
    with cycle_collector_paused():
        return _load(text, filename, fmt)


def _load(text: str, filename: str, fmt: Format) -> Schema:
    doc = locate.parse(text, filename, fmt)
    problems: list[Problem] = list(doc.problems)
    data = {} if doc.data is None else doc.data
    if not isinstance(data, dict):
        problem = f"a model is a mapping of keys such as 'tables', got {_kind(data)}"
        raise ModelError([(_location(filename, doc.position(())), problem)])
    data = {k: v for k, v in data.items() if k != SCHEMA_KEY}
    _coerce(data, doc)
    schema: Schema | None = None
    try:
        schema = Schema.model_validate(data)
    except ValidationError as exc:
        problems += _shape_problems(exc, doc, data)
    if schema is not None:
        checker = _Checker(schema, doc)
        checker.check()
        problems += checker.problems
    if problems or schema is None:
        ordered = sorted(set(problems), key=lambda p: (p[0] or Position(0, 0), p[1]))
        raise ModelError([(_location(filename, pos), message) for pos, message in ordered])
    return canonical(expand(schema))


def _location(filename: str, position: Position | None) -> Location:
    if position is None:
        return Location(filename)
    return Location(filename, position.line, position.column)


# --------------------------------------------------------------------------- types


@functools.lru_cache(maxsize=1024)
def _members(annotation: Any) -> tuple[Any, ...]:
    """The alternatives of a union (``None`` left out); a plain type is its own."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return (annotation,)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@functools.lru_cache(maxsize=1024)
def _field(model: type[BaseModel], key: str) -> Any:
    """The annotation of the field that ``key`` (name or alias) fills, or ``None``."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    """The keys a model file uses for ``model``'s fields."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _coerce(data: dict[str, object], doc: Document) -> None:
    """Give back, in ``data``, the source text of the plain scalars that YAML/JSON typed as
    numbers, booleans or dates wherever the model wants a string."""
    for path, text in doc.texts.items():
        holder = _string_holder(data, path)
        if holder is not None:
            holder[path[-1]] = text


def _string_holder(data: dict[str, object], path: locate.Path) -> Any:
    """The mapping or list holding the value at ``path`` when the model wants a string
    there, else ``None``."""
    if not _wants_text(tuple(_ANY_INDEX if isinstance(item, int) else item for item in path)):
        return None
    holder: Any = None
    value: Any = data
    for item in path:
        if isinstance(item, int):
            if not (isinstance(value, list) and item < len(value)):
                return None
        elif not (isinstance(value, dict) and item in value):
            return None
        holder, value = value, value[item]
    return holder


_ANY_INDEX = -1  # a list position in a path pattern (mapping keys are always strings)


@functools.lru_cache(maxsize=4096)
def _wants_text(pattern: locate.Path) -> bool:
    """Whether the model wants a string at paths like ``pattern`` (list positions as
    :data:`_ANY_INDEX`)."""
    shape = _shape(Schema)
    for item in pattern:
        if isinstance(item, str):
            if shape.model is not None:
                annotation = _field(shape.model, item)
            elif shape.values is not None:
                annotation = shape.values
            else:
                return False
        elif shape.items is not None:
            annotation = shape.items
        else:
            return False
        shape = _shape(annotation)
    return shape.text


class _Shape(NamedTuple):
    """What a value of an annotation can be in a model file."""

    model: type[BaseModel] | None  # a mapping read as this model
    values: Any  # the type of a mapping's values (no model), or None
    items: Any  # the type of a list's items, or None
    text: bool  # a string


@functools.lru_cache(maxsize=1024)
def _shape(annotation: Any) -> _Shape:
    members = _members(annotation)
    model = next((m for m in members if _is_model(m)), None)
    mapping = next((m for m in members if typing.get_origin(m) is dict), None)
    sequence = next((m for m in members if typing.get_origin(m) is tuple), None)
    return _Shape(
        model=model,
        values=None if mapping is None else typing.get_args(mapping)[1],
        items=None if sequence is None else typing.get_args(sequence)[0],
        text=str in members,
    )


# --------------------------------------------------------------------------- shape


_NOUNS = {"Schema": "the model", "SchemaDef": "schema", "EnumType": "enum"}
_LIST_NOUNS = {
    "unique": "unique constraints",
    "include": "column names",
    "update_of": "column names",
    "inherits": "table names",
    "member_of": "role names",
}
_SCALARS = {
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
}
_LISTS = {"tuple_type", "list_type", "iterable_type"}
_MAPPINGS = {"model_type", "model_attributes_type", "dict_type", "mapping_type"}


def _noun(model: type[BaseModel]) -> str:
    name = model.__name__
    return _NOUNS.get(name) or re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _kind(value: object, *, show: bool = False) -> str:
    """How a person would call ``value``: ``a list``, ``a string`` (or ``'abc'``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower() if show else "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"'{value}'" if show else "a string"
    if isinstance(value, int | float):
        return str(value) if show else "a number"
    return f"a {type(value).__name__}"


def lookup(data: object, path: locate.Path) -> object:
    """The value at ``path`` in parsed model data, or ``None`` when there is none."""
    for item in path:
        if isinstance(data, dict) and isinstance(item, str):
            data = data.get(item)
        elif isinstance(data, list) and isinstance(item, int) and item < len(data):
            data = data[item]
        else:
            return None
    return data


class _Loc:
    """A pydantic error location read against the model's types."""

    def __init__(self, loc: tuple[int | str, ...]) -> None:
        self.path: locate.Path = ()
        self.owner: type[BaseModel] = Schema  # the model of the innermost mapping
        self.owner_path: locate.Path = ()
        self.union_path: locate.Path | None = None
        self.union: tuple[Any, ...] = ()
        self.branch: Any = None
        annotation: Any = Schema
        items = list(loc)
        while items:
            members = _members(annotation)
            if len(members) > 1:
                self.union_path, self.union = self.path, members
                annotation = self.branch = _branch(members, str(items.pop(0)))
                continue
            annotation = members[0]
            item = items.pop(0)
            origin = typing.get_origin(annotation)
            if _is_model(annotation):
                self.owner, self.owner_path = annotation, self.path
                annotation = _field(annotation, str(item))
            elif origin is tuple:
                annotation = typing.get_args(annotation)[0]
            elif origin is dict:
                annotation = typing.get_args(annotation)[1]
            else:
                annotation = None
            self.path = (*self.path, item)
        self.annotation = annotation


def _branch(members: tuple[Any, ...], tag: str) -> Any:
    """The union member pydantic's location tag names (``IndexElement``, ``str``...)."""
    for member in members:
        name = getattr(member, "__name__", "")
        literal = typing.get_origin(member) is Literal and tag.startswith("literal[")
        if tag == name or literal:
            return member
    return None


def _describe_member(member: Any) -> str:
    if _is_model(member):
        return "a mapping"
    if member is bool:
        return "true or false"
    return "a string"


def _shape_problems(exc: ValidationError, doc: Document, data: object) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors():
        loc = _Loc(error["loc"])
        if loc.union_path is not None:
            value = lookup(data, loc.union_path)
            if not isinstance(value, dict):
                expected = " or ".join(dict.fromkeys(_describe_member(m) for m in loc.union))
                message = f"expected {expected}, got {_kind(value)}"
                problems.append((doc.position(loc.union_path), message))
                continue
            if not _is_model(loc.branch):
                continue
        problems.append(_shape_problem(error, loc, doc, data))
    return problems


def _shape_problem(error: Any, loc: _Loc, doc: Document, data: object) -> Problem:
    kind = error["type"]
    where = _where(loc, data)
    if kind == "missing":
        return doc.position(loc.owner_path), f"missing required key '{loc.path[-1]}'{where}"
    if kind == "extra_forbidden":
        key = str(loc.path[-1])
        message = f"unknown key '{key}'{where}" + did_you_mean(key, _keys(loc.owner))
        return doc.position(loc.path, key=True), message
    value = error["input"]
    if kind in _SCALARS:
        message = f"expected {_SCALARS[kind]}, got {_kind(value, show=True)}"
    elif kind in ("literal_error", "enum"):
        message = f"expected one of {error['ctx']['expected']}, got {_kind(value, show=True)}"
        if isinstance(value, str):
            message += did_you_mean(value, _choices(loc.annotation))
    elif kind in _LISTS:
        message = f"expected a list of {_list_noun(loc.path)}, got {_kind(value)}"
    elif kind in _MAPPINGS:
        if _is_model(loc.annotation) and isinstance(loc.path[-1], int):
            expected = f"a {_noun(loc.annotation)} (a mapping)"
        else:
            expected = "a mapping"
        message = f"expected {expected}, got {_kind(value)}"
    elif kind == "value_error":  # a validator's own words
        message = str(error["ctx"]["error"])
    else:
        message = error["msg"]
    return doc.position(loc.path), message


def _where(loc: _Loc, data: object) -> str:
    if loc.owner is Schema:
        return " at the top level"
    name = lookup(data, (*loc.owner_path, "name"))
    noun = _noun(loc.owner)
    if isinstance(name, str):
        return f" in {noun} '{name}'"
    return f" in {'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _list_noun(path: locate.Path) -> str:
    key = next((str(p) for p in reversed(path) if isinstance(p, str)), "items")
    return _LIST_NOUNS.get(key, key.replace("_", " "))


def _choices(annotation: Any) -> list[str]:
    for member in _members(annotation):
        if typing.get_origin(member) is Literal:
            return [str(a) for a in typing.get_args(member)]
        if isinstance(member, type) and issubclass(member, Enum):
            return [str(m.value) for m in member]
    return []


# --------------------------------------------------------------------------- meaning

_RELATIONS = ("tables", "views", "materialized_views", "sequences", "composite_types")
_TYPES = ("enums", "domains", "composite_types", "tables", "views", "materialized_views")
_IN_SCHEMAS = (*_TYPES, "sequences", "functions", "aggregates", "extensions")
_INDEX_BACKED = ("unique", "exclusions", "indexes")
_CONSTRAINTS = ("unique", "checks", "foreign_keys", "exclusions")

Entry = tuple[locate.Path, object, str]  # where, what must be unique, message on a repeat


_NOWHERE = Position(2**31, 0)  # after every position


def _taken(name: str, schema: str) -> str:
    return f"the name '{name}' is already taken in schema '{schema}'"


class _Checker:
    """Finds, by path, what PostgreSQL would reject in a Schema of the right shape."""

    def __init__(self, schema: Schema, doc: Document) -> None:
        self.schema = schema
        self.doc = doc
        self.problems: list[Problem] = []
        self.scope = TypeScope.of(schema)
        self.tables = Tables(schema)
        self.columns_of: dict[int, list[str]] = {}  # _columns by table id, once asked for
        self.type_problems: dict[tuple[str, bool], str | None] = {}  # by type text, serial

    def add(self, path: locate.Path, message: str) -> None:
        self.problems.append((self.doc.position(path), message))

    def check(self) -> None:
        """Run every check."""
        s = self.schema
        for field in NamingConvention.model_fields:
            problem = naming_problem(getattr(s.naming, field))
            if problem:
                self.add(("naming", field), problem)
        self._names()
        self._schemas()
        self._types()
        for i, table in enumerate(s.tables):
            self._table(("tables", i), table)
        for i, sequence in enumerate(s.sequences):
            if sequence.owned_by is not None:
                self._owned_by(("sequences", i, "owned_by"), sequence.owned_by, sequence.schema_)
        for i, view in enumerate(s.views):
            self._triggers(("views", i), view.name, view.triggers, None)

    # ---------------------------------------------------------------- names

    def _unique(self, entries: Iterable[Entry]) -> None:
        """Report every entry whose key repeats one earlier in the file."""
        first: dict[object, Entry] = {}
        repeats: dict[object, list[Entry]] = {}
        for entry in entries:
            key = entry[1]
            if key in first:
                repeats.setdefault(key, [first[key]]).append(entry)
            else:
                first[key] = entry
        for repeated in repeats.values():
            first, *later = sorted(repeated, key=lambda e: self.doc.position(e[0]) or _NOWHERE)
            where = self.doc.position(first[0])
            for path, _, message in later:
                self.add(path, message + (f" (first at {where})" if where else ""))

    def _named(self, path: locate.Path, items: Sequence[Any], owner: str) -> None:
        """Report names that repeat among ``items``: ``<owner> named 'x'``."""
        names = [item.name for item in items if item.name is not None]
        if len(set(names)) == len(names):
            return
        self._unique(
            ((*path, j, "name"), item.name, f"{owner} named '{item.name}'")
            for j, item in enumerate(items)
            if item.name is not None
        )

    def _names(self) -> None:
        s = self.schema
        for field in ("roles", "schemas", "extensions"):
            self._unique(
                ((field, i, "name"), o.name, f"'{o.name}' is listed twice in {field}")
                for i, o in enumerate(getattr(s, field))
            )
        self._unique(self._relations())
        self._unique(
            ((field, i, "name"), (o.schema_, o.name), _taken(o.name, o.schema_))
            for field in _TYPES
            for i, o in enumerate(getattr(s, field))
        )
        for field in ("functions", "aggregates"):
            self._unique(
                (
                    (field, i, "name"),
                    (f.schema_, f.name, f.arguments),
                    f"'{f.name}({f.arguments})' is defined twice in schema '{f.schema_}'",
                )
                for i, f in enumerate(getattr(s, field))
            )
        for i, e in enumerate(s.enums):
            self._unique(
                (("enums", i, "values", j), v, f"enum '{e.name}' lists '{v}' twice")
                for j, v in enumerate(e.values)
            )
        for i, c in enumerate(s.composite_types):
            self._named(
                ("composite_types", i, "attributes"),
                c.attributes,
                f"type '{c.name}' has two attributes",
            )
        for i, d in enumerate(s.domains):
            self._named(("domains", i, "checks"), d.checks, f"domain '{d.name}' has two checks")

    def _relations(self) -> Iterator[Entry]:
        """Names in the per-schema namespace of tables, views, sequences and indexes."""
        s = self.schema
        for field in _RELATIONS:
            for i, o in enumerate(getattr(s, field)):
                yield (field, i, "name"), (o.schema_, o.name), _taken(o.name, o.schema_)
        for i, t in enumerate(s.tables):
            named: list[tuple[locate.Path, Any]] = [(("primary_key",), t.primary_key)]
            named += [((f, j), item) for f in _INDEX_BACKED for j, item in enumerate(getattr(t, f))]
            for where, item in named:
                if item is not None and item.name is not None:
                    key = (t.schema_, item.name)
                    yield ("tables", i, *where, "name"), key, _taken(item.name, t.schema_)
        for i, m in enumerate(s.materialized_views):
            for j, index in enumerate(m.indexes):
                if index.name is not None:
                    path = ("materialized_views", i, "indexes", j, "name")
                    yield path, (m.schema_, index.name), _taken(index.name, m.schema_)

    def _schemas(self) -> None:
        declared = {DEFAULT_SCHEMA, *(d.name for d in self.schema.schemas)}
        for field in _IN_SCHEMAS:
            for i, o in enumerate(getattr(self.schema, field)):
                if o.schema_ is not None and o.schema_ not in declared:
                    message = f"schema '{o.schema_}' is not declared; add it to schemas"
                    self.add((field, i, "schema"), message + did_you_mean(o.schema_, declared))

    # ---------------------------------------------------------------- types

    def _types(self) -> None:
        s = self.schema
        for i, t in enumerate(s.tables):
            for j, c in enumerate(t.columns):
                path = ("tables", i, "columns", j)
                self._report((*path, "type"), self._type_problem(c.type, serial=True))
                if c.identity is not None and c.identity.type is not None:
                    problem = sequence_type_problem(c.identity.type)
                    self._report((*path, "identity", "type"), problem)
        for i, d in enumerate(s.domains):
            self._report(("domains", i, "type"), self._type_problem(d.type))
        for i, c in enumerate(s.composite_types):
            for j, a in enumerate(c.attributes):
                path = ("composite_types", i, "attributes", j, "type")
                self._report(path, self._type_problem(a.type))
        for i, q in enumerate(s.sequences):
            if q.type is not None:
                self._report(("sequences", i, "type"), sequence_type_problem(q.type))

    def _type_problem(self, text: str, *, serial: bool = False) -> str | None:
        """:func:`type_problem` of ``text`` in this schema, worked out once per text."""
        key = (text, serial)
        if key not in self.type_problems:
            self.type_problems[key] = type_problem(text, self.scope, serial=serial)
        return self.type_problems[key]

    def _report(self, path: locate.Path, problem: str | None) -> None:
        if problem is not None:
            self.add(path, problem)

    # ---------------------------------------------------------------- tables

    def _columns(self, table: Table, seen: frozenset[int] = frozenset()) -> list[str]:
        """The column names of ``table``, those of its parents included."""
        names = [c.name for c in table.columns]
        parents = (table.partition_of,) if table.partition_of else ()
        for text in (*parents, *table.inherits):
            try:
                schema, name = relation(text, table.schema_)
            except NameProblem:
                continue
            parent = self.tables.get(name, schema)
            if parent is not None and id(parent) not in seen:
                names += self._columns(parent, seen | {id(table)})
        return names

    def _column_names(self, path: locate.Path, names: Sequence[str], table: Table) -> None:
        """Report the names (items of the list at ``path``) that are not columns of ``table``."""
        for k, name in enumerate(names):
            self._column((*path, k), name, table)

    def _column(self, path: locate.Path, name: str, table: Table) -> bool:
        columns = self.columns_of.get(id(table))
        if columns is None:
            columns = self.columns_of[id(table)] = self._columns(table)
        if name in columns:
            return True
        message = f"table '{table.name}' has no column '{name}'"
        self.add(path, message + did_you_mean(name, columns))
        return False

    def _table(self, path: locate.Path, t: Table) -> None:
        self._named((*path, "columns"), t.columns, f"table '{t.name}' has two columns")
        named = [((*path, "primary_key"), t.primary_key)] if t.primary_key else []
        named += [((*path, f, j), c) for f in _CONSTRAINTS for j, c in enumerate(getattr(t, f))]
        self._unique(
            ((*where, "name"), c.name, f"table '{t.name}' has two constraints named '{c.name}'")
            for where, c in named
            if c.name is not None
        )
        self._named((*path, "policies"), t.policies, f"table '{t.name}' has two policies")
        self._partitioning(path, t)
        self._keys(path, t)
        for j, column in enumerate(t.columns):
            if column.references is not None:
                self._shorthand((*path, "columns", j, "references"), t, column)
        for j, fk in enumerate(t.foreign_keys):
            self._column_names((*path, "foreign_keys", j, "columns"), fk.columns, t)
            self._foreign_key((*path, "foreign_keys", j), fk)
        self._triggers(path, t.name, t.triggers, t)
        for j, dependency in enumerate(t.functional_dependencies):
            where = (*path, "functional_dependencies", j)
            self._column_names((*where, "lhs"), dependency.lhs, t)
            self._column_names((*where, "rhs"), dependency.rhs, t)

    def _relation(self, path: locate.Path, text: str, default_schema: str) -> Table | None:
        try:
            schema, name = relation(text, default_schema)
            return self.tables.find(name, schema)
        except NameProblem as exc:
            self.add(path, str(exc))
            return None

    def _partitioning(self, path: locate.Path, t: Table) -> None:
        if t.partition_bound is not None and t.partition_of is None:
            message = "partition_bound needs partition_of (the partitioned table)"
            self.add((*path, "partition_bound"), message)
        if t.partition_of is not None:
            where = (*path, "partition_of")
            if t.partition_bound is None:
                message = "a partition needs a partition_bound, e.g. FOR VALUES IN (1) or DEFAULT"
                self.add(where, message)
            parent = self._relation(where, t.partition_of, t.schema_)
            if parent is not None and parent.partition_by is None:
                self.add(
                    where, f"table '{parent.name}' is not partitioned (it has no partition_by)"
                )
        for k, text in enumerate(t.inherits):
            self._relation((*path, "inherits", k), text, t.schema_)

    def _keys(self, path: locate.Path, t: Table) -> None:
        if t.primary_key is not None:
            for j, column in enumerate(t.columns):
                if column.primary_key:
                    message = (
                        f"table '{t.name}' already has a primary_key; list '{column.name}' there"
                    )
                    self.add((*path, "columns", j, "primary_key"), message)
            self._column_names((*path, "primary_key", "columns"), t.primary_key.columns, t)
            self._column_names((*path, "primary_key", "include"), t.primary_key.include, t)
        for j, u in enumerate(t.unique):
            self._column_names((*path, "unique", j, "columns"), u.columns, t)
            self._column_names((*path, "unique", j, "include"), u.include, t)
        for j, e in enumerate(t.exclusions):
            for k, element in enumerate(e.elements):
                self._element((*path, "exclusions", j, "elements", k), element, t)
            self._column_names((*path, "exclusions", j, "include"), e.include, t)
        for j, index in enumerate(t.indexes):
            for k, key in enumerate(index.columns):
                if isinstance(key, str):
                    self._column((*path, "indexes", j, "columns", k), key, t)
                else:
                    self._element((*path, "indexes", j, "columns", k), key, t)
            self._column_names((*path, "indexes", j, "include"), index.include, t)

    def _element(
        self, path: locate.Path, element: IndexElement | ExclusionElement, t: Table
    ) -> None:
        if (element.column is None) == (element.expression is None):
            self.add(path, "give either a column or an expression")
        elif element.column is not None:
            self._column((*path, "column"), element.column, t)

    def _shorthand(self, path: locate.Path, t: Table, column: Column) -> None:
        target = column.references
        if isinstance(target, str):
            try:
                target = resolve_reference(self.tables, t, target)
            except NameProblem as exc:
                self.add(path, str(exc))
                return
        if target is not None:
            self._foreign_key(path[:-1], ForeignKey(columns=(column.name,), references=target))

    def _foreign_key(self, path: locate.Path, fk: ForeignKey) -> None:
        ref, where = fk.references, (*path, "references")
        try:
            target = self.tables.find(ref.table, ref.schema_)
        except NameProblem as exc:
            self.add((*where, "table"), str(exc))
            return
        found = [self._column((*where, "columns", k), c, target) for k, c in enumerate(ref.columns)]
        if not all(found):
            return
        if len(fk.columns) != len(ref.columns):
            message = f"{len(fk.columns)} column(s) cannot reference {len(ref.columns)} column(s)"
            self.add((*where, "columns"), message)
        elif not _is_key(target, ref.columns):
            listed = ", ".join(ref.columns)
            message = f"table '{target.name}' has no primary key or unique constraint on ({listed})"
            self.add((*where, "columns"), message)

    def _triggers(
        self, path: locate.Path, owner: str, triggers: Sequence[Trigger], t: Table | None
    ) -> None:
        self._named((*path, "triggers"), triggers, f"'{owner}' has two triggers")
        for k, trigger in enumerate(triggers):
            where = (*path, "triggers", k, "update_of")
            if trigger.update_of and "update" not in trigger.events:
                self.add(where, "update_of needs the update event")
            if t is not None:
                self._column_names(where, trigger.update_of, t)

    def _owned_by(self, path: locate.Path, text: str, default_schema: str) -> None:
        try:
            schema, name, column = column_path(text, default_schema)
            table = self.tables.find(name, schema)
        except NameProblem as exc:
            self.add(path, str(exc))
            return
        self._column(path, column, table)


def _is_key(table: Table, columns: Sequence[str]) -> bool:
    """True when ``columns`` are, in any order, the primary key or a unique key of ``table``."""
    wanted = set(columns)
    keys = [set(primary_key_columns(table))]
    keys += [set(u.columns) for u in table.unique]
    keys += [{c.name} for c in table.columns if c.unique]
    keys += [
        {k if isinstance(k, str) else k.column for k in i.columns}
        for i in table.indexes
        if i.unique and i.where is None and all(isinstance(k, str) or k.column for k in i.columns)
    ]
    return wanted in keys and len(wanted) == len(columns)
