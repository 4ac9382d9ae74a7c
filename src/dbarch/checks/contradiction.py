"""Proving that a boolean SQL expression can never be true.

The expression is read with PostgreSQL's grammar (pglast), put in negation normal form
and expanded into a disjunction of conjunctions of *atoms*: a comparison of a column (or
a cast of one) with a constant, ``IS [NOT] NULL``, a boolean column. The expression can
never be true when every conjunction contradicts itself: ``x > 5 AND x < 3``,
``x IN (1, 2) AND x = 3``, ``x IS NULL AND x = 1``, ``false``, ``x NOT IN (1, NULL)``.

The proof is sound, never complete: anything not understood is an opaque atom that may
be true, so it can only hide a contradiction, never invent one. Columns are reasoned
about only in the value domains the caller vouches for (see :class:`Domain`): numbers
compare as numbers (floats with float precision), strings only for equality, and only
for types whose equality is exact.
"""

from __future__ import annotations

import operator
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import product

from pglast import ast, parse_sql
from pglast.enums import A_Expr_Kind, BoolExprType, BoolTestType, NullTestType
from pglast.parser import ParseError
from pglast.stream import RawStream

MAX_CONJUNCTIONS = 512


class Domain(StrEnum):
    """How a column's values compare."""

    exact = "exact"  # integers and numeric
    float8 = "float8"
    float4 = "float4"
    string = "string"  # text, varchar, char with a deterministic collation
    bool = "bool"


