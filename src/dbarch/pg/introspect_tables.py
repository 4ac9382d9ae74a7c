"""Introspection of tables, views and materialized views from catalog rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dbarch.model.objects import (
    CheckConstraint,
    Column,
    ExclusionConstraint,
    ExclusionElement,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    IndexKey,
    MaterializedView,
    PartitionBy,
    Policy,
    PrimaryKey,
    Reference,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)
from dbarch.pg.introspect_common import (
    Context,
    Row,
    column_grants,
    options,
    privileges,
    relative_name,
    sql_name,
    sql_operator,
    visible_name,
)
from dbarch.pg.introspect_text import (
    element_decorations,
    index_elements,
    trigger_condition_and_arguments,
)
from dbarch.pg.introspect_types import sequence_options
from dbarch.pg.names import object_name

_FK_ACTIONS = {
    "a": "no action",
    "r": "restrict",
    "c": "cascade",
    "n": "set null",
    "d": "set default",
}
_POLICY_COMMANDS = {"*": "all", "r": "select", "a": "insert", "w": "update", "d": "delete"}
_TRIGGER_ENABLED = {"O": "origin", "D": "disabled", "R": "replica", "A": "always"}
# pg_trigger.tgtype bits
_ROW, _BEFORE, _INSTEAD = 1, 2, 64
_EVENTS = ((4, "insert"), (8, "delete"), (16, "update"), (32, "truncate"))
# pg_index.indoption bits
_DESC, _NULLS_FIRST = 1, 2


@dataclass(frozen=True)
class RelationParts:
    """The parts of every relation, keyed by relation oid.

    Each family is built by its own function as soon as its catalog rows are read (see
    :mod:`dbarch.pg.introspect`); :func:`table`, :func:`view` and
    :func:`materialized_view` only put them together.
    """

    column_rows: dict[int, list[Row]]  # names, comments and column privileges
    columns: dict[int, tuple[Column, ...]]  # of tables, as each table lists them
    indexes: dict[int, tuple[Index, ...]]  # indexes that back no constraint
    constraints: dict[int, dict[str, Any]]  # a table's constraint fields
    triggers: dict[int, tuple[Trigger, ...]]
    policies: dict[int, tuple[Policy, ...]]


# --------------------------------------------------------------------------- columns


def _identity(column: Row, sequence: Row, table: Row) -> Identity:
    default_name = object_name(table["name"], column["name"], "seq")
    name = None
    if (sequence["schema"], sequence["name"]) != (table["schema"], default_name):
        name = relative_name(sequence["schema"], sequence["name"], table["schema"])
    return Identity(
        generation="always" if column["identity"] == "a" else "by_default",
        sequence=name,
        **sequence_options(sequence, column["type"]),
    )


def _columns(
    table: Row, columns: list[Row], identities: dict[tuple[int, int], Row]
) -> tuple[Column, ...]:
    local_only = bool(table["parents"]) and not table["is_partition"]
    result: list[Column] = []
    for row in columns:
        if local_only and not row["local"]:
            continue
        sequence = identities.get((table["oid"], row["number"]))
        result.append(
            Column(
                name=row["name"],
                type=row["type"],
                nullable=not row["not_null"],
                default=row["default"],
                identity=_identity(row, sequence, table) if sequence else None,
                generated=row["generated"],
                collation=visible_name(row["collation"]),
                comment=row["comment"],
            )
        )
    return tuple(result)


def table_columns(
    relations: Iterable[Row],
    columns: dict[int, list[Row]],
    identities: dict[tuple[int, int], Row],
) -> dict[int, tuple[Column, ...]]:
    """The columns of every table by oid: a table that inherits (not a partition) lists
    only those it defines itself. ``identities`` are identity sequence rows by
    ``(table oid, column number)``."""
    return {
        r["oid"]: _columns(r, columns.get(r["oid"], []), identities)
        for r in relations
        if r["kind"] in ("r", "p")
    }


def _column_comments(columns: Iterable[Row]) -> dict[str, str]:
    return {c["name"]: c["comment"] for c in columns if c["comment"] is not None}


def _grants(relation: Row, columns: Iterable[Row]) -> dict[str, Any]:
    grants, revokes = privileges(relation["acl"], relation["acl_default"])
    grants += column_grants((c["name"], c["acl"]) for c in columns if c["acl"] is not None)
    return {"grants": grants, "revokes": revokes}


# --------------------------------------------------------------------------- indexes


@dataclass(frozen=True)
class _Key:
    """One key element of an index as the catalogs describe it."""

    column: str | None
    expression: str | None
    opclass: str | None
    collation: str | None
    descending: bool
    nulls_first: bool | None


def undecided_indexes(indexes: Iterable[Row], elements: dict[int, list[Row]]) -> list[int]:
    """Oids of the indexes whose printed definition has to tell which key elements show
    an operator class or a collation (expressions, classes not decided by the catalog)."""
    return [
        index["oid"]
        for index in indexes
        if any(
            e["opclass_shown"] is None or e["collation_shown"] is None
            for e in elements[index["oid"]][: index["key_count"]]
        )
    ]


def _keys(index: Row) -> tuple[list[_Key], tuple[str, ...]]:
    """Key elements and INCLUDE columns of an index row (with its ``elements`` and, for
    an undecided index, its ``definition``)."""
    count = index["key_count"]
    elements = index["elements"][:count]
    shown = [(e["collation_shown"], e["opclass_shown"]) for e in elements]
    if index["definition"] is not None:
        printed = index_elements(index["definition"])
        shown = [element_decorations(p, e["text"]) for p, e in zip(printed, elements, strict=True)]
    keys: list[_Key] = []
    for element, (has_collate, has_opclass) in zip(elements, shown, strict=True):
        descending = bool(element["flags"] & _DESC)
        nulls_first = bool(element["flags"] & _NULLS_FIRST)
        keys.append(
            _Key(
                column=element["column"],
                expression=None if element["column"] else element["text"],
                opclass=sql_name(_ref(element, "opclass")) if has_opclass else None,
                collation=visible_name(_ref(element, "collation")) if has_collate else None,
                descending=descending,
                nulls_first=None if nulls_first == descending else nulls_first,
            )
        )
    return keys, _included(index)


def _ref(element: Row, prefix: str) -> tuple[str, str, bool]:
    """The ``[schema, name, visible]`` reference in an element row's ``prefix_*`` columns."""
    return element[f"{prefix}_schema"], element[f"{prefix}_name"], element[f"{prefix}_visible"]


