"""Shared pieces of catalog introspection: rows, names of referenced objects, privileges.

How references to other objects are written is documented in :mod:`dbarch.pg.introspect`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from dbarch.model.objects import Grant
from dbarch.pg.quote import qualified, quote_ident

Row = dict[str, Any]

PUBLIC = "PUBLIC"

# PostgreSQL's own order of privilege bits (``aclitem`` letters "arwdDxtXUCTcsAm").
PRIVILEGE_ORDER = (
    "INSERT",
    "SELECT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
    "EXECUTE",
    "USAGE",
    "CREATE",
    "TEMPORARY",
    "CONNECT",
    "SET",
    "ALTER SYSTEM",
    "MAINTAIN",
)

Entry = tuple[str, str, bool]  # grantee (PUBLIC for everyone), privilege, grant option


@dataclass(frozen=True)
class Context:
    """Facts about the inspecting session that decide what is left out."""

    current_user: str

    def owner(self, role: str) -> str | None:
        """``role`` as an object owner: ``None`` when it is the inspecting role."""
        return None if role == self.current_user else role


def group_by(rows: Iterable[Row], key: str) -> dict[Any, list[Row]]:
    """``rows`` grouped by the value of ``key``, each group in row order."""
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


@overload
def visible_name(ref: None) -> None: ...
@overload
def visible_name(ref: Sequence[Any]) -> str: ...
def visible_name(ref: Sequence[Any] | None) -> str | None:
    """The raw name of a ``[schema, name, visible]`` reference, ``schema.name`` when it
    is not visible."""
    if ref is None:
        return None
    schema, name, visible = ref
    return name if visible else f"{schema}.{name}"


@overload
def sql_name(ref: None) -> None: ...
@overload
def sql_name(ref: Sequence[Any]) -> str: ...
def sql_name(ref: Sequence[Any] | None) -> str | None:
    """A ``[schema, name, visible]`` reference as SQL: quoted as needed, qualified when
    not visible (as PostgreSQL prints function and operator class names)."""
    if ref is None:
        return None
    schema, name, visible = ref
    return qualified(None if visible else schema, name)


@overload
def sql_operator(ref: None) -> None: ...
@overload
def sql_operator(ref: Sequence[Any]) -> str: ...
def sql_operator(ref: Sequence[Any] | None) -> str | None:
    """An operator reference as SQL: ``&&``, or ``OPERATOR(schema.&&)`` when not visible."""
    if ref is None:
        return None
    schema, name, visible = ref
    return name if visible else f"OPERATOR({quote_ident(schema)}.{name})"


def relative_name(schema: str, name: str, home_schema: str) -> str:
    """``name``, qualified with ``schema`` when that is not ``home_schema``."""
    return name if schema == home_schema else f"{schema}.{name}"


def options(items: Iterable[str] | None, prefix: str = "") -> dict[str, str]:
    """Storage parameters (``reloptions``) as a mapping, each key with ``prefix``."""
    result: dict[str, str] = {}
    for item in items or ():
        key, _, value = item.partition("=")
        result[prefix + key] = value
    return result


def _entries(items: Iterable[Sequence[Any]]) -> list[Entry]:
    return [(grantee or PUBLIC, privilege, grantable) for grantee, privilege, grantable in items]


def _privilege_key(privilege: str) -> tuple[int, str]:
    if privilege in PRIVILEGE_ORDER:
        return PRIVILEGE_ORDER.index(privilege), privilege
    return len(PRIVILEGE_ORDER), privilege


def _sorted_privileges(privileges: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(privileges), key=_privilege_key))


def _grouped(entries: Iterable[Entry]) -> tuple[Grant, ...]:
    """One Grant per grantee and grant option, in order of first appearance."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for grantee, privilege, grantable in entries:
        groups.setdefault((grantee, grantable), []).append(privilege)
    return tuple(
        Grant(to=grantee, privileges=_sorted_privileges(privileges), grant_option=grantable)
        for (grantee, grantable), privileges in groups.items()
    )


def privileges(
    acl: Sequence[Sequence[Any]] | None,
    default: Sequence[Sequence[Any]] | None,
    implicit: Sequence[Entry] = (),
) -> tuple[tuple[Grant, ...], tuple[Grant, ...]]:
    """``(grants, revokes)`` of an ACL against its default.

    ``acl`` (and ``default``) are ``None`` when the object has the built-in default;
    ``implicit`` adds entries a fresh database has beyond ``acldefault`` (``USAGE`` for
    PUBLIC on ``public``), which count as revoked when missing.
    """
    if acl is None:
        return (), _grouped(implicit)
    baseline = _entries(default or ()) + list(implicit)
    actual = _entries(acl)
    granted = [e for e in actual if e not in baseline]
    revoked = [e for e in baseline if e not in actual]
    return _grouped(granted), _grouped(revoked)


def column_grants(
    columns: Iterable[tuple[str, Sequence[Sequence[Any]] | None]],
) -> tuple[Grant, ...]:
    """Grants from column ACLs (``(column, acl)`` in column order).

    Columns that got the same privileges from the same grantee share one Grant.
    """
    per_grantee: dict[tuple[str, bool], dict[str, set[str]]] = {}
    for column, acl in columns:
        for grantee, privilege, grantable in _entries(acl or ()):
            per_grantee.setdefault((grantee, grantable), {}).setdefault(column, set()).add(
                privilege
            )
    grants: list[Grant] = []
    for (grantee, grantable), by_column in per_grantee.items():
        same: dict[tuple[str, ...], list[str]] = {}
        for column, privs in by_column.items():
            same.setdefault(_sorted_privileges(privs), []).append(column)
        grants.extend(
            Grant(to=grantee, privileges=privs, columns=tuple(cols), grant_option=grantable)
            for privs, cols in same.items()
        )
    return tuple(grants)
