"""How the parts of a table read in documents: defaults, index keys, constraint
conditions, referential actions. Shared by the data dictionary and the HTML site."""

from __future__ import annotations

from dbarch.docs.catalog import TableKey, display_name
from dbarch.model.objects import (
    Column,
    ExclusionConstraint,
    ForeignKey,
    Index,
    IndexElement,
)


def default_text(column: Column) -> str | None:
    """What fills ``column`` when an INSERT leaves it out, or ``None``."""
    if column.identity is not None:
        generation = "ALWAYS" if column.identity.generation == "always" else "BY DEFAULT"
        return f"GENERATED {generation} AS IDENTITY"
    if column.generated is not None:
        return f"GENERATED ALWAYS AS ({column.generated}) STORED"
    return column.default


def element_text(element: IndexElement | str) -> str:
    """One index key: ``email``, ``lower(email)``, ``created_at DESC NULLS LAST``."""
    if isinstance(element, str):
        return element
    parts = [element.column if element.column is not None else f"({element.expression})"]
    if element.collation:
        parts.append(f"COLLATE {element.collation}")
    if element.opclass:
        parts.append(element.opclass)
    if element.descending:
        parts.append("DESC")
    if element.nulls_first is not None:
        parts.append("NULLS FIRST" if element.nulls_first else "NULLS LAST")
    return " ".join(parts)


def index_columns(index: Index) -> str:
    """The keys of ``index`` with its INCLUDE columns and WHERE clause."""
    text = ", ".join(element_text(e) for e in index.columns)
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    if index.where:
        text += f" WHERE {index.where}"
    return text


def index_type(index: Index) -> str:
    """``BTREE``, ``GIN``...; ``UNIQUE BTREE`` for a unique index."""
    method = index.using.upper()
    return f"UNIQUE {method}" if index.unique else method


def exclusion_condition(exclusion: ExclusionConstraint) -> str:
    """``USING gist (room WITH =, during WITH &&) WHERE ...``."""
    elements = []
    for element in exclusion.elements:
        target = element.column if element.column is not None else f"({element.expression})"
        opclass = f" {element.opclass}" if element.opclass else ""
        elements.append(f"{target}{opclass} WITH {element.operator}")
    text = f"USING {exclusion.using} ({', '.join(elements)})"
    if exclusion.include:
        text += f" INCLUDE ({', '.join(exclusion.include)})"
    if exclusion.where:
        text += f" WHERE ({exclusion.where})"
    return text


def reference_text(fk: ForeignKey) -> str:
    """``users(id)``, ``sales.orders(id, region)``."""
    target: TableKey = (fk.references.schema_, fk.references.table)
    return f"{display_name(target)}({', '.join(fk.references.columns)})"


def action_text(action: str) -> str:
    """A referential action as SQL spells it: ``NO ACTION``, ``CASCADE``."""
    return action.upper()