# The domain of the values of each built-in type the proof reasons about.
TYPE_DOMAINS = {
    "int2": Domain.exact,
    "int4": Domain.exact,
    "int8": Domain.exact,
    "numeric": Domain.exact,
    "float8": Domain.float8,
    "float4": Domain.float4,
    "text": Domain.string,
    "varchar": Domain.string,
    "bpchar": Domain.string,
    "bool": Domain.bool,
}
_FLIP = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NEGATE = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_OPERATORS = {
    "=": operator.eq,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ORDERED = (Domain.exact, Domain.float8, Domain.float4)
Value = Decimal | float | str | bool


@dataclass(frozen=True)
class Term:
    """A column, or a cast of one, whose values live in ``domain``."""

    key: str
    domain: Domain


@dataclass(frozen=True)
class Compare:
    term: Term
    op: str
    value: Value


@dataclass(frozen=True)
class IsNull:
    term: Term
    null: bool


Atom = Compare | IsNull
Conjunction = tuple[Atom, ...]
Dnf = list[Conjunction]
TRUE: Dnf = [()]  # one empty conjunction: satisfiable
FALSE: Dnf = []  # no conjunction: never true


class _TooBig(Exception):
    """The expansion would exceed MAX_CONJUNCTIONS; give up (claim nothing)."""


class _Null:
    """The NULL constant."""


NULL = _Null()


def never_true(expression: str, columns: Mapping[str, Domain]) -> bool:
    """True when ``expression`` can be proven never to evaluate to true.

    ``columns`` maps the column names the caller knows to their value domain; other
    columns are not reasoned about.
    """
    try:
        statements = parse_sql("SELECT " + expression)  # parsed only, never executed
    except ParseError:
        return False
    if len(statements) != 1:
        return False
    select = statements[0].stmt
    if not isinstance(select, ast.SelectStmt) or len(select.targetList or ()) != 1:
        return False
    try:
        dnf = _Reader(columns).read(select.targetList[0].val, negate=False)
    except _TooBig:
        return False
    return not any(_consistent(c) for c in dnf)


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, columns: Mapping[str, Domain]) -> None:
        self.columns = columns

    def read(self, node: ast.Node, negate: bool) -> Dnf:
        """The conjunctions under which ``node`` (``NOT node`` when ``negate``) is true."""
        if isinstance(node, ast.BoolExpr):
            return self._bool(node, negate)
        if isinstance(node, ast.A_Expr):
            return self._expr(node, negate)
        if isinstance(node, ast.NullTest):
            term = self.term(node.arg)
            if term is None or node.argisrow:
                return TRUE
            null = (node.nulltesttype == NullTestType.IS_NULL) != negate
            return [(IsNull(term, null),)]
        if isinstance(node, ast.BooleanTest):
            return self._test(node, negate)
        constant = self.constant(node)
        if constant is NULL:
            return FALSE
        if isinstance(constant, bool):
            return TRUE if constant != negate else FALSE
        term = self.term(node)
        if term is not None and term.domain is Domain.bool:
            return [(Compare(term, "=", not negate),)]
        return TRUE

    def _bool(self, node: ast.BoolExpr, negate: bool) -> Dnf:
        if node.boolop == BoolExprType.NOT_EXPR:
            return self.read(node.args[0], not negate)
        parts = [self.read(arg, negate) for arg in node.args]
        conjunctive = (node.boolop == BoolExprType.AND_EXPR) != negate
        return _all(parts) if conjunctive else _any(parts)

    def _test(self, node: ast.BooleanTest, negate: bool) -> Dnf:
        if negate:
            return TRUE  # IS NOT TRUE / IS NOT FALSE also hold for NULL: not modelled
        if node.booltesttype == BoolTestType.IS_TRUE:
            return self.read(node.arg, negate=False)
        if node.booltesttype == BoolTestType.IS_FALSE:
            return self.read(node.arg, negate=True)
        return TRUE

    def _expr(self, node: ast.A_Expr, negate: bool) -> Dnf:
        op = node.name[-1].sval if node.name else ""
        kind = node.kind
        if kind == A_Expr_Kind.AEXPR_OP and op in _FLIP:
            return self._compare(node.lexpr, op, node.rexpr, negate)
        if kind == A_Expr_Kind.AEXPR_IN and op in ("=", "<>"):
            # IN is "= ANY", NOT IN is "<> ALL" over the list
            return self._quantified(node.lexpr, op, node.rexpr, any_=op == "=", negate=negate)
        if kind in (A_Expr_Kind.AEXPR_OP_ANY, A_Expr_Kind.AEXPR_OP_ALL) and op in _FLIP:
            if not isinstance(node.rexpr, ast.A_ArrayExpr):
                return TRUE
            any_ = kind == A_Expr_Kind.AEXPR_OP_ANY
            return self._quantified(node.lexpr, op, node.rexpr.elements, any_, negate)
        if kind in (A_Expr_Kind.AEXPR_BETWEEN, A_Expr_Kind.AEXPR_NOT_BETWEEN):
            low, high = node.rexpr
            inside = kind == A_Expr_Kind.AEXPR_BETWEEN
            if inside != negate:
                return _all(
                    [
                        self._compare(node.lexpr, ">=", low, False),
                        self._compare(node.lexpr, "<=", high, False),
                    ]
                )
            return _any(
                [
                    self._compare(node.lexpr, "<", low, False),
                    self._compare(node.lexpr, ">", high, False),
                ]
            )
        return TRUE

    def _compare(self, left: ast.Node, op: str, right: ast.Node, negate: bool) -> Dnf:
        left_value, right_value = self.constant(left), self.constant(right)
        if left_value is NULL or right_value is NULL:
            return FALSE  # a comparison with NULL is never true, negated or not
        if isinstance(left_value, Decimal) and isinstance(right_value, Decimal):
            holds = _OPERATORS[op](left_value, right_value)
            return TRUE if holds != negate else FALSE
        if left_value is not None and right_value is None:
            left, right, op = right, left, _FLIP[op]
            left_value, right_value = right_value, left_value
        term = self.term(left)
        if term is None or right_value is None:
            return TRUE
        value = _in_domain(right_value, term.domain)
        if value is None:
            return TRUE
        return [(Compare(term, _NEGATE[op] if negate else op, value),)]

    def _quantified(
        self, left: ast.Node, op: str, items: tuple[ast.Node, ...] | None, any_: bool, negate: bool
    ) -> Dnf:
        """``left op ANY (items)`` (``any_``) or ``left op ALL (items)``."""
        items = items or ()
        known = [i for i in items if self.constant(i) is not NULL]
        has_null = len(known) < len(items)
        parts = [self._compare(left, op, i, negate) for i in known]
        # true for ANY: some element compares true; for NOT ALL: some compares false.
        if any_ != negate:
            return _any(parts)
        # true for ALL: every element compares true; NULL elements make that impossible.
        return FALSE if has_null else _all(parts)

    # ------------------------------------------------------------------ leaves

    def term(self, node: ast.Node) -> Term | None:
        """The column (or cast column) ``node`` is, when its domain is known."""
        if isinstance(node, ast.ColumnRef):
            fields = node.fields or ()
            if len(fields) != 1 or not isinstance(fields[0], ast.String):
                return None
            domain = self.columns.get(fields[0].sval)
            return None if domain is None else Term(fields[0].sval, domain)
        if isinstance(node, ast.TypeCast) and self.term(node.arg) is not None:
            domain = _cast_domain(node.typeName)
            return None if domain is None else Term(RawStream()(node), domain)
        return None

    def constant(self, node: ast.Node) -> Value | _Null | None:
        """The value of a constant (``NULL`` for the null constant), else ``None``."""
        if isinstance(node, ast.TypeCast) and isinstance(node.arg, ast.A_Const):
            domain = _cast_domain(node.typeName)
            value = self.constant(node.arg)
            if value is NULL:
                return NULL
            if domain is None or value is None:
                return None
            return _cast(value, domain)
        if not isinstance(node, ast.A_Const):
            return None
        if node.isnull:
            return NULL
        val = node.val
        if isinstance(val, ast.Integer):
            return Decimal(val.ival)
        if isinstance(val, ast.Float):
            return _decimal(val.fval)
        if isinstance(val, ast.Boolean):
            return bool(val.boolval)
        if isinstance(val, ast.String):
            return val.sval
        return None


