"""Schema -> PostgreSQL DDL: complete, dependency-ordered, deterministic."""

from __future__ import annotations

from dbarch.ddl.order import CycleError, Step, order_steps
from dbarch.ddl.plan import Part, build_steps
from dbarch.ddl.render import HEADER
from dbarch.gcpause import cycle_collector_paused
from dbarch.model.objects import Schema

__all__ = ["to_ddl"]


def to_ddl(schema: Schema) -> str:
    """The DDL that creates ``schema`` in an empty database, one statement per paragraph.

    Dependency cycles through a column default or a check (a function that returns a
    table's row type used in that table's default, say) are broken the way pg_dump
    breaks them: the default or check is set by a later ``ALTER``.
    """
    statements = [*HEADER]
    with cycle_collector_paused():
        for step in ordered_steps(schema):
            statements.extend(step.statements)
    return "\n\n".join(statements) + "\n"


def ordered_steps(schema: Schema) -> list[Step]:
    """The DDL steps of ``schema`` in dependency order; a cycle is broken by splitting
    out soft parts (a foreign key, a default) into steps of their own."""
    split: set[Part] = set()
    while True:
        steps = build_steps(schema, frozenset(split))
        try:
            return order_steps(steps)
        except CycleError as error:
            for cycle in error.cycles:
                parts = _breakable(cycle)
                if not parts:
                    raise CycleError([cycle]) from None
                split |= parts


def _breakable(cycle: tuple[Step, ...]) -> set[Part]:
    """The soft parts of the first step in ``cycle`` that can let go of its successor."""
    for i, step in enumerate(cycle):
        successor = cycle[(i + 1) % len(cycle)].key
        if successor in step.requires:
            continue
        parts = {(step.key, part) for part, keys in step.soft.items() if successor in keys}
        if parts:
            return parts
    return set()
