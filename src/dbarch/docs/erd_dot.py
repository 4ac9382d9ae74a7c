"""Diagrams as Graphviz DOT with HTML-like table labels, rendered by the ``dot`` binary.

Every node id is the table's file stem prefixed with ``t-``, and the SVG group of a node
carries that id, so the HTML site can turn nodes into links. Foreign keys are drawn from
the referencing column to the referenced column, with crow's-foot ends: the parent side
is ``||`` when the columns are NOT NULL, the child side one-or-none when they are unique.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dbarch.docs.catalog import Catalog, Link, TableKey, cardinality, display_name
from dbarch.docs.layout import Diagram, SchemaMap, key_marks, shown_columns
from dbarch.docs.types import short_type
from dbarch.errors import DbarchError
from dbarch.model.objects import Column, Table

FONT = "Helvetica,Arial,sans-serif"
HEADER = "#2b5d8a"
CONTEXT_HEADER = "#8a99a8"
BATCH = 200  # DOT files per dot process at most
PNG_INCHES = 40


class RenderError(DbarchError):
    """Graphviz could not render a diagram."""


def node_id(catalog: Catalog, key: TableKey) -> str:
    """The DOT node id (and SVG element id) of table ``key``."""
    return "t-" + catalog.slug(key)


def dot(catalog: Catalog, diagram: Diagram) -> str:
    """The Graphviz DOT source of ``diagram``."""
    lines = [
        'digraph "erd" {',
        f'  graph [rankdir=LR, fontname="{FONT}", fontsize=12, nodesep=0.3, ranksep=0.8,'
        f' pad=0.2, bgcolor="white", labelloc=t, label=<<b>{_text(diagram.title)}</b>>];',
        f'  node [shape=plain, fontname="{FONT}", fontsize=10];',
        f'  edge [fontname="{FONT}", fontsize=8, color="#5b6b7a", dir=both];',
    ]
    shown: dict[TableKey, list[str]] = {}
    for key in (*diagram.tables, *diagram.context):
        columns = shown_columns(catalog, diagram, key)
        shown[key] = [c.name for c in columns]
        nid = node_id(catalog, key)
        label = _label(catalog.by_key[key], columns, context=key in diagram.context)
        lines.append(f'  "{nid}" [id="{nid}", label=<{label}>];')
    for link in diagram.links:
        lines.append(_edge(catalog, link, shown))
    lines.append("}")
    return "\n".join(lines) + "\n"


def map_node_id(slug: str) -> str:
    """The DOT node id (and SVG element id) of overview diagram ``slug`` in a map."""
    return "d-" + slug


def dot_map(schema_map: SchemaMap) -> str:
    """The Graphviz DOT source of a :class:`SchemaMap`: a box per diagram with its table
    count, an arrow per pair of diagrams from the referencing to the referenced one."""
    lines = [
        'digraph "erd" {',
        f'  graph [rankdir=LR, fontname="{FONT}", fontsize=12, nodesep=0.4, ranksep=1.0,'
        ' pad=0.2, bgcolor="white", labelloc=t, label=<<b>All tables: map of the diagrams</b>>];',
        f'  node [shape=box, style="rounded,filled", fillcolor="#e3ecf5", color="{HEADER}",'
        f' fontname="{FONT}", fontsize=11];',
        f'  edge [fontname="{FONT}", fontsize=9, color="#5b6b7a"];',
    ]
    for part in schema_map.parts:
        nid = map_node_id(part.slug)
        label = f"<b>{_text(part.title)}</b><br/>{len(part.tables)} tables"
        lines.append(f'  "{nid}" [id="{nid}", label=<{label}>];')
    for source, target, count in schema_map.edges:
        label = f"{count} FK{'s' if count > 1 else ''}"
        lines.append(f'  "{map_node_id(source)}" -> "{map_node_id(target)}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _text(text: str) -> str:
    """``text`` for an HTML-like label: entities escaped, one line."""
    flat = " ".join(text.split())
    return (
        flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _label(table: Table, columns: tuple[Column, ...], *, context: bool) -> str:
    colour = CONTEXT_HEADER if context else HEADER
    title = _text(display_name((table.schema_, table.name)))
    rows = [
        '<table border="0" cellborder="1" cellspacing="0" cellpadding="3">',
        f'<tr><td port="h" bgcolor="{colour}"><font color="#ffffff"><b>{title}</b></font></td>'
        "</tr>",
    ]
    marks = key_marks(table)
    for index, column in enumerate(columns):
        mark = f"<b>{' '.join(marks[column.name])}</b> " if column.name in marks else ""
        null = "" if column.nullable else " NOT NULL"
        kind = _text(short_type(column.type) + null)
        rows.append(
            f'<tr><td port="c{index}" align="left">{mark}{_text(column.name)}'
            f' <font color="#5b6b7a">{kind}</font></td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)


def _port(columns: list[str], wanted: tuple[str, ...]) -> str:
    for name in wanted:
        if name in columns:
            return f"c{columns.index(name)}"
    return "h"


def _edge(catalog: Catalog, link: Link, shown: dict[TableKey, list[str]]) -> str:
    required, unique, identifying = cardinality(catalog, link)
    tail = "teeodot" if unique else "crowodot"
    head = "teetee" if required else "teeodot"
    style = "solid" if identifying else "dashed"
    source = f'"{node_id(catalog, link.source)}":{_port(shown[link.source], link.fk.columns)}'
    target_columns = link.fk.references.columns
    target = f'"{node_id(catalog, link.target)}":{_port(shown[link.target], target_columns)}'
    return f"  {source} -> {target} [arrowtail={tail}, arrowhead={head}, style={style}];"


def dot_binary() -> str | None:
    """Path of Graphviz's ``dot``, or ``None`` when Graphviz is not installed."""
    return shutil.which("dot")


def render(dot_files: list[Path], binary: str, formats: tuple[str, ...]) -> list[Path]:
    """Render each DOT file to each of ``formats`` (``svg``, ``png``) beside it; the files
    written.

    Files go to ``dot`` in batches (one process renders many graphs), on as many workers
    as there are CPUs. A PNG is at most :data:`PNG_INCHES` inches (at 96 dpi) on its
    longer side: rasterising a drawing of a hundred tables at full size takes minutes
    and gigabytes, and the SVG has every detail anyway.
    """
    workers = max(1, min(len(dot_files), os.cpu_count() or 1))
    count = max(workers, -(-len(dot_files) // BATCH))
    size = -(-len(dot_files) // count) if dot_files else 1
    batches = [dot_files[i : i + size] for i in range(0, len(dot_files), size)]
    jobs = [(batch, fmt) for fmt in formats for batch in batches]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        written = list(pool.map(lambda job: _render_batch(binary, *job), jobs))
    return [path for batch in written for path in batch]


def _render_batch(binary: str, files: list[Path], fmt: str) -> list[Path]:
    limit = [f"-Gsize={PNG_INCHES},{PNG_INCHES}"] if fmt == "png" else []
    done = subprocess.run(
        [binary, f"-T{fmt}", *limit, "-O", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RenderError(f"Graphviz dot failed: {done.stderr.strip()}")
    written = []
    for path in files:
        target = path.with_suffix(f".{fmt}")
        path.with_name(f"{path.name}.{fmt}").replace(target)
        written.append(target)
    return written
