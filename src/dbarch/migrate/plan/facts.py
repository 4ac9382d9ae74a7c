"""The effects of a step, from the one table of lock facts (:mod:`dbarch.migrate.locks`).

Statements that table does not list yet are planned conservatively: ACCESS EXCLUSIVE on
every table they name, with no claim of a rewrite or a scan
(:func:`unlisted`); statements about objects that are not tables lock no table
(:data:`~dbarch.migrate.plan.steps.NO_EFFECTS`).
"""

from __future__ import annotations

from dbarch.migrate.locks import LockMode, Operation, Role, fact
from dbarch.migrate.plan.steps import Effects
from dbarch.model.objects import MaterializedView, Table, View
from dbarch.pg.quote import qualified

Relation = Table | View | MaterializedView


def table_name(relation: Relation | tuple[str, str]) -> str:
    """A relation as the qualified SQL name the steps report."""
    if isinstance(relation, tuple):
        return qualified(*relation)
    return qualified(relation.schema_, relation.name)


def effects(operation: Operation, **relations: Relation | tuple[str, str] | None) -> Effects:
    """The effects of ``operation`` with each role's relation named: ``table=``,
    ``referenced=``, ``partition=``, ``source=``, ``index=`` (roles left out are not
    reported)."""
    found = fact(operation)
    locks: dict[str, LockMode] = {}
    for role, mode in found.locks:
        relation = relations.get(_ARGUMENT[role])
        if relation is not None:
            name = table_name(relation)
            locks[name] = max(mode, locks.get(name, mode))
    return Effects(tuple(locks.items()), found.rewrites, found.scans, found.transactional)


_ARGUMENT = {
    Role.TABLE: "table",
    Role.REFERENCED: "referenced",
    Role.INDEX: "index",
    Role.PARTITION: "partition",
    Role.SOURCE: "source",
}


def unlisted(*relations: Relation | tuple[str, str]) -> Effects:
    """Effects of a statement the lock table does not list: ACCESS EXCLUSIVE on each
    relation it names, catalog change only."""
    return Effects(tuple((table_name(r), LockMode.ACCESS_EXCLUSIVE) for r in relations))
