"""``write_docs``: every document of a schema into one directory.

::

    index.md                 schemas, tables, views, diagrams
    data_dictionary.md       seed 002's template, one section per table
    schema.dbml              DBML
    erd/<diagram>.mmd|.dot   one per schema or group (parts when large), ``all`` when small
    erd/tables/<table>.mmd|.dot   each table's neighbourhood
      (+ .svg beside every .dot, and .png beside the overview diagrams' ones, when
      Graphviz's ``dot`` is installed)
    site/                    static HTML: index.html, tables/*.html, diagrams/*.html

Files of an earlier run that this run does not write are left alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from dbarch.docs.catalog import Catalog
from dbarch.docs.dbml import dbml
from dbarch.docs.dictionary import DiagramFiles, data_dictionary, index_page
from dbarch.docs.erd_dot import dot, dot_binary, render
from dbarch.docs.erd_mermaid import mermaid
from dbarch.docs.layout import Diagram, neighbourhood, overview_diagrams
from dbarch.docs.site import write_site
from dbarch.docs.site.pages import Site, inline_svg, mermaid_source
from dbarch.errors import DbarchError
from dbarch.model.objects import Schema


class DocsError(DbarchError):
    """The documentation cannot be written where it was asked to go."""


def _write(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise DocsError(f"{path}: cannot write: {exc.strerror}") from None
    return path


def _prepare(out: Path) -> None:
    """Make the output directory ``out``, or say plainly why it cannot be one."""
    if out.exists() and not out.is_dir():
        raise DocsError(f"{out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DocsError(f"{out}: cannot create the directory: {exc.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise DocsError(f"{out}: the directory is not writable")


def write_docs(
    schema: Schema,
    out: Path,
    *,
    title: str,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> list[Path]:
    """Write the documentation of ``schema`` under ``out``; the files written, sorted.

    ``groups`` maps a diagram group name to ``fnmatch`` patterns over ``schema.table``
    (default: one diagram per schema). The same input gives byte-identical files.
    """
    _prepare(out)
    catalog = Catalog(schema)
    overviews = overview_diagrams(catalog, groups)
    neighbourhoods = {key: neighbourhood(catalog, key) for key in catalog.by_key}
    erd = out / "erd"
    files: list[Path] = []
    overview_dots = [_diagram(catalog, erd, d, files) for d in overviews]
    table_dots = [_diagram(catalog, erd / "tables", d, files) for d in neighbourhoods.values()]
    binary = dot_binary()
    if binary is not None:
        files += render(overview_dots, binary, ("svg", "png"))
        files += render(table_dots, binary, ("svg",))

    def picture(diagram: Diagram) -> str:
        folder = erd / "tables" if diagram.kind == "table" else erd
        if binary is not None:
            return inline_svg((folder / f"{diagram.slug}.svg").read_text(encoding="utf-8"))
        return mermaid_source((folder / f"{diagram.slug}.mmd").read_text(encoding="utf-8"))

    listed = [_diagram_files(d, rendered=binary is not None) for d in overviews]
    files.append(_write(out / "data_dictionary.md", data_dictionary(catalog, title)))
    files.append(
        _write(
            out / "index.md",
            index_page(
                catalog,
                title,
                listed,
                site="site/index.html",
                dbml="schema.dbml",
                dictionary="data_dictionary.md",
            ),
        )
    )
    files.append(_write(out / "schema.dbml", dbml(catalog, title)))
    site = Site(catalog, title, overviews, neighbourhoods, picture)
    files += write_site(site, out / "site", _write)
    return sorted(files)


def _diagram(catalog: Catalog, folder: Path, diagram: Diagram, files: list[Path]) -> Path:
    """Write the Mermaid and DOT files of ``diagram``; the DOT file."""
    files.append(_write(folder / f"{diagram.slug}.mmd", mermaid(catalog, diagram)))
    files.append(_write(folder / f"{diagram.slug}.dot", dot(catalog, diagram)))
    return files[-1]


def _diagram_files(diagram: Diagram, *, rendered: bool) -> DiagramFiles:
    stem = f"erd/{diagram.slug}"
    return DiagramFiles(
        title=diagram.title,
        tables=len(diagram.tables),
        mermaid=f"{stem}.mmd",
        dot=f"{stem}.dot",
        svg=f"{stem}.svg" if rendered else None,
        png=f"{stem}.png" if rendered else None,
    )
