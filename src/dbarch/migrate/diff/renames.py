"""Old objects seen through the declared renames.

After ``ALTER ... RENAME`` PostgreSQL prints every reference with the new name (a column
type, a default, a foreign key's target, an index's columns). Before two versions of an
object are compared, the old one is rewritten the same way, so a rename alone shows no
other change: identifiers in its SQL fragments (by PostgreSQL's own scanner) and raw
names of tables and columns are mapped from old to new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pglast.parser import ParseError, scan

from dbarch.ddl.sqlrefs import split_dotted
from dbarch.migrate.diff.match import Matching, match_named
from dbarch.model.objects import (
    Aggregate,
    CompositeType,
    Domain,
    EnumType,
    Function,
    MaterializedView,
    Node,
    Policy,
    Reference,
    SchemaDef,
    Sequence,
    Table,
    View,
)
from dbarch.pg.quote import quote_ident, quote_literal

N = TypeVar("N", bound=Node)

# fields holding SQL text, for every class but where noted
_SQL_FIELDS = frozenset(
    {
        "type",
        "default",
        "generated",
        "check",
        "where",
        "expression",
        "with_check",
        "when",
        "query",
        "function",
        "returns",
        "arguments",
        "key",
        "sfunc",
        "stype",
        "finalfunc",
        "combinefunc",
        "opclass",
        "sql_body",
    }
)
# fields holding raw column names
_COLUMN_FIELDS = frozenset({"columns", "include", "update_of", "column"})


def _token_name(text: str) -> str:
    return text[1:-1].replace('""', '"') if text.startswith('"') else text.lower()


@dataclass
class Renames:
    """Declared renames: names of objects (everywhere), and each table's columns (in that
    table's own fragments only)."""

    names: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, str] = field(default_factory=dict)
    tables: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, matching: Matching) -> Renames:
        """The renames a matching declares."""
        renames = cls(schemas={old: new for new, old in matching.schema_renames.items()})
        clashes: set[str] = set()
        for old, new in matching.pairs:
            if isinstance(old, SchemaDef) and old.name != new.name:
                renames._name(old.name, new.name, clashes)
            if isinstance(old, (Table, View, MaterializedView, Sequence)) and isinstance(
                new, (Table, View, MaterializedView, Sequence)
            ):
                renames.tables[(old.schema_, old.name)] = (new.schema_, new.name)
            if isinstance(old, (EnumType, Domain, CompositeType, Function, Aggregate, Table)):
                if old.name != new.name:
                    renames._name(old.name, new.name, clashes)
            elif isinstance(old, (View, MaterializedView, Sequence)) and old.name != new.name:
                renames._name(old.name, new.name, clashes)
            if isinstance(old, Table) and isinstance(new, Table):
                pairs, _, _ = match_named(old.columns, new.columns, f"table {new.name}")
                mapping = {a.name: b.name for a, b in pairs if a.name != b.name}
                renames.columns[(old.schema_, old.name)] = mapping
        for name in clashes:
            renames.names.pop(name, None)
        return renames

    def _name(self, old: str, new: str, clashes: set[str]) -> None:
        if self.names.get(old, new) != new:
            clashes.add(old)
        self.names[old] = new

    def sql(self, text: str, columns: Mapping[str, str]) -> str:
        """``text`` with renamed identifiers spelled with their new names."""
        if not self.names and not columns:
            return text
        try:
            tokens = scan(text)
        except ParseError:
            return text
        out: list[str] = []
        last = 0
        for i, token in enumerate(tokens):
            raw = text[token.start : token.end + 1]
            if raw.startswith("'"):
                following = [text[t.start : t.end + 1].lower() for t in tokens[i + 1 : i + 3]]
                if following != ["::", "regclass"]:
                    continue
                new = self._regclass(raw)
            else:
                name = _token_name(raw)
                new = columns.get(name, self.names.get(name))
                new = quote_ident(new) if new is not None else None
            if new is not None:
                out += [text[last : token.start], new]
                last = token.end + 1
        out.append(text[last:])
        return "".join(out)

    def _regclass(self, literal: str) -> str | None:
        """A ``'name'::regclass`` literal with a renamed relation's new name, or None."""
        parts = split_dotted(literal[1:-1].replace("''", "'"))
        mapped = [self.names.get(part, self.schemas.get(part, part)) for part in parts]
        if mapped == parts:
            return None
        return quote_literal(".".join(quote_ident(p) for p in mapped))

    def table(self, table: Table) -> Table:
        """The old ``table`` with renamed references mapped."""
        return self._node(table, self.columns.get((table.schema_, table.name), {}))

    def node(self, node: N, columns: Mapping[str, str] | None = None) -> N:
        """Any old object with renamed references mapped (``columns`` of its table)."""
        return self._node(node, columns or {})

    def _node(self, node: N, columns: Mapping[str, str]) -> N:
        update: dict[str, object] = {}
        for name in type(node).model_fields:
            value = getattr(node, name)
            mapped = self._value(node, name, value, columns)
            if mapped is not value:
                update[name] = mapped
        if isinstance(node, Reference):
            schema, table = self.tables.get((node.schema_, node.table), (node.schema_, node.table))
            targets = self.columns.get((node.schema_, node.table), {})
            update.update(
                schema_=schema,
                table=table,
                columns=tuple(targets.get(c, c) for c in node.columns),
            )
        return node.model_copy(update=update) if update else node

    def _value(self, node: Node, name: str, value: object, columns: Mapping[str, str]) -> object:
        if isinstance(value, Node):
            return self._node(value, columns)
        if isinstance(value, tuple):
            items = tuple(self._item(node, name, v, columns) for v in value)
            return items if items != value else value
        if isinstance(value, str):
            return self._item(node, name, value, columns)
        return value

    def _item(self, node: Node, name: str, value: object, columns: Mapping[str, str]) -> object:
        if isinstance(value, Node):
            return self._node(value, columns)
        if not isinstance(value, str) or isinstance(node, Reference):
            return value
        if name in _COLUMN_FIELDS:
            return columns.get(value, value)
        if name in _SQL_FIELDS or (name == "using" and isinstance(node, Policy)):
            return self.sql(value, columns)
        return value
