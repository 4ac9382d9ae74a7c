"""The static HTML site: an index with search and a schema filter, a page per table, a
page per overview diagram. Every text is escaped with :func:`html.escape`; pages link to
each other by relative paths and load only ``assets/site.css`` and ``assets/site.js``.

Layout under the site directory::

    index.html
    assets/site.css, assets/site.js
    tables/<table file stem>.html
    diagrams/<diagram file stem>.html
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from dbarch.docs.catalog import Catalog, Link, TableKey, display_name, key_of
from dbarch.docs.dictionary import constraint_rows, index_rows
from dbarch.docs.layout import Diagram
from dbarch.docs.sample import sample_insert
from dbarch.docs.text import action_text, default_text
from dbarch.docs.types import short_type
from dbarch.model.objects import Table

Picture = Callable[[Diagram], str]
"""The HTML that shows a diagram: inline SVG, or its Mermaid source as text."""

_SVG_START = re.compile(r"<svg\b")


def inline_svg(svg: str) -> str:
    """An SVG document as an element to put in HTML: prolog, doctype and comments
    before the ``<svg>`` element dropped."""
    match = _SVG_START.search(svg)
    return svg[match.start() :] if match else ""


def mermaid_source(source: str) -> str:
    """Mermaid source shown as text (no Mermaid script is loaded)."""
    return f'<pre class="mermaid-source">{escape(source)}</pre>'


@dataclass(frozen=True)
class Site:
    """What the pages are made of."""

    catalog: Catalog
    title: str
    overviews: Sequence[Diagram]
    neighbourhoods: dict[TableKey, Diagram]
    picture: Picture
    schema_map: str | None = None  # the map of the diagrams (HTML) when tables are many
    overview_of: dict[TableKey, Diagram] = field(init=False)

    def __post_init__(self) -> None:
        first: dict[TableKey, Diagram] = {}
        for diagram in self.overviews:
            if diagram.kind != "all":
                for key in diagram.tables:
                    first.setdefault(key, diagram)
        object.__setattr__(self, "overview_of", first)


def page(title: str, root: str, crumbs: str, body: Iterable[str]) -> str:
    """A whole HTML page; ``root`` is the relative path to the site directory."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            '<link rel="icon" href="data:,">',
            f'<link rel="stylesheet" href="{root}assets/site.css">',
            "</head>",
            f'<body data-root="{root}">',
            f'<header><div class="crumbs">{crumbs}</div><h1>{escape(title)}</h1></header>',
            "<main>",
            *body,
            "</main>",
            f'<script src="{root}assets/site.js"></script>',
            "</body>",
            "</html>",
            "",
        ]
    )


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An HTML table; cells are HTML already, headers are escaped here."""
    if not rows:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(text: str | None) -> str:
    return escape(text) if text else '<span class="muted">-</span>'


def _code(text: str | None) -> str:
    return f"<code>{escape(text)}</code>" if text else '<span class="muted">-</span>'


def _table_link(site: Site, key: TableKey, prefix: str, text: str | None = None) -> str:
    label = escape(text if text is not None else display_name(key))
    if not site.catalog.has(key):
        return f'{label} <span class="muted">(not in the schema)</span>'
    return f'<a href="{prefix}{escape(site.catalog.slug(key))}.html">{label}</a>'


def index_html(site: Site) -> str:
    """The site's front page: searchable, filterable table list and the diagrams."""
    catalog = site.catalog
    schemas = catalog.schemas()
    options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in schemas)
    rows = []
    for table in catalog.tables:
        key = key_of(table)
        words = " ".join([display_name(key), table.comment or ""]).lower()
        rows.append(
            f'<tr data-schema="{escape(table.schema_)}" data-search="{escape(words)}">'
            f"<td>{_table_link(site, key, 'tables/')}</td><td>{escape(table.schema_)}</td>"
            f"<td>{len(table.columns)}</td><td>{_text(table.comment)}</td></tr>"
        )
    diagrams = "".join(
        f'<li><a href="diagrams/{escape(d.slug)}.html">{escape(d.title)}</a> '
        f'<span class="muted">({len(d.tables)} tables)</span></li>'
        for d in site.overviews
    )
    body = [
        f"<p>{len(catalog.tables)} tables in {len(schemas)} schemas.</p>",
        '<div class="filters">',
        '<label>Search <input id="search" type="search" placeholder="table name or words"'
        ' autocomplete="off"></label>',
        '<label>Schema <select id="schema-filter"><option value="">all schemas</option>'
        f"{options}</select></label>",
        '<span id="table-count" class="muted"></span>',
        "</div>",
        '<table id="table-list"><thead><tr><th>Table</th><th>Schema</th><th>Columns</th>'
        f"<th>Description</th></tr></thead><tbody>{''.join(rows)}</tbody></table>",
        "<h2>Diagrams</h2>",
        f"<ul>{diagrams}</ul>" if diagrams else '<p class="muted">None.</p>',
    ]
    if site.schema_map is not None:
        body += [
            "<h2>Map of the diagrams</h2>",
            f'<div class="diagram" id="schema-map">{site.schema_map}</div>',
        ]
    return page(site.title, "", "dbarch documentation", body)


