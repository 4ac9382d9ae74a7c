"""OWNER TO, COMMENT ON, GRANT and REVOKE for any object that has them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dbarch.errors import DbarchError
from dbarch.model.objects import Grant, Privileged
from dbarch.pg.quote import quote_ident, quote_literal

_PRIVILEGE = re.compile(r"[A-Z]+( [A-Z]+)*\Z")


@dataclass(frozen=True)
class ObjectRef:
    """How statements name an object: ``ALTER <kind> <target>``, ``COMMENT ON <kind>
    <target>``, ``GRANT ... ON <grant_kind> <grant_target>``."""

    kind: str
    target: str
    grant_kind: str
    grant_target: str


def role_name(role: str) -> str:
    """A grantee or policy role: ``PUBLIC`` stays a keyword, every other name is quoted."""
    return "PUBLIC" if role.upper() == "PUBLIC" else quote_ident(role)


def alter_owner(ref: ObjectRef, owner: str) -> str:
    """``ALTER <kind> <target> OWNER TO <owner>;``"""
    return f"ALTER {ref.kind} {ref.target} OWNER TO {quote_ident(owner)};"


def comment_on(kind: str, target: str, text: str | None) -> str:
    """``COMMENT ON <kind> <target> IS '<text>';`` (``NULL`` removes a comment)."""
    value = "NULL" if text is None else quote_literal(text)
    return f"COMMENT ON {kind} {target} IS {value};"


def owner_and_comment(ref: ObjectRef, obj: Privileged) -> list[str]:
    """The OWNER TO and COMMENT ON statements ``obj`` asks for."""
    statements = []
    if obj.owner is not None:
        statements.append(alter_owner(ref, obj.owner))
    if obj.comment is not None:
        statements.append(comment_on(ref.kind, ref.target, obj.comment))
    return statements


def _privilege_list(grant: Grant, what: str) -> str:
    if not grant.privileges:
        raise DbarchError(f"{what}: a grant to {grant.to!r} lists no privileges")
    for privilege in grant.privileges:
        if not _PRIVILEGE.match(privilege):
            raise DbarchError(f"{what}: {privilege!r} is not a privilege keyword")
    if not grant.columns:
        return ", ".join(grant.privileges)
    columns = ", ".join(quote_ident(c) for c in grant.columns)
    return ", ".join(f"{privilege} ({columns})" for privilege in grant.privileges)


def acl_statements(ref: ObjectRef, obj: Privileged, what: str) -> list[str]:
    """REVOKE for every revoked default entry, then GRANT for every grant, in order."""
    on = f"ON {ref.grant_kind} {ref.grant_target}"
    statements = []
    for revoke in obj.revokes:
        option = "GRANT OPTION FOR " if revoke.grant_option else ""
        privileges = _privilege_list(revoke, what)
        statements.append(f"REVOKE {option}{privileges} {on} FROM {role_name(revoke.to)};")
    for grant in obj.grants:
        option = " WITH GRANT OPTION" if grant.grant_option else ""
        privileges = _privilege_list(grant, what)
        statements.append(f"GRANT {privileges} {on} TO {role_name(grant.to)}{option};")
    return statements
