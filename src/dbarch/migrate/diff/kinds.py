"""Changes between two versions of one object of any kind but a table's innards.

:func:`object_changes` returns the changes that alter the object in place, or ``None``
when it must be dropped and created again (a view's query, a function's result type,
a domain's base type...).
"""

from __future__ import annotations

from dbarch.ddl.lookup import Key
from dbarch.ddl.privileges import ObjectRef
from dbarch.ddl.render import aggregate_ref, routine_ref
from dbarch.migrate.diff.changes import (
    AlterComposite,
    AlterDomain,
    AlterExtension,
    AlterRole,
    AlterSequence,
    RenameObject,
    ReplaceRoutine,
    SetComment,
    SetOwner,
    SetPrivileges,
    SetStorage,
    SetViewOptions,
    SwapEnum,
    Target,
    describe,
    enum_change,
)
from dbarch.migrate.diff.context import Context, Tagged
from dbarch.migrate.diff.enums import columns_of_type
from dbarch.migrate.diff.graph import TopObject, object_key
from dbarch.migrate.diff.match import same
from dbarch.migrate.diff.tables import matview_indexes, table_changes, view_triggers
from dbarch.model.objects import (
    DEFAULT_SCHEMA,
    Aggregate,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    MaterializedView,
    Privileged,
    Role,
    SchemaDef,
    Sequence,
    Table,
    View,
)
from dbarch.pg.introspect_types import FRESH_PUBLIC_COMMENT, FRESH_PUBLIC_OWNER
from dbarch.pg.quote import qualified, quote_ident

_PRIVILEGED_FIELDS = ("owner", "grants", "revokes", "comment", "ignore")


def target(obj: TopObject) -> Target:
    """How statements name ``obj``, and the table they lock (for tables)."""
    label = describe(obj)
    if isinstance(obj, Function):
        return Target(routine_ref(obj), label=label)
    if isinstance(obj, Aggregate):
        return Target(aggregate_ref(obj), label=label)
    if isinstance(obj, SchemaDef):
        name = quote_ident(obj.name)
        return Target(ObjectRef("SCHEMA", name, "SCHEMA", name), label=label)
    if isinstance(obj, (Role, Extension)):
        kind = "ROLE" if isinstance(obj, Role) else "EXTENSION"
        name = quote_ident(obj.name)
        return Target(ObjectRef(kind, name, kind, name), label=label)
    name = qualified(obj.schema_, obj.name)
    if isinstance(obj, Domain):
        return Target(ObjectRef("DOMAIN", name, "DOMAIN", name), label=label)
    if isinstance(obj, (EnumType, CompositeType)):
        return Target(ObjectRef("TYPE", name, "TYPE", name), label=label)
    if isinstance(obj, Sequence):
        return Target(ObjectRef("SEQUENCE", name, "SEQUENCE", name), label=label)
    if isinstance(obj, View):
        return Target(ObjectRef("VIEW", name, "TABLE", name), label=label)
    if isinstance(obj, MaterializedView):
        return Target(ObjectRef("MATERIALIZED VIEW", name, "TABLE", name), label=label)
    return Target(ObjectRef("TABLE", name, "TABLE", name), (obj.schema_, obj.name), label)


def privileged_changes(old: Privileged, new: TopObject) -> list[Tagged]:
    """Comment, owner and ACL changes of an object that has them."""
    assert isinstance(new, Privileged)
    key = object_key(new)
    where = target(new)
    out: list[Tagged] = []
    if old.comment != new.comment:
        comment = SetComment(
            kind=where.ref.kind,
            target=where.ref.target,
            table=where.table,
            old=_fresh(old, "comment"),
            new=_fresh(new, "comment"),
        )
        out.append((key, comment))
    if old.owner != new.owner:
        owners = _fresh(old, "owner"), _fresh(new, "owner")
        out.append((key, SetOwner(target=where, old=owners[0], new=owners[1])))
    if (old.grants, old.revokes) != (new.grants, new.revokes):
        out.append((("privileges", *key), SetPrivileges(target=where, old=old, new=new)))
    return out


_FRESH_PUBLIC = {"owner": FRESH_PUBLIC_OWNER, "comment": FRESH_PUBLIC_COMMENT}


def _fresh(obj: Privileged, field: str) -> str | None:
    """``obj``'s owner or comment; for ``public``, None is what a new database has."""
    value = getattr(obj, field)
    if value is None and isinstance(obj, SchemaDef) and obj.name == DEFAULT_SCHEMA:
        return _FRESH_PUBLIC[field]
    return value


def _column_comments(
    old: dict[str, str], new: dict[str, str], relation: View | MaterializedView
) -> list[Tagged]:
    out: list[Tagged] = []
    key = object_key(relation)
    for column in sorted(set(old) | set(new)):
        if old.get(column) != new.get(column):
            comment = SetComment(
                kind="COLUMN",
                target=f"{qualified(relation.schema_, relation.name)}.{quote_ident(column)}",
                table=None,
                old=old.get(column),
                new=new.get(column),
            )
            out.append((key, comment))
    return out


