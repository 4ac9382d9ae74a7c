"""Changes -> steps: the recipes' common machinery and the global order of the steps.

Each change becomes one or more steps (its *recipe*, see the ``recipes_*`` modules).
The reverse of a change is the recipe of its inverse, attached to the change's last
step: undoing the plan runs it after the reverse of everything that came after the
change was complete (dependents created again, say), and before the reverse of what
came before it. Steps are put
in order with the changes' dependency keys (a recipe may give a step its own keys: the
swap of an expand/contract change is what needs a dependent view out of the way, not the
column added before it), so dependents are dropped as late and created as early as the
order allows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NoReturn

from dbarch.ddl.lookup import Catalog, Key
from dbarch.migrate.diff.changes import Change, CreateObject, Deps, DropObject
from dbarch.migrate.diff.compare import Diff, change_phase
from dbarch.migrate.diff.graph import Graph
from dbarch.migrate.diff.order import Item, order
from dbarch.migrate.plan.facts import table_name
from dbarch.migrate.plan.retry import with_retries, with_timeout
from dbarch.migrate.plan.steps import (
    NO_EFFECTS,
    Effects,
    Plan,
    PlanError,
    PlanOptions,
    Step,
)
from dbarch.model.objects import Table


@dataclass(frozen=True)
class Draft:
    """A step of a recipe with the ordering keys it has beyond its change's."""

    step: Step
    deps: Deps | None = None  # None: the change's
    chained: bool = True  # after the recipe's previous step


Recipe = Callable[["Planner", Change], list[Draft]]
RECIPES: dict[type[Change], Recipe] = {}


def recipe(kind: type[Change]) -> Callable[[Recipe], Recipe]:
    """Register the recipe of a change type."""

    def register(function: Recipe) -> Recipe:
        RECIPES[kind] = function
        return function

    return register


class Refused(Exception):
    """Raised inside a recipe to abandon it; the reason is already recorded."""


class Planner:
    """Plans the changes of one diff."""

    def __init__(self, diff: Diff, options: PlanOptions, *, reversing: bool = False) -> None:
        self.diff = diff
        self.options = options
        self.reversing = reversing
        self.refusals: list[str] = []
        self.warnings: list[str] = []
        self.created: frozenset[str] = frozenset(
            table_name(c.obj)
            for c in diff.changes
            if isinstance(c, CreateObject) and isinstance(c.obj, Table) and not reversing
        )

    # ------------------------------------------------------------------ for recipes

    @property
    def target(self) -> Graph:
        """The graph of the Schema the planned changes lead to."""
        return self.diff.old if self.reversing else self.diff.new

    @property
    def source(self) -> Graph:
        """The graph of the Schema the planned changes start from."""
        return self.diff.new if self.reversing else self.diff.old

    @property
    def target_catalog(self) -> Catalog:
        """Objects of the Schema the planned changes lead to, by name."""
        return self.target.catalog

    @property
    def source_catalog(self) -> Catalog:
        """Objects of the Schema the planned changes start from, by name."""
        return self.source.catalog

    def keys_of(self, key: Key) -> frozenset[Key]:
        """Step keys of an object of the target Schema."""
        return self.target.keys_of(key)

    def old_keys_of(self, key: Key) -> frozenset[Key]:
        """Step keys of an object of the source Schema."""
        return self.source.keys_of(key)

    @property
    def online(self) -> bool:
        """True for a zero-downtime plan."""
        return self.options.zero_downtime

    def refuse(self, reason: str) -> NoReturn:
        """Record why a change cannot be planned; stops the recipe."""
        self.refusals.append(reason)
        raise Refused(reason)

    def destructive(self, reason: str) -> None:
        """Refuse a step that loses data unless destructive changes are allowed."""
        if not (self.options.allow_destructive or self.reversing):
            self.refuse(f"{reason} (pass --allow-destructive to allow it)")

    def step(
        self,
        summary: str,
        statements: Sequence[str],
        effects: Effects = NO_EFFECTS,
        *,
        irreversible: str | None = None,
    ) -> Step:
        """A step running ``statements`` together, guarded when it takes a strong lock."""
        return Step(summary, self._guarded(statements, effects), effects, (), irreversible)

    def draft(
        self,
        summary: str,
        statements: Sequence[str],
        effects: Effects = NO_EFFECTS,
        *,
        irreversible: str | None = None,
        deps: Deps | None = None,
        chained: bool = True,
    ) -> Draft:
        """:meth:`step` as a :class:`Draft`."""
        step = self.step(summary, statements, effects, irreversible=irreversible)
        return Draft(step, deps, chained)

    def _guarded(self, statements: Sequence[str], effects: Effects) -> str:
        strong = [
            table
            for table, mode in effects.locks
            if (mode.blocks_writes or mode.blocks_reads) and table not in self.created
        ]
        if not self.online or not strong:
            return "\n".join(statements)
        if effects.transactional:
            return with_retries(statements, self.options)
        return "\n".join(with_timeout(s, self.options) for s in statements)

    def steps_of(self, change: Change) -> list[Draft]:
        """The recipe of ``change``."""
        function = RECIPES.get(type(change))
        if function is None:
            raise TypeError(f"no recipe for {type(change).__name__}")
        return function(self, change)

    def reverse_of(self, change: Change) -> tuple[Step, ...]:
        """The steps that undo ``change`` (plain DDL where online DDL is refused)."""
        for zero_downtime in dict.fromkeys((self.options.zero_downtime, False)):
            options = replace(self.options, zero_downtime=zero_downtime, allow_destructive=True)
            planner = Planner(self.diff, options, reversing=True)
            try:
                return tuple(d.step for d in planner.steps_of(change.inverse()))
            except Refused:
                continue
        return ()

    # ------------------------------------------------------------------ the plan

    def plan(self) -> Plan:
        """Every change's steps, in order; raises PlanError listing every refusal."""
        drafts: list[tuple[int, Draft]] = []
        for position, change in enumerate(self.diff.changes):
            try:
                found = self.steps_of(change)
            except Refused:
                continue
            if found and not isinstance(change, (CreateObject, DropObject)):
                last = found[-1]
                reverse = self.reverse_of(change)
                found[-1] = replace(last, step=replace(last.step, reverse=reverse))
            drafts += [(position, d) for d in found]
        if self.refusals:
            raise PlanError(list(dict.fromkeys(self.refusals)))
        items = []
        previous: dict[int, int] = {}
        for index, (position, draft) in enumerate(drafts):
            change = self.diff.changes[position]
            after = (previous[position],) if draft.chained and position in previous else ()
            items.append(
                Item(
                    draft.deps or change.deps,
                    (change_phase(change), position, index),
                    draft.step.summary,
                    after,
                    position,
                )
            )
            previous[position] = index
        steps = tuple(drafts[i][1].step for i in order(items, self.diff.old))
        warnings = (*self.diff.warnings, *dict.fromkeys(self.warnings))
        return Plan(steps, warnings, self.online)
