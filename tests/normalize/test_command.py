"""``dbarch normalize`` end to end: exit codes, JSON shape, text, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import typer
from typer.testing import CliRunner

from dbarch.commands.normalize import register
from dbarch.errors import DbarchError
from dbarch.model.loader import load_model_text
from tests.pgutil import run_sql


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def dbarch(*args: str) -> Run:
    """``dbarch normalize ARGS`` in this process; a DbarchError becomes exit 2 with
    ``error: ...`` on stderr, as the CLI's main() does (checked once by subprocess below)."""
    app = typer.Typer()
    register(app)
    app.command("other", hidden=True)(lambda: None)  # keep "normalize" a subcommand
    result = CliRunner().invoke(app, ["normalize", *args])
    if isinstance(result.exception, DbarchError):
        return Run(2, result.stdout, f"error: {result.exception}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, "")


def _csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


DENORMALIZED = "id,zip,city\n1,1000,Lausanne\n2,1000,Lausanne\n3,8000,Zurich\n4,1003,Lausanne\n"


def test_csv_below_target_exits_1_with_json(tmp_path: Path, dev_url: str) -> None:
    done = dbarch(_csv(tmp_path, DENORMALIZED), "--format", "json", "--dev-url", dev_url)
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    [relation] = out["relations"]
    assert "inclusion_dependencies" not in out
    assert "composite_inclusion_dependencies" not in out
    assert {"lhs": ["zip"], "rhs": "city", "error": 0.0} in relation["fds"]
    assert relation["keys"] == [["id"]]
    assert relation["normal_form"] == "2NF"
    [violation] = relation["violations"]
    assert violation["fd"] == {"lhs": ["zip"], "rhs": "city"}
    assert violation["decomposition"][0] == {"columns": ["zip", "city"], "key": ["zip"]}
    decomposition = relation["decomposition"]
    assert decomposition["proof"]["lossless"] is True
    assert "SELECT DISTINCT zip, city FROM public.people" in decomposition["migration"]
    # the model change is a model file dbarch reads back: the tables replacing people
    model = load_model_text(json.dumps(decomposition["model"]), "change.json", "json")
    assert [t.name for t in model.tables] == ["people", "people_zip"]
    people = model.table("people")
    assert people is not None and [c.name for c in people.columns] == ["id", "zip"]
    assert [fk.references.table for fk in people.foreign_keys] == ["people_zip"]
    again = dbarch(_csv(tmp_path, DENORMALIZED), "--format", "json", "--dev-url", dev_url)
    assert again.stdout == done.stdout  # deterministic


def test_csv_reaching_target_exits_0(tmp_path: Path) -> None:
    done = dbarch(_csv(tmp_path, "id,name\n1,a\n2,b\n3,a\n"), "--no-prove")
    assert done.returncode == 0, done.stderr
    assert "normal form: BCNF (target 3NF)" in done.stdout
    assert "1 of 1 relations reach 3NF" in done.stdout


def test_target_2nf_accepts_transitive_dependencies(tmp_path: Path) -> None:
    done = dbarch(_csv(tmp_path, DENORMALIZED), "--target", "2nf", "--no-prove")
    assert done.returncode == 0, done.stdout


def test_max_error_finds_dirty_dependencies(tmp_path: Path) -> None:
    rows = "".join(f"{i},{i % 3},{'x' if i % 3 else 'y'}\n" for i in range(100))
    rows += "100,1,y\n"  # one dirty row
    path = _csv(tmp_path, "id,a,b\n" + rows)
    exact = json.loads(dbarch(path, "--format", "json", "--no-prove").stdout)
    approx = json.loads(
        dbarch(path, "--format", "json", "--no-prove", "--max-error", "0.01").stdout
    )
    assert {"lhs": ["a"], "rhs": "b", "error": 0.0} not in exact["relations"][0]["fds"]
    assert {"lhs": ["a"], "rhs": "b", "error": 1 / 101} in approx["relations"][0]["fds"]


def test_the_real_command_line_exits_2_on_user_errors(tmp_path: Path) -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "dbarch", "normalize", str(tmp_path / "nope.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2, missing.stderr
    assert missing.stderr.startswith("error: ") and "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_user_errors_exit_2(tmp_path: Path) -> None:
    bad = dbarch(_csv(tmp_path, "a,b\n1\n"))
    assert bad.returncode == 2 and "people.csv:2: 1 fields" in bad.stderr
    error = dbarch(_csv(tmp_path, DENORMALIZED), "--max-error", "1.5")
    assert error.returncode == 2 and "--max-error" in error.stderr
    table = dbarch(_csv(tmp_path, DENORMALIZED), "--table", "x")
    assert table.returncode == 2 and "--table applies to database sources" in table.stderr
    model = tmp_path / "model.yaml"
    model.write_text("tables: []\n", encoding="utf-8")
    other = dbarch(str(model))
    assert other.returncode == 2 and "not a normalize source" in other.stderr
    nothing = dbarch(str(tmp_path))
    assert nothing.returncode == 2 and "directory has no .sql files" in nothing.stderr


def test_database_source(fresh_db: str, dev_url: str) -> None:
    run_sql(
        fresh_db,
        """
        CREATE TABLE city (name text PRIMARY KEY, country text NOT NULL);
        INSERT INTO city VALUES ('Lausanne', 'CH'), ('Lyon', 'FR');
        CREATE TABLE person (id integer PRIMARY KEY, city text, zip text);
        INSERT INTO person VALUES (1, 'Lausanne', '1000'), (2, 'Lyon', '69000'),
                                  (3, 'Lausanne', '1000');
        """,
    )
    done = dbarch(fresh_db, "--format", "json", "--dev-url", dev_url)
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert [r["relation"] for r in out["relations"]] == ["public.city", "public.person"]
    inds = {
        (i["dependent"]["column"], i["referenced"]["table"], i["referenced"]["column"])
        for i in out["inclusion_dependencies"]
    }
    assert ("city", "city", "name") in inds
    assert out["composite_inclusion_dependencies"] == []
    assert out["composite_candidates_unchecked"] == 0
    only = dbarch(fresh_db, "--table", "city", "--no-prove")
    assert only.returncode == 0, only.stdout
    unknown = dbarch(fresh_db, "--table", "nope")
    assert unknown.returncode == 2 and "no table 'nope'" in unknown.stderr


def test_constant_columns_and_duplicate_rows_are_proven_lossless(
    tmp_path: Path, dev_url: str
) -> None:
    rows = "".join(f"{i},{i % 3},d{i % 3},CH\n" for i in range(30))
    path = tmp_path / "emp.csv"
    path.write_text("id,dept,dname,country\n" + rows + rows, encoding="utf-8")  # each row twice
    done = dbarch(str(path), "--format", "json", "--dev-url", dev_url)
    assert done.returncode == 1, done.stderr
    [relation] = json.loads(done.stdout)["relations"]
    assert {"lhs": [], "rhs": "country", "error": 0.0} in relation["fds"]
    assert relation["keys"] == [] and relation["duplicate_rows"] is True
    decomposition = relation["decomposition"]
    keys = {t["name"]: t["key"] for t in decomposition["tables"]}
    assert keys == {"emp": None, "emp_country": [], "emp_dept": ["dept"]}
    assert decomposition["proof"] == {
        "lossless": True,
        "original_rows": 60,
        "joined_rows": 60,
        "missing_rows": 0,
        "extra_rows": 0,
        "typed": True,
        "error": None,
    }


def test_csv_mistakes_name_the_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\n1,x\n2,caf\xe9\n".encode("latin-1"))
    done = dbarch(str(latin), "--no-prove")
    assert done.returncode == 2 and "latin.csv:3: not UTF-8 text (byte 0xe9" in done.stderr
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('a,b\n1,x\n2,"y\n3,z\n', encoding="utf-8")
    done = dbarch(str(unclosed), "--no-prove")
    assert done.returncode == 2 and "unclosed.csv:3: unexpected end of data" in done.stderr
    stray = tmp_path / "stray.csv"
    stray.write_text('a,b\n1,"x"y\n', encoding="utf-8")
    done = dbarch(str(stray), "--no-prove")
    assert done.returncode == 2 and "stray.csv:2:" in done.stderr


def test_header_only_csv_is_one_empty_relation(tmp_path: Path) -> None:
    done = dbarch(_csv(tmp_path, "a,b\n"), "--format", "json", "--no-prove")
    assert done.returncode == 0, done.stderr
    [relation] = json.loads(done.stdout)["relations"]
    # no rows: every dependency holds, so each column is constant and {} is the key
    assert relation["fds"] == [
        {"lhs": [], "rhs": "a", "error": 0.0},
        {"lhs": [], "rhs": "b", "error": 0.0},
    ]
    assert relation["keys"] == [[]] and relation["normal_form"] == "BCNF"


def test_sql_source_goes_through_the_dev_database(tmp_path: Path, dev_url: str) -> None:
    (tmp_path / "1_schema.sql").write_text(
        "CREATE TABLE region (id integer PRIMARY KEY);\n"
        "CREATE TABLE shop (id integer PRIMARY KEY, zip text NOT NULL, city text NOT NULL,\n"
        "                   region integer NOT NULL REFERENCES region);\n",
        encoding="utf-8",
    )
    (tmp_path / "2_data.sql").write_text(
        "INSERT INTO region VALUES (1), (2);\n"
        "INSERT INTO shop SELECT i, 'z' || i % 4, 'c' || i % 4, 1 + i % 4 % 2\n"
        "FROM generate_series(1, 20) i;\n",
        encoding="utf-8",
    )
    done = dbarch(str(tmp_path), "--table", "shop", "--format", "json", "--dev-url", dev_url)
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert out["source"] == str(tmp_path)
    [shop] = out["relations"]
    assert shop["rows"] == 20 and shop["normal_form"] == "2NF"
    decomposition = shop["decomposition"]
    assert decomposition["proof"]["lossless"] is True
    # the declared foreign key on region moved with the column
    moved = [t for t in decomposition["tables"] if "region" in t["columns"]]
    assert [r["table"] for t in moved for r in t["references"]] == ["region"]
    broken = tmp_path / "3_more.sql"
    broken.write_text("INSERT INTO shop VALUES (1, 'x', 'y', 1);\n", encoding="utf-8")
    done = dbarch(str(tmp_path), "--dev-url", dev_url)
    assert done.returncode == 2 and "3_more.sql:1:" in done.stderr
