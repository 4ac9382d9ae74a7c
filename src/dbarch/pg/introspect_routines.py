"""Introspection of functions, procedures and aggregates from catalog rows."""

from __future__ import annotations

from dbarch.model.objects import Aggregate, Function, Volatility
from dbarch.pg.introspect_common import (
    Context,
    Row,
    options,
    privileges,
    sql_name,
    sql_operator,
)

_VOLATILITY = {"i": Volatility.immutable, "s": Volatility.stable, "v": Volatility.volatile}
_PARALLEL = {"s": "safe", "r": "restricted", "u": "unsafe"}
_SET_RETURNING_ROWS = 1000.0


def _default_cost(language: str) -> float:
    """``procost`` PostgreSQL gives a function created without COST."""
    return 1.0 if language in ("c", "internal") else 100.0


def function(row: Row, ctx: Context) -> Function:
    """A function or procedure; cost, rows and settings only when not the defaults."""
    grants, revokes = privileges(row["acl"], row["acl_default"])
    rows = row["rows"] if row["returns_set"] and row["rows"] != _SET_RETURNING_ROWS else None
    return Function(
        name=row["name"],
        schema_=row["schema"],
        kind="procedure" if row["kind"] == "p" else "function",
        arguments=row["arguments"],
        returns=row["returns"],
        language=row["language"],
        body=row["body"],
        sql_body=row["sql_body"],
        volatility=_VOLATILITY[row["volatility"]],
        strict=row["strict"],
        security_definer=row["security_definer"],
        leakproof=row["leakproof"],
        parallel=_PARALLEL[row["parallel"]],
        cost=None if row["cost"] == _default_cost(row["language"]) else row["cost"],
        rows=rows,
        config=options(row["config"]),
        owner=ctx.owner(row["owner"]),
        grants=grants,
        revokes=revokes,
        comment=row["comment"],
    )


def aggregate(row: Row, ctx: Context) -> Aggregate:
    """An ordinary aggregate with its support functions."""
    grants, revokes = privileges(row["acl"], row["acl_default"])
    return Aggregate(
        name=row["name"],
        schema_=row["schema"],
        arguments=row["arguments"],
        sfunc=sql_name(row["sfunc"]),
        stype=row["stype"],
        finalfunc=sql_name(row["finalfunc"]),
        combinefunc=sql_name(row["combinefunc"]),
        initcond=row["initcond"],
        sortop=sql_operator(row["sortop"]),
        parallel=_PARALLEL[row["parallel"]],
        owner=ctx.owner(row["owner"]),
        grants=grants,
        revokes=revokes,
        comment=row["comment"],
    )
