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

from dbarch.docs.catalog import Catalog, Link, TableKey, cardinality
from dbarch.docs.layout import Diagram, SchemaMap, key_marks, shown_columns
from dbarch.docs.types import ascii_word, word_type
from dbarch.model.objects import DEFAULT_SCHEMA

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
    for key in (*diagram.tables, *diagram.context):
        lines += _entity(catalog, diagram, key, names[key])
    for link in diagram.links:
        lines.append(_relationship(catalog, link, names))
    return "\n".join(lines) + "\n"


def _entity(catalog: Catalog, diagram: Diagram, key: TableKey, name: str) -> list[str]:
    columns = shown_columns(catalog, diagram, key)
    if not columns:
        return [f"    {name}"]
    marks = key_marks(catalog.by_key[key])
    lines = [f"    {name} {{"]
    for column in columns:
        word = attribute_word(column.name)
        parts = [f"        {attribute_word(word_type(column.type))} {word}"]
        if column.name in marks:
            parts.append(",".join(marks[column.name]))
        if word != column.name:
            parts.append(f'"{_label(column.name)}"')
        lines.append(" ".join(parts))
    return [*lines, "    }"]


def _relationship(catalog: Catalog, link: Link, names: dict[TableKey, str]) -> str:
    required, unique, identifying = cardinality(catalog, link)
    parent_side = "||" if required else "|o"
    child_side = "o|" if unique else "o{"
    line = "--" if identifying else ".."
    label = _label(link.name)
    return (
        f'    {names[link.target]} {parent_side}{line}{child_side} {names[link.source]} : "{label}"'
    )


def mermaid_map(schema_map: SchemaMap) -> str:
    """The Mermaid ``erDiagram`` of a :class:`SchemaMap`: one entity per diagram (its
    table count as an attribute), many-to-many links labelled with their key counts."""
    names = entity_names([(DEFAULT_SCHEMA, part.slug) for part in schema_map.parts])
    lines = ["erDiagram"]
    for part in schema_map.parts:
        lines += [
            f"    {names[(DEFAULT_SCHEMA, part.slug)]} {{",
            f'        int tables "{len(part.tables)} tables of {_label(part.title)}"',
            "    }",
        ]
    for source, target, count in schema_map.edges:
        label = f"{count} foreign key{'s' if count > 1 else ''}"
        parent, child = names[(DEFAULT_SCHEMA, target)], names[(DEFAULT_SCHEMA, source)]
        lines.append(f'    {parent} }}o..o{{ {child} : "{label}"')
    return "\n".join(lines) + "\n"
