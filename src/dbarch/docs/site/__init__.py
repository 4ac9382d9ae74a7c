"""The static HTML site of a schema's documentation (see :mod:`dbarch.docs.site.pages`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dbarch.docs.catalog import key_of
from dbarch.docs.site.assets import CSS, JS
from dbarch.docs.site.pages import Site, diagram_html, index_html, table_html

Write = Callable[[Path, str], Path]


def write_site(site: Site, out: Path, write: Write) -> list[Path]:
    """Write the site's pages under ``out`` with ``write(path, text)``; the paths."""
    files = [
        write(out / "assets" / "site.css", CSS),
        write(out / "assets" / "site.js", JS),
        write(out / "index.html", index_html(site)),
    ]
    for table in site.catalog.tables:
        slug = site.catalog.slug(key_of(table))
        files.append(write(out / "tables" / f"{slug}.html", table_html(site, table)))
    for diagram in site.overviews:
        files.append(write(out / "diagrams" / f"{diagram.slug}.html", diagram_html(site, diagram)))
    return files
