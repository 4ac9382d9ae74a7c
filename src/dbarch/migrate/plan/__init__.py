"""Changes -> a migration plan: steps with SQL, reverse, locks and effects.

:func:`plan` turns a :class:`~dbarch.migrate.diff.compare.Diff` into a
:class:`~dbarch.migrate.plan.steps.Plan`, zero-downtime by default (see the ``recipes_*``
modules and :mod:`.expand`, :mod:`.notnull`, :mod:`.retry`); destructive changes and
changes that cannot be made online are refused with :class:`PlanError` listing why.
"""

from __future__ import annotations

from dbarch.migrate.diff.compare import Diff
from dbarch.migrate.plan import recipes_columns, recipes_enums, recipes_objects, recipes_pieces
from dbarch.migrate.plan.planner import Planner
from dbarch.migrate.plan.steps import Plan, PlanError, PlanOptions, Step

__all__ = ["Plan", "PlanError", "PlanOptions", "Step", "plan"]

# importing the recipe modules registers their recipes with the planner
_RECIPE_MODULES = (recipes_columns, recipes_enums, recipes_objects, recipes_pieces)


def plan(diff: Diff, options: PlanOptions | None = None) -> Plan:
    """The plan of ``diff`` (zero-downtime unless ``options`` say otherwise)."""
    return Planner(diff, options or PlanOptions()).plan()
