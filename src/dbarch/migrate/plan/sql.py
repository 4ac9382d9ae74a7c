"""Statements of migrations that :mod:`dbarch.ddl.render` (which creates) does not have:
drops, renames and ``ALTER`` of every kind. One statement per call, ending in ``;``."""

from __future__ import annotations

from collections.abc import Mapping

from dbarch.ddl import render
from dbarch.ddl.privileges import ObjectRef, role_name
from dbarch.ddl.render import INDENT, fragment
from dbarch.migrate.diff.graph import TopObject
from dbarch.model.objects import (
    DEFAULT_SCHEMA,
    Aggregate,
    Attribute,
    Column,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Grant,
    Identity,
    Index,
    MaterializedView,
    Policy,
    Role,
    SchemaDef,
    Sequence,
    SequenceOptions,
    Table,
    View,
)
from dbarch.pg.quote import dollar_quote, qualified, quote_ident, quote_literal

_INTEGER_RANGES = {
    "smallint": (-32768, 32767),
    "integer": (-2147483648, 2147483647),
    "bigint": (-9223372036854775808, 9223372036854775807),
}


def _kind(obj: TopObject) -> str:
    """The SQL keyword(s) naming the kind of ``obj`` in DROP / ALTER."""
    if isinstance(obj, Function):
        return "PROCEDURE" if obj.kind == "procedure" else "FUNCTION"
    return {
        Aggregate: "AGGREGATE",
        SchemaDef: "SCHEMA",
        Extension: "EXTENSION",
        Role: "ROLE",
        EnumType: "TYPE",
        CompositeType: "TYPE",
        Domain: "DOMAIN",
        Sequence: "SEQUENCE",
        Table: "TABLE",
        View: "VIEW",
        MaterializedView: "MATERIALIZED VIEW",
    }[type(obj)]


def object_name(obj: TopObject) -> str:
    """How DROP and ALTER name ``obj``: qualified, with the argument types of a routine."""
    if isinstance(obj, Function):
        return render.routine_signature(obj)
    if isinstance(obj, Aggregate):
        return render.aggregate_signature(obj)
    if isinstance(obj, (SchemaDef, Extension, Role)):
        return quote_ident(obj.name)
    return qualified(obj.schema_, obj.name)


def drop_object(obj: TopObject) -> str:
    """``DROP <kind> name;``"""
    return f"DROP {_kind(obj)} {object_name(obj)};"


def rename_object(old: TopObject, new_name: str) -> str:
    """``ALTER <kind> name RENAME TO new_name;``"""
    return rename_named(_kind(old), object_name(old), new_name)


def rename_named(kind: str, target: str, new_name: str) -> str:
    """``ALTER <kind> <target> RENAME TO new_name;`` (``target`` already SQL)."""
    return f"ALTER {kind} {target} RENAME TO {quote_ident(new_name)};"


def alter_owner(ref: ObjectRef, owner: str | None) -> str:
    """``ALTER <kind> x OWNER TO role`` (``CURRENT_USER`` for the role running it)."""
    to = quote_ident(owner) if owner is not None else "CURRENT_USER"
    return f"ALTER {ref.kind} {ref.target} OWNER TO {to};"


def revoke(ref: ObjectRef, grant: Grant) -> str:
    """``REVOKE privileges [(columns)] ON <kind> x FROM grantee;``: takes back exactly what
    ``grant`` gave (with its grant option)."""
    columns = f" ({', '.join(quote_ident(c) for c in grant.columns)})" if grant.columns else ""
    privileges = ", ".join(f"{p}{columns}" for p in grant.privileges)
    on = f"ON {ref.grant_kind} {ref.grant_target}"
    return f"REVOKE {privileges} {on} FROM {role_name(grant.to)} CASCADE;"


# --------------------------------------------------------------------------- tables


def alter_table(table: Table | MaterializedView | View, only: bool = False) -> str:
    """``ALTER TABLE [ONLY] t`` (``ALTER MATERIALIZED VIEW`` / ``ALTER VIEW``)."""
    kind = {Table: "TABLE", MaterializedView: "MATERIALIZED VIEW", View: "VIEW"}[type(table)]
    return f"ALTER {kind} {'ONLY ' if only else ''}{qualified(table.schema_, table.name)}"


