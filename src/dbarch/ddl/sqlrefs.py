"""What a SQL fragment refers to: relations, functions and types, found by pglast.

Names come back as ``(schema, name)`` with ``schema`` ``None`` when the fragment left the
name unqualified; resolving them against a Schema is :mod:`dbarch.ddl.lookup`'s job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pglast.parser import ParseError, parse_sql_json, scan

from dbarch.errors import DbarchError

QualName = tuple[str | None, str]

_NAME_CASTS = {"regclass": "relations", "regtype": "types", "regproc": "functions"}


@dataclass(frozen=True)
class Refs:
    """The objects a fragment names."""

    relations: frozenset[QualName] = frozenset()
    functions: frozenset[QualName] = frozenset()
    types: frozenset[QualName] = frozenset()

    def __or__(self, other: Refs) -> Refs:
        return Refs(
            self.relations | other.relations,
            self.functions | other.functions,
            self.types | other.types,
        )


def _qualname(parts: list[str]) -> QualName | None:
    if len(parts) == 1:
        return (None, parts[0])
    if len(parts) == 2:
        return (parts[0], parts[1])
    return None  # catalog-qualified or a column reference: nothing of ours


def _strings(nodes: list[dict[str, Any]]) -> list[str]:
    return [n["String"]["sval"] for n in nodes if "String" in n]


class _Collector:
    """Walks the JSON form of pglast's parse tree (far faster than its Python objects).

    Nodes in lists and expression slots come wrapped (``{"FuncCall": {...}}``); a
    ``TypeName`` or ``RangeVar`` in a typed slot comes bare, recognised by its fields.
    """

    def __init__(self) -> None:
        self.found: dict[str, set[QualName]] = {"relations": set(), "functions": set()}
        self.found["types"] = set()
        self.ctes: set[str] = set()

    def _add(self, kind: str, parts: list[str]) -> None:
        name = _qualname(parts)
        if name is not None:
            self.found[kind].add(name)

    def walk(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self.walk(item)
        elif isinstance(node, dict):
            self._visit(node)
            for value in node.values():
                if isinstance(value, (dict, list)):
                    self.walk(value)

    def _visit(self, node: dict[str, Any]) -> None:
        if "relname" in node:
            self._add("relations", [p for p in (node.get("schemaname"), node["relname"]) if p])
        elif "names" in node and "typemod" in node:  # a TypeName
            parts = _strings(node["names"])
            if node.get("pct_type"):  # table.column%TYPE names the table
                self._add("relations", parts[:-1])
            else:
                self._add("types", parts)
        elif "ctename" in node:
            self.ctes.add(node["ctename"])
        elif "FuncCall" in node:
            self._add("functions", _strings(node["FuncCall"]["funcname"]))
        elif "TypeCast" in node:
            self._name_cast(node["TypeCast"])

    def _name_cast(self, cast: dict[str, Any]) -> None:
        """``'public.t'::regclass`` names the relation ``public.t``."""
        names = _strings(cast["typeName"]["names"])
        kind = _NAME_CASTS.get(names[-1]) if names[0] in (names[-1], "pg_catalog") else None
        value = cast.get("arg", {}).get("A_Const", {}).get("sval", {}).get("sval")
        if kind is not None and value is not None:
            self._add(kind, split_dotted(value))

    def refs(self) -> Refs:
        relations = {r for r in self.found["relations"] if not (r[0] is None and r[1] in self.ctes)}
        return Refs(
            frozenset(relations),
            frozenset(self.found["functions"]),
            frozenset(self.found["types"]),
        )


@lru_cache(maxsize=8192)
def _tree(sql: str) -> list[dict[str, Any]]:
    """The statements of ``sql`` as pglast's JSON parse tree (raises ParseError)."""
    return [s["stmt"] for s in json.loads(parse_sql_json(sql)).get("stmts", [])]


def parse(sql: str, what: str) -> list[dict[str, Any]]:
    """``sql`` parsed by PostgreSQL's parser; a syntax error names ``what`` it came from."""
    try:
        return _tree(sql)
    except ParseError as exc:
        raise DbarchError(f"{what}: PostgreSQL cannot parse {sql!r}: {exc}") from None


