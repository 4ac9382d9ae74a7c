"""Cutting scripts into units: one transaction, or unit by unit around what refuses one."""

from __future__ import annotations

import pytest

from dbarch.migrate.lint.analysis import LintSyntaxError
from dbarch.migrate.runner.script import ScriptError, UnitKind, parse_script


def _kinds(text: str) -> list[tuple[UnitKind, int]]:
    return [(u.kind, u.line) for u in parse_script(text, "f.sql").units]


def test_plain_script_is_one_transaction() -> None:
    script = parse_script(
        "SET search_path = app;\nCREATE TABLE t (a int);\nINSERT INTO t VALUES (1);", "f"
    )
    assert script.single_transaction
    assert [s.text for s in script.units[0].statements] == [
        "SET search_path = app",
        "CREATE TABLE t (a int)",
        "INSERT INTO t VALUES (1)",
    ]
    assert not script.sets_lock_timeout


def test_empty_script_has_no_units() -> None:
    assert parse_script("-- nothing here\n", "f").units == ()


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE INDEX CONCURRENTLY i ON t (a)",
        "DROP INDEX CONCURRENTLY i",
        "REINDEX INDEX CONCURRENTLY i",
        "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
        "VACUUM t",
        "VACUUM (FULL) t",
        "CREATE DATABASE x",
        "REINDEX SCHEMA s",
        "ALTER SYSTEM SET work_mem = '8MB'",
        "DO $$ BEGIN UPDATE t SET a = 1; COMMIT; END $$",
    ],
)
def test_statements_that_refuse_a_transaction_run_alone(statement: str) -> None:
    text = f"SET search_path = app;\nCREATE TABLE t (a int);\n{statement};\nSELECT 1;\n"
    assert _kinds(text) == [
        (UnitKind.session, 1),
        (UnitKind.transaction, 2),
        (UnitKind.alone, 3),
        (UnitKind.transaction, 4),
    ]


def test_concurrent_units_wait_without_lock_timeout() -> None:
    units = parse_script("CREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;", "f").units
    assert [u.concurrent for u in units] == [True, False]


def test_analyze_and_plain_do_stay_in_the_transaction() -> None:
    text = "ANALYZE t;\nDO $$ BEGIN PERFORM 1; END $$;\nDO LANGUAGE sql $$ SELECT 1 $$;"
    assert parse_script(text, "f").single_transaction


def test_begin_commit_blocks_are_units() -> None:
    text = (
        "SET lock_timeout = '1s';\n"
        "BEGIN;\nALTER TABLE t ADD COLUMN b int;\nSAVEPOINT s;\nCOMMIT;\n"
        "CREATE INDEX CONCURRENTLY i ON t (b);\n"
        "START TRANSACTION;\nUPDATE t SET b = 1;\nEND;\n"
        "BEGIN;\nCOMMIT;\n"
    )
    script = parse_script(text, "f")
    assert [(u.kind, u.line, len(u.statements)) for u in script.units] == [
        (UnitKind.session, 1, 1),
        (UnitKind.transaction, 3, 2),
        (UnitKind.alone, 6, 1),
        (UnitKind.transaction, 8, 1),
    ]
    assert script.sets_lock_timeout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;", "f.sql:2: this statement"),
        ("BEGIN;\nBEGIN;\nCOMMIT;", "f.sql:2: BEGIN inside a transaction block"),
        ("SELECT 1;\nCOMMIT;", "f.sql:2: COMMIT without BEGIN"),
        ("SELECT 1;\nBEGIN;\nSELECT 2;", "f.sql:2: BEGIN without COMMIT"),
        ("BEGIN;\nSELECT 1;\nROLLBACK;", "f.sql:3: a migration may only BEGIN and COMMIT"),
        ("SAVEPOINT a;\nVACUUM t;", "f.sql:1: SAVEPOINT outside a transaction block"),
    ],
)
def test_transaction_control_mistakes(text: str, message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        parse_script(text, "f.sql")


def test_syntax_error_has_file_line_column() -> None:
    with pytest.raises(LintSyntaxError, match=r"f\.sql:2:8: syntax error"):
        parse_script("SELECT 1;\nCREATE TABEL t (a int);", "f.sql")
