"""Introspection of namespaces, extensions, types and sequences from catalog rows."""

from __future__ import annotations

from typing import Any

from dbarch.model.objects import (
    DEFAULT_SCHEMA,
    Attribute,
    CompositeType,
    Domain,
    DomainCheck,
    EnumType,
    Extension,
    SchemaDef,
    Sequence,
)
from dbarch.pg.introspect_common import (
    PUBLIC,
    Context,
    Row,
    group_by,
    privileges,
    relative_name,
    visible_name,
)

# What ``public`` looks like in a fresh PostgreSQL 15+ database.
FRESH_PUBLIC_OWNER = "pg_database_owner"
FRESH_PUBLIC_COMMENT = "standard public schema"

_INTEGER_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def _public_schema(row: Row) -> SchemaDef | None:
    """``public`` compared with a fresh database's, or ``None`` when it is the same.

    The baseline owner is ``pg_database_owner`` (any other owner is kept, even the
    inspecting role) and the baseline ACL is the default plus ``USAGE`` for PUBLIC.
    """
    grants, revokes = privileges(
        row["acl"], row["acl_default"], implicit=[(PUBLIC, "USAGE", False)]
    )
    owner = None if row["owner"] == FRESH_PUBLIC_OWNER else row["owner"]
    comment = None if row["comment"] == FRESH_PUBLIC_COMMENT else row["comment"]
    if owner is None and comment is None and not grants and not revokes:
        return None
    return SchemaDef(
        name=DEFAULT_SCHEMA, owner=owner, grants=grants, revokes=revokes, comment=comment
    )


def schemas(rows: list[Row], ctx: Context) -> list[SchemaDef]:
    """User schemas; ``public`` only when it differs from a fresh database's."""
    result: list[SchemaDef] = []
    for row in rows:
        if row["name"] == DEFAULT_SCHEMA:
            public = _public_schema(row)
            if public is not None:
                result.append(public)
        else:
            result.append(SchemaDef(name=row["name"], **_privileged(row, ctx)))
    return result


def extensions(rows: list[Row]) -> list[Extension]:
    """Installed extensions (not those initdb put in every database)."""
    return [
        Extension(
            name=row["name"],
            schema_=None if row["schema"] == DEFAULT_SCHEMA else row["schema"],
        )
        for row in rows
    ]


def _privileged(row: Row, ctx: Context) -> dict[str, Any]:
    """Owner, grants, revokes and comment of an object row."""
    grants, revokes = privileges(row["acl"], row["acl_default"])
    return {
        "owner": ctx.owner(row["owner"]),
        "grants": grants,
        "revokes": revokes,
        "comment": row["comment"],
    }


def user_types(
    rows: list[Row], checks: list[Row], attributes: dict[int, list[Row]], ctx: Context
) -> tuple[list[EnumType], list[Domain], list[CompositeType]]:
    """Enums, domains (with their CHECK constraints) and composite types.

    ``attributes`` are column rows of composite types keyed by their ``pg_class`` oid.
    """
    checks_by_type = group_by(checks, "type")
    enums: list[EnumType] = []
    domains: list[Domain] = []
    composites: list[CompositeType] = []
    for row in rows:
        common = {"name": row["name"], "schema_": row["schema"], **_privileged(row, ctx)}
        if row["kind"] == "e":
            enums.append(EnumType(values=tuple(row["labels"]), **common))
        elif row["kind"] == "d":
            domain_checks = sorted(checks_by_type.get(row["oid"], []), key=lambda c: c["name"])
            domains.append(
                Domain(
                    type=row["base_type"],
                    nullable=not row["not_null"],
                    default=row["default"],
                    collation=visible_name(row["collation"]),
                    checks=tuple(
                        DomainCheck(
                            name=c["name"],
                            check=c["check"],
                            not_valid=c["not_valid"],
                            comment=c["comment"],
                        )
                        for c in domain_checks
                    ),
                    **common,
                )
            )
        else:
            composites.append(
                CompositeType(
                    attributes=tuple(
                        Attribute(
                            name=a["name"],
                            type=a["type"],
                            collation=visible_name(a["collation"]),
                            comment=a["comment"],
                        )
                        for a in attributes.get(row["relid"], [])
                    ),
                    **common,
                )
            )
    return enums, domains, composites


def sequence_options(row: Row, default_type: str) -> dict[str, Any]:
    """The parameters of a sequence row that differ from PostgreSQL's defaults."""
    low, high = _INTEGER_RANGES.get(row["type"], _INTEGER_RANGES["bigint"])
    ascending = row["increment"] > 0
    default_min, default_max = (1, high) if ascending else (low, -1)
    default_start = row["min_value"] if ascending else row["max_value"]
    found = {
        "type": (row["type"], default_type),
        "start": (row["start"], default_start),
        "increment": (row["increment"], 1),
        "min_value": (row["min_value"], default_min),
        "max_value": (row["max_value"], default_max),
        "cache": (row["cache"], 1),
        "cycle": (row["cycle"], False),
    }
    return {key: value for key, (value, default) in found.items() if value != default}


def sequences(rows: list[Row], ctx: Context) -> list[Sequence]:
    """Standalone sequences (identity sequences belong to their column)."""
    result: list[Sequence] = []
    for row in rows:
        if row["dependency"] == "i":
            continue
        owned_by = None
        if row["dependency"] == "a":
            table = relative_name(row["table_schema"], row["table_name"], row["schema"])
            owned_by = f"{table}.{row['column_name']}"
        result.append(
            Sequence(
                name=row["name"],
                schema_=row["schema"],
                owned_by=owned_by,
                **sequence_options(row, "bigint"),
                **_privileged(row, ctx),
            )
        )
    return result