def _included(index: Row) -> tuple[str, ...]:
    """The INCLUDE columns of an index row."""
    return tuple(e["column"] for e in index["elements"][index["key_count"] :])


def _index_key(key: _Key) -> IndexKey:
    if (
        key.column
        and not (key.opclass or key.collation or key.descending)
        and (key.nulls_first is None)
    ):
        return key.column
    return IndexElement(
        column=key.column,
        expression=key.expression,
        opclass=key.opclass,
        collation=key.collation,
        descending=key.descending,
        nulls_first=key.nulls_first,
    )


def _index(row: Row) -> Index:
    keys, include = _keys(row)
    return Index(
        name=row["name"],
        columns=tuple(_index_key(k) for k in keys),
        using=row["method"],
        unique=row["is_unique"],
        nulls_not_distinct=row["nulls_not_distinct"],
        include=include,
        where=row["predicate"],
        with_=options(row["options"]),
        comment=row["comment"],
    )


def plain_indexes(indexes: dict[int, list[Row]]) -> dict[int, tuple[Index, ...]]:
    """The indexes that back no constraint, by relation oid (index rows with their
    ``elements`` and ``definition``, by relation oid)."""
    return {
        relid: tuple(_index(i) for i in rows if not i["backs_constraint"])
        for relid, rows in indexes.items()
    }


# --------------------------------------------------------------------------- constraints


def _exclusion(row: Row, index: Row) -> ExclusionConstraint:
    keys, include = _keys(index)
    return ExclusionConstraint(
        name=row["name"],
        using=index["method"],
        elements=tuple(
            ExclusionElement(
                column=key.column,
                expression=key.expression,
                opclass=key.opclass,
                operator=sql_operator(operator),
            )
            for key, operator in zip(keys, row["operators"], strict=True)
        ),
        include=include,
        where=index["predicate"],
        deferrable=row["deferrable"],
        initially_deferred=row["initially_deferred"],
        comment=row["comment"],
    )


