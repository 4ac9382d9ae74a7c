"""The data dictionary in Markdown, in seed 002's template, and the index page.

Per table: ``## Table: name`` with ``### Description``, ``### Columns``, ``### Indexes``
(the primary key and unique constraints first, as ``PRIMARY`` and ``UNIQUE`` rows),
``### Foreign Keys``, ``### Constraints`` and ``### Sample Data`` (an INSERT of the columns
an insert must give, see :mod:`dbarch.docs.sample`), the template's sections in its order,
then ``### Referenced By``. An empty table of a section is one row of ``-``. Text in cells
is escaped so that names and SQL read as written: ``|`` and leading block marks are
backslash-escaped, ``<`` and entity-like ``&`` become entities, line breaks become ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dbarch.docs.catalog import Catalog, TableKey, display_name, key_of
from dbarch.docs.sample import sample_insert
from dbarch.docs.text import (
    action_text,
    default_text,
    exclusion_condition,
    index_columns,
    index_type,
    reference_text,
)
from dbarch.docs.types import dictionary_type
from dbarch.model.objects import ForeignKey, MaterializedView, Table

_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_BLOCK_START = re.compile(r"^(\s*)([#>+*=|-]|\d+[.)])", re.MULTILINE)
_ANCHOR_DROP = re.compile(r"[^\w\- ]")


def inline(text: str) -> str:
    """``text`` safe inside Markdown text: it renders as written."""
    text = _BACKSLASH.sub(r"\\\\", text)
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;")


class Markdown(str):
    """Text that is Markdown already (a link): table cells take it as it is."""


def link(text: str, target: str) -> Markdown:
    """A Markdown link to ``target`` (a relative path, maybe with an anchor)."""
    label = cell(text).replace("[", "\\[").replace("]", "\\]")
    return Markdown(f"[{label}]({target})")


def cell(text: str | None) -> str:
    """``text`` as one Markdown table cell; ``-`` when empty."""
    if isinstance(text, Markdown):
        return text
    if text is None or not text.strip():
        return "-"
    lines = [inline(line.strip()) for line in text.strip().splitlines()]
    return "<br>".join(lines).replace("|", "\\|")


def paragraph(text: str) -> str:
    """``text`` as Markdown paragraphs, no line read as a heading, list or quote."""
    return _BLOCK_START.sub(r"\1\\\2", inline(text.strip()))


def table_rows(headers: Sequence[str], rows: Sequence[Sequence[str | None]]) -> list[str]:
    """A Markdown table like the template's; no rows gives one row of ``-``."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("-" * (len(h) + 2) for h in headers) + "|",
    ]
    for row in rows or [["-"] * len(headers)]:
        lines.append("| " + " | ".join(cell(value) for value in row) + " |")
    return lines


@dataclass
class Anchors:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to ``-``,
    repeats numbered."""

    seen: dict[str, int]

    def add(self, heading: str) -> str:
        """The anchor of the next heading ``heading``."""
        base = _ANCHOR_DROP.sub("", heading.lower()).replace(" ", "-")
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"


SECTIONS = (
    "Description",
    "Columns",
    "Indexes",
    "Foreign Keys",
    "Constraints",
    "Sample Data",
    "Referenced By",
)


def table_heading(key: TableKey) -> str:
    """The heading text of a table's section."""
    return f"Table: {display_name(key)}"


def table_anchors(catalog: Catalog) -> dict[TableKey, str]:
    """The anchor of each table's section in ``data_dictionary.md``."""
    anchors = Anchors({})
    anchors.add("Data Dictionary")
    found: dict[TableKey, str] = {}
    for table in catalog.tables:
        found[key_of(table)] = anchors.add(table_heading(key_of(table)))
        for section in SECTIONS:
            anchors.add(section)
    return found


def data_dictionary(catalog: Catalog, title: str) -> str:
    """The Markdown data dictionary of every table in ``catalog``."""
    lines = ["# Data Dictionary", "", paragraph(title), ""]
    for table in catalog.tables:
        lines += _table(catalog, table)
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(catalog: Catalog, table: Table) -> list[str]:
    key = key_of(table)
    lines = [f"## {inline(table_heading(key))}", "", "### Description"]
    lines += [paragraph(text) for text in _description(catalog, table)]
    lines += ["", "### Columns", ""]
    lines += table_rows(
        ("Column", "Type", "Nullable", "Default", "Description"),
        [
            (
                c.name,
                dictionary_type(c.type),
                "YES" if c.nullable else "NO",
                default_text(c) or ("NULL" if c.nullable else "-"),
                c.comment,
            )
            for c in table.columns
        ],
    )
    lines += ["", "### Indexes", ""]
    lines += table_rows(("Name", "Columns", "Type", "Description"), index_rows(table))
    lines += ["", "### Foreign Keys", ""]
    lines += table_rows(
        ("Name", "Column", "References", "On Delete"),
        [
            (link.name, ", ".join(link.fk.columns), reference_text(link.fk), _delete(link.fk))
            for link in catalog.outgoing(key)
        ],
    )
    lines += ["", "### Constraints", ""]
    lines += table_rows(("Name", "Type", "Condition"), constraint_rows(table))
    lines += ["", "### Sample Data", _fenced("sql", sample_insert(catalog, table))]
    lines += ["", "### Referenced By", ""]
    lines += table_rows(
        ("Name", "Table", "Column", "References", "On Delete"),
        [
            (
                link.name,
                display_name(link.source),
                ", ".join(link.fk.columns),
                ", ".join(link.fk.references.columns),
                _delete(link.fk),
            )
            for link in catalog.incoming(key)
        ],
    )
    return [*lines, ""]


