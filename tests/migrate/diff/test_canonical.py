"""canonicalize: a model through the dev database, its declared renames kept."""

from __future__ import annotations

from pathlib import Path

from dbarch.migrate.canonical import canonicalize, carry_renames, load_for_diff
from dbarch.migrate.diff.compare import compare
from dbarch.model.loader import load_model
from dbarch.model.objects import Column, Schema, Table

MODEL = """\
tables:
  - name: accounts
    renamed_from: users
    columns:
      - {name: id, type: int4, primary_key: true}
      - {name: mail, type: varchar(200), renamed_from: email, default: "'x'"}
"""


def test_a_model_comes_back_as_postgresql_spells_it(tmp_path: Path, dev_url: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL, encoding="utf-8")
    schema = canonicalize(load_model(path), dev_url)
    (table,) = schema.tables
    assert table.renamed_from == "users"
    assert [(c.name, c.type, c.default, c.renamed_from) for c in table.columns] == [
        ("id", "integer", None, None),
        ("mail", "character varying(200)", "'x'::character varying", "email"),
    ]
    sql = tmp_path / "m.sql"
    sql.write_text(
        "CREATE TABLE accounts (id integer CONSTRAINT pk_accounts_id PRIMARY KEY,"
        " mail varchar(200) DEFAULT 'x');",
        encoding="utf-8",
    )
    model, database = load_for_diff([str(path), str(sql)], dev_url)
    assert compare(model, database).empty
    assert model.tables[0].renamed_from == "users"


def test_renames_are_carried_by_place_and_name() -> None:
    model = Schema(
        tables=(
            Table(
                name="t",
                renamed_from="s",
                columns=(Column(name="b", type="int", renamed_from="a"),),
            ),
        )
    )
    found = Schema(tables=(Table(name="t", columns=(Column(name="b", type="integer"),)),))
    carried = carry_renames(model, found)
    assert carried.tables[0].renamed_from == "s"
    assert carried.tables[0].columns[0].renamed_from == "a"
    assert carried.tables[0].columns[0].type == "integer"
    assert carry_renames(Schema(), found) == found
