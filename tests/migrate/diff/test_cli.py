"""``dbarch diff FROM TO`` run as a user runs it: a separate process, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dbarch.pg.devdb import DevServer
from tests.migrate.diff.proof import psql
from tests.pgutil import dump_schema, run_sql

FROM = """\
tables:
  - name: users
    columns:
      - {name: id, type: int, primary_key: true}
      - {name: email, type: varchar(100), nullable: false}
"""
TO = """\
tables:
  - name: accounts
    renamed_from: users
    primary_key: {name: pk_users_id, columns: [id]}
    columns:
      - {name: id, type: integer}
      - {name: mail, type: character varying(200), nullable: false, renamed_from: email}
      - {name: created, type: timestamptz, default: now(), nullable: false}
    indexes:
      - {name: accounts_mail, columns: [mail]}
"""
STEP_KEYS = {
    "summary",
    "sql",
    "reverse_sql",
    "irreversible",
    "lock",
    "tables",
    "locks",
    "rewrites",
    "scans",
    "transactional",
    "needs_commit",
}


def dbarch(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dbarch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(Path.home())},
        check=False,
    )


@pytest.fixture
def models(tmp_path: Path) -> tuple[str, str]:
    before, after = tmp_path / "from.yaml", tmp_path / "to.yaml"
    before.write_text(FROM, encoding="utf-8")
    after.write_text(TO, encoding="utf-8")
    return str(before), str(after)


def test_json_has_exactly_the_facts_of_each_step(models: tuple[str, str], dev_url: str) -> None:
    done = dbarch("diff", *models, "--format", "json", "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"zero_downtime", "warnings", "steps"}
    assert data["zero_downtime"] is True
    summaries = [step["summary"] for step in data["steps"]]
    assert "rename table public.users to accounts" in summaries
    assert "rename column email of public.accounts to mail" in summaries
    for step in data["steps"]:
        assert set(step) == STEP_KEYS
    index = next(s for s in data["steps"] if s["summary"].startswith("create index"))
    assert "CREATE INDEX CONCURRENTLY" in index["sql"]
    assert (index["lock"], index["transactional"]) == ("SHARE UPDATE EXCLUSIVE", False)
    assert index["reverse_sql"].startswith("DROP INDEX CONCURRENTLY")


def test_the_script_migrates_a_database_built_from_the_old_model(
    models: tuple[str, str], dev_url: str, pg_server: DevServer
) -> None:
    before, after = models
    with pg_server.scratch() as live, pg_server.scratch() as wanted:
        built = dbarch("ddl", before, "--dev-url", dev_url)
        psql(pg_server, live, built.stdout)
        run_sql(live, "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x')")
        psql(pg_server, wanted, dbarch("ddl", after, "--dev-url", dev_url).stdout)
        script = dbarch("diff", live, after, "--dev-url", dev_url)
        assert script.returncode == 0, script.stderr
        psql(pg_server, live, script.stdout)
        assert dump_schema(live) == dump_schema(wanted)
        assert run_sql(live, "SELECT id, mail FROM accounts ORDER BY id") == [
            (1, "a@x"),
            (2, "b@x"),
        ]
        again = dbarch("diff", live, after, "--dev-url", dev_url)
        assert again.returncode == 0, again.stderr
        assert "-- no differences" in again.stdout


def test_same_schema_spelled_differently_has_no_differences(tmp_path: Path, dev_url: str) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(
        "tables:\n  - name: t\n    columns:\n      - {name: a, type: int4, default: '1'}\n",
        encoding="utf-8",
    )
    sql = tmp_path / "m.sql"
    sql.write_text("CREATE TABLE t (a integer DEFAULT 1);\n", encoding="utf-8")
    done = dbarch("diff", str(model), str(sql), "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("-- no differences\n")


def test_output_is_deterministic(models: tuple[str, str], dev_url: str) -> None:
    first = dbarch("diff", *models, "--dev-url", dev_url)
    second = dbarch("diff", *models, "--dev-url", dev_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


def test_unsafe_plans_plain_ddl(models: tuple[str, str], dev_url: str) -> None:
    done = dbarch("diff", *models, "--unsafe", "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    assert "CONCURRENTLY" not in done.stdout
    assert "lock_timeout" not in done.stdout
    assert "(plain DDL)" in done.stdout.splitlines()[0]


def test_destructive_steps_are_refused_unless_allowed(
    models: tuple[str, str], dev_url: str
) -> None:
    before, after = models
    refused = dbarch("diff", after, before, "--dev-url", dev_url)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: the migration is refused:")
    assert "table public.accounts would be dropped" in refused.stderr
    assert "--allow-destructive" in refused.stderr
    assert "Traceback" not in refused.stderr
    allowed = dbarch("diff", after, before, "--allow-destructive", "--dev-url", dev_url)
    assert allowed.returncode == 0, allowed.stderr
    assert "-- irreversible: dropping table public.accounts deletes its rows" in allowed.stdout


def test_a_missing_source_is_a_user_error() -> None:
    done = dbarch("diff", "no/such.yaml", "other.yaml")
    assert done.returncode == 2
    assert done.stderr == "error: no/such.yaml: no such file or directory\n"


def test_a_rename_of_nothing_is_a_user_error(tmp_path: Path, dev_url: str) -> None:
    before, after = tmp_path / "a.yaml", tmp_path / "b.yaml"
    before.write_text("tables:\n  - {name: t, columns: [{name: a, type: int}]}\n")
    after.write_text("tables:\n  - {name: u, renamed_from: x, columns: [{name: a, type: int}]}\n")
    done = dbarch("diff", str(before), str(after), "--dev-url", dev_url)
    assert done.returncode == 2
    assert (
        "relation public.u: renamed_from names relation public.x, which the old schema "
        "does not have"
    ) in done.stderr
    assert "Traceback" not in done.stderr
