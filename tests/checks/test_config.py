"""Configuration: files, search, selectors, severities, parameters, and mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbarch.checks.config import CheckConfig, CheckConfigError, find_config, load_config
from dbarch.checks.engine import run_checks
from dbarch.checks.findings import Severity
from dbarch.checks.registry import Rule, find_rule

from .helpers import load

MODEL = """
    tables:
      - name: Orders
        columns:
          - {name: id, type: integer, primary_key: true}
          - {name: total, type: real}
"""


def _rule(code: str) -> Rule:
    found = find_rule(code)
    assert found is not None
    return found


def test_default_runs_every_rule_at_its_severity() -> None:
    settings = CheckConfig().settings(_rule("DBA502"))
    assert settings.enabled
    assert settings.severity is Severity.warning
    assert settings.params == {"max_columns": 30}


def test_dbarch_toml(tmp_path: Path) -> None:
    (tmp_path / "dbarch.toml").write_text(
        """
[check]
disable = ["naming", "types"]
enable = ["name-needs-quoting"]

[check.rules.DBA207]
severity = "error"

[check.rules.god-table]
max_columns = 1
"""
    )
    config = load_config(start=tmp_path)
    codes = {(f.rule, f.severity) for f in run_checks(load(MODEL), config)}
    assert ("DBA207", Severity.error) in codes
    assert ("DBA502", Severity.warning) in codes
    assert not {c for c, _ in codes} & {"DBA201", "DBA202", "DBA305", "DBA306"}


def test_pyproject_is_found_upwards_and_dbarch_toml_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dbarch.check]\ndisable = ["all"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    assert load_config(start=deep).disable == ("all",)
    (tmp_path / "dbarch.toml").write_text("[check]\n")
    assert find_config(deep) == tmp_path / "dbarch.toml"
    assert load_config(start=deep) == CheckConfig()


def test_pyproject_without_dbarch_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    found = find_config(tmp_path)
    assert found is None or not found.is_relative_to(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[check]\ndisabel = []\n", "unknown key 'disabel'; did you mean 'disable'?"),
        ('[check]\ndisable = ["DBA999"]\n', "[check].disable: unknown rule 'DBA999'"),
        ('[check]\ndisable = "all"\n', "expected a list of rule codes, names or families"),
        ("[check.rules.god-tabel]\n", "unknown rule 'god-tabel'; did you mean 'god-table'?"),
        ('[check.rules.DBA101]\nseverity = "fatal"\n', "severity must be one of error"),
        ("[check.rules.DBA502]\nmax_colums = 3\n", "no parameter 'max_colums'; did you mean"),
        ('[check.rules.DBA502]\nmax_columns = "3"\n', "max_columns: expected a whole number"),
        ("[check.rules.DBA502]\nmax_columns = -1\n", "expected a whole number (0 or more)"),
        ('[check.rules.DBA201]\nstyle = "kebab"\n', "expected one of snake_case, camelCase"),
        ('[check.rules.DBA305]\nwords = "price"\n', "expected a list of strings"),
        ("[check.rules]\nDBA101 = 1\n", "DBA101: expected a table of settings"),
        ("[check\n", "invalid TOML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "dbarch.toml"
    path.write_text(text)
    with pytest.raises(CheckConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CheckConfigError, match="cannot read"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tool = 5\n", "[tool]: expected a table"),
        ("[tool]\ndbarch = 5\n", "[tool.dbarch]: expected a table"),
        ("[tool.dbarch]\ncheck = 5\n", "[tool.dbarch.check]: expected a table"),
    ],
)
def test_pyproject_mistakes_are_errors_found_or_given(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    for given, start in ((path, None), (None, tmp_path)):
        with pytest.raises(CheckConfigError) as caught:
            load_config(given, start=start)
        assert str(caught.value) == f"{path}: {message}"


def test_a_given_pyproject_without_dbarch_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ruff]\nline-length = 100\n")
    assert load_config(path) == CheckConfig()