def _fenced(language: str, text: str) -> str:
    """``text`` in a fenced code block, the fence longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _delete(fk: ForeignKey) -> str:
    return action_text(fk.on_delete)


def _description(catalog: Catalog, table: Table) -> list[str]:
    key = key_of(table)
    texts = [table.comment] if table.comment else []
    parent = catalog.parent(key)
    if parent is not None:
        bound = f" {table.partition_bound}" if table.partition_bound else ""
        texts.append(f"Partition of {display_name(parent)}{bound}.")
    if table.partition_by is not None:
        by = f"{table.partition_by.strategy.upper()} ({table.partition_by.key})"
        names = ", ".join(display_name(p) for p in catalog.partitions(key)) or "none"
        texts.append(f"Partitioned by {by}; partitions: {names}.")
    return texts or ["-"]


def index_rows(table: Table) -> list[tuple[str, str, str, str | None]]:
    """Rows of the Indexes section: primary key, unique constraints, then indexes."""
    rows: list[tuple[str, str, str, str | None]] = []
    if table.primary_key is not None:
        pk = table.primary_key
        columns = _keys(pk.columns, pk.include)
        rows.append((pk.name or "-", columns, "PRIMARY", pk.comment or "Primary key"))
    for unique in table.unique:
        columns = _keys(unique.columns, unique.include)
        rows.append((unique.name or "-", columns, "UNIQUE", unique.comment or "Unique constraint"))
    for index in table.indexes:
        rows.append((index.name or "-", index_columns(index), index_type(index), index.comment))
    return rows


def _keys(columns: tuple[str, ...], include: tuple[str, ...]) -> str:
    text = ", ".join(columns)
    return f"{text} INCLUDE ({', '.join(include)})" if include else text


def constraint_rows(table: Table) -> list[tuple[str, str, str]]:
    """Rows of the Constraints section: CHECK and EXCLUDE constraints."""
    rows = [
        (check.name or "-", "CHECK", check.check + (" NOT VALID" if check.not_valid else ""))
        for check in table.checks
    ]
    rows += [(e.name or "-", "EXCLUDE", exclusion_condition(e)) for e in table.exclusions]
    return rows


@dataclass(frozen=True)
class DiagramFiles:
    """Where one diagram was written, relative to the output directory."""

    title: str
    tables: int
    mermaid: str
    dot: str
    svg: str | None
    png: str | None


def index_page(
    catalog: Catalog,
    title: str,
    diagrams: Sequence[DiagramFiles],
    *,
    site: str,
    dbml: str,
    dictionary: str,
    erd: str,
) -> str:
    """The Markdown index: schemas, tables (linked into the dictionary), views, diagrams."""
    anchors = table_anchors(catalog)
    schemas = catalog.schemas()
    lines = [
        f"# {inline(title)}",
        "",
        f"{len(catalog.tables)} tables in {len(schemas)} schemas.",
        "",
        f"- [Data dictionary]({dictionary})",
        f"- [Entity relationship diagram]({erd})",
        f"- [HTML site]({site})",
        f"- [DBML]({dbml})",
        "- [Diagrams](#diagrams)",
        "",
        "## Schemas",
        "",
    ]
    counts = {s: 0 for s in schemas}
    for table in catalog.tables:
        counts[table.schema_] += 1
    lines += table_rows(
        ("Schema", "Tables", "Description"),
        [(s, str(counts[s]), catalog.schema_comment(s)) for s in schemas],
    )
    lines += ["", "## Tables", ""]
    rows = [
        (
            link(display_name(key_of(t)), f"{dictionary}#{anchors[key_of(t)]}"),
            t.schema_,
            str(len(t.columns)),
            t.comment,
        )
        for t in catalog.tables
    ]
    lines += table_rows(("Table", "Schema", "Columns", "Description"), rows)
    views = [*catalog.schema.views, *catalog.schema.materialized_views]
    if views:
        lines += ["", "## Views", ""]
        view_rows = [
            (
                display_name((v.schema_, v.name)),
                v.schema_,
                "materialized view" if isinstance(v, MaterializedView) else "view",
                v.comment,
            )
            for v in sorted(views, key=lambda v: (v.schema_, v.name))
        ]
        lines += table_rows(("View", "Schema", "Kind", "Description"), view_rows)
    lines += ["", "## Diagrams", ""]
    diagram_rows = []
    for d in diagrams:
        renders = [link("DOT", d.dot)]
        renders += [link("SVG", d.svg)] if d.svg else []
        renders += [link("PNG", d.png)] if d.png else []
        graphviz = Markdown(" · ".join(renders))
        diagram_rows.append((d.title, str(d.tables), link("Mermaid", d.mermaid), graphviz))
    lines += table_rows(("Diagram", "Tables", "Mermaid", "Graphviz"), diagram_rows)
    lines += [
        "",
        "Every table also has a neighbourhood diagram (the table and the tables one foreign "
        "key away) in `erd/tables/`.",
    ]
    return "\n".join(lines) + "\n"