def _columns_of(row: Row, names: dict[int, str]) -> tuple[str, ...]:
    """The names of a constraint row's key columns (``names`` by attribute number)."""
    return tuple(names[number] for number in row["column_numbers"])


def _foreign_key(row: Row, names: dict[int, str]) -> ForeignKey:
    return ForeignKey(
        name=row["name"],
        columns=_columns_of(row, names),
        references=Reference(
            table=row["ref_table"], columns=tuple(row["ref_columns"]), schema_=row["ref_schema"]
        ),
        on_delete=_FK_ACTIONS[row["on_delete"]],
        on_update=_FK_ACTIONS[row["on_update"]],
        match_full=row["match"] == "f",
        deferrable=row["deferrable"],
        initially_deferred=row["initially_deferred"],
        not_valid=row["not_valid"],
        comment=row["comment"],
    )


def _key_constraint(row: Row, index: Row, names: dict[int, str]) -> PrimaryKey | UniqueConstraint:
    common = {
        "name": row["name"],
        "columns": _columns_of(row, names),
        "include": _included(index),
        "deferrable": row["deferrable"],
        "initially_deferred": row["initially_deferred"],
        "comment": row["comment"],
    }
    if row["kind"] == "p":
        return PrimaryKey(**common)
    return UniqueConstraint(nulls_not_distinct=index["nulls_not_distinct"], **common)


def _check(row: Row) -> CheckConstraint:
    return CheckConstraint(
        name=row["name"],
        check=row["check"],
        no_inherit=row["no_inherit"],
        not_valid=row["not_valid"],
        comment=row["comment"],
    )


def _constraints(
    constraints: list[Row], index_rows: list[Row], column_rows: list[Row]
) -> dict[str, Any]:
    """The constraint fields of a table: those defined on the table itself (inherited
    checks and foreign keys cloned from a partitioned parent are the parent's)."""
    indexes = {i["oid"]: i for i in index_rows}
    found: dict[str, list[Any]] = {
        "primary_key": [],
        "unique": [],
        "checks": [],
        "foreign_keys": [],
        "exclusions": [],
    }
    names = {c["number"]: c["name"] for c in column_rows}
    for row in constraints:
        kind = row["kind"]
        if kind == "p":
            found["primary_key"].append(_key_constraint(row, indexes[row["index_oid"]], names))
        elif kind == "u":
            found["unique"].append(_key_constraint(row, indexes[row["index_oid"]], names))
        elif kind == "c" and row["local"]:
            found["checks"].append(_check(row))
        elif kind == "f" and not row["cloned"]:
            found["foreign_keys"].append(_foreign_key(row, names))
        elif kind == "x":
            found["exclusions"].append(_exclusion(row, indexes[row["index_oid"]]))
    primary_key = found.pop("primary_key")
    return {"primary_key": primary_key[0] if primary_key else None} | {
        key: tuple(values) for key, values in found.items()
    }


_NO_CONSTRAINTS = _constraints([], [], [])


def table_constraints(
    constraints: dict[int, list[Row]],
    indexes: dict[int, list[Row]],
    columns: dict[int, list[Row]],
) -> dict[int, dict[str, Any]]:
    """The constraint fields of every table with constraints, by oid, from constraint,
    index and column rows by relation oid."""
    return {
        relid: _constraints(rows, indexes.get(relid, []), columns.get(relid, []))
        for relid, rows in constraints.items()
    }


# --------------------------------------------------------------------------- triggers, policies


def _trigger(row: Row) -> Trigger:
    kind = row["type"]
    when, arguments = trigger_condition_and_arguments(row["definition"])
    timing = "instead of" if kind & _INSTEAD else "before" if kind & _BEFORE else "after"
    return Trigger(
        name=row["name"],
        timing=timing,
        events=tuple(event for bit, event in _EVENTS if kind & bit),
        update_of=tuple(row["update_of"]),
        for_each="row" if kind & _ROW else "statement",
        when=when,
        function=sql_name(row["function"]),
        arguments=arguments,
        referencing_old=row["old_table"],
        referencing_new=row["new_table"],
        constraint=row["is_constraint"],
        deferrable=row["deferrable"],
        initially_deferred=row["initially_deferred"],
        enabled=_TRIGGER_ENABLED[row["enabled"]],
        comment=row["comment"],
    )


