"""Find a Schema's objects by the names SQL fragments and references use.

Every object that is created by one step has a *key*; :meth:`Catalog.resolve` turns the
names a fragment mentions into the keys of the Schema objects they denote. Unqualified
names resolve to ``public`` (the DDL runs with ``search_path = public, pg_catalog``);
names of built-in objects resolve to nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from dbarch.ddl.render import aggregate_signature, routine_signature
from dbarch.ddl.sqlrefs import QualName, Refs, split_dotted
from dbarch.errors import DbarchError
from dbarch.model.objects import DEFAULT_SCHEMA, Aggregate, Function, Schema, Table

Key = tuple[str, ...]

_WORD = re.compile(r'"((?:[^"]|"")+)"|([^\W\d][\w$]*)')


def relation_key(schema: str, name: str) -> Key:
    """Key of the step that creates a table, view, materialized view or sequence."""
    return ("relation", schema, name)


def type_key(schema: str, name: str) -> Key:
    """Key of the step that creates an enum, a domain or a composite type."""
    return ("type", schema, name)


class Catalog:
    """Indexes of ``schema``'s objects by name."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._relations: dict[tuple[str, str], Key] = {}
        self._types: dict[tuple[str, str], Key] = {}
        self._functions: dict[tuple[str, str], list[Key]] = defaultdict(list)
        self.tables: dict[tuple[str, str], Table] = {}
        for table in schema.tables:
            self.tables[(table.schema_, table.name)] = table
        for relation in (*schema.tables, *schema.views, *schema.materialized_views):
            key = relation_key(relation.schema_, relation.name)
            self._relations[(relation.schema_, relation.name)] = key
            self._types[(relation.schema_, relation.name)] = key  # its row type
        for sequence in schema.sequences:
            self._relations[(sequence.schema_, sequence.name)] = relation_key(
                sequence.schema_, sequence.name
            )
        for type_ in (*schema.enums, *schema.domains, *schema.composite_types):
            self._types[(type_.schema_, type_.name)] = type_key(type_.schema_, type_.name)
        for function in schema.functions:
            self._functions[(function.schema_, function.name)].append(function_key(function))
        for aggregate in schema.aggregates:
            self._functions[(aggregate.schema_, aggregate.name)].append(aggregate_key(aggregate))
        self._words = {
            name.lower() for _, name in (*self._relations, *self._types, *self._functions)
        }
        self._partitions: dict[tuple[str, str], list[Table]] = defaultdict(list)
        for table in schema.tables:
            self._check_ancestry(table)
            if table.partition_of is not None:
                parent = self.parents(table)[0]
                self._partitions[(parent.schema_, parent.name)].append(table)

    def may_mention(self, sql: str) -> bool:
        """False when ``sql`` cannot name any object of the Schema: none of its words
        (inside string literals too, for ``'name'::regclass``) is an object's name."""
        for quoted, bare in _WORD.findall(sql):
            word = quoted.replace('""', '"') if quoted else bare
            if word.lower() in self._words:
                return True
        return False

    def resolve(self, refs: Refs) -> frozenset[Key]:
        """Keys of the Schema objects ``refs`` names."""
        keys: set[Key] = set()
        for name in refs.relations:
            key = self._relations.get(_in_public(name))
            if key is not None:
                keys.add(key)
        for name in refs.types:
            key = self._types.get(_in_public(name))
            if key is not None:
                keys.add(key)
        for name in refs.functions:
            keys.update(self._functions.get(_in_public(name), ()))
        return frozenset(keys)

    def find_table(self, ref: str, near: str, what: str) -> Table:
        """The table a reference like ``orders`` or ``sales.orders`` names; an unqualified
        name is looked up in schema ``near`` first, then in ``public``."""
        for candidate in _candidates(ref, near):
            table = self.tables.get(candidate)
            if table is not None:
                return table
        raise DbarchError(f"{what}: table {ref!r} is not in the schema")

    def parents(self, table: Table) -> list[Table]:
        """The partitioned parent or the inheritance parents of ``table``."""
        what = f"table {table.schema_}.{table.name}"
        if table.partition_of is not None:
            if table.inherits:
                raise DbarchError(f"{what}: a partition cannot also inherit")
            return [self.find_table(table.partition_of, table.schema_, what)]
        return [self.find_table(ref, table.schema_, what) for ref in table.inherits]

    def partitions(self, table: Table) -> list[Table]:
        """The direct partitions of ``table`` in the Schema."""
        return self._partitions.get((table.schema_, table.name), [])

    def partition_ancestors(self, table: Table) -> list[Table]:
        """The partitioned tables ``table`` is (indirectly) a partition of, nearest first."""
        found: list[Table] = []
        while table.partition_of is not None:
            table = self.parents(table)[0]
            found.append(table)
        return found

    def _check_ancestry(self, table: Table) -> None:
        """Refuse a table that is (indirectly) its own parent."""
        seen = {(table.schema_, table.name)}
        todo = [table]
        while todo:
            for parent in self.parents(todo.pop()):
                if (parent.schema_, parent.name) == (table.schema_, table.name):
                    raise DbarchError(
                        f"table {table.schema_}.{table.name} is its own partition or ancestor"
                    )
                if (parent.schema_, parent.name) not in seen:
                    seen.add((parent.schema_, parent.name))
                    todo.append(parent)

    def owned_by(self, ref: str, near: str, what: str) -> tuple[Table, str]:
        """The table and column of a sequence's ``owned_by`` (``table.column``)."""
        for i in _dots(ref):
            table_ref, column = ref[:i], ref[i + 1 :]
            for candidate in _candidates(table_ref, near):
                table = self.tables.get(candidate)
                if table is not None and any(c.name == column for c in table.columns):
                    return table, column
        raise DbarchError(f"{what}: owned_by {ref!r} is not a column of a table in the schema")


def function_key(function: Function) -> Key:
    """Key of the step that creates a function or procedure."""
    return ("function", routine_signature(function))


def aggregate_key(aggregate: Aggregate) -> Key:
    """Key of the step that creates an aggregate."""
    return ("aggregate", aggregate_signature(aggregate))


def _in_public(name: QualName) -> tuple[str, str]:
    return (name[0] if name[0] is not None else DEFAULT_SCHEMA, name[1])


def _dots(text: str) -> Iterator[int]:
    return (i for i in range(len(text) - 1, -1, -1) if text[i] == ".")


def _candidates(ref: str, near: str) -> Iterator[tuple[str, str]]:
    """Schema-qualified readings of a table reference, most plausible first: as written
    in SQL (quoted or not), then as raw names split at each dot, then unqualified."""
    parts = split_dotted(ref)
    if len(parts) == 2:
        yield (parts[0], parts[1])
    elif len(parts) == 1:
        yield (near, parts[0])
        yield (DEFAULT_SCHEMA, parts[0])
    for i in _dots(ref):
        yield (ref[:i], ref[i + 1 :])
    yield (near, ref)
    yield (DEFAULT_SCHEMA, ref)
