"""The rule registry: every lint rule as data (code, severity, summary, why, fix) + its check.

Codes are stable forever: ``DBA`` + family digit + number. A rule is registered by the
:func:`rule` decorator in its family module (``dbarch.migrate.lint.rules.*``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from dbarch.migrate.lint.analysis import FileState, Statement


class Severity(StrEnum):
    """How bad a finding is: ``error`` will fail or lose data, ``warning`` blocks or
    breaks under load, ``info`` is a design choice worth a second look."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Hit:
    """What a check found in one statement; ``offset`` points inside the file text."""

    message: str
    why: str
    fix: str
    offset: int | None = None
    severity: Severity | None = None
    """Overrides the rule's severity for this finding (e.g. a hazard that may not apply)."""


@dataclass(frozen=True)
class Family:
    """A group of rules sharing the code's first digit."""

    digit: int
    title: str
    description: str


FAMILIES: tuple[Family, ...] = (
    Family(1, "Index builds", "Building, dropping and refreshing without blocking writes."),
    Family(2, "Constraints", "Adding constraints without long locks or full scans under them."),
    Family(3, "Rewrites", "Statements that copy or scan the whole table under a strong lock."),
    Family(4, "Breaking changes", "Changes that break the application code running now."),
    Family(5, "Locks and transactions", "Waiting for locks, and what transactions hold."),
    Family(6, "Type choices", "Column types that cause trouble later."),
)

Check = Callable[[Statement, FileState], Iterable[Hit]]
Finish = Callable[[FileState], Iterable[tuple[Statement, Hit]]]


@dataclass(frozen=True)
class Rule:
    """One lint rule: stable ``code``, ``name``, severity, summary, why, fix and its check."""

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    fix: str
    check: Check | None = None
    finish: Finish | None = None

    @property
    def family(self) -> Family:
        return next(f for f in FAMILIES if f.digit == int(self.code[3]))


_RULES: dict[str, Rule] = {}


def _register(new: Rule) -> None:
    for known in _RULES.values():
        if new.code == known.code or new.name == known.name:
            raise ValueError(f"rule {new.code} {new.name} registered twice")
    _RULES[new.code] = new


def rule(
    code: str, name: str, severity: Severity, *, summary: str, why: str, fix: str
) -> Callable[[Check], Check]:
    """Register the decorated function as the check of a new rule."""

    def register(check: Check) -> Check:
        _register(Rule(code, name, severity, summary, why, fix, check=check))
        return check

    return register


def end_rule(
    code: str, name: str, severity: Severity, *, summary: str, why: str, fix: str
) -> Callable[[Finish], Finish]:
    """Register the decorated function as a rule checked once, at the end of each file."""

    def register(finish: Finish) -> Finish:
        _register(Rule(code, name, severity, summary, why, fix, finish=finish))
        return finish

    return register


def all_rules() -> tuple[Rule, ...]:
    """Every rule, by code (importing the family modules on first use)."""
    from dbarch.migrate.lint import rules as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return tuple(_RULES[code] for code in sorted(_RULES))


def find_rule(key: str) -> Rule | None:
    """The rule with code or name ``key`` (case-insensitive)."""
    wanted = key.strip().lower()
    return next((r for r in all_rules() if wanted in (r.code.lower(), r.name)), None)