def add_column(table: Table, column: Column) -> str:
    """``ALTER TABLE t ADD COLUMN <definition>;``"""
    return f"{alter_table(table)} ADD COLUMN {render.column_definition(column, table.schema_)};"


def drop_column(table: Table, name: str) -> str:
    """``ALTER TABLE t DROP COLUMN c;``"""
    return f"{alter_table(table)} DROP COLUMN {quote_ident(name)};"


def rename_column(table: Table, old: str, new: str) -> str:
    """``ALTER TABLE t RENAME COLUMN a TO b;``"""
    return f"{alter_table(table)} RENAME COLUMN {quote_ident(old)} TO {quote_ident(new)};"


def alter_column(table: Table, column: str, action: str, only: bool = False) -> str:
    """``ALTER TABLE [ONLY] t ALTER COLUMN c <action>;``"""
    return f"{alter_table(table, only)} ALTER COLUMN {quote_ident(column)} {action};"


def set_type(table: Table, column: Column, using: str | None = None) -> str:
    """``ALTER TABLE t ALTER COLUMN c TYPE type [COLLATE x] [USING expr];``"""
    action = f"TYPE {fragment(column.type)}"
    if column.collation is not None:
        action += f" COLLATE {quote_ident(column.collation)}"
    if using is not None:
        action += f" USING {using}"
    return alter_column(table, column.name, action)


def set_default(table: Table, column: str, default: str | None) -> str:
    """SET DEFAULT (or DROP DEFAULT) on this table only."""
    if default is None:
        return alter_column(table, column, "DROP DEFAULT", only=True)
    return render.set_default(table, column, default)


def set_nullable(table: Table, column: str, nullable: bool) -> str:
    """SET NOT NULL or DROP NOT NULL (recursing to partitions and children)."""
    return alter_column(table, column, "DROP NOT NULL" if nullable else "SET NOT NULL")


def _sequence_clauses(options: SequenceOptions, type_name: str | None, prefix: str) -> list[str]:
    """Every sequence option spelled out, defaults included, so the result is exact."""
    increment = options.increment if options.increment is not None else 1
    low, high = _INTEGER_RANGES.get(type_name or "bigint", _INTEGER_RANGES["bigint"])
    ascending = increment > 0
    minimum = options.min_value if options.min_value is not None else (1 if ascending else low)
    maximum = options.max_value if options.max_value is not None else (high if ascending else -1)
    start = options.start if options.start is not None else (minimum if ascending else maximum)
    return [
        f"{prefix}INCREMENT BY {int(increment)}",
        f"{prefix}MINVALUE {int(minimum)}",
        f"{prefix}MAXVALUE {int(maximum)}",
        f"{prefix}START WITH {int(start)}",
        f"{prefix}CACHE {int(options.cache if options.cache is not None else 1)}",
        f"{prefix}{'CYCLE' if options.cycle else 'NO CYCLE'}",
    ]


def identity_type(column: Column) -> str:
    """The integer type of an identity column's sequence."""
    assert column.identity is not None
    return column.identity.type or column.type


def add_identity(table: Table, column: Column) -> str:
    """``ALTER TABLE t ALTER COLUMN c ADD GENERATED ... AS IDENTITY (...);``"""
    assert column.identity is not None
    identity = render.column_definition(
        Column(name=column.name, type=column.type, identity=column.identity), table.schema_
    ).split(" GENERATED ", 1)[1]
    return alter_column(table, column.name, f"ADD GENERATED {identity}")


def set_identity(table: Table, column: Column) -> str:
    """``ALTER COLUMN c SET GENERATED ... SET INCREMENT BY ...``: every option of it."""
    identity: Identity | None = column.identity
    assert identity is not None
    generation = "ALWAYS" if identity.generation == "always" else "BY DEFAULT"
    clauses = [f"SET GENERATED {generation}"]
    clauses += _sequence_clauses(identity, identity_type(column), "SET ")
    return alter_column(table, column.name, " ".join(clauses))


