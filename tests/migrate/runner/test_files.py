"""The migrations directory: Flyway names, version order, validation errors naming files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dbarch.errors import DbarchError
from dbarch.migrate.runner.files import (
    FileKind,
    MigrationFileError,
    irreversible_reason,
    migration_name,
    parse_name,
    parse_version,
    read_migrations,
)


def _dir(tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / name).write_text(f"-- {name}\nSELECT 1;\n")
    return tmp_path


def test_names_parse_like_flyway() -> None:
    assert parse_name(Path("V003__add_orders.sql")) == (
        FileKind.versioned,
        (3,),
        "003",
        "add orders",
    )
    assert parse_name(Path("U1_2__fix it.sql"))[:3] == (FileKind.undo, (1, 2), "1_2")
    assert parse_version("1.2") == parse_version("1_2") == (1, 2)


@pytest.mark.parametrize(
    "name",
    ["V003_add.sql", "V__add.sql", "R__view.sql", "v001__lower.sql", "V1__.sql", "V1___x.sql"],
)
def test_bad_names_are_named(tmp_path: Path, name: str) -> None:
    _dir(tmp_path, "V001__ok.sql", name)
    with pytest.raises(MigrationFileError) as error:
        read_migrations(tmp_path)
    assert str(tmp_path / name) in str(error.value)
    assert "V<version>__<description>.sql" in str(error.value)


def test_versions_order_numerically_with_gaps(tmp_path: Path) -> None:
    found = read_migrations(
        _dir(tmp_path, "V10__ten.sql", "V9__nine.sql", "V1_5__one_five.sql", "V002__two.sql")
    )
    assert [f.name for f in found.versioned] == [
        "V1_5__one_five.sql",
        "V002__two.sql",
        "V9__nine.sql",
        "V10__ten.sql",
    ]
    assert found.next_version() == ((11,), "011")


def test_duplicate_versions_name_both_files(tmp_path: Path) -> None:
    _dir(tmp_path, "V1__first.sql", "V001__second.sql")
    with pytest.raises(MigrationFileError) as error:
        read_migrations(tmp_path)
    message = str(error.value)
    assert "V1__first.sql" in message and "V001__second.sql" in message
    assert "version 1" in message


def test_undo_without_versioned_file(tmp_path: Path) -> None:
    _dir(tmp_path, "V001__a.sql", "U002__b.sql")
    with pytest.raises(MigrationFileError, match=r"U002__b\.sql: no V002__\*\.sql"):
        read_migrations(tmp_path)


def test_every_problem_is_listed(tmp_path: Path) -> None:
    _dir(tmp_path, "bad.sql", "V1__a.sql", "V01__b.sql", "U7__c.sql")
    with pytest.raises(MigrationFileError) as error:
        read_migrations(tmp_path)
    assert len(str(error.value).splitlines()) == 3


def test_other_files_are_ignored_and_missing_directory_is_an_error(tmp_path: Path) -> None:
    _dir(tmp_path, "V001__a.sql")
    (tmp_path / "README.md").write_text("notes")
    found = read_migrations(tmp_path)
    assert [f.name for f in found.versioned] == ["V001__a.sql"]
    assert found.undo == {}
    with pytest.raises(MigrationFileError, match="no such migrations directory"):
        read_migrations(tmp_path / "nope")


def test_empty_directory_starts_at_001(tmp_path: Path) -> None:
    assert read_migrations(tmp_path).next_version() == ((1,), "001")


def test_checksum_is_sha256_of_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "V1__a.sql").write_bytes(b"SELECT 1;\r\n")
    (file,) = read_migrations(tmp_path).versioned
    assert file.checksum == hashlib.sha256(b"SELECT 1;\r\n").hexdigest()


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "V1__a.sql").write_bytes(b"SELECT '\xff';")
    (file,) = read_migrations(tmp_path).versioned
    with pytest.raises(MigrationFileError, match=r"V1__a\.sql: not UTF-8"):
        _ = file.text


def test_migration_names() -> None:
    assert migration_name("add orders") == "add_orders"
    assert migration_name("Add-Orders table") == "Add_Orders_table"
    for bad in ("", "   ", "a/b", "drop;table", "_x"):
        with pytest.raises(DbarchError, match="not a migration name"):
            migration_name(bad)


def test_irreversible_marker() -> None:
    assert irreversible_reason("-- dbarch:irreversible: drops data\nSELECT 1;") == "drops data"
    assert irreversible_reason("-- dbarch:irreversible\n") == "marked irreversible"
    assert irreversible_reason("SELECT 1; -- dbarch:irreversible") is None