def split_dotted(text: str) -> list[str]:
    """``public.t`` / ``"My T"`` (as inside a ``::regclass`` literal) split and unquoted;
    text that is not a SQL name comes back whole."""
    try:
        stmt = _tree(f"SELECT NULL::{text}")[0]
    except ParseError:
        return [text]
    return _strings(
        stmt["SelectStmt"]["targetList"][0]["ResTarget"]["val"]["TypeCast"]["typeName"]["names"]
    )


@lru_cache(maxsize=8192)
def _cached_refs(sql: str, part: str | None) -> Refs:
    collector = _Collector()
    tree = _tree(sql)
    collector.walk(tree if part is None else tree[0]["CreateStmt"].get(part))
    return collector.refs()


def _collect(sql: str, what: str, part: str | None = None) -> Refs:
    try:
        return _cached_refs(sql, part)
    except ParseError as exc:
        raise DbarchError(f"{what}: PostgreSQL cannot parse {sql!r}: {exc}") from None


def expression_refs(expr: str, what: str) -> Refs:
    """References of a scalar expression (default, check, predicate, ...)."""
    return _collect(f"SELECT ({expr}\n)", what)


def query_refs(query: str, what: str) -> Refs:
    """References of a view query."""
    return _collect(query, what)


def type_refs(type_text: str, what: str) -> Refs:
    """References of a type name (``public.year``, ``mpaa_rating[]``, ``numeric(5,2)``)."""
    return _collect(f"SELECT NULL::{type_text}\n", what)


def partition_key_refs(key: str, what: str) -> Refs:
    """References of a ``PARTITION BY`` key list."""
    return _collect(f"CREATE TABLE x () PARTITION BY LIST ({key}\n)", what, "partspec")


def routine_refs(
    kind: str, arguments: str, returns: str | None, sql_body: str | None, what: str
) -> Refs:
    """References of a routine's signature (argument types and defaults, result type)
    and, when it has one, of its SQL-standard body (parsed when the routine is created)."""
    body = f"\n{sql_body}" if sql_body is not None else " AS ''"
    if kind == "procedure":
        sql = f"CREATE PROCEDURE x({arguments}\n) LANGUAGE sql{body}"
    else:
        sql = f"CREATE FUNCTION x({arguments}\n) RETURNS {returns}\n LANGUAGE sql{body}"
    return _collect(sql, what)


def name_ref(text: str, what: str) -> QualName:
    """A possibly qualified object name written as SQL (``public.f``, ``"My F"``)."""
    stmts = parse(f"SELECT {text}()", what)
    call = stmts[0]["SelectStmt"]["targetList"][0]["ResTarget"]["val"] if stmts else {}
    name = _qualname(_strings(call["FuncCall"]["funcname"])) if "FuncCall" in call else None
    if name is None:
        raise DbarchError(f"{what}: {text!r} is not a function name")
    return name


def identity_arguments(arguments: str) -> str:
    """``pg_get_function_arguments`` text without the ``DEFAULT`` parts: the argument
    list that identifies a routine in ``ALTER``, ``COMMENT`` and ``GRANT``."""
    kept: list[str] = []
    start = 0
    cut: int | None = None
    depth = 0
    for token in scan(arguments):
        if token.name == "ASCII_40":
            depth += 1
        elif token.name == "ASCII_41":
            depth -= 1
        elif depth == 0 and token.name == "ASCII_44":
            kept.append(arguments[start : token.start if cut is None else cut].strip())
            start, cut = token.end + 1, None
        elif depth == 0 and cut is None and token.name in ("DEFAULT", "ASCII_61"):
            cut = token.start
    last = arguments[start : len(arguments) if cut is None else cut].strip()
    if last:
        kept.append(last)
    return ", ".join(kept)


def ends_in_comment(sql: str) -> bool:
    """True when ``sql`` may end inside a ``--`` comment, so that text appended on the
    same line would be commented out."""
    if "--" not in sql:
        return False
    try:
        tokens = scan(sql)
    except ParseError:
        return True
    return bool(tokens) and tokens[-1].name == "SQL_COMMENT"
