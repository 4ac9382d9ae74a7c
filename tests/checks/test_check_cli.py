"""``dbarch check`` and ``dbarch rules`` as a user runs them: a process, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.pgutil import run_sql

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
CLEAN = """\
tables:
  - name: customers
    comment: People who buy.
    columns:
      - {name: id, type: bigint, identity: {generation: always}, primary_key: true, comment: Key.}
"""
WARNING_ONLY = CLEAN.replace("customers", "customer")
ERROR = CLEAN + "      - {name: password, type: text, comment: Secret.}\n"


def dbarch(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dbarch", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(Path.home())},
        check=False,
    )


def _model(tmp_path: Path, text: str, name: str = "model.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    clean = dbarch("check", _model(tmp_path, CLEAN, "clean.yaml"), cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.endswith("no findings\n")
    warning = _model(tmp_path, WARNING_ONLY, "warning.yaml")
    assert dbarch("check", warning, cwd=tmp_path).returncode == 0
    assert dbarch("check", warning, "--fail-on", "warning", cwd=tmp_path).returncode == 1
    assert dbarch("check", warning, "--fail-on", "info", cwd=tmp_path).returncode == 1
    error = dbarch("check", _model(tmp_path, ERROR, "error.yaml"), cwd=tmp_path)
    assert error.returncode == 1
    assert "error.yaml:6:9: error DBA602 column public.customers.password" in error.stdout
    assert "DBA308, DBA405, DBA406, DBA504 (statistics and sample rows) did not run" in error.stdout


def test_json_and_sarif_on_stdout(tmp_path: Path) -> None:
    model = _model(tmp_path, ERROR)
    done = dbarch("check", model, "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    [finding] = json.loads(done.stdout)
    assert finding["rule"] == "DBA602"
    assert finding["location"] == {"file": model, "line": 6, "column": 9}
    assert "did not run" in done.stderr
    sarif = dbarch("check", model, "-f", "sarif", cwd=tmp_path)
    assert json.loads(sarif.stdout)["runs"][0]["results"][0]["ruleId"] == "DBA602"
    assert dbarch("check", model, "-f", "json", cwd=tmp_path).stdout == done.stdout


def test_configuration_is_found_and_its_mistakes_exit_2(tmp_path: Path) -> None:
    model = _model(tmp_path, WARNING_ONLY)
    (tmp_path / "dbarch.toml").write_text('[check.rules.plural-table-names]\nseverity = "error"\n')
    assert dbarch("check", model, cwd=tmp_path).returncode == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("[check]\nenable = [42]\n")
    done = dbarch("check", model, "--config", str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}: [check].enable: expected a list")
    assert "Traceback" not in done.stderr


def test_model_mistakes_and_missing_sources_exit_2(tmp_path: Path) -> None:
    done = dbarch("check", _model(tmp_path, "tables:\n  - {name: t, colums: []}\n"), cwd=tmp_path)
    assert done.returncode == 2
    assert "model.yaml:2:15: unknown key 'colums'" in done.stderr
    assert dbarch("check", str(tmp_path / "none.yaml"), cwd=tmp_path).returncode == 2


def test_sql_source_keeps_comment_suppressions(tmp_path: Path, dev_url: str) -> None:
    sql = tmp_path / "schema.sql"
    sql.write_text(
        "CREATE TABLE staging (payload json);\n"
        "COMMENT ON TABLE staging IS 'Loader landing area. dbarch:ignore DBA101, DBA307';\n"
    )
    done = dbarch("check", str(sql), "--dev-url", dev_url, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rules = {f["rule"] for f in json.loads(done.stdout)}
    assert "DBA508" in rules
    assert not rules & {"DBA101", "DBA307"}
    sarif = dbarch("check", str(sql), "--dev-url", dev_url, "-f", "sarif", cwd=tmp_path)
    result = json.loads(sarif.stdout)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == sql.as_uri()


def test_live_database_reads_statistics_and_says_so(tmp_path: Path, fresh_db: str) -> None:
    run_sql(
        fresh_db,
        "CREATE TABLE readings (id bigint PRIMARY KEY, taken text);"
        "INSERT INTO readings SELECT i, '2024-01-0' || (i % 9 + 1) FROM generate_series(1, 40) i;",
    )
    done = dbarch("check", fresh_db, "--fail-on", "warning", cwd=tmp_path)
    assert done.returncode == 1
    assert "all 40 sampled values are dates (sample of live rows)" in done.stdout
    assert "were read for DBA308, DBA405, DBA406, DBA504" in done.stdout


def test_rules_command(tmp_path: Path) -> None:
    text = dbarch("rules", cwd=tmp_path)
    assert text.returncode == 0
    assert "  DBA101  error    missing-primary-key: A table has no primary key." in text.stdout
    assert "[live database]" in text.stdout
    listed = json.loads(dbarch("rules", "--format", "json", cwd=tmp_path).stdout)
    assert len(listed) == len({r["code"] for r in listed}) > 40
    markdown = dbarch("rules", "--format", "markdown", cwd=tmp_path).stdout
    assert markdown == DOCS.read_text(encoding="utf-8")
