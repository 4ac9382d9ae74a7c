"""Diagrams as Mermaid ``erDiagram`` source.

Mermaid's grammar is narrow: entity and attribute names are words, a few words are
keywords (case-insensitively, and even as prefixes: ``tokens`` starts with ``to``), types
may hold no spaces or commas. So every name becomes an ASCII word (``ascii_word``), an
entity whose word could read as a keyword gets a ``t_`` prefix, types become words that
keep their meaning (``numeric(10,2)`` -> ``numeric_10_2_``), and words that would clash
are numbered. Display names that lost something are kept in the attribute comment.
"""

from __future__ import annotations

import re

from dbarch.docs.catalog import Catalog, Link, TableKey, not_null
from dbarch.docs.layout import Diagram
from dbarch.docs.types import ascii_word, word_type
from dbarch.model.objects import DEFAULT_SCHEMA, Table

# Words Mermaid's lexer takes as keywords when an entity name starts with them.
_KEYWORD_START = re.compile(
    r"(?i)(acc|class|direction|end|erdiagram|many|one|only|optionally|style|subgraph|title|to"
    r"|u\Z|zero|[0-9_])"
)
_ATTRIBUTE_KEYS = frozenset({"pk", "fk", "uk"})


def entity_names(keys: list[TableKey]) -> dict[TableKey, str]:
    """A distinct Mermaid entity word for each table of ``keys`` (deterministic)."""
    names: dict[TableKey, str] = {}
    taken: set[str] = set()
    for key in sorted(keys):
        schema, table = key
        word = _entity_word(table)
        if schema != DEFAULT_SCHEMA:
            word = f"{_entity_word(schema)}__{word}"
        if not word or _KEYWORD_START.match(word):
            word = "t_" + word
        candidate, number = word, 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{word}_{number}"
        taken.add(candidate.lower())
        names[key] = candidate
    return names


def _entity_word(name: str) -> str:
    return re.sub(r"_{2,}", "_", ascii_word(name)).strip("_")


def attribute_word(name: str) -> str:
    """A column name or type as a Mermaid attribute word."""
    word = ascii_word(name) or "_"
    if word[0].isdigit():
        word = "_" + word
    return word + "_" if word.lower() in _ATTRIBUTE_KEYS else word


def _label(text: str) -> str:
    """Text for a quoted Mermaid string: no quotes, no entity codes, no comment marks."""
    cleaned = re.sub(r'["#;%`\\<>{}\[\]]', "_", " ".join(text.split()))
    return cleaned or "_"


def mermaid(catalog: Catalog, diagram: Diagram) -> str:
    """The Mermaid ``erDiagram`` source of ``diagram``."""
    names = entity_names([*diagram.tables, *diagram.context])
    lines = ["erDiagram"]
    for key in diagram.tables:
        lines += _entity(catalog.by_key[key], names[key], catalog, full=True)
    for key in diagram.context:
        lines += _entity(catalog.by_key[key], names[key], catalog, full=False, diagram=diagram)
    for link in diagram.links:
        lines.append(_relationship(catalog, link, names))
    return "\n".join(lines) + "\n"


def _entity(
    table: Table,
    name: str,
    catalog: Catalog,
    *,
    full: bool,
    diagram: Diagram | None = None,
) -> list[str]:
    keys = _key_marks(table)
    columns = table.columns
    if not full and diagram is not None:
        used = _linked_columns(table, diagram)
        columns = tuple(c for c in table.columns if c.name in used or "PK" in keys.get(c.name, ()))
    lines = [f"    {name} {{"]
    for column in columns:
        word = attribute_word(column.name)
        marks = keys.get(column.name, ())
        parts = [f"        {attribute_word(word_type(column.type))} {word}"]
        if marks:
            parts.append(",".join(marks))
        if word != column.name:
            parts.append(f'"{_label(column.name)}"')
        lines.append(" ".join(parts))
    lines.append("    }")
    return lines if columns else [f"    {name}"]


def _key_marks(table: Table) -> dict[str, tuple[str, ...]]:
    marks: dict[str, list[str]] = {}
    if table.primary_key is not None:
        for column in table.primary_key.columns:
            marks.setdefault(column, []).append("PK")
    for fk in table.foreign_keys:
        for column in fk.columns:
            if "FK" not in marks.setdefault(column, []):
                marks[column].append("FK")
    for unique in table.unique:
        for column in unique.columns:
            if "UK" not in marks.setdefault(column, []):
                marks[column].append("UK")
    return {column: tuple(m) for column, m in marks.items()}


def _linked_columns(table: Table, diagram: Diagram) -> set[str]:
    key = (table.schema_, table.name)
    used: set[str] = set()
    for link in diagram.links:
        if link.source == key:
            used.update(link.fk.columns)
        if link.target == key:
            used.update(link.fk.references.columns)
    return used


def cardinality(catalog: Catalog, link: Link) -> tuple[bool, bool, bool]:
    """(parent required, child unique, identifying) of a foreign key: the parent side is
    exactly one when the columns are NOT NULL; the child side is at most one when the
    columns are unique; the link identifies the child when they are in its primary key."""
    child = catalog.by_key[link.source]
    columns = link.fk.columns
    identifying = child.primary_key is not None and set(columns) <= set(child.primary_key.columns)
    return not_null(child, columns), catalog.is_unique(child, columns), identifying


def _relationship(catalog: Catalog, link: Link, names: dict[TableKey, str]) -> str:
    required, unique, identifying = cardinality(catalog, link)
    parent_side = "||" if required else "|o"
    child_side = "o|" if unique else "o{"
    line = "--" if identifying else ".."
    label = _label(link.name)
    return (
        f'    {names[link.target]} {parent_side}{line}{child_side} {names[link.source]} : "{label}"'
    )
