"""``write_docs``: every document of a schema into one directory.

::

    index.md                 schemas, tables, views, diagrams
    data_dictionary.md       seed 002's template, one section per table
    erd.mmd|.dot             the whole schema (seed 002's ``erd.png``): every table when
                             they are few enough to read, else the map of the diagrams
    schema.dbml              DBML
    erd/<diagram>.mmd|.dot   one per schema or group (parts when large)
    erd/tables/<table>.mmd|.dot   each table's neighbourhood
      (+ .svg beside every .dot, and .png beside erd.dot and the overview diagrams' ones,
      when Graphviz's ``dot`` is installed)
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
from dbarch.docs.erd_dot import dot, dot_binary, dot_map, render
from dbarch.docs.erd_mermaid import mermaid, mermaid_map
from dbarch.docs.layout import (
    Diagram,
    SchemaMap,
    neighbourhood,
    overview_diagrams,
    whole_schema,
)
from dbarch.docs.site import write_site
from dbarch.docs.site.pages import Site, inline_svg, mermaid_source
from dbarch.errors import DbarchError
from dbarch.model.objects import Schema

WHOLE = "erd"  # the stem of the whole-schema diagram's files: erd.png, as seed 002 has it


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
    whole = whole_schema(catalog, overviews)
    neighbourhoods = {key: neighbourhood(catalog, key) for key in catalog.by_key}
    files: list[Path] = []
    overview_dots = [_diagram(catalog, out, d, files) for d in overviews]
    if isinstance(whole, SchemaMap):
        files.append(_write(out / f"{WHOLE}.mmd", mermaid_map(whole)))
        files.append(_write(out / f"{WHOLE}.dot", dot_map(whole)))
        overview_dots.append(files[-1])
    elif whole not in overviews:
        overview_dots.append(_diagram(catalog, out, whole, files))
    table_dots = [_diagram(catalog, out, d, files) for d in neighbourhoods.values()]
    binary = dot_binary()
    if binary is not None:
        files += render(overview_dots, binary, ("svg", "png"))
        files += render(table_dots, binary, ("svg",))

    def picture(diagram: Diagram) -> str:
        stem = _stem(out, diagram)
        if binary is not None:
            return inline_svg(_file(stem, "svg").read_text(encoding="utf-8"))
        return mermaid_source(_file(stem, "mmd").read_text(encoding="utf-8"))

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
                erd=f"{WHOLE}.png" if binary is not None else f"{WHOLE}.mmd",
                dbml="schema.dbml",
                dictionary="data_dictionary.md",
            ),
        )
    )
    files.append(_write(out / "schema.dbml", dbml(catalog, title)))
    schema_map = None
    if isinstance(whole, SchemaMap):
        stem = out / WHOLE
        schema_map = (
            inline_svg(_file(stem, "svg").read_text(encoding="utf-8"))
            if binary is not None
            else mermaid_source(_file(stem, "mmd").read_text(encoding="utf-8"))
        )
    site = Site(catalog, title, overviews, neighbourhoods, picture, schema_map)
    files += write_site(site, out / "site", _write)
    return sorted(files)


def _stem(out: Path, diagram: Diagram) -> Path:
    """Where ``diagram``'s files go, without their suffix."""
    if diagram.kind == "all":
        return out / WHOLE
    folder = out / "erd" / "tables" if diagram.kind == "table" else out / "erd"
    return folder / diagram.slug


def _file(stem: Path, suffix: str) -> Path:
    """``stem`` with ``.suffix`` added (stems hold dots: ``schema.sales-2``)."""
    return stem.with_name(f"{stem.name}.{suffix}")


def _diagram(catalog: Catalog, out: Path, diagram: Diagram, files: list[Path]) -> Path:
    """Write the Mermaid and DOT files of ``diagram``; the DOT file."""
    stem = _stem(out, diagram)
    files.append(_write(_file(stem, "mmd"), mermaid(catalog, diagram)))
    files.append(_write(_file(stem, "dot"), dot(catalog, diagram)))
    return files[-1]


def _diagram_files(diagram: Diagram, *, rendered: bool) -> DiagramFiles:
    stem = WHOLE if diagram.kind == "all" else f"erd/{diagram.slug}"
    return DiagramFiles(
        title=diagram.title,
        tables=len(diagram.tables),
        mermaid=f"{stem}.mmd",
        dot=f"{stem}.dot",
        svg=f"{stem}.svg" if rendered else None,
        png=f"{stem}.png" if rendered else None,
    )
