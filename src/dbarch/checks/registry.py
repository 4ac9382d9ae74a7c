"""The rule registry: every ``dbarch check`` rule as data.

A rule is a check function decorated with :func:`rule`, which turns it into a
:class:`Rule` (stable code, name, severity, summary, rationale, fix, a bad and a good
example, parameters). Rules live in one module per family; the family is the module's
name. :func:`all_rules` collects them in code order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from dbarch.checks.findings import Hit, Severity

if TYPE_CHECKING:
    from dbarch.checks.context import RuleContext

FAMILIES = (
    "suppression",
    "integrity",
    "naming",
    "types",
    "indexing",
    "structure",
    "security",
    "normalization",
)

ParamValue = int | str | tuple[str, ...]
CheckFunction = Callable[["RuleContext"], Iterator[Hit]]


@dataclass(frozen=True)
class Param:
    """A setting of a rule, changed in the configuration file.

    The default's type is the parameter's type: an integer, a string (one of ``choices``
    when there are some) or a list of strings.
    """

    name: str
    default: ParamValue
    help: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One rule. ``statistics`` rules read a live database's statistics or sample rows
    and only run when the SOURCE is a live database. ``config`` is the configuration
    (``dbarch.toml`` text) that the ``bad`` and ``good`` examples assume."""

    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    rationale: str
    fix: str
    bad: str
    good: str
    check: CheckFunction
    params: tuple[Param, ...] = ()
    statistics: bool = False
    config: str = ""

    def param(self, name: str) -> Param:
        """The parameter ``name``; ``KeyError`` when the rule has none of that name."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    rationale: str,
    fix: str,
    bad: str,
    good: str,
    params: tuple[Param, ...] = (),
    statistics: bool = False,
    config: str = "",
) -> Callable[[CheckFunction], Rule]:
    """Decorator: the check function below becomes a :class:`Rule` of its module's family.

    ``bad`` and ``good`` are model file snippets (YAML), or SQL for statistics rules;
    ``config`` is the ``dbarch.toml`` text the examples assume, if any.
    """

    def make(check: CheckFunction) -> Rule:
        family = check.__module__.rsplit(".", 1)[-1]
        return Rule(
            code=code,
            name=name,
            family=family,
            severity=severity,
            summary=summary,
            rationale=" ".join(rationale.split()),
            fix=" ".join(fix.split()),
            bad=bad.strip("\n"),
            good=good.strip("\n"),
            check=check,
            params=params,
            statistics=statistics,
            config=config.strip("\n"),
        )

    return make


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of every family, in code order."""
    found: dict[str, Rule] = {}
    for family in FAMILIES:
        module = importlib.import_module(f"dbarch.checks.{family}")
        for value in vars(module).values():
            if isinstance(value, Rule) and value.family == family:
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"rule code {value.code} is defined twice")
                found[value.code] = value
    return tuple(sorted(found.values(), key=lambda r: r.code))


def find_rule(key: str) -> Rule | None:
    """The rule whose code (any case) or name is ``key``, or ``None``."""
    folded = key.strip().lower()
    for r in all_rules():
        if folded in (r.code.lower(), r.name):
            return r
    return None