def table_html(site: Site, table: Table) -> str:
    """The page of one table: columns, keys, indexes, foreign keys both ways, diagram."""
    catalog = site.catalog
    key = key_of(table)
    crumbs = f'<a href="../index.html">{escape(site.title)}</a> / {escape(table.schema_)}'
    overview = site.overview_of.get(key)
    if overview is not None:
        crumbs += (
            f' / <a href="../diagrams/{escape(overview.slug)}.html">{escape(overview.title)}</a>'
        )
    about = escape(table.comment) if table.comment else '<span class="muted">No description.</span>'
    body = [f"<p>{about}</p>", *_partition_lines(site, table)]
    body += ["<h2>Columns</h2>", _columns(site, table)]
    body += ["<h2>Indexes</h2>", _indexes(table)]
    body += ["<h2>Foreign keys</h2>", _outgoing(site, catalog.outgoing(key))]
    body += ["<h2>Referenced by</h2>", _incoming(site, catalog.incoming(key))]
    body += ["<h2>Constraints</h2>", _constraints(table)]
    body += [
        "<h2>Sample data</h2>",
        f"<pre><code>{escape(sample_insert(catalog, table))}</code></pre>",
    ]
    diagram = site.neighbourhoods[key]
    body += [
        "<h2>Neighbourhood</h2>",
        f'<div class="diagram">{site.picture(diagram)}</div>',
    ]
    return page(f"Table {display_name(key)}", "../", crumbs, body)


def _partition_lines(site: Site, table: Table) -> list[str]:
    key = key_of(table)
    lines = []
    parent = site.catalog.parent(key)
    if parent is not None:
        bound = f" <code>{escape(table.partition_bound)}</code>" if table.partition_bound else ""
        lines.append(f"<p>Partition of {_table_link(site, parent, '')}{bound}.</p>")
    if table.partition_by is not None:
        by = table.partition_by
        parts = ", ".join(_table_link(site, p, "") for p in site.catalog.partitions(key))
        lines.append(
            f"<p>Partitioned by <code>{escape(by.strategy.upper())} ({escape(by.key)})</code>;"
            f" partitions: {parts or 'none'}.</p>"
        )
    return lines


def _columns(site: Site, table: Table) -> str:
    key = key_of(table)
    pk = set(table.primary_key.columns) if table.primary_key else set()
    unique = {c for u in table.unique for c in u.columns}
    rows = []
    for column in table.columns:
        badges = ['<span class="badge">PK</span>'] if column.name in pk else []
        for link in site.catalog.outgoing(key):
            if column.name in link.fk.columns:
                target = _table_link(site, link.target, "")
                badges.append(f'<span class="badge">FK</span> {target}')
        if column.name in unique:
            badges.append('<span class="badge">UK</span>')
        rows.append(
            [
                f"<strong>{escape(column.name)}</strong>",
                _code(short_type(column.type)),
                "YES" if column.nullable else "NO",
                _code(default_text(column)),
                " ".join(badges),
                _text(column.comment),
            ]
        )
    headers = ("Column", "Type", "Nullable", "Default", "Keys", "Description")
    return grid(headers, rows)


def _indexes(table: Table) -> str:
    rows = [
        [escape(name), _code(columns), escape(kind), _text(about)]
        for name, columns, kind, about in index_rows(table)
    ]
    return grid(("Name", "Columns", "Type", "Description"), rows)


def _outgoing(site: Site, links: Sequence[Link]) -> str:
    rows = [
        [
            escape(link.name),
            escape(", ".join(link.fk.columns)),
            _table_link(site, link.target, "")
            + f" ({escape(', '.join(link.fk.references.columns))})",
            escape(action_text(link.fk.on_delete)),
            escape(action_text(link.fk.on_update)),
        ]
        for link in links
    ]
    return grid(("Name", "Columns", "References", "On delete", "On update"), rows)


def _incoming(site: Site, links: Sequence[Link]) -> str:
    rows = [
        [
            escape(link.name),
            _table_link(site, link.source, ""),
            escape(", ".join(link.fk.columns)),
            escape(", ".join(link.fk.references.columns)),
            escape(action_text(link.fk.on_delete)),
        ]
        for link in links
    ]
    return grid(("Name", "Table", "Columns", "References", "On delete"), rows)


def _constraints(table: Table) -> str:
    rows = [
        [escape(name), escape(kind), _code(condition)]
        for name, kind, condition in constraint_rows(table)
    ]
    return grid(("Name", "Type", "Condition"), rows)


def diagram_html(site: Site, diagram: Diagram) -> str:
    """The page of one overview diagram, with the list of its tables."""
    crumbs = f'<a href="../index.html">{escape(site.title)}</a> / diagrams'
    tables = ", ".join(_table_link(site, key, "../tables/") for key in diagram.tables)
    context = ", ".join(_table_link(site, key, "../tables/") for key in diagram.context)
    body = [
        f'<div class="diagram">{site.picture(diagram)}</div>',
        "<h2>Tables</h2>",
        f"<p>{tables}</p>",
    ]
    if context:
        body += ["<h2>Linked tables of other diagrams</h2>", f"<p>{context}</p>"]
    return page(diagram.title, "../", crumbs, body)
