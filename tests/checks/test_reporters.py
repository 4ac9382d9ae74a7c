"""Reporters: text, JSON and SARIF 2.1.0; the same input gives byte-identical output."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from dbarch.checks.config import CheckConfig
from dbarch.checks.engine import active_rules, run_checks
from dbarch.checks.findings import Finding, Severity
from dbarch.checks.locations import ModelLocations
from dbarch.checks.reporters import print_text, summary, to_json, to_sarif
from dbarch.errors import Location
from dbarch.model.loader import load_model

MODEL = """\
tables:
  - name: account
    comment: Accounts.
    columns:
      - {name: id, type: integer, primary_key: true, comment: Key.}
      - {name: password, type: text, comment: The password.}
"""


def _findings(tmp_path: Path) -> tuple[list[Finding], Path]:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL)
    return run_checks(load_model(path), CheckConfig(), None, ModelLocations.read(path)), path


def _text(findings: list[Finding], notes: list[str] | None = None) -> str:
    out = io.StringIO()
    console = Console(file=out, no_color=True, width=80, highlight=False)
    print_text(findings, active_rules(CheckConfig(), statistics=False), console, notes or [])
    return out.getvalue()


def test_text_lists_where_what_fix_and_why(tmp_path: Path) -> None:
    findings, path = _findings(tmp_path)
    text = _text(findings, ["a note"])
    assert (
        f"{path}:6:9: error DBA602 column public.account.password holds a secret as text\n" in text
    )
    assert "  fix: ALTER TABLE public.account RENAME COLUMN password TO password_hash;" in text
    assert "\nDBA602 plaintext-secret: Passwords, tokens" in text
    assert text.endswith("a note\n2 findings: 1 error, 1 warning\n")
    assert _text(findings, ["a note"]) == text


def test_summary_wording() -> None:
    info = Finding("DBA507", Severity.info, "public.t", "table", "m", "r", "f")
    assert summary([]) == "no findings"
    assert summary([info]) == "1 finding: 1 info"
    assert summary([info, info]) == "2 findings: 2 info"
    assert _text([]) == "no findings\n"
    assert _text([], ["a note"]) == "a note\nno findings\n"


def test_json_keys(tmp_path: Path) -> None:
    findings, path = _findings(tmp_path)
    items = json.loads(to_json(findings))
    assert {"rule", "severity", "object", "message", "fix", "location", "reason", "kind"} <= set(
        items[0]
    )
    secret = next(i for i in items if i["rule"] == "DBA602")
    assert secret["location"] == {"file": str(path), "line": 6, "column": 9}
    assert secret["severity"] == "error"
    assert secret["object"] == "public.account.password"
    assert to_json(findings) == to_json(list(findings))


def test_sarif_is_2_1_0_with_rules_and_regions(tmp_path: Path) -> None:
    findings, path = _findings(tmp_path)
    rules = active_rules(CheckConfig(), statistics=False)
    log = json.loads(to_sarif(findings, rules, str(path)))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dbarch"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and "DBA602" in ids
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == path.as_uri()
        assert physical["region"]["startLine"] >= 1
    secret = next(r for r in run["results"] if r["ruleId"] == "DBA602")
    assert secret["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 6,
        "startColumn": 9,
    }
    assert secret["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "public.account.password", "kind": "column"}
    ]


def test_sarif_without_positions_points_at_the_source_or_nothing() -> None:
    finding = Finding("DBA101", Severity.error, "public.t", "table", "m", "r", "f")
    placed = Finding(
        "DBA101", Severity.error, "public.t", "table", "m", "r", "f", Location("a b.yaml", 3, 1)
    )
    rules = active_rules(CheckConfig(), statistics=False)
    [result] = json.loads(to_sarif([finding], rules, "schema/dir"))["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "schema/dir"}}
    [result] = json.loads(to_sarif([finding], rules, None))["runs"][0]["results"]
    assert "physicalLocation" not in result["locations"][0]
    # a finding about a whole file sits on its first line (code scanning needs a line)
    [result] = json.loads(to_sarif([finding], rules, "schema.sql"))["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "schema.sql"},
        "region": {"startLine": 1},
    }
    [result] = json.loads(to_sarif([placed], rules, None))["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b.yaml"
