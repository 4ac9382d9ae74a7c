"""``write_docs`` as a whole: the files, byte-identical reruns, layout at scale, errors."""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

import pytest

from dbarch.docs import DocsError, write_docs
from dbarch.docs.catalog import Catalog, slug
from dbarch.docs.layout import MAX_TABLES, neighbourhood, overview_diagrams
from dbarch.model.objects import Schema
from tests.docs import tools
from tests.docs.schemas import generated, weird


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_writes_every_document_and_lists_it(tmp_path: Path) -> None:
    files = write_docs(weird(), tmp_path, title="weird")
    assert files == sorted(files)
    assert set(files) == {tmp_path / name for name in _tree(tmp_path)}
    names = {str(f.relative_to(tmp_path)) for f in files}
    for expected in (
        "index.md",
        "data_dictionary.md",
        "schema.dbml",
        "erd.mmd",
        "erd.dot",
        "erd/schema.public.dot",
        "site/index.html",
        "site/assets/site.js",
        "site/tables/public.users.html",
        "site/diagrams/schema.public.html",
        "erd/tables/public.order-items-6f25da24.mmd",
    ):
        assert expected in names


def test_the_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    tools.dot()
    first, second = tmp_path / "one", tmp_path / "two"
    write_docs(weird(), first, title="same")
    write_docs(weird(), second, title="same")
    one, two = _tree(first), _tree(second)
    assert sorted(one) == sorted(two)
    assert any(name.endswith(".png") for name in one)
    assert any(name.endswith(".svg") for name in one)
    assert [name for name in one if one[name] != two[name]] == []


def test_an_empty_schema_still_gets_its_index_pages(tmp_path: Path) -> None:
    files = write_docs(Schema(), tmp_path, title="empty")
    names = [str(f.relative_to(tmp_path)) for f in files]
    assert "index.md" in names and "site/index.html" in names and "schema.dbml" in names
    assert "0 tables in 0 schemas." in (tmp_path / "index.md").read_text()


def test_input_order_does_not_matter(tmp_path: Path) -> None:
    schema = weird()
    shuffled = schema.model_copy(update={"tables": tuple(reversed(schema.tables))})
    write_docs(schema, tmp_path / "a", title="t")
    write_docs(shuffled, tmp_path / "b", title="t")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_file_names_are_safe_and_distinct() -> None:
    assert slug("public", "users") == "public.users"
    assert slug("public", "Users") != slug("public", "users")
    assert slug("public", "Users").startswith("public.users-")
    assert slug("a b", "c") != slug("a", "b c")
    assert slug("public", "名前").startswith("public.x-")
    assert slug("public", "../etc").startswith("public.etc-")
    long = slug("public", "x" * 63)
    assert len(long) < 80 and "/" not in long


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("")
    with pytest.raises(DocsError, match="not a directory"):
        write_docs(weird(), target, title="t")


def test_groups_gather_tables_across_schemas() -> None:
    catalog = Catalog(generated(40, schemas=2))
    groups = {"early": ["s*.t1", "s*.t2?"]}
    diagrams = overview_diagrams(catalog, groups)
    by_slug = {d.slug: d for d in diagrams}
    assert list(by_slug) == ["all", "group.early", "schema.s0", "schema.s1"]
    early = by_slug["group.early"].tables
    assert ("s1", "t1") in early and ("s0", "t20") in early and ("s0", "t2") not in early
    assert not set(early) & set(by_slug["schema.s0"].tables)
    assert set(by_slug["schema.s0"].context) <= set(early) | set(by_slug["schema.s1"].tables)


def test_neighbourhood_is_one_hop() -> None:
    catalog = Catalog(generated(40, schemas=2))
    diagram = neighbourhood(catalog, ("s0", "t20"))
    assert diagram.tables == (("s0", "t20"),)
    assert set(diagram.context) == {("s0", "t18"), ("s0", "t14"), ("s0", "t22"), ("s0", "t26")}
    assert {link.name for link in diagram.links} == {
        "fk_t20_18",
        "fk_t20_14",
        "fk_t22_20",
        "fk_t26_20",
    }


def test_a_thousand_tables_document_quickly_with_readable_diagrams(tmp_path: Path) -> None:
    schema = generated(1000, schemas=4)
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    files = write_docs(schema, tmp_path, title="big")
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(
        a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime
        for a, b in zip(after, before, strict=True)
    )
    # CPU seconds of this process and of dot: wall time also counts a busy shared disk
    assert cpu < 30, f"{cpu:.1f} s of CPU ({wall:.1f} s wall) for 1,000 tables"
    diagrams = overview_diagrams(Catalog(schema))
    assert all(len(d.tables) <= MAX_TABLES for d in diagrams)
    assert {d.slug for d in diagrams} == {f"schema.s{s}-{p}" for s in range(4) for p in range(1, 6)}
    assert sum(len(d.tables) for d in diagrams) == 1000
    names = {str(f.relative_to(tmp_path)) for f in files}
    assert len([n for n in names if n.startswith("site/tables/")]) == 1000
    assert len([n for n in names if n.startswith("erd/tables/") and n.endswith(".mmd")]) == 1000
    if shutil.which("dot"):
        assert "erd/schema.s0-1.png" in names and "erd/tables/s3.t999.svg" in names
        assert "erd.png" in names  # the map of the diagrams
    assert (tmp_path / "erd.mmd").read_text().count(" tables of Schema s") == 20
    assert not (tmp_path / "erd" / "all.mmd").exists()


def test_erd_png_is_where_seed_002_puts_it(tmp_path: Path) -> None:
    """``--out docs`` gives ``docs/erd.png`` beside ``docs/data_dictionary.md``: every
    table, also when there is one schema (and so no separate "All tables" diagram)."""
    tools.dot()
    single = generated(12, schemas=1)
    write_docs(single, tmp_path, title="one schema")
    assert (tmp_path / "erd.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "data_dictionary.md").is_file()
    erd = (tmp_path / "erd.dot").read_text()
    assert erd.count('[id="t-s0.t') == 12
    assert "All tables" in erd
    index = (tmp_path / "index.md").read_text()
    assert "- [Entity relationship diagram](erd.png)\n" in index
    assert "| All tables |" not in index  # the schema's own diagram is the same tables