def drop_identity(table: Table, column: str) -> str:
    """``ALTER TABLE t ALTER COLUMN c DROP IDENTITY;``"""
    return alter_column(table, column, "DROP IDENTITY")


def drop_expression(table: Table, column: str) -> str:
    """``ALTER TABLE t ALTER COLUMN c DROP EXPRESSION;`` (a generated column turns plain)."""
    return alter_column(table, column, "DROP EXPRESSION")


def drop_constraint(table: Table, name: str) -> str:
    """``ALTER TABLE t DROP CONSTRAINT n;``"""
    return f"{alter_table(table)} DROP CONSTRAINT {quote_ident(name)};"


def drop_checks_except(table: Table, kept: list[str]) -> str:
    """A DO block dropping every CHECK constraint of ``table`` not named in ``kept`` (the
    one ``DETACH PARTITION ... CONCURRENTLY`` adds has a name PostgreSQL chooses)."""
    names = ", ".join(quote_literal(name) for name in kept)
    body = (
        "\nDECLARE\n"
        f"{INDENT}target constant regclass := "
        f"{quote_literal(qualified(table.schema_, table.name))}::regclass;\n"
        f"{INDENT}found name;\n"
        "BEGIN\n"
        f"{INDENT}FOR found IN SELECT conname FROM pg_catalog.pg_constraint\n"
        f"{INDENT * 2}WHERE conrelid = target AND contype = 'c'\n"
        f"{INDENT * 2}AND conname <> ALL (ARRAY[{names}]::name[])\n"
        f"{INDENT}LOOP\n"
        f"{INDENT * 2}EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', target, found);\n"
        f"{INDENT}END LOOP;\n"
        "END\n"
    )
    return f"DO {dollar_quote(body)};"


def rename_constraint(table: Table, old: str, new: str) -> str:
    """``ALTER TABLE t RENAME CONSTRAINT a TO b;``"""
    return f"{alter_table(table)} RENAME CONSTRAINT {quote_ident(old)} TO {quote_ident(new)};"


def validate_constraint(table: Table, name: str) -> str:
    """``ALTER TABLE t VALIDATE CONSTRAINT n;``"""
    return f"{alter_table(table)} VALIDATE CONSTRAINT {quote_ident(name)};"


def with_not_valid(statement: str) -> str:
    """An ``ADD CONSTRAINT`` statement with ``NOT VALID`` (when it has none yet)."""
    body = statement.rstrip(";")
    return statement if body.endswith(" NOT VALID") else f"{body} NOT VALID;"


def add_using_index(table: Table, name: str, primary: bool, deferrable: str) -> str:
    """``ALTER TABLE t ADD CONSTRAINT n {PRIMARY KEY | UNIQUE} USING INDEX n ...;``"""
    kind = "PRIMARY KEY" if primary else "UNIQUE"
    name_sql = quote_ident(name)
    return (
        f"{alter_table(table)} ADD CONSTRAINT {name_sql} {kind} USING INDEX {name_sql}{deferrable};"
    )


def create_index(
    relation: Table | MaterializedView, index: Index, *, concurrently: bool, only: bool = False
) -> str:
    """``CREATE [UNIQUE] INDEX [CONCURRENTLY] ...;``"""
    statement = render.create_index(relation.schema_, relation.name, index, only)
    if not concurrently:
        return statement
    head = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
    return f"{head} CONCURRENTLY{statement[len(head) :]}"


def drop_index(schema: str, name: str, *, concurrently: bool, if_exists: bool = False) -> str:
    """``DROP INDEX [CONCURRENTLY] [IF EXISTS] s.i;``"""
    words = ["DROP INDEX"]
    if concurrently:
        words.append("CONCURRENTLY")
    if if_exists:
        words.append("IF EXISTS")
    return f"{' '.join(words)} {qualified(schema, name)};"


def rename_index(schema: str, old: str, new: str) -> str:
    """``ALTER INDEX s.a RENAME TO b;``"""
    return f"ALTER INDEX {qualified(schema, old)} RENAME TO {quote_ident(new)};"


