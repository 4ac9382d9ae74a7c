"""Rule configuration: ``dbarch.toml`` or ``[tool.dbarch]`` in ``pyproject.toml``.

::

    [check]
    disable = ["naming", "DBA508"]      # "all", a family, a rule code or a rule name
    enable = ["DBA205"]                 # applied after disable: wins

    [check.rules.god-table]             # a rule by code or name
    severity = "error"                  # error, warning or info
    max_columns = 40                    # the rule's parameters (``dbarch rules``)

Without ``--config``, the first directory from the current one upwards that holds a
``dbarch.toml``, or a ``pyproject.toml`` with a ``[tool.dbarch]`` table, is used;
``dbarch.toml`` wins when a directory has both.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dbarch.checks.findings import Severity
from dbarch.checks.registry import FAMILIES, Param, ParamValue, Rule, all_rules, find_rule
from dbarch.errors import DbarchError
from dbarch.spelling import did_you_mean

CONFIG_FILE = "dbarch.toml"
PYPROJECT = "pyproject.toml"
_CHECK_KEYS = ("disable", "enable", "rules")


class CheckConfigError(DbarchError):
    """A configuration file dbarch cannot use; the message names the file and the key."""


@dataclass(frozen=True)
class RuleSettings:
    """How one rule runs: on or off, at which severity, with which parameters."""

    enabled: bool
    severity: Severity
    params: Mapping[str, ParamValue]


@dataclass(frozen=True)
class CheckConfig:
    """The check configuration; the default runs every rule as the registry defines it.

    ``disable`` and ``enable`` hold selectors ("all", a family, a rule code); severity
    and parameter overrides are keyed by rule code.
    """

    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    params: Mapping[str, Mapping[str, ParamValue]] = field(default_factory=dict)

    def settings(self, r: Rule) -> RuleSettings:
        """The settings of rule ``r``."""
        enabled = not any(_selects(s, r) for s in self.disable) or any(
            _selects(s, r) for s in self.enable
        )
        params = {p.name: p.default for p in r.params}
        params.update(self.params.get(r.code, {}))
        return RuleSettings(enabled, self.severity.get(r.code, r.severity), params)


def _selects(selector: str, r: Rule) -> bool:
    return selector in ("all", r.family, r.code)


# --------------------------------------------------------------------------- files


def find_config(start: Path) -> Path | None:
    """The configuration file that applies in directory ``start``, or ``None``."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _tool_dbarch(pyproject) is not None:
            return pyproject
    return None


def _tool_dbarch(path: Path) -> object:
    """The ``[tool.dbarch]`` value of pyproject file ``path`` (``None`` when absent);
    a ``tool`` that is not a table is an error."""
    tool = _read_toml(path).get("tool", {})
    if not isinstance(tool, dict):
        raise CheckConfigError(f"{path}: [tool]: expected a table")
    return tool.get("dbarch")


def load_config(path: Path | None = None, *, start: Path | None = None) -> CheckConfig:
    """The configuration in ``path``, else the one found from ``start`` (default: the
    current directory), else the default configuration."""
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return CheckConfig()
    if path.name == PYPROJECT:
        data = _tool_dbarch(path)
        if data is None:
            return CheckConfig()
        if not isinstance(data, dict):
            raise CheckConfigError(f"{path}: [tool.dbarch]: expected a table")
        prefix = "tool.dbarch.check"
    else:
        data = _read_toml(path)
        prefix = "check"
    section = data.get("check", {})
    return parse_config(section, f"{path}: [{prefix}]")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise CheckConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CheckConfigError(f"{path}: invalid TOML: {exc}") from None


# --------------------------------------------------------------------------- validation


def parse_config(section: object, where: str = "[check]") -> CheckConfig:
    """A :class:`CheckConfig` from the ``[check]`` table ``section``; ``where`` prefixes
    messages. Unknown keys, rules, parameters and badly typed values are errors."""
    if not isinstance(section, dict):
        raise CheckConfigError(f"{where}: expected a table")
    for key in section:
        if key not in _CHECK_KEYS:
            raise CheckConfigError(f"{where}: unknown key '{key}'" + did_you_mean(key, _CHECK_KEYS))
    rules = section.get("rules", {})
    if not isinstance(rules, dict):
        raise CheckConfigError(f"{where}: 'rules' must be a table of rule tables")
    severity: dict[str, Severity] = {}
    params: dict[str, dict[str, ParamValue]] = {}
    for key, settings in rules.items():
        r = _rule(key, f"{where}.rules")
        at = f"{where}.rules.{key}"
        if not isinstance(settings, dict):
            raise CheckConfigError(f"{at}: expected a table of settings")
        for name, value in settings.items():
            if name == "severity":
                severity[r.code] = _severity(value, at)
            else:
                params.setdefault(r.code, {})[name] = _param(r, name, value, at)
    return CheckConfig(
        disable=_selectors(section.get("disable", []), f"{where}.disable"),
        enable=_selectors(section.get("enable", []), f"{where}.enable"),
        severity=severity,
        params=params,
    )


def _rule(key: str, where: str) -> Rule:
    found = find_rule(key)
    if found is None:
        names = [r.code for r in all_rules()] + [r.name for r in all_rules()]
        raise CheckConfigError(f"{where}: unknown rule '{key}'" + did_you_mean(key, names))
    return found


def _selectors(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CheckConfigError(f"{where}: expected a list of rule codes, names or families")
    selectors: list[str] = []
    for item in value:
        if item in ("all", *FAMILIES):
            selectors.append(item)
        else:
            selectors.append(_rule(item, where).code)
    return tuple(selectors)


def _severity(value: object, where: str) -> Severity:
    choices = [s.value for s in Severity]
    if value not in choices:
        raise CheckConfigError(f"{where}: severity must be one of {', '.join(choices)}")
    return Severity(value)


def _param(r: Rule, name: str, value: object, where: str) -> ParamValue:
    try:
        param = r.param(name)
    except KeyError:
        names = ["severity", *(p.name for p in r.params)]
        raise CheckConfigError(
            f"{where}: {r.code} has no parameter '{name}'" + did_you_mean(name, names)
        ) from None
    problem = _type_problem(param, value)
    if problem is not None:
        raise CheckConfigError(f"{where}.{name}: {problem}")
    if isinstance(value, list):
        return tuple(value)
    assert isinstance(value, int | str)
    return value


def _type_problem(param: Param, value: object) -> str | None:
    default = param.default
    if isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "expected a list of strings"
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "expected a whole number (0 or more)"
    if not isinstance(value, str):
        return "expected a string"
    if param.choices and value not in param.choices:
        return f"expected one of {', '.join(param.choices)}"
    return None
