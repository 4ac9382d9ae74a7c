"""Suppression in the model file (ignore) and in comments (dbarch:ignore)."""

from __future__ import annotations

from dbarch.checks.config import CheckConfig
from dbarch.checks.engine import run_checks
from dbarch.checks.suppression import ignore_keys
from dbarch.model.objects import Table

from .helpers import load, run


def _codes(model: str) -> set[tuple[str, str]]:
    return {(f.rule, f.object) for f in run_checks(load(model), CheckConfig())}


def test_ignore_on_a_table_covers_its_columns_and_names_work() -> None:
    model = """
        tables:
          - name: events
            ignore: [DBA101, column-without-comment]
            comment: Raw events.
            columns:
              - {name: at, type: timestamp}
    """
    found = _codes(model)
    assert ("DBA101", "public.events") not in found
    assert ("DBA508", "public.events.at") not in found
    assert ("DBA301", "public.events.at") in found


def test_ignore_on_a_column_only() -> None:
    model = """
        tables:
          - name: events
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: a, type: timestamp, ignore: [DBA301]}
              - {name: b, type: timestamp}
    """
    assert [f.object for f in run("DBA301", model)] == ["public.events.b"]


def test_comment_notes_survive_in_the_catalog_form() -> None:
    note = "Kept for the legacy importer. dbarch:ignore DBA101,dba509 ; DBARCH:IGNORE DBA507"
    assert ignore_keys(Table(name="t", comment=note, ignore=("DBA201",))) == [
        "DBA201",
        "DBA101",
        "dba509",
        "DBA507",
    ]
    model = f"""
        tables:
          - name: legacy
            comment: "{note}"
            columns: [{{name: x, type: text, comment: "dbarch:ignore naming-style"}}]
          - name: other
            columns: [{{name: id, type: bigint, primary_key: true}}]
    """
    found = _codes(model)
    assert ("DBA101", "public.legacy") not in found
    assert ("DBA509", "public.legacy") not in found
    assert ("DBA509", "public.other") in found


def test_unknown_codes_are_reported() -> None:
    model = """
        tables:
          - name: t
            comment: "dbarch:ignore DBA10l"
            columns:
              - {name: id, type: bigint, primary_key: true, ignore: [missing-primary-keys]}
    """
    assert [f.message for f in run("DBA001", model)] == [
        "table public.t suppresses 'DBA10l', which is not a rule",
        "column public.t.id suppresses 'missing-primary-keys', which is not a rule",
    ]
    assert [f.fix for f in run("DBA001", model)][1] == (
        "Name a rule that `dbarch rules` lists; did you mean 'missing-primary-key'?"
    )