def drop_trigger(relation: Table | View, name: str) -> str:
    """``DROP TRIGGER n ON rel;``"""
    return f"DROP TRIGGER {quote_ident(name)} ON {qualified(relation.schema_, relation.name)};"


def replace_trigger(trigger_sql: str) -> str:
    """``CREATE OR REPLACE TRIGGER`` from a ``CREATE TRIGGER`` statement."""
    return trigger_sql.replace("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER", 1)


def drop_policy(table: Table, name: str) -> str:
    """``DROP POLICY n ON t;``"""
    return f"DROP POLICY {quote_ident(name)} ON {qualified(table.schema_, table.name)};"


def alter_policy(table: Table, old: Policy, new: Policy) -> str:
    """``ALTER POLICY`` with whatever of name, roles, USING and WITH CHECK changed.

    PostgreSQL cannot remove a USING or WITH CHECK expression with ALTER POLICY; callers
    drop and create the policy then.
    """
    on = f"{quote_ident(old.name)} ON {qualified(table.schema_, table.name)}"
    if old.name != new.name:
        return f"ALTER POLICY {on} RENAME TO {quote_ident(new.name)};"
    parts = [f"ALTER POLICY {on}"]
    if old.roles != new.roles:
        parts.append("TO " + (", ".join(role_name(r) for r in new.roles) or "PUBLIC"))
    if old.using != new.using and new.using is not None:
        parts.append(f"USING ({fragment(new.using)})")
    if old.with_check != new.with_check and new.with_check is not None:
        parts.append(f"WITH CHECK ({fragment(new.with_check)})")
    return " ".join(parts) + ";"


def row_security(old: Table, new: Table) -> list[str]:
    """ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY as they differ."""
    statements = []
    if old.row_security != new.row_security:
        word = "ENABLE" if new.row_security else "DISABLE"
        statements.append(f"{alter_table(new)} {word} ROW LEVEL SECURITY;")
    if old.force_row_security != new.force_row_security:
        word = "FORCE" if new.force_row_security else "NO FORCE"
        statements.append(f"{alter_table(new)} {word} ROW LEVEL SECURITY;")
    return statements


def set_storage(
    relation: Table | MaterializedView | View, old: Mapping[str, str], new: Mapping[str, str]
) -> list[str]:
    """``ALTER ... SET (k=v, ...)`` and ``RESET (k, ...)`` for the parameters that differ."""
    statements = []
    removed = sorted(set(old) - set(new))
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    if removed:
        statements.append(f"{alter_table(relation)} RESET ({', '.join(removed)});")
    if changed:
        options = render._options(changed, f"{relation.schema_}.{relation.name}")
        statements.append(f"{alter_table(relation)} SET{options[len('WITH') :]};")
    return statements


def set_logged(table: Table) -> str:
    """``ALTER TABLE t SET LOGGED|UNLOGGED;``"""
    return f"{alter_table(table)} SET {'UNLOGGED' if table.unlogged else 'LOGGED'};"


def detach_partition(parent: Table, partition: Table, *, concurrently: bool) -> str:
    """``ALTER TABLE parent DETACH PARTITION p [CONCURRENTLY];``"""
    tail = " CONCURRENTLY" if concurrently else ""
    target = qualified(partition.schema_, partition.name)
    return f"{alter_table(parent)} DETACH PARTITION {target}{tail};"


def set_inherit(table: Table, parent: Table, add: bool) -> str:
    """``ALTER TABLE t [NO] INHERIT parent;``"""
    word = "INHERIT" if add else "NO INHERIT"
    return f"{alter_table(table)} {word} {qualified(parent.schema_, parent.name)};"


# --------------------------------------------------------------------------- other kinds


def alter_role(role: Role) -> str:
    """``ALTER ROLE r`` with every attribute spelled out."""
    words = [
        "LOGIN" if role.login else "NOLOGIN",
        "SUPERUSER" if role.superuser else "NOSUPERUSER",
        "CREATEDB" if role.createdb else "NOCREATEDB",
        "CREATEROLE" if role.createrole else "NOCREATEROLE",
        "INHERIT" if role.inherit else "NOINHERIT",
        "REPLICATION" if role.replication else "NOREPLICATION",
        "BYPASSRLS" if role.bypassrls else "NOBYPASSRLS",
        f"CONNECTION LIMIT {int(role.connection_limit)}",
    ]
    return f"ALTER ROLE {quote_ident(role.name)} {' '.join(words)};"