def triggers(rows: dict[int, list[Row]]) -> dict[int, tuple[Trigger, ...]]:
    """The triggers of every relation by oid (trigger rows by relation oid)."""
    return {relid: tuple(_trigger(t) for t in group) for relid, group in rows.items()}


def _policy(row: Row) -> Policy:
    return Policy(
        name=row["name"],
        command=_POLICY_COMMANDS[row["command"]],
        permissive=row["permissive"],
        roles=tuple(sorted(row["roles"])),
        using=row["using"],
        with_check=row["with_check"],
        comment=row["comment"],
    )


def policies(rows: dict[int, list[Row]]) -> dict[int, tuple[Policy, ...]]:
    """The row-level security policies of every table by oid (rows by relation oid)."""
    return {relid: tuple(_policy(p) for p in group) for relid, group in rows.items()}


# --------------------------------------------------------------------------- relations


def _partition_by(key: str | None) -> PartitionBy | None:
    """``RANGE (a, (b + 1))`` as printed by ``pg_get_partkeydef``."""
    if key is None:
        return None
    strategy, _, rest = key.partition(" ")
    return PartitionBy(strategy=strategy.lower(), key=rest.strip()[1:-1])


def table(relation: Row, parts: RelationParts, ctx: Context) -> Table:
    """A table, partitioned table or partition.

    A partition lists all its columns, indexes and constraints; a table that inherits
    (not a partition) lists only the columns it defines itself.
    """
    oid = relation["oid"]
    parents = [relative_name(s, n, relation["schema"]) for s, n in relation["parents"] or ()]
    is_partition = relation["is_partition"]
    return Table(
        name=relation["name"],
        schema_=relation["schema"],
        owner=ctx.owner(relation["owner"]),
        comment=relation["comment"],
        unlogged=relation["unlogged"],
        columns=parts.columns[oid],
        indexes=parts.indexes.get(oid, ()),
        partition_by=_partition_by(relation["partition_key"]),
        partition_of=parents[0] if is_partition else None,
        partition_bound=relation["partition_bound"],
        inherits=() if is_partition else tuple(parents),
        with_=options(relation["options"]) | options(relation["toast_options"], "toast."),
        row_security=relation["row_security"],
        force_row_security=relation["force_row_security"],
        policies=parts.policies.get(oid, ()),
        triggers=parts.triggers.get(oid, ()),
        **parts.constraints.get(oid, _NO_CONSTRAINTS),
        **_grants(relation, parts.column_rows.get(oid, [])),
    )


def _query(text: str) -> str:
    """A view query as ``pg_get_viewdef`` prints it, without the closing semicolon."""
    return text.strip().removesuffix(";").rstrip()


def _is_true(value: str | None) -> bool:
    return value is not None and value.lower() in ("true", "on", "yes", "1")


def view(relation: Row, parts: RelationParts, ctx: Context) -> View:
    """A view with its check option, security flags, column comments and triggers."""
    flags = options(relation["options"])
    columns = parts.column_rows.get(relation["oid"], [])
    return View(
        name=relation["name"],
        schema_=relation["schema"],
        owner=ctx.owner(relation["owner"]),
        comment=relation["comment"],
        query=_query(relation["query"]),
        check_option=flags.get("check_option"),
        security_barrier=_is_true(flags.get("security_barrier")),
        security_invoker=_is_true(flags.get("security_invoker")),
        column_comments=_column_comments(columns),
        triggers=parts.triggers.get(relation["oid"], ()),
        **_grants(relation, columns),
    )


def materialized_view(relation: Row, parts: RelationParts, ctx: Context) -> MaterializedView:
    """A materialized view with its indexes, storage parameters and column comments."""
    columns = parts.column_rows.get(relation["oid"], [])
    return MaterializedView(
        name=relation["name"],
        schema_=relation["schema"],
        owner=ctx.owner(relation["owner"]),
        comment=relation["comment"],
        query=_query(relation["query"]),
        indexes=parts.indexes.get(relation["oid"], ()),
        with_=options(relation["options"]),
        column_comments=_column_comments(columns),
        **_grants(relation, columns),
    )
