"""A migration plan: steps with their SQL, reverse, locks and effects on the tables.

Every step runs as one unit: in one transaction when ``transactional``, else on its own
outside any transaction block (``CREATE INDEX CONCURRENTLY``, a batched backfill that
commits as it goes). A step that ``needs_commit`` must be committed before the next
one runs (new enum labels cannot be used in the transaction that added them). Step SQL
assumes the session settings of :data:`SESSION`. Undoing a plan runs each step's
``reverse`` steps, last step first; ``irreversible`` says what the reverse cannot bring
back (the rows of a dropped column, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dbarch.errors import DbarchError
from dbarch.migrate.locks import LockMode

SESSION = (
    "SET check_function_bodies = false;",
    "SET client_min_messages = warning;",
    "SET search_path = public, pg_catalog;",
)


@dataclass(frozen=True)
class Effects:
    """What a step does to existing tables: the lock it holds on each (``(table,
    mode)``, table as qualified SQL), whether it rewrites or scans one, and whether it
    can run inside a transaction block."""

    locks: tuple[tuple[str, LockMode], ...] = ()
    rewrites: bool = False
    scans: bool = False
    transactional: bool = True

    def __or__(self, other: Effects) -> Effects:
        """The effects of running both in one step."""
        locks: dict[str, LockMode] = dict(self.locks)
        for table, mode in other.locks:
            locks[table] = max(mode, locks.get(table, mode))
        return Effects(
            tuple(locks.items()),
            self.rewrites or other.rewrites,
            self.scans or other.scans,
            self.transactional and other.transactional,
        )


NO_EFFECTS = Effects()


@dataclass(frozen=True)
class Step:
    """One unit of a migration."""

    summary: str
    sql: str
    effects: Effects = NO_EFFECTS
    reverse: tuple[Step, ...] = ()
    irreversible: str | None = None
    needs_commit: bool = False  # later steps may use what it made once it is committed

    @property
    def lock(self) -> LockMode | None:
        """The strongest lock the step takes on any table."""
        return max((mode for _, mode in self.effects.locks), default=None)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables the step locks, as qualified SQL names."""
        return tuple(table for table, _ in self.effects.locks)

    @property
    def rewrites(self) -> bool:
        return self.effects.rewrites

    @property
    def scans(self) -> bool:
        return self.effects.scans

    @property
    def transactional(self) -> bool:
        return self.effects.transactional

    @property
    def reverse_sql(self) -> str:
        """The SQL of the reverse steps, in order ('' when there is nothing to undo)."""
        return "\n".join(step.sql for step in self.reverse)


@dataclass(frozen=True)
class PlanOptions:
    """How to plan.

    ``zero_downtime`` (the default) plans online DDL (see :mod:`dbarch.migrate.plan`);
    False plans plain DDL. ``allow_destructive`` lets steps drop data. Statements that
    take a lock blocking reads or writes run with ``lock_timeout`` and are retried up to
    ``lock_retries`` times with a doubling pause from ``retry_delay`` seconds; backfills
    update ``batch_pages`` table pages per transaction.
    """

    zero_downtime: bool = True
    allow_destructive: bool = False
    lock_timeout: str = "2s"
    lock_retries: int = 10
    retry_delay: float = 0.5
    batch_pages: int = 100

    def __post_init__(self) -> None:
        if self.lock_retries < 1 or self.batch_pages < 1 or self.retry_delay < 0:
            raise DbarchError(
                "lock_retries and batch_pages must be positive, retry_delay not negative"
            )


@dataclass(frozen=True)
class Plan:
    """The steps of a migration, in order, and the warnings about it."""

    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    zero_downtime: bool = True
    session: tuple[str, ...] = field(default=SESSION)

    def reversed(self) -> Plan:
        """The plan that undoes this one: each step's reverse steps, last step first."""
        steps = tuple(r for step in reversed(self.steps) for r in step.reverse)
        warnings = tuple(
            f"{step.summary}: {step.irreversible}" for step in self.steps if step.irreversible
        )
        return Plan(steps, warnings, self.zero_downtime, self.session)


class PlanError(DbarchError):
    """Changes the plan refuses to make, each with its reason."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        lines = "\n".join(f"  - {reason}" for reason in reasons)
        super().__init__(f"the migration is refused:\n{lines}")
