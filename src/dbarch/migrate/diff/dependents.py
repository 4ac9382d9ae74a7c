"""Dependents of a change: objects PostgreSQL will not let a change through, dropped
before it and created again after it.

Two things need it: an object that is dropped and created again (a view whose query
changed, a function whose result type changed, an enum whose labels are swapped), and a
column whose type changes (views, policies and triggers that use it). Dependents are
found in the old Schema's dependency graph; views and routines are re-created whole,
indexes, constraints, triggers and policies one by one, column defaults by dropping
and setting the default again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pglast.parser import ParseError, scan

from dbarch.ddl.lookup import Key
from dbarch.migrate.diff.changes import (
    CONSTRAINTS,
    AddConstraint,
    AddIndex,
    AddPolicy,
    AddTrigger,
    AlterColumn,
    Change,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropTrigger,
    SwapEnum,
)
from dbarch.migrate.diff.context import Context, DiffError, Tagged
from dbarch.migrate.diff.graph import PIECE_KINDS, TopObject, label, object_key, owner
from dbarch.migrate.diff.tables import column_key, constraint_key, default_key
from dbarch.model.objects import (
    Aggregate,
    Column,
    Function,
    Index,
    MaterializedView,
    Node,
    Policy,
    Table,
    Trigger,
    View,
)

Replaced = dict[Key, tuple[TopObject, TopObject]]  # old key -> (old, new)
_WHOLE = (View, MaterializedView, Function, Aggregate)


def mentions(sql: str | None, name: str) -> bool:
    """True when the SQL text ``sql`` has a token that may name ``name`` (a column)."""
    if not sql:
        return False
    try:
        tokens = scan(sql)
    except ParseError:
        return True
    for token in tokens:
        text = sql[token.start : token.end + 1]
        text = text[1:-1].replace('""', '"') if text.startswith('"') else text.lower()
        if text == name:
            return True
    return False


def _text_of(obj: Node) -> list[str | None]:
    """The SQL of an object that may use a column of a table it depends on."""
    if isinstance(obj, (View, MaterializedView)):
        return [obj.query]
    if isinstance(obj, Function):
        return [obj.sql_body]
    if isinstance(obj, Policy):
        return [obj.using, obj.with_check]
    if isinstance(obj, Trigger):
        return [obj.when, *obj.update_of]
    return []


@dataclass
class Bounce:
    """The work of finding and re-creating dependents."""

    ctx: Context
    tagged: list[Tagged]
    replaced: Replaced
    dropped: set[Key]  # old keys of objects that are dropped for good
    late: list[Tagged] = field(default_factory=list)  # drops of dependents
    again: list[Tagged] = field(default_factory=list)  # their re-creation
    _done: set[Key] = field(default_factory=set)

    def run(self) -> None:
        """Re-create what the replaced objects and the retyped columns have depending on them."""
        todo = list(self.replaced)
        for table, column in self._retyped_columns():
            self._dependents_of_column(table, column, todo)
        while todo:
            self._dependents_of_object(todo.pop(0), todo)

    # -- objects ---------------------------------------------------------------------

    def _dependents_of_object(self, obj: Key, todo: list[Key]) -> None:
        if obj in self._done:
            return
        self._done.add(obj)
        keys = self.ctx.old.keys_of(obj)
        for dependent in sorted(self.ctx.old.dependents(keys)):
            if owner(dependent) != obj:
                self._bounce(dependent, obj, todo)

    def _bounce(self, key: Key, because: Key, todo: list[Key]) -> None:
        if key[0] == "split":  # a default or check set apart from its table
            key = key[1:]
        holder = owner(key)
        if holder in self.dropped or holder in self.replaced:
            return
        obj = self.ctx.old.objects.get(holder)
        if key[0] in PIECE_KINDS or (key[0] == "relation" and len(key) == 4):
            if key[-1].startswith("default:"):
                self._bounce_default(holder, key[-1].split(":", 1)[1])
            else:
                self._bounce_piece(key)
            return
        if key[0] in ("privileges", "membership", "owned_by"):
            return
        if isinstance(obj, _WHOLE) or key[0] == "refresh":
            new = self._counterpart(holder)
            if obj is not None and new is not None:
                self.replaced[holder] = (obj, new)
                todo.append(holder)
            return
        raise DiffError(
            f"{label(because)} must be dropped and created again, but {label(key)} "
            "depends on it and cannot be re-created around it"
        )

    def _counterpart(self, old_key: Key) -> TopObject | None:
        for old, new in self.ctx.matching.pairs:
            if object_key(old) == old_key:
                return new
        return None

    # -- table pieces --------------------------------------------------------------

    def _tables(self, holder: Key) -> tuple[Table, Table] | None:
        old = self.ctx.old.objects.get(holder)
        if not isinstance(old, Table):
            return None
        new = self.ctx.new_table_of(old)
        return None if new is None else (old, new)

    def _bounce_piece(self, key: Key) -> None:
        tables = self._tables(owner(key))
        if tables is None:
            return
        old_table, new_table = tables
        before, after = _piece(old_table, key), _find_like(new_table, key)
        if before is None or after is None:
            return
        drop, add = _drop_add(old_table, new_table, before, after)
        self._replace_tags({_tag(new_table, after), key}, drop, add)

    def _bounce_default(self, holder: Key, column: str) -> None:
        tables = self._tables(holder)
        if tables is None:
            return
        old_table, new_table = tables
        old_column = next((c for c in old_table.columns if c.name == column), None)
        new_column = _column_like(new_table, old_column)
        if old_column is None or new_column is None or new_column.default is None:
            return
        bare = new_column.model_copy(update={"default": None})
        current = new_column.model_copy(update={"default": old_column.default})
        tag = column_key(new_table, new_column.name)
        self.late.append((tag, AlterColumn(table=new_table, old=current, new=bare)))
        self.again.append(
            (default_key(new_table, new_column.name), _set_default(new_table, bare, new_column))
        )

    def _replace_tags(self, tags: set[Key], drop: Change, add: Change) -> None:
        self.tagged[:] = [(t, c) for t, c in self.tagged if t not in tags]
        tag = next(iter(sorted(tags)))
        self.late.append((tag, drop))
        self.again.append((tag, add))

    # -- columns whose type changes --------------------------------------------------

    def _retyped_columns(self) -> list[tuple[Table, str]]:
        """(old table, old column name) of every column whose type changes."""
        found: list[tuple[Table, str]] = []
        for _, change in self.tagged:
            if isinstance(change, AlterColumn) and _retyped(change.old, change.new):
                old_table = change.old_table or self.ctx.old_table_of(change.table)
                if old_table is not None:
                    found.append((old_table, _old_name_of(old_table, change.new)))
            if isinstance(change, SwapEnum):
                for use in change.uses:
                    old_table = self.ctx.old_table_of(use.table)
                    if old_table is not None:
                        found.append((old_table, _old_name_of(old_table, use.column)))
        return found

    def _dependents_of_column(self, table: Table, column: str, todo: list[Key]) -> None:
        table_key = object_key(table)
        for other in table.columns:
            if other.generated is not None and mentions(other.generated, column):
                raise DiffError(
                    f"column {column} of table {table.schema_}.{table.name} changes type, but "
                    f"the generated column {other.name} uses it"
                )
        for key in sorted(self.ctx.old.dependents({table_key})):
            holder = owner(key)
            obj: Node | None = self.ctx.old.objects.get(holder)
            if key[0] in ("policy", "trigger"):
                obj = _piece(table, key)
            elif key != holder:
                continue
            if obj is not None and any(mentions(text, column) for text in _text_of(obj)):
                self._bounce(key, table_key, todo)


def _retyped(old: Column, new: Column) -> bool:
    return (old.type, old.collation) != (new.type, new.collation)


def _old_name_of(old_table: Table, column: Column) -> str:
    names = {c.name for c in old_table.columns}
    if column.renamed_from is not None and column.renamed_from in names:
        return column.renamed_from
    return column.name


def _column_like(table: Table, column: Column | None) -> Column | None:
    if column is None:
        return None
    for candidate in table.columns:
        if candidate.name == column.name or candidate.renamed_from == column.name:
            return candidate
    return None


def _set_default(table: Table, bare: Column, column: Column) -> Change:
    return AlterColumn(table=table, old=bare, new=column)


def _tag(table: Table, piece: Node) -> Key:
    if isinstance(piece, Index):
        return ("index", table.schema_, table.name, piece.name or "")
    if isinstance(piece, Trigger):
        return ("trigger", table.schema_, table.name, piece.name)
    if isinstance(piece, Policy):
        return ("policy", table.schema_, table.name, piece.name)
    assert isinstance(piece, CONSTRAINTS)
    return constraint_key(table, piece)


def _items(table: Table, kind: str) -> Iterable[Node]:
    if kind == "primary_key":
        return (table.primary_key,) if table.primary_key else ()
    if kind == "relation":
        return table.checks
    return {
        "unique": table.unique,
        "exclusion": table.exclusions,
        "index": table.indexes,
        "foreign_key": table.foreign_keys,
        "trigger": table.triggers,
        "policy": table.policies,
    }[kind]


def _name_in(key: Key) -> str:
    return key[-1].split(":", 1)[1] if key[0] == "relation" else key[-1]


def _piece(table: Table, key: Key) -> Node | None:
    """The constraint, index, trigger or policy of ``table`` that ``key`` names."""
    name = _name_in(key)
    return next((i for i in _items(table, key[0]) if getattr(i, "name", None) == name), None)


def _find_like(table: Table, key: Key) -> Node | None:
    """The piece of the new ``table`` that is the old piece ``key`` (maybe renamed)."""
    name = _name_in(key)
    for item in _items(table, key[0]):
        if getattr(item, "name", None) == name or getattr(item, "renamed_from", None) == name:
            return item
    return None


def _drop_add(
    old_table: Table, new_table: Table, before: Node, after: Node
) -> tuple[Change, Change]:
    if isinstance(before, Index) and isinstance(after, Index):
        return DropIndex(relation=old_table, index=before), AddIndex(
            relation=new_table, index=after
        )
    if isinstance(before, Trigger) and isinstance(after, Trigger):
        return (
            DropTrigger(relation=old_table, trigger=before),
            AddTrigger(relation=new_table, trigger=after),
        )
    if isinstance(before, Policy) and isinstance(after, Policy):
        return DropPolicy(table=old_table, policy=before), AddPolicy(table=new_table, policy=after)
    assert isinstance(before, CONSTRAINTS) and isinstance(after, CONSTRAINTS)
    return (
        DropConstraint(table=old_table, constraint=before),
        AddConstraint(table=new_table, constraint=after),
    )
