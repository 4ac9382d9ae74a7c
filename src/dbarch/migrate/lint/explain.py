"""Why a statement hurts, in words taken from the lock facts table."""

from __future__ import annotations

from dbarch.migrate.lint.effects import Effect
from dbarch.migrate.locks import LockMode, Role, fact

_ROLE_FALLBACK = {
    Role.TABLE: "its table",
    Role.REFERENCED: "the referenced table",
    Role.INDEX: "the index",
    Role.PARTITION: "the partition",
    Role.SOURCE: "the tables it reads",
}
QUEUE = (
    "While it waits for that lock, every later query on the table queues behind it, so a "
    "single long-running transaction stalls the application."
)


def impact(mode: LockMode) -> str:
    """What a lock mode stops other sessions from doing."""
    if mode.blocks_reads:
        return "blocks reads and writes"
    if mode.blocks_writes:
        return "blocks writes"
    if mode is LockMode.SHARE_UPDATE_EXCLUSIVE:
        return "blocks other schema changes and VACUUM, not reads or writes"
    return "blocks only ACCESS EXCLUSIVE"


def describe(effect: Effect) -> str:
    """``'create index: takes SHARE on orders (blocks writes) and reads every row...'``."""
    facts = fact(effect.operation)

    def name(role: Role) -> str:
        table = effect.table(role)
        return table.sql if table is not None else _ROLE_FALLBACK[role]

    locks = " and ".join(
        f"{mode.sql_name} on {name(role)} ({impact(mode)})" for role, mode in facts.locks
    )
    text = f"{facts.operation.value} takes {locks}" if locks else facts.operation.value
    subject = name(facts.subject)
    if facts.rewrites and facts.scans:
        text += f", and rewrites {subject} (every row and index is copied) while holding it"
    elif facts.rewrites:
        text += f", and replaces the data file of {subject}"
    elif facts.scans:
        text += f", and reads every row of {subject} while holding it"
    text += "."
    if not facts.transactional:
        text += " It cannot run inside a transaction block."
    return text
