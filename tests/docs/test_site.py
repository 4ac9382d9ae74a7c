"""The static HTML site: escaping, links that resolve, no network, and a real browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dbarch.docs import write_docs
from dbarch.docs.catalog import Catalog
from tests.docs import tools
from tests.docs.browser import Chromium, Page
from tests.docs.schemas import generated, weird


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src", "xlink:href", "data"):
            if values.get(name):
                self.links.append(values[name] or "")
        if tag == "script":
            self.scripts.append(values.get("src"))


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _resolve(page: Path, link: str) -> Path | None:
    """The file a relative link of ``page`` points to; ``None`` for in-page and data links."""
    if link.startswith(("#", "data:")):
        return None
    parts = urlsplit(link)
    assert not parts.scheme and not parts.netloc, f"{page}: external link {link}"
    return (page.parent / unquote(parts.path)).resolve()


def test_every_link_resolves_and_nothing_is_fetched_from_elsewhere(weird_docs: Path) -> None:
    site = weird_docs / "site"
    pages = _pages(site)
    assert len(pages) == 1 + len(weird().tables) + 3
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.links, page
        for link in parser.links:
            target = _resolve(page, link)
            assert target is None or target.is_file(), f"{page.name}: {link}"
        assert [Path(s or "").name for s in parser.scripts] == ["site.js"], page


def test_names_are_escaped_everywhere(weird_docs: Path) -> None:
    site = weird_docs / "site"
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert text.count("<script") == 1, page
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert escaped in (site / "index.html").read_text(encoding="utf-8")
    assert 'data-schema="Shop &quot;Ω&quot;"' in (site / "index.html").read_text(encoding="utf-8")
    users = (site / "tables" / "public.users.html").read_text(encoding="utf-8")
    assert f"Shop &quot;Ω&quot;.{escaped}</a>" in users


def test_table_pages_link_along_foreign_keys_both_ways(weird_docs: Path) -> None:
    tools.dot()
    catalog = Catalog(weird())
    tables = weird_docs / "site" / "tables"
    for key, table in catalog.by_key.items():
        text = (tables / f"{catalog.slug(key)}.html").read_text(encoding="utf-8")
        for link in catalog.outgoing(key):
            assert f'href="{catalog.slug(link.target)}.html"' in text
        for link in catalog.incoming(key):
            assert f'href="{catalog.slug(link.source)}.html"' in text
        assert '<div class="diagram"><svg' in text, table.name
    users = (tables / "public.users.html").read_text(encoding="utf-8")
    assert '<a href="public.tokens.html">tokens</a>' in users
    assert '<a href="public.profiles.html">profiles</a>' in users


def test_without_graphviz_diagrams_show_their_mermaid_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    files = write_docs(weird(), tmp_path / "out", title="no graphviz")
    assert not [f for f in files if f.suffix in (".svg", ".png")]
    page = (tmp_path / "out" / "site" / "tables" / "public.users.html").read_text()
    assert '<pre class="mermaid-source">erDiagram\n' in page
    assert "users ||--o| profiles : &quot;fk_profiles_user_id&quot;" in page


def _visible_rows(page: Page) -> list[str]:
    return page.run(
        "Array.from(document.querySelectorAll('#table-list tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    )


def test_site_in_headless_chromium(weird_docs: Path, chromium: Chromium) -> None:
    tools.dot()  # the diagrams' nodes link to table pages
    site = weird_docs / "site"
    with chromium.page() as page:
        page.open((site / "index.html").as_uri())
        assert len(_visible_rows(page)) == len(weird().tables)
        assert page.run("document.getElementById('table-count').textContent") == "8 of 8 tables"
        page.type("#search", "order")
        assert _visible_rows(page) == ["Order Items"]
        page.type("#search", " space")
        assert _visible_rows(page) == ["Order Items"]
        page.run("document.getElementById('search').value = ''")
        page.run("document.getElementById('search').dispatchEvent(new Event('input'))")
        page.run(
            "const s = document.getElementById('schema-filter');"
            "s.value = 'Shop \"Ω\"'; s.dispatchEvent(new Event('change'))"
        )
        assert _visible_rows(page) == ['Shop "Ω".<script>alert("x")</script>']
        assert page.problems() == []

        for html in _pages(site):
            page.open(html.as_uri())
            assert page.run("document.title"), html
            hrefs = page.run("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
            for href in hrefs:
                assert Path(unquote(urlsplit(href).path)).is_file(), f"{html.name}: {href}"
            assert page.problems() == [], html

        page.open((site / "tables" / "public.users.html").as_uri())
        node = "t-public.profiles"
        page.run(f"document.getElementById('{node}').dispatchEvent(new MouseEvent('click'))")
        page.session.wait_for("Page.loadEventFired", 30)
        assert page.run("location.pathname").endswith("/site/tables/public.profiles.html")
        assert page.problems() == []


def test_the_map_of_a_large_schema_links_to_its_diagrams(
    tmp_path: Path, chromium: Chromium
) -> None:
    tools.dot()
    write_docs(generated(120, schemas=2), tmp_path, title="map")
    site = tmp_path / "site"
    with chromium.page() as page:
        page.open((site / "index.html").as_uri())
        nodes = page.run(
            "Array.from(document.querySelectorAll('#schema-map g.node')).map(n => n.id)"
        )
        assert sorted(nodes) == ["d-schema.s0-1", "d-schema.s0-2", "d-schema.s1-1", "d-schema.s1-2"]
        page.run("document.getElementById('d-schema.s1-2').dispatchEvent(new MouseEvent('click'))")
        page.session.wait_for("Page.loadEventFired", 30)
        assert page.run("location.pathname").endswith("/site/diagrams/schema.s1-2.html")
        assert page.problems() == []
