"""The command line, run as a user runs it: a separate process, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent / "data"


def dbarch(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dbarch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(Path.home())},
        check=False,
    )


def assert_user_error(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in done.stderr


def test_version() -> None:
    done = dbarch("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("dbarch ")


def test_json_schema_is_json_schema() -> None:
    done = dbarch("json-schema")
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "tables" in schema["properties"]


@pytest.mark.parametrize("name", ["model.yaml", "model.json"])
def test_init_writes_a_starter_that_renders(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    assert dbarch("init", str(target)).returncode == 0
    done = dbarch("ddl", str(target))
    assert done.returncode == 0, done.stderr
    assert "CREATE TABLE" in done.stdout
    assert_user_error(dbarch("init", str(target)), "already exists")
    assert dbarch("init", "--force", str(target)).returncode == 0


def test_init_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    assert_user_error(dbarch("init", str(tmp_path / "model.txt")), "model.txt")


def test_missing_source_is_an_error() -> None:
    assert_user_error(dbarch("ddl", "no/such/model.yaml"), "no/such/model.yaml")


def test_model_mistake_points_at_file_line_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("tables:\n  - name: t\n    columns:\n      - {name: id, typo: int}\n")
    done = dbarch("ddl", str(bad))
    assert_user_error(done, f"{bad}:4:")


def test_ddl_to_file_and_from_stdin(tmp_path: Path) -> None:
    model = "tables:\n  - name: t\n    columns:\n      - {name: id, type: bigint}\n"
    out = tmp_path / "out" / "schema.sql"
    done = dbarch("ddl", "-", "-o", str(out), stdin=model)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "CREATE TABLE public.t" in out.read_text()


def test_inspect_sql_in_both_formats(dev_url: str) -> None:
    as_yaml = dbarch("inspect", str(DATA / "everything.sql"), "--dev-url", dev_url)
    assert as_yaml.returncode == 0, as_yaml.stderr
    as_json = dbarch(
        "inspect", str(DATA / "everything.sql"), "--format", "json", "--dev-url", dev_url
    )
    assert as_json.returncode == 0, as_json.stderr
    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)
    names = {t["name"] for t in json.loads(as_json.stdout)["tables"]}
    assert {"customers", "orders", "Order Items", "events_2024_click"} <= names


def test_sql_error_names_file_line_column(tmp_path: Path, dev_url: str) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE a (id int);\n\nCREATE TABLE b (id integr);\n")
    assert_user_error(dbarch("inspect", str(bad), "--dev-url", dev_url), f"{bad}:3:")


def test_password_never_shown() -> None:
    done = dbarch("inspect", "postgresql://someone:s3cr3t-pw@127.0.0.1:1/nowhere")
    assert_user_error(done, "***")
    assert "s3cr3t-pw" not in done.stderr + done.stdout


def test_demo_proves_the_round_trip(tmp_path: Path, dev_url: str) -> None:
    done = dbarch("demo", "--out", str(tmp_path), "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    assert "round trip: proven" in done.stdout
    for name in ("schema.sql", "model.yaml", "pg_dump.sql"):
        assert (tmp_path / name).stat().st_size > 0


def test_inspect_warns_about_what_the_model_cannot_hold(tmp_path: Path, dev_url: str) -> None:
    schema = tmp_path / "rules.sql"
    schema.write_text(
        "CREATE TABLE t (id integer PRIMARY KEY);\n"
        "CREATE RULE t_no_delete AS ON DELETE TO t DO INSTEAD NOTHING;\n",
        encoding="utf-8",
    )
    done = dbarch("inspect", str(schema), "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "warning: the model has no place for 1 rule, left out: t_no_delete on t\n"
    )
    assert yaml.safe_load(done.stdout)["tables"][0]["name"] == "t"