def _cast_domain(type_name: ast.TypeName) -> Domain | None:
    names = [n.sval for n in type_name.names]
    if type_name.arrayBounds or (len(names) == 2 and names[0] != "pg_catalog") or len(names) > 2:
        return None
    return TYPE_DOMAINS.get(names[-1])


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


_BOOLEAN_WORDS = {
    "t": True,
    "true": True,
    "y": True,
    "yes": True,
    "on": True,
    "1": True,
    "f": False,
    "false": False,
    "n": False,
    "no": False,
    "off": False,
    "0": False,
}


def _cast(value: Value, domain: Domain) -> Value | None:
    """A constant cast to ``domain`` as PostgreSQL would, or ``None`` when unsure."""
    if domain in _ORDERED:
        if isinstance(value, str):
            return _decimal(value)
        return value if isinstance(value, Decimal) else None
    if domain is Domain.string:
        return value if isinstance(value, str) else None
    if isinstance(value, str):
        return _BOOLEAN_WORDS.get(value.strip().lower())
    return value if isinstance(value, bool) else None


def _in_domain(value: Value, domain: Domain) -> Value | None:
    """A constant as it compares with a term of ``domain``, or ``None`` when it may not."""
    if domain in _ORDERED:
        if not isinstance(value, Decimal):
            return None
        if domain is Domain.float8:
            return float(value)
        if domain is Domain.float4:
            return struct.unpack("f", struct.pack("f", float(value)))[0]
        return value
    if domain is Domain.string:
        return value if isinstance(value, str) else None
    return value if isinstance(value, bool) else None


# --------------------------------------------------------------------------- algebra


def _any(parts: list[Dnf]) -> Dnf:
    result = [c for part in parts for c in part]
    if len(result) > MAX_CONJUNCTIONS:
        raise _TooBig
    return result


def _all(parts: list[Dnf]) -> Dnf:
    size = 1
    for part in parts:
        size *= len(part)
        if size > MAX_CONJUNCTIONS:
            raise _TooBig
    return [tuple(a for c in combination for a in c) for combination in product(*parts)]


def _consistent(conjunction: Conjunction) -> bool:
    """False when the atoms provably cannot all be true together."""
    by_term: dict[Term, list[Atom]] = {}
    for atom in conjunction:
        by_term.setdefault(atom.term, []).append(atom)
    return all(_term_consistent(term, atoms) for term, atoms in by_term.items())


def _term_consistent(term: Term, atoms: list[Atom]) -> bool:
    nulls = {a.null for a in atoms if isinstance(a, IsNull)}
    compares = [a for a in atoms if isinstance(a, Compare)]
    if len(nulls) > 1 or (True in nulls and compares):
        return False
    equal = [a.value for a in compares if a.op == "="]
    unequal = [a.value for a in compares if a.op == "<>"]
    if any(_differ(term.domain, a, b) for a in equal for b in equal):
        return False
    if any(a == b for a in equal for b in unequal):
        return False
    if term.domain is Domain.bool:
        return not {True, False} <= set(unequal)
    if term.domain in _ORDERED:
        return _range_consistent(compares, unequal)
    return True


def _differ(domain: Domain, a: Value, b: Value) -> bool:
    """True when two constants are surely different values of ``domain``."""
    if isinstance(a, str) and isinstance(b, str):
        # char(n) ignores trailing blanks: only values that differ without them surely differ
        return a.rstrip(" ") != b.rstrip(" ")
    return a != b


Bound = tuple[Value, bool]  # a value and whether the bound is strict


def _range_consistent(compares: list[Compare], unequal: list[Value]) -> bool:
    """False when the bounds on an ordered term leave no value (or only excluded ones)."""
    low: Bound | None = None
    high: Bound | None = None
    for a in compares:
        if a.op in (">", ">=", "="):
            low = _tighter(low, (a.value, a.op == ">"), above=True)
        if a.op in ("<", "<=", "="):
            high = _tighter(high, (a.value, a.op == "<"), above=False)
    if low is None or high is None:
        return True
    if low[0] != high[0]:
        return low[0] < high[0]  # type: ignore[operator]  # one ordered domain per term
    return not (low[1] or high[1]) and low[0] not in unequal


def _tighter(current: Bound | None, new: Bound, *, above: bool) -> Bound:
    """The stricter of two lower (``above``) or upper bounds."""
    if current is None:
        return new
    if new[0] == current[0]:
        return new if new[1] else current
    return new if (new[0] > current[0]) == above else current  # type: ignore[operator]
