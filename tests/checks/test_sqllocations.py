"""Findings on SQL files point at the file, line and column where the object is created."""

from __future__ import annotations

import json
from pathlib import Path

from dbarch.checks.config import CheckConfig
from dbarch.checks.engine import run_checks
from dbarch.checks.findings import Finding
from dbarch.checks.sqllocations import SqlLocations
from dbarch.sources import load_source

from .test_check_cli import dbarch

FIRST = """\
-- the first file
CREATE SCHEMA app;
CREATE TABLE app."Öl Sorten" (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name varchar(40) NOT NULL,
    "Größe" text, password text
);

/* a comment before the index */
CREATE INDEX sorten_name ON app."Öl Sorten" (name);
CREATE TABLE app.pairs (id bigint PRIMARY KEY, a bigint, b bigint, UNIQUE (a, b));
"""
SECOND = """\
ALTER TABLE app.pairs
    ADD CONSTRAINT fk_pairs_a FOREIGN KEY (a) REFERENCES app."Öl Sorten" (id);
CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    AS $$ BEGIN RETURN NEW; END $$;
CREATE VIEW app.all_pairs AS SELECT * FROM app.pairs;
CREATE TRIGGER stamp BEFORE UPDATE ON app.pairs FOR EACH ROW EXECUTE FUNCTION app.stamp();
CREATE TABLE readings (at timestamp);
"""


def _where(findings: list[Finding], rule: str, obj: str) -> str:
    [found] = [f for f in findings if f.rule == rule and f.object == obj]
    loc = found.location
    assert loc is not None
    return f"{Path(loc.file).name}:{loc.line}:{loc.column}"


def test_objects_are_found_where_they_are_created(tmp_path: Path, dev_url: str) -> None:
    (tmp_path / "1.sql").write_text(FIRST)
    (tmp_path / "2.sql").write_text(SECOND)
    schema = load_source(str(tmp_path), dev_url=dev_url)
    findings = run_checks(schema, CheckConfig(), None, SqlLocations.read(tmp_path))
    assert _where(findings, "DBA207", "app.Öl Sorten") == "1.sql:3:14"
    assert _where(findings, "DBA306", "app.Öl Sorten.id") == "1.sql:4:5"
    assert _where(findings, "DBA303", "app.Öl Sorten.name") == "1.sql:5:5"
    assert _where(findings, "DBA602", "app.Öl Sorten.password") == "1.sql:6:19"  # characters
    assert _where(findings, "DBA203", "app.sorten_name") == "1.sql:10:1"  # after the comment
    # an unnamed constraint is found at its first column, a named one where it is named
    assert _where(findings, "DBA106", "app.pairs.pairs_a_b_key") == "1.sql:11:48"
    assert _where(findings, "DBA103", "app.pairs.fk_pairs_a") == "2.sql:2:9"
    assert _where(findings, "DBA604", "app.stamp()") == "2.sql:3:1"
    assert _where(findings, "DBA204", "app.all_pairs") == "2.sql:5:13"
    assert _where(findings, "DBA204", "app.pairs.stamp") == "2.sql:6:1"
    assert _where(findings, "DBA301", "public.readings.at") == "2.sql:7:24"


def test_unparsable_files_give_no_positions(tmp_path: Path) -> None:
    path = tmp_path / "x.sql"
    path.write_text("\\connect other\nCREATE TABLE t (a int);\n")
    assert SqlLocations.read(path).found == {}


def test_cli_reports_sql_positions(tmp_path: Path, dev_url: str) -> None:
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE t (\n  id bigint PRIMARY KEY,\n  doc json\n);\n")
    done = dbarch("check", str(path), "--dev-url", dev_url, "-f", "json", cwd=tmp_path)
    found = {f["rule"]: f["location"] for f in json.loads(done.stdout)}
    assert found["DBA307"] == {"file": str(path), "line": 3, "column": 3}
    text = dbarch("check", str(path), "--dev-url", dev_url, cwd=tmp_path).stdout
    assert f"{path}:3:3: warning DBA307 column public.t.doc is json" in text
    sarif = json.loads(dbarch("check", str(path), "--dev-url", dev_url, "-f", "sarif").stdout)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DBA307"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 3}
