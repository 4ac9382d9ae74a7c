"""``dbarch lint`` as a user runs it: exit codes, formats, stdin, errors; the rule docs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dbarch.migrate.lint import all_rules
from dbarch.migrate.lint.docs import rules_markdown
from dbarch.migrate.lint.sarif import LEVELS

REPO = Path(__file__).resolve().parents[2]
BAD = "CREATE INDEX i ON orders (created_at);\n"
CLEAN = "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY i ON orders (created_at);\n"


def dbarch(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dbarch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(Path.home())},
        check=False,
    )


def test_clean_file_exits_0(tmp_path: Path) -> None:
    (tmp_path / "ok.sql").write_text(CLEAN)
    done = dbarch("lint", str(tmp_path / "ok.sql"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "no findings\n"


def test_findings_exit_1_with_file_line_col(tmp_path: Path) -> None:
    (tmp_path / "V2__idx.sql").write_text("SELECT 1;\n" + BAD)
    done = dbarch("lint", str(tmp_path / "V2__idx.sql"))
    assert done.returncode == 1
    assert f"{tmp_path / 'V2__idx.sql'}:2:1: warning DBA101 (create-index-not-concurrently)" in (
        done.stdout
    )
    assert "CREATE INDEX CONCURRENTLY i ON orders (created_at);" in done.stdout
    assert done.stdout.endswith("2 findings (2 warning)\n")


def test_stdin_and_json(tmp_path: Path) -> None:
    done = dbarch("lint", "-", "--format", "json", stdin=BAD)
    assert done.returncode == 1
    rows = json.loads(done.stdout)
    assert [r["rule"] for r in rows] == ["DBA101", "DBA501"]
    assert all(
        list(r) == ["rule", "severity", "file", "line", "column", "message", "why", "fix"]
        for r in rows
    )
    assert rows[0]["file"] == "<stdin>" and rows[0]["line"] == 1 and rows[0]["column"] == 1
    assert dbarch("lint", "-", "--format", "json", stdin=BAD).stdout == done.stdout


def test_syntax_error_exits_2_with_location(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_text("SELECT 1;\nALTER TABL t ADD a int;\n")
    done = dbarch("lint", str(tmp_path / "bad.sql"))
    assert done.returncode == 2
    assert done.stderr == f'error: {tmp_path / "bad.sql"}:2:7: syntax error at or near "TABL"\n'


@pytest.mark.parametrize(
    ("files", "message"),
    [(["missing.sql"], "missing.sql: No such file"), (["-"], "unknown rule 'DBA000'")],
)
def test_errors_exit_2(files: list[str], message: str) -> None:
    done = dbarch("lint", *files, stdin="-- dbarch:ignore DBA000\nSELECT 1;\n")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert "Traceback" not in done.stderr


def test_suppression_through_the_cli() -> None:
    sql = "-- dbarch:ignore-file DBA501\n-- dbarch:ignore DBA101\n" + BAD
    assert dbarch("lint", "-", stdin=sql).returncode == 0


def test_assume_in_transaction_flag() -> None:
    done = dbarch("lint", "-", "--assume-in-transaction", "--format", "json", stdin=CLEAN)
    assert done.returncode == 1
    assert [r["rule"] for r in json.loads(done.stdout)] == ["DBA104"]


def test_sarif_structure() -> None:
    done = dbarch("lint", "-", "--format", "sarif", stdin="SELECT 1;\n" + BAD)
    assert done.returncode == 1
    log = json.loads(done.stdout)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dbarch"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [r.code for r in all_rules()]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in LEVELS.values()
    assert [r["ruleId"] for r in run["results"]] == ["DBA101", "DBA501"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "%3Cstdin%3E"
        assert physical["region"] == {"startLine": 2, "startColumn": 1}


def test_rule_docs_are_generated_from_the_registry() -> None:
    checked_in = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert checked_in == rules_markdown(), (
        "docs/lint-rules.md is stale: regenerate it with "
        "python -c 'from dbarch.migrate.lint.docs import rules_markdown as m; "
        'open("docs/lint-rules.md", "w").write(m())\''
    )
    for rule in all_rules():
        assert f"### {rule.code} {rule.name}" in checked_in
