"""Schemas in PostgreSQL's canonical form, so a diff sees real differences only.

A model file says ``int`` where a database says ``integer``, ``now()`` where it says
``now()``, leaves names to a naming convention... :func:`canonicalize` takes a Schema
through the dev database (DDL applied to a scratch database, read back from the
catalog), then puts back the model-only ``renamed_from`` declarations, which a database
never holds. :func:`load_for_diff` loads the two sides of a diff that way, with one dev
server for both.
"""

from __future__ import annotations

from collections.abc import Sequence

from dbarch.ddl import to_ddl
from dbarch.model.objects import Node, Schema
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer, dev_server
from dbarch.pg.introspect import inspect_database
from dbarch.pg.sqlfiles import apply_sql
from dbarch.sources import SourceKind, load_source, source_kind

_NEEDS_DEV_SERVER = frozenset({SourceKind.model, SourceKind.stdin, SourceKind.sql})


def carry_renames(model: Node, canonical: Node) -> Node:
    """``canonical`` with the ``renamed_from`` of the matching parts of ``model`` (parts
    match by name, within the same place: a column within its table)."""
    update: dict[str, object] = {}
    fields = type(canonical).model_fields
    declared = getattr(model, "renamed_from", None)
    if "renamed_from" in fields and declared is not None:
        update["renamed_from"] = declared
    for name in fields:
        mine, theirs = getattr(model, name, None), getattr(canonical, name)
        if isinstance(theirs, Node) and isinstance(mine, Node):
            carried = carry_renames(mine, theirs)
            if carried is not theirs:
                update[name] = carried
        elif isinstance(theirs, tuple) and isinstance(mine, tuple):
            items = tuple(_carry_item(mine, item) for item in theirs)
            if items != theirs:
                update[name] = items
    return canonical.model_copy(update=update) if update else canonical


def _key(item: Node) -> tuple[str | None, str | None]:
    return (getattr(item, "schema_", None), getattr(item, "name", None))


def _carry_item(model_items: tuple[object, ...], item: object) -> object:
    if not isinstance(item, Node) or _key(item)[1] is None:
        return item
    for candidate in model_items:
        if isinstance(candidate, type(item)) and _key(candidate) == _key(item):
            return carry_renames(candidate, item)
    return item


def canonical_on(server: DevServer, schema: Schema) -> Schema:
    """``schema`` as PostgreSQL ``server`` reads it back, renames kept."""
    with server.scratch() as dsn, connect(dsn) as conn:
        apply_sql(conn, to_ddl(schema), "<DDL of the model>")
        found = inspect_database(conn)
    result = carry_renames(schema, found)
    assert isinstance(result, Schema)
    return result


def canonicalize(schema: Schema, dev_url: str | None = None) -> Schema:
    """``schema`` in canonical form, through the dev database (``dev_url`` or embedded)."""
    with dev_server(dev_url) as server:
        return canonical_on(server, schema)


def load_for_diff(sources: Sequence[str], dev_url: str | None = None) -> list[Schema]:
    """The Schemas of ``sources``, each in canonical form: model files go through the dev
    database; SQL is applied there anyway; live databases are read as they are."""
    kinds = [source_kind(source) for source in sources]
    if not _NEEDS_DEV_SERVER.intersection(kinds):
        return [load_source(source) for source in sources]
    with dev_server(dev_url) as server:
        schemas = []
        for source, kind in zip(sources, kinds, strict=True):
            schema = load_source(source, dev_url=server.admin_dsn)
            if kind in (SourceKind.model, SourceKind.stdin):
                schema = canonical_on(server, schema)
            schemas.append(schema)
        return schemas
