"""``dbarch docs`` as a user runs it, on model files, SQL and live PostgreSQL databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dbarch.ddl import to_ddl
from dbarch.model.dump import dump_model
from tests.docs.schemas import weird
from tests.pgutil import run_sql
from tests.test_cli import assert_user_error, dbarch


def test_documents_a_model_file(tmp_path: Path) -> None:
    model = tmp_path / "weird.yaml"
    model.write_text(dump_model(weird(), "yaml"))
    done = dbarch("docs", str(model), "--out", str(tmp_path / "docs"), "--title", "Weird")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("wrote ") and done.stderr.rstrip().endswith("docs")
    assert (tmp_path / "docs" / "index.md").read_text().startswith("# Weird\n")
    assert (tmp_path / "docs" / "site" / "tables" / "public.users.html").is_file()


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    model = tmp_path / "weird.yaml"
    model.write_text(dump_model(weird(), "yaml"))
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        done = subprocess.run(
            [sys.executable, "-m", "dbarch", "docs", str(model), "--out", str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        trees.append(
            {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert trees[0] == trees[1]


def test_documents_a_live_database(fresh_db: str, tmp_path: Path) -> None:
    run_sql(fresh_db, to_ddl(weird()))
    done = dbarch("docs", fresh_db, "--out", str(tmp_path), "--group", "keyed=public.one,*.tok*")
    assert done.returncode == 0, done.stderr
    dictionary = (tmp_path / "data_dictionary.md").read_text()
    assert "| email | VARCHAR(255) | NO | - | - |" in dictionary
    assert "| to | TIMESTAMPTZ | YES | now() | - |" in dictionary
    assert "| fk_tokens_user_id | tokens | user_id | id | NO ACTION |" in dictionary
    assert (tmp_path / "erd" / "group.keyed.mmd").read_text().startswith("erDiagram\n")


def test_documents_sql_files_through_the_dev_database(dev_url: str, tmp_path: Path) -> None:
    sql = tmp_path / "schema.sql"
    sql.write_text(to_ddl(weird()))
    done = dbarch("docs", str(sql), "--out", str(tmp_path / "docs"), "--dev-url", dev_url)
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "docs" / "index.md").read_text()
    assert "| [Order Items](data_dictionary.md#table-order-items) | public | 4 |" in index


@pytest.mark.parametrize("spec", ["nopattern", "=x", "name="])
def test_a_malformed_group_is_a_user_error(spec: str, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(dump_model(weird(), "yaml"))
    done = dbarch("docs", str(model), "--out", str(tmp_path / "o"), "--group", spec)
    assert_user_error(done, "--group", "NAME=PATTERN")


def test_unwritable_output_and_missing_source_are_user_errors(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(dump_model(weird(), "yaml"))
    assert_user_error(dbarch("docs", str(model), "--out", str(model)), "not a directory")
    missing = tmp_path / "missing.yaml"
    assert_user_error(dbarch("docs", str(missing), "--out", str(tmp_path)), "no such file")


def test_an_output_directory_that_cannot_be_made_is_a_user_error(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(dump_model(weird(), "yaml"))
    under_file = tmp_path / "m.yaml" / "docs"
    assert_user_error(
        dbarch("docs", str(model), "--out", str(under_file)),
        f"{under_file}: cannot create the directory: Not a directory",
    )


def test_a_read_only_output_directory_is_a_user_error(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(dump_model(weird(), "yaml"))
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    if os.access(locked, os.W_OK):
        pytest.skip("running as root: permissions do not stop writing")
    assert_user_error(
        dbarch("docs", str(model), "--out", str(locked)), f"{locked}: the directory is not writable"
    )
    assert_user_error(
        dbarch("docs", str(model), "--out", str(locked / "docs")),
        f"{locked / 'docs'}: cannot create the directory: Permission denied",
    )