def object_changes(ctx: Context, old: TopObject, new: TopObject) -> list[Tagged] | None:
    """Changes that turn ``old`` into ``new`` in place, or None to drop and create it."""
    key = object_key(new)
    out: list[Tagged] = []
    if old.name != new.name and not isinstance(new, Role):
        out.append((key, RenameObject(old=old, new=new.model_copy(update=_state(old)))))
    old = ctx.renames.table(old) if isinstance(old, Table) else ctx.renames.node(old)
    own = _own_changes(ctx, old, new, key)
    if own is None:
        return None
    recreated = any(isinstance(change, SwapEnum) for _, change in own)
    if isinstance(old, Privileged) and not recreated:
        out += privileged_changes(old, new)
    return out + own


def _state(old: TopObject) -> dict[str, object]:
    """Fields a renamed object keeps until later changes (only the name changes first)."""
    return {f: getattr(old, f) for f in type(old).model_fields if f not in ("name", "schema_")}


def _own_changes(ctx: Context, old: TopObject, new: TopObject, key: Key) -> list[Tagged] | None:
    if isinstance(old, Role) and isinstance(new, Role):
        out: list[Tagged] = []
        if not same(old, new, "comment"):
            out.append((key, AlterRole(old=old, new=new)))
        if old.comment != new.comment:
            comment = SetComment(
                kind="ROLE",
                target=quote_ident(new.name),
                table=None,
                old=old.comment,
                new=new.comment,
            )
            out.append((key, comment))
        return out
    if isinstance(old, Extension) and isinstance(new, Extension):
        return [] if same(old, new) else [(key, AlterExtension(old=old, new=new))]
    if isinstance(old, EnumType) and isinstance(new, EnumType):
        if old.values == new.values:
            return []
        return [(key, enum_change(old, new, columns_of_type(ctx, old, new)))]
    if isinstance(old, Domain) and isinstance(new, Domain):
        return _domain(old, new, key)
    if isinstance(old, CompositeType) and isinstance(new, CompositeType):
        return _composite(old, new, key)
    if isinstance(old, Sequence) and isinstance(new, Sequence):
        return (
            []
            if same(old, new, "name", *_PRIVILEGED_FIELDS)
            else [(key, AlterSequence(old=old, new=new))]
        )
    if isinstance(old, Table) and isinstance(new, Table):
        return table_changes(ctx, old, new)
    if isinstance(old, View) and isinstance(new, View):
        return _view(ctx, old, new, key)
    if isinstance(old, MaterializedView) and isinstance(new, MaterializedView):
        return _matview(ctx, old, new, key)
    if isinstance(old, (Function, Aggregate)) and isinstance(new, (Function, Aggregate)):
        return _routine(old, new, key)
    return []  # a schema: nothing beyond name, comment, owner and privileges


def _domain(old: Domain, new: Domain, key: Key) -> list[Tagged] | None:
    if (old.type, old.collation) != (new.type, new.collation):
        return None
    out: list[Tagged] = []
    if not same(old, new, "name", "schema_", *_PRIVILEGED_FIELDS):
        out.append((key, AlterDomain(old=old, new=new)))
    return out


def _composite(old: CompositeType, new: CompositeType, key: Key) -> list[Tagged] | None:
    out: list[Tagged] = []
    strip = [a.model_copy(update={"comment": None}) for a in old.attributes]
    strip_new = [a.model_copy(update={"comment": None}) for a in new.attributes]
    if strip != strip_new:
        out.append((key, AlterComposite(old=old, new=new)))
    before = {a.name: a.comment for a in old.attributes}
    name = qualified(new.schema_, new.name)
    for attribute in new.attributes:
        if attribute.name in before and before[attribute.name] != attribute.comment:
            comment = SetComment(
                kind="COLUMN",
                target=f"{name}.{quote_ident(attribute.name)}",
                table=None,
                old=before[attribute.name],
                new=attribute.comment,
            )
            out.append((key, comment))
    return out


def _view(ctx: Context, old: View, new: View, key: Key) -> list[Tagged] | None:
    if old.query != new.query:
        return None
    what = describe(new)
    out: list[Tagged] = []
    options = ("check_option", "security_barrier", "security_invoker")
    if any(getattr(old, f) != getattr(new, f) for f in options):
        out.append((key, SetViewOptions(old=old, new=new)))
    out += _column_comments(old.column_comments, new.column_comments, new)
    out += view_triggers(ctx, old, new, what)
    return out


def _matview(
    ctx: Context, old: MaterializedView, new: MaterializedView, key: Key
) -> list[Tagged] | None:
    if old.query != new.query:
        return None
    out: list[Tagged] = []
    if old.with_ != new.with_:
        out.append((key, SetStorage(old=old, new=new)))
    out += _column_comments(old.column_comments, new.column_comments, new)
    out += matview_indexes(ctx, old, new, describe(new))
    return out


def _routine(old: Function | Aggregate, new: Function | Aggregate, key: Key) -> list[Tagged] | None:
    if same(old, new, "name", *_PRIVILEGED_FIELDS):
        return []
    if isinstance(old, Function) and isinstance(new, Function):
        compatible = (old.kind, old.arguments, old.returns) == (
            new.kind,
            new.arguments,
            new.returns,
        )
        if not compatible:
            return None
    return [(key, ReplaceRoutine(old=old.model_copy(update={"name": new.name}), new=new))]
