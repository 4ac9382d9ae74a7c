"""Where an object is created in SQL files, for findings' ``file:line:column``.

A SQL SOURCE becomes a Schema through a scratch database, which forgets positions; this
module parses the same files with PostgreSQL's own parser (pglast) and records where each
table, column, named constraint, index, view, function, trigger, policy, sequence, type
and schema is created. A name written unqualified is taken to be in ``public``, as the
dev database reads it. An object that cannot be found points at its table, or nowhere;
a file pglast cannot parse (psql meta-commands, say) gives no positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pglast import ast, parse_sql
from pglast.enums import ObjectType
from pglast.parser import ParseError

from dbarch.checks.findings import Target
from dbarch.errors import Location
from dbarch.model.objects import DEFAULT_SCHEMA
from dbarch.pg.sqlfiles import read_sql_source

# (kind, schema, table or None, name) -> where it is created
_Key = tuple[str, str, str | None, str]
_RELATION_KINDS = {"table", "view", "materialized view", "sequence"}


def _names(parts: Any) -> tuple[str, str]:
    """``(schema, name)`` of a qualified name given as pglast ``String`` nodes."""
    words = [p.sval for p in parts]
    return (words[-2] if len(words) > 1 else DEFAULT_SCHEMA), words[-1]


def _range(rv: ast.RangeVar) -> tuple[str, str]:
    return rv.schemaname or DEFAULT_SCHEMA, rv.relname


class _FileScan:
    """The positions of one file's objects, character offsets turned into lines."""

    def __init__(self, filename: str, text: str, found: dict[_Key, Location]) -> None:
        self.filename = filename
        self.text = text
        self.found = found

    def at(self, offset: int) -> Location:
        line_start = self.text.rfind("\n", 0, offset) + 1
        line = self.text.count("\n", 0, offset) + 1
        return Location(self.filename, line, offset - line_start + 1)

    def start(self, offset: int) -> int:
        """The first character of the statement that begins at ``offset`` (the parser
        counts the blank lines and comments before it in)."""
        text, i = self.text, offset
        while i < len(text):
            if text[i].isspace():
                i += 1
            elif text.startswith("--", i):
                end = text.find("\n", i)
                i = len(text) if end < 0 else end + 1
            elif text.startswith("/*", i):
                end = text.find("*/", i + 2)
                i = len(text) if end < 0 else end + 2
            else:
                break
        return i

    def add(self, key: _Key, offset: int | None) -> None:
        if offset is not None and offset >= 0 and key not in self.found:
            self.found[key] = self.at(offset)

    def scan(self) -> None:
        try:
            statements = parse_sql(self.text)
        except ParseError:
            return
        for raw in statements:
            self.statement(raw.stmt, self.start(raw.stmt_location or 0))

    def statement(self, stmt: Any, begin: int) -> None:
        if isinstance(stmt, ast.CreateStmt):
            schema, table = _range(stmt.relation)
            self.add(("table", schema, None, table), stmt.relation.location)
            for element in stmt.tableElts or ():
                self.element(schema, table, element)
        elif isinstance(stmt, ast.AlterTableStmt) and stmt.relation is not None:
            schema, table = _range(stmt.relation)
            for cmd in stmt.cmds or ():
                if isinstance(cmd, ast.AlterTableCmd):
                    self.element(schema, table, cmd.def_)
        elif isinstance(stmt, ast.IndexStmt) and stmt.idxname:
            schema, _ = _range(stmt.relation)
            self.add(("index", schema, None, stmt.idxname), begin)
        elif isinstance(stmt, ast.ViewStmt):
            self.relation("view", stmt.view)
        elif isinstance(stmt, ast.CreateTableAsStmt) and stmt.into is not None:
            matview = stmt.objtype == ObjectType.OBJECT_MATVIEW
            self.relation("materialized view" if matview else "table", stmt.into.rel)
        elif isinstance(stmt, ast.CreateFunctionStmt):
            self.named("function", stmt.funcname, begin)
        elif isinstance(stmt, ast.CreateTrigStmt):
            schema, table = _range(stmt.relation)
            self.add(("trigger", schema, table, stmt.trigname), begin)
        elif isinstance(stmt, ast.CreatePolicyStmt):
            schema, table = _range(stmt.table)
            self.add(("policy", schema, table, stmt.policy_name), begin)
        elif isinstance(stmt, ast.CreateSeqStmt):
            self.relation("sequence", stmt.sequence)
        elif isinstance(stmt, ast.CreateDomainStmt):
            self.named("domain", stmt.domainname, begin)
        elif isinstance(stmt, ast.CreateEnumStmt):
            self.named("type", stmt.typeName, begin)
        elif isinstance(stmt, ast.CompositeTypeStmt):
            self.relation("type", stmt.typevar)
        elif isinstance(stmt, ast.CreateSchemaStmt) and stmt.schemaname:
            self.add(("schema", stmt.schemaname, None, stmt.schemaname), begin)

    def relation(self, kind: str, rv: ast.RangeVar) -> None:
        """A relation-like object created under the name ``rv``."""
        schema, name = _range(rv)
        self.add((kind, schema, None, name), rv.location)

    def named(self, kind: str, parts: Any, begin: int) -> None:
        """A function or type created under the qualified name ``parts``."""
        schema, name = _names(parts)
        self.add((kind, schema, None, name), begin)

    def element(self, schema: str, table: str, node: Any) -> None:
        """A column or constraint of ``schema.table`` (in CREATE or ALTER TABLE)."""
        if isinstance(node, ast.ColumnDef) and node.colname:
            self.add(("column", schema, table, node.colname), node.location)
            for c in node.constraints or ():
                self.element(schema, table, c)
        elif isinstance(node, ast.Constraint) and node.conname:
            self.add(("constraint", schema, table, node.conname), node.location)


class SqlLocations:
    """Finds objects of SQL files (the :class:`~dbarch.checks.engine.Locator`)."""

    def __init__(self, found: dict[_Key, Location]) -> None:
        self.found = found

    @classmethod
    def read(cls, path: Path) -> SqlLocations:
        """The locations of the ``.sql`` file ``path`` or a directory's ``.sql`` files."""
        found: dict[_Key, Location] = {}
        for filename, text in read_sql_source(path):
            _FileScan(filename, text, found).scan()
        return cls(found)

    def find(self, target: Target) -> Location | None:
        """Where ``target`` is created; else its first column, its table, or ``None``."""
        kind = target.kind
        parent = None if kind == "index" or kind in _RELATION_KINDS else target.parent
        exact = self.found.get((kind, target.schema, parent, target.name))
        if exact is not None or target.parent is None:
            return exact
        columns = getattr(target.nodes[-1], "columns", ()) if target.nodes else ()
        first = columns[0] if columns and isinstance(columns[0], str) else None
        if first is not None:
            column = self.found.get(("column", target.schema, target.parent, first))
            if column is not None:
                return column
        for relation in ("table", "view", "materialized view"):
            owner = self.found.get((relation, target.schema, None, target.parent))
            if owner is not None:
                return owner
        return None
