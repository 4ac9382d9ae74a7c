"""Graphviz DOT (rendered by ``dot`` without a warning) and DBML (parsed by @dbml/cli)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from dbarch.docs.catalog import Catalog
from dbarch.docs.dbml import dbml, expression, ident, string
from dbarch.docs.erd_dot import dot, dot_map
from dbarch.docs.layout import SchemaMap, neighbourhood, overview_diagrams, whole_schema
from tests.docs import tools
from tests.docs.schemas import generated, weird


def test_dot_labels_escape_names_and_mark_keys() -> None:
    catalog = Catalog(weird())
    text = dot(catalog, neighbourhood(catalog, ('Shop "Ω"', '<script>alert("x")</script>')))
    assert "<script" not in text
    assert "Shop &quot;Ω&quot;.&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "a&amp;b &quot;c&quot;" in text
    assert "<b>FK</b> owner" in text
    # owner is nullable: zero-or-one at the parent end, many at the child end
    assert re.search(
        r'"t-shop\.[^"]+":c2 -> "t-public\.users":c0 \[arrowtail=crowodot, '
        r"arrowhead=teeodot, style=dashed\]",
        text,
    )


def test_every_dot_file_renders_without_a_warning(weird_docs: Path) -> None:
    binary = tools.dot()
    files = sorted([weird_docs / "erd.dot", *weird_docs.glob("erd/**/*.dot")])
    assert len(files) == 3 + len(weird().tables)
    for path in files:
        for fmt in ("svg", "png"):
            done = subprocess.run(
                [str(binary), f"-T{fmt}", str(path), "-o", "/dev/null"],
                capture_output=True,
                text=True,
                check=False,
            )
            assert (done.returncode, done.stderr) == (0, ""), path
        assert path.with_suffix(".svg").read_text().lstrip().startswith("<?xml")
        png = path.with_suffix(".png")
        assert (
            png.read_bytes().startswith(b"\x89PNG")
            if path.parent.name != "tables"
            else not png.exists()
        )


def test_the_map_of_a_large_schema_renders_without_a_warning(tmp_path: Path) -> None:
    binary = tools.dot()
    catalog = Catalog(generated(400, schemas=2))
    overviews = overview_diagrams(catalog)
    schema_map = whole_schema(catalog, overviews)
    assert isinstance(schema_map, SchemaMap)
    source = tmp_path / "erd.dot"
    source.write_text(dot_map(schema_map))
    for fmt in ("svg", "png"):
        done = subprocess.run(
            [str(binary), f"-T{fmt}", str(source), "-o", str(tmp_path / f"erd.{fmt}")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, "")
    svg = (tmp_path / "erd.svg").read_text()
    for part in overviews:
        assert f'id="d&#45;{part.slug.replace("-", "&#45;")}"' in svg
    part = {key: d.slug for d in overviews for key in d.tables}
    crossing = {
        link
        for d in overviews
        for link in d.links
        if link.source in d.tables and part[link.target] != d.slug
    }
    assert len(crossing) > 40  # every tenth table references the other schema
    labels = re.findall(r'\[label="(\d+) FKs?"\]', source.read_text())
    assert sum(map(int, labels)) == len(crossing)


def test_dbml_quotes_what_needs_quoting() -> None:
    assert ident("users") == "users"
    assert ident("Note") == '"Note"'
    assert ident('a "b"\\c') == '"a \\"b\\"\\\\c"'
    assert string("it's\nhere\\") == "'it\\'s\\nhere\\\\'"
    assert expression("now()") == "`now()`"
    assert expression("'`'") is None


def test_dbml_holds_the_schema() -> None:
    text = dbml(Catalog(weird()), 'Weird "docs"')
    assert text.startswith('Project "Weird \\"docs\\"" {\n  database_type: \'PostgreSQL\'\n}\n')
    assert 'Enum "Shop \\"Ω\\""."Stätus \\"x\\"" {\n  "new"\n  "it\'s done"\n  "a\\\\b"\n}' in text
    assert "  id bigint [pk, increment]" in text
    assert "  email varchar(255) [not null]" in text
    assert "  to timestamptz [default: `now()`]" in text
    assert '  "a&b \\"c\\"" "Shop \\"Ω\\""."Stätus \\"x\\"" [not null]' in text
    assert (
        "    (`lower((email)::text)`) [unique, name: 'idx_users_lower_email', type: btree]" in text
    )
    assert "    (tags) [name: 'idx_users_tags', note: 'using gin']" in text
    assert '    ("order id", line) [pk]' in text
    assert "Ref fk_profiles_user_id: users.(id) - profiles.(user_id) [delete: no action," in text
    assert (
        "Ref fk_tokens_user_id: tokens.(user_id) > users.(id) [delete: no action, update:" in text
    )
    assert "note: 'default: \\'`tick`\\'::text'" in text  # a backtick cannot be an expression
    assert "check chk_tokens_note: note <> \\'`\\'" in text
    assert 'TableGroup public {\n  "Order Items"\n  events\n' in text


def _dbml2sql(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tools.dbml2sql()), "--postgres", str(path)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_dbml_toolchain_parses_the_export(weird_docs: Path, tmp_path: Path) -> None:
    big = tmp_path / "generated.dbml"
    big.write_text(dbml(Catalog(generated(120)), "generated"))
    outputs = []
    for path in (weird_docs / "schema.dbml", big):
        done = _dbml2sql(path, tmp_path)
        assert done.returncode == 0, done.stderr
        assert "ERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
        log = tmp_path / "dbml-error.log"
        assert not log.exists() or log.read_text() == ""
        outputs.append(done.stdout)
    assert outputs[0].count("CREATE TABLE") == len(weird().tables)
    assert outputs[1].count("CREATE TABLE") == 120
    assert "ON DELETE NO ACTION" in outputs[0]


def test_dbml_toolchain_refuses_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.dbml"
    broken.write_text("Table t {\n}\n")
    done = _dbml2sql(broken, tmp_path)
    assert "ERROR" in done.stdout + done.stderr
