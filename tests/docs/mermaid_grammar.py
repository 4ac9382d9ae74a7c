"""A strict reader of the Mermaid ``erDiagram`` subset dbarch writes.

Stricter than Mermaid itself: names are ASCII words that no Mermaid version reads as a
keyword (``one``, ``to``, ``many``... also as prefixes), attribute words are never the
key words ``PK``/``FK``/``UK``, comments hold no quotes, and every relationship joins
declared entities. :func:`problems` lists every line that breaks a rule.
"""

from __future__ import annotations

import re

ENTITY = r"[A-Za-z][A-Za-z0-9_]*"
WORD = r"[A-Za-z_][A-Za-z0-9_]*"
KEYS = r"(?:PK|FK|UK)(?:,(?:PK|FK|UK))*"
_OPEN = re.compile(rf"    ({ENTITY}) \{{\Z")
_ALONE = re.compile(rf"    ({ENTITY})\Z")
_ATTRIBUTE = re.compile(rf'        ({WORD}) ({WORD})(?: ({KEYS}))?(?: "([^"\n]*)")?\Z')
_CLOSE = re.compile(r"    \}\Z")
_LEFT = r"(?:\|\||\|o|\}o|\}\|)"
_RIGHT = r"(?:o\{|o\||\|\||\}\|)"
_RELATION = re.compile(rf'    ({ENTITY}) {_LEFT}(?:--|\.\.){_RIGHT} ({ENTITY}) : "([^"\n]*)"\Z')
_KEYWORD = re.compile(
    r"(?i)(one|many|only|zero|to|optionally|end\Z|style|class|subgraph|erdiagram|acc|"
    r"direction|title|u\Z|[0-9])"
)


def problems(source: str) -> list[str]:
    """Every way ``source`` strays from the subset; empty when it is fine."""
    lines = source.split("\n")
    found: list[str] = []
    if lines[0] != "erDiagram":
        found.append("line 1: must be 'erDiagram'")
    if lines[-1] != "":
        found.append("the text must end with a newline")
    entities: set[str] = set()
    relations: list[tuple[int, str, str]] = []
    inside: str | None = None
    for number, line in enumerate(lines[1:-1], start=2):
        where = f"line {number}: {line!r}"
        if inside is not None:
            attribute = _ATTRIBUTE.match(line)
            if _CLOSE.match(line):
                inside = None
            elif attribute is None:
                found.append(f"{where}: not an attribute")
            elif {attribute.group(1).lower(), attribute.group(2).lower()} & {"pk", "fk", "uk"}:
                found.append(f"{where}: an attribute word reads as a key")
            continue
        opened, alone, relation = _OPEN.match(line), _ALONE.match(line), _RELATION.match(line)
        name = (opened or alone).group(1) if (opened or alone) else None
        if name is not None:
            if _KEYWORD.match(name):
                found.append(f"{where}: entity name starts like a keyword")
            if name.lower() in entities:
                found.append(f"{where}: entity declared twice")
            entities.add(name.lower())
            inside = name if opened else None
        elif relation is not None:
            relations.append((number, relation.group(1), relation.group(2)))
        else:
            found.append(f"{where}: not an entity or a relationship")
    if inside is not None:
        found.append(f"entity {inside} is not closed")
    for number, left, right in relations:
        for name in (left, right):
            if name.lower() not in entities:
                found.append(f"line {number}: relationship names undeclared entity {name}")
    return found
