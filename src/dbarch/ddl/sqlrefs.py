"""What a SQL fragment refers to: relations, functions and types, found by pglast.

Names come back as ``(schema, name)`` with ``schema`` ``None`` when the fragment left the
name unqualified; resolving them against a Schema is :mod:`dbarch.ddl.lookup`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

from pglast import ast, parse_sql
from pglast.parser import ParseError, scan
from pglast.visitors import Ancestor, Visitor

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


class _Collector(Visitor):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, set[QualName]] = {
            "relations": set(),
            "functions": set(),
            "types": set(),
        }
        self.ctes: set[str] = set()

    def _add(self, kind: str, parts: list[str]) -> None:
        name = _qualname(parts)
        if name is not None:
            self.found[kind].add(name)

    def visit_RangeVar(self, ancestors: Ancestor, node: ast.RangeVar) -> None:
        self._add("relations", [p for p in (node.schemaname, node.relname) if p])

    def visit_CommonTableExpr(self, ancestors: Ancestor, node: ast.CommonTableExpr) -> None:
        self.ctes.add(node.ctename)

    def visit_FuncCall(self, ancestors: Ancestor, node: ast.FuncCall) -> None:
        self._add("functions", [n.sval for n in node.funcname])

    def visit_TypeName(self, ancestors: Ancestor, node: ast.TypeName) -> None:
        parts = [n.sval for n in node.names]
        if node.pct_type:  # table.column%TYPE names the table
            self._add("relations", parts[:-1])
        else:
            self._add("types", parts)

    def visit_TypeCast(self, ancestors: Ancestor, node: ast.TypeCast) -> None:
        names = [n.sval for n in node.typeName.names]
        kind = _NAME_CASTS.get(names[-1]) if names[0] in (names[-1], "pg_catalog") else None
        value = node.arg.val if isinstance(node.arg, ast.A_Const) else None
        if kind is not None and isinstance(value, ast.String):
            self._add(kind, split_dotted(value.sval))

    def refs(self) -> Refs:
        relations = {r for r in self.found["relations"] if not (r[0] is None and r[1] in self.ctes)}
        return Refs(
            frozenset(relations),
            frozenset(self.found["functions"]),
            frozenset(self.found["types"]),
        )


def split_dotted(text: str) -> list[str]:
    """``public.t`` / ``"My T"`` (as inside a ``::regclass`` literal) split and unquoted;
    text that is not a SQL name comes back whole."""
    try:
        stmt = parse_sql(f"SELECT NULL::{text}")[0].stmt
    except ParseError:
        return [text]
    type_name = stmt.targetList[0].val.typeName
    return [n.sval for n in type_name.names]


def parse(sql: str, what: str) -> tuple[ast.RawStmt, ...]:
    """``sql`` parsed by PostgreSQL's parser; a syntax error names ``what`` it came from."""
    try:
        return tuple(parse_sql(sql))
    except ParseError as exc:
        raise DbarchError(f"{what}: PostgreSQL cannot parse {sql!r}: {exc}") from None


def _collect(sql: str, what: str) -> Refs:
    collector = _Collector()
    for stmt in parse(sql, what):
        collector(stmt)
    return collector.refs()


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
    stmt = parse(f"CREATE TABLE x () PARTITION BY LIST ({key}\n)", what)[0].stmt
    collector = _Collector()
    collector(stmt.partspec)
    return collector.refs()


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
    stmt = parse(f"SELECT {text}()", what)[0].stmt
    call = stmt.targetList[0].val
    name = _qualname([n.sval for n in call.funcname]) if isinstance(call, ast.FuncCall) else None
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
    try:
        tokens = scan(sql)
    except ParseError:
        return "--" in sql
    return bool(tokens) and tokens[-1].name == "SQL_COMMENT"
