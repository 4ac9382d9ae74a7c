"""Reading SQL sources and applying them with exact error locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbarch.errors import SourceError
from dbarch.pg.connect import connect
from dbarch.pg.sqlfiles import apply_sql, read_sql_source
from tests.pgutil import dump_schema, run_sql

REPO = Path(__file__).resolve().parents[2]
CORPUS = next(
    (p for p in (REPO.parent / "shared" / "corpus", Path("/work/shared/corpus")) if p.is_dir()),
    None,
)

FUNCTION_SCRIPT = """\
CREATE TABLE item (id int PRIMARY KEY, note text DEFAULT '100%; done');

CREATE FUNCTION bump(x int) RETURNS int LANGUAGE plpgsql AS $body$
BEGIN
  -- a semicolon; inside the body
  RETURN x + 1;
END;
$body$;
INSERT INTO item (id) VALUES (bump(1));
"""


def _tables(dsn: str) -> list[tuple[object, ...]]:
    return run_sql(dsn, "SELECT relname FROM pg_class WHERE relnamespace = 2200 ORDER BY 1")


def _apply(dsn: str, text: str, filename: str = "schema.sql") -> None:
    with connect(dsn) as conn:
        apply_sql(conn, text, filename)


def _error(dsn: str, text: str) -> str:
    with pytest.raises(SourceError) as caught:
        _apply(dsn, text)
    return str(caught.value)


def test_read_a_single_file(tmp_path: Path) -> None:
    file = tmp_path / "one.sql"
    file.write_text("SELECT 1;\n", encoding="utf-8")
    assert read_sql_source(file) == [(str(file), "SELECT 1;\n")]


def test_read_a_directory_in_name_order_sql_files_only(tmp_path: Path) -> None:
    for name in ("20_views.sql", "10_tables.sql", "2_late.sql", "notes.txt"):
        (tmp_path / name).write_text(f"-- {name}\n", encoding="utf-8")
    (tmp_path / "zz.sql").mkdir()
    names = [Path(name).name for name, _ in read_sql_source(tmp_path)]
    assert names == ["10_tables.sql", "20_views.sql", "2_late.sql"]


def test_read_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.sql"
    with pytest.raises(SourceError, match=f"^{missing}: no such file or directory$"):
        read_sql_source(missing)


def test_read_directory_without_sql_files(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("hi", encoding="utf-8")
    with pytest.raises(SourceError, match=f"^{tmp_path}: directory has no .sql files$"):
        read_sql_source(tmp_path)


def test_read_file_that_is_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "latin1.sql"
    file.write_bytes(b"SELECT '\xe9';\n")
    with pytest.raises(SourceError, match=f"^{file}: not UTF-8 text"):
        read_sql_source(file)


def test_apply_a_script_with_a_plpgsql_function(fresh_db: str) -> None:
    _apply(fresh_db, FUNCTION_SCRIPT)
    assert run_sql(fresh_db, "SELECT id, note, bump(41) FROM item") == [(2, "100%; done", 42)]


def test_syntax_error_names_file_line_and_column(fresh_db: str) -> None:
    text = "CREATE TABLE a (id int);\n\n  CREATE TABEL b (id int);\n"
    assert _error(fresh_db, text) == 'schema.sql:3:10: syntax error at or near "TABEL"'
    assert _tables(fresh_db) == []


def test_error_position_inside_a_later_statement_counts_characters(fresh_db: str) -> None:
    text = "SELECT 'héllo';\nCREATE TABLE a (id int);\nSELECT 'ü',  nope FROM a;\n"
    message = _error(fresh_db, text)
    assert message == 'schema.sql:3:14: column "nope" does not exist'
    assert _tables(fresh_db) == []


def test_error_inside_a_function_body_points_into_the_body(fresh_db: str) -> None:
    text = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETRUN 1;\nEND $$;\n"
    assert _error(fresh_db, text) == 'schema.sql:3:3: syntax error at or near "RETRUN"'


def test_error_without_position_names_the_statement_line(fresh_db: str) -> None:
    text = "CREATE TABLE a (id int);\n\nCREATE TABLE a (id int);\n"
    assert _error(fresh_db, text) == 'schema.sql:3: relation "a" already exists'
    assert _tables(fresh_db) == []


def test_error_detail_and_hint_follow_the_message(fresh_db: str) -> None:
    text = "CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1), (1);\n"
    message = _error(fresh_db, text)
    assert message.splitlines() == [
        'schema.sql:2: duplicate key value violates unique constraint "a_pkey"',
        "DETAIL: Key (id)=(1) already exists.",
    ]


def test_statement_that_cannot_run_in_a_transaction(fresh_db: str) -> None:
    text = "CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY ON a (id);\n"
    message = _error(fresh_db, text)
    assert message.startswith(
        "schema.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block\n"
    )
    assert "one transaction" in message
    assert _tables(fresh_db) == []


COPY_SCRIPT = """\
CREATE TABLE a (id int PRIMARY KEY, t text, n numeric);
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$
COPY a FROM stdin;
SELECT 1
$$;
/* rows */ COPY a (id, t, n) FROM stdin; -- rows follow
1\tit's\t1.5
2\t\\N\t\\N
3\tback\\\\slash;\t-2
\\.
COPY a (id, t) FROM STDIN WITH (FORMAT csv, DELIMITER ';');
4;"x;y"
\\.
INSERT INTO a (id) VALUES (5);
"""


def test_copy_from_stdin_rows_are_loaded(fresh_db: str) -> None:
    _apply(fresh_db, COPY_SCRIPT)
    assert run_sql(fresh_db, "SELECT id, t, n::text FROM a ORDER BY id") == [
        (1, "it's", "1.5"),
        (2, None, None),
        (3, "back\\slash;", "-2"),
        (4, "x;y", None),
        (5, None, None),
    ]
    # the COPY inside the function body is the body's, not a statement of the file
    assert run_sql(
        fresh_db, "SELECT prosrc LIKE '%COPY a FROM stdin%' FROM pg_proc WHERE proname = 'f'"
    ) == [(True,)]


def test_a_bad_copy_row_names_its_line_and_nothing_is_left(fresh_db: str) -> None:
    text = "CREATE TABLE a (id int);\nCOPY a FROM stdin;\n1\n2\nzwei\n\\.\n"
    message = _error(fresh_db, text)
    assert message.startswith("schema.sql:5: invalid input syntax for type integer")
    assert 'CONTEXT: COPY a, line 3, column id: "zwei"' in message
    assert _tables(fresh_db) == []


def test_copy_rows_that_cannot_be_told_apart_are_refused(fresh_db: str) -> None:
    text = "CREATE TABLE a (id int);\nCOPY a FROM stdin; SELECT 1;\n1\n\\.\n"
    assert _error(fresh_db, text).startswith(
        "schema.sql:2: COPY ... FROM stdin: its rows cannot be told apart"
    )
    assert _tables(fresh_db) == []


def test_rows_without_an_end_line_run_to_the_end_of_the_file(fresh_db: str) -> None:
    _apply(fresh_db, "CREATE TABLE a (id int);\nCOPY a FROM stdin;\n7\n8\n")
    assert run_sql(fresh_db, "SELECT id FROM a ORDER BY id") == [(7,), (8,)]


def test_a_pg_dump_with_data_is_applied(fresh_db: str) -> None:
    if CORPUS is None:
        pytest.skip("the corpus is not here")
    folder = CORPUS / "pagila_2024"
    with connect(fresh_db) as conn:
        for name in ("schema.sql", "data.sql"):
            apply_sql(conn, (folder / name).read_text(encoding="utf-8"), name)
    assert run_sql(fresh_db, "SELECT count(*) FROM public.rental") == [(16044,)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "CREATE TABLE a (id int);\n\\connect other\n",
            "schema.sql:2: psql meta-command \\connect",
        ),
        ("SELECT 1 \\gset\n", "schema.sql:1: psql meta-command \\gset"),
    ],
)
def test_psql_only_constructs_are_rejected(fresh_db: str, text: str, expected: str) -> None:
    message = _error(fresh_db, text)
    assert message.startswith(expected)
    assert "not supported" in message
    assert _tables(fresh_db) == []


def test_backslashes_inside_literals_are_fine(fresh_db: str) -> None:
    text = "CREATE TABLE a (t text DEFAULT E'\\\\n');\nCOMMENT ON TABLE a IS '\n\\x';\n"
    _apply(fresh_db, text)
    assert _tables(fresh_db) == [("a",)]


def test_pg_dump_output_applies_and_round_trips(fresh_db: str) -> None:
    _apply(fresh_db, FUNCTION_SCRIPT)
    dumped = dump_schema(fresh_db)
    assert "CREATE TABLE public.item" in dumped and "CREATE FUNCTION public.bump" in dumped
    assert "Dumped from" not in dumped and "\\restrict" not in dumped
    with connect(fresh_db) as conn:
        run_sql(fresh_db, "DROP TABLE item; DROP FUNCTION bump(int)")
        apply_sql(conn, f"\\restrict abc123\n{dumped}\\unrestrict abc123\n", "dump.sql")
    assert dump_schema(fresh_db) == dumped


@pytest.mark.skipif(CORPUS is None, reason="shared corpus not found")
@pytest.mark.parametrize("sample", ["pagila_2024", "pgbench_partitioned", "chinook"])
def test_sample_schemas_apply(fresh_db: str, sample: str) -> None:
    assert CORPUS is not None
    with connect(fresh_db) as conn:
        for filename, text in read_sql_source(CORPUS / sample / "schema.sql"):
            apply_sql(conn, text, filename)
    assert _tables(fresh_db)
