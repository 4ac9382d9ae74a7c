"""SET NOT NULL without scanning under ACCESS EXCLUSIVE.

A CHECK (column IS NOT NULL) is added NOT VALID (brief lock), validated (a scan under
SHARE UPDATE EXCLUSIVE, which lets reads and writes go on), and then SET NOT NULL finds
it and skips its own scan; the check is dropped in the same short transaction.
"""

from __future__ import annotations

from dbarch.migrate.locks import Operation
from dbarch.migrate.plan import sql
from dbarch.migrate.plan.facts import effects
from dbarch.migrate.plan.names import temp_name
from dbarch.migrate.plan.planner import Draft, Planner
from dbarch.model.objects import Table
from dbarch.pg.quote import quote_ident


def not_null_drafts(p: Planner, table: Table, column: str, label: str) -> list[Draft]:
    """The steps that make ``column`` of ``table`` NOT NULL (online or plain)."""
    if not p.online:
        statement = sql.set_nullable(table, column, False)
        return [
            p.draft(
                f"set {label} NOT NULL", [statement], effects(Operation.SET_NOT_NULL, table=table)
            )
        ]
    taken = {c.name for c in table.checks if c.name}
    check = temp_name(f"{table.name}_{column}", "_not_null", taken)
    add = (
        f"{sql.alter_table(table)} ADD CONSTRAINT {quote_ident(check)}"
        f" CHECK ({quote_ident(column)} IS NOT NULL) NOT VALID;"
    )
    return [
        p.draft(
            f"prove {label} NOT NULL: add a NOT VALID check",
            [add],
            effects(Operation.ADD_CHECK_NOT_VALID, table=table),
        ),
        p.draft(
            f"prove {label} NOT NULL: validate the check",
            [sql.validate_constraint(table, check)],
            effects(Operation.VALIDATE_CHECK, table=table),
        ),
        p.draft(
            f"set {label} NOT NULL and drop the proving check",
            [sql.set_nullable(table, column, False), sql.drop_constraint(table, check)],
            effects(Operation.SET_NOT_NULL_PROVEN, table=table)
            | effects(Operation.DROP_CONSTRAINT, table=table),
        ),
    ]
