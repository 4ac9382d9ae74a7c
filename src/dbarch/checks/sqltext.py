"""SQL text for the fixes findings suggest, always through the quoting functions."""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.checks.findings import Target
from dbarch.model.expand import fit_name
from dbarch.model.objects import Function, MaterializedView, Schema, Table, View
from dbarch.pg.quote import qualified, quote_ident


def rel(obj: Table | View | MaterializedView) -> str:
    """``schema.name`` of a relation, quoted as needed."""
    return qualified(obj.schema_, obj.name)


def cols(names: Iterable[str]) -> str:
    """A quoted, comma-separated column list."""
    return ", ".join(quote_ident(n) for n in names)


def index_name(schema: Schema, owner: Table | MaterializedView, columns: Iterable[str]) -> str:
    """The name the model's naming convention gives an index on ``columns``."""
    template = schema.naming.index
    return fit_name(template.format(table=owner.name, columns="_".join(columns), ref_table=""))


def create_index(schema: Schema, owner: Table | MaterializedView, columns: list[str]) -> str:
    """``CREATE INDEX name ON table (columns);`` named by the naming convention."""
    name = quote_ident(index_name(schema, owner, columns))
    return f"CREATE INDEX {name} ON {rel(owner)} ({cols(columns)});"


def drop(target: Target) -> str:
    """The statement that drops an index or a constraint."""
    if target.kind == "index":
        return f"DROP INDEX {qualified(target.schema, target.name)};"
    table = qualified(target.schema, target.parent or "")
    return f"ALTER TABLE {table} DROP CONSTRAINT {quote_ident(target.name)};"


_RENAME = {
    "table": "ALTER TABLE {object} RENAME TO {new};",
    "view": "ALTER VIEW {object} RENAME TO {new};",
    "materialized view": "ALTER MATERIALIZED VIEW {object} RENAME TO {new};",
    "column": "ALTER TABLE {parent} RENAME COLUMN {name} TO {new};",
    "constraint": "ALTER TABLE {parent} RENAME CONSTRAINT {name} TO {new};",
    "index": "ALTER INDEX {object} RENAME TO {new};",
    "trigger": "ALTER TRIGGER {name} ON {parent} RENAME TO {new};",
    "policy": "ALTER POLICY {name} ON {parent} RENAME TO {new};",
    "sequence": "ALTER SEQUENCE {object} RENAME TO {new};",
    "type": "ALTER TYPE {object} RENAME TO {new};",
    "domain": "ALTER DOMAIN {object} RENAME TO {new};",
    "schema": "ALTER SCHEMA {name} RENAME TO {new};",
}


def rename(target: Target, new: str) -> str:
    """The statement that renames ``target`` to ``new``."""
    node = target.nodes[-1] if target.nodes else None
    if isinstance(node, Function):
        keyword = "PROCEDURE" if node.kind == "procedure" else "FUNCTION"
        name = qualified(target.schema, target.name)
        return f"ALTER {keyword} {name} RENAME TO {quote_ident(new)};"
    return _RENAME[target.kind].format(
        object=qualified(target.schema, target.name),
        parent=qualified(target.schema, target.parent or ""),
        name=quote_ident(target.name),
        new=quote_ident(new),
    )