def revoke_role(role: str, member: str) -> str:
    """``REVOKE role FROM member;``"""
    return f"REVOKE {quote_ident(role)} FROM {quote_ident(member)};"


def alter_extension(old: Extension, new: Extension) -> list[str]:
    """``ALTER EXTENSION e SET SCHEMA s`` / ``UPDATE TO 'v'`` as they differ."""
    name = quote_ident(new.name)
    statements = []
    if old.schema_ != new.schema_:
        schema = new.schema_ or DEFAULT_SCHEMA
        statements.append(f"ALTER EXTENSION {name} SET SCHEMA {quote_ident(schema)};")
    if old.version != new.version and new.version is not None:
        statements.append(f"ALTER EXTENSION {name} UPDATE TO {quote_literal(new.version)};")
    return statements


def add_enum_value(enum: EnumType, value: str, neighbour: str | None, before: bool) -> str:
    """``ALTER TYPE e ADD VALUE 'v' [BEFORE|AFTER 'w'];``"""
    where = ""
    if neighbour is not None:
        where = f" {'BEFORE' if before else 'AFTER'} {quote_literal(neighbour)}"
    target = qualified(enum.schema_, enum.name)
    return f"ALTER TYPE {target} ADD VALUE {quote_literal(value)}{where};"


def alter_domain(domain: Domain, action: str) -> str:
    """``ALTER DOMAIN d <action>;``"""
    return f"ALTER DOMAIN {qualified(domain.schema_, domain.name)} {action};"


def attribute_definition(attribute: Attribute) -> str:
    """``name type [COLLATE c]`` of a composite type's attribute."""
    collate = f" COLLATE {quote_ident(attribute.collation)}" if attribute.collation else ""
    return f"{quote_ident(attribute.name)} {fragment(attribute.type)}{collate}"


def alter_composite(composite: CompositeType, action: str) -> str:
    """``ALTER TYPE t <action>;``"""
    return f"ALTER TYPE {qualified(composite.schema_, composite.name)} {action};"


def alter_sequence(sequence: Sequence) -> str:
    """``ALTER SEQUENCE s AS type ...`` with every option spelled out."""
    type_name = sequence.type or "bigint"
    options = SequenceOptions(
        start=sequence.start,
        increment=sequence.increment,
        min_value=sequence.min_value,
        max_value=sequence.max_value,
        cache=sequence.cache,
        cycle=sequence.cycle,
    )
    clauses = [f"AS {fragment(type_name)}", *_sequence_clauses(options, type_name, "")]
    body = f"\n{INDENT}".join(clauses)
    return f"ALTER SEQUENCE {qualified(sequence.schema_, sequence.name)}\n{INDENT}{body};"


def sequence_owned_by_none(sequence: Sequence) -> str:
    """``ALTER SEQUENCE s OWNED BY NONE;``"""
    return f"ALTER SEQUENCE {qualified(sequence.schema_, sequence.name)} OWNED BY NONE;"


def view_options(old: View, new: View) -> list[str]:
    """``ALTER VIEW v SET (...)`` / ``RESET (...)`` for the options that differ."""
    flags = ("security_barrier", "security_invoker")
    changed = {f: "true" for f in flags if getattr(new, f) and not getattr(old, f)}
    removed = [f for f in flags if getattr(old, f) and not getattr(new, f)]
    if old.check_option != new.check_option:
        if new.check_option is None:
            removed.append("check_option")
        else:
            changed["check_option"] = new.check_option
    return set_storage(new, dict.fromkeys(removed, ""), changed)


def create_or_replace(statement: str) -> str:
    """``CREATE OR REPLACE`` for a CREATE FUNCTION / PROCEDURE / AGGREGATE statement."""
    return statement.replace("CREATE ", "CREATE OR REPLACE ", 1)
