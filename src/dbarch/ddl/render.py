"""One SQL statement per call, for every kind of Schema object.

Names are quoted with :mod:`dbarch.pg.quote`; SQL fragments of the model (types,
expressions, queries, bodies) are pasted verbatim. Every statement ends with ``;``.
What to render and in which order is :mod:`dbarch.ddl.plan`'s business.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from dbarch.ddl.privileges import ObjectRef, role_name
from dbarch.ddl.sqlrefs import ends_in_comment, identity_arguments
from dbarch.errors import DbarchError
from dbarch.model.objects import (
    Aggregate,
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    DomainCheck,
    EnumType,
    ExclusionConstraint,
    Extension,
    ForeignKey,
    Function,
    Identity,
    Index,
    IndexElement,
    IndexKey,
    MaterializedView,
    Policy,
    PrimaryKey,
    Role,
    SchemaDef,
    SequenceOptions,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)
from dbarch.model.objects import (
    Sequence as SequenceDef,
)
from dbarch.pg.quote import dollar_quote, qualified, quote_ident, quote_literal

INDENT = "    "
_OPTION_NAME = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?\Z")
_SETTING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)*\Z")
# settings whose value is a list of identifiers (PostgreSQL's GUC_LIST_QUOTE)
_LIST_SETTINGS = frozenset(
    {
        "local_preload_libraries",
        "search_path",
        "session_preload_libraries",
        "shared_preload_libraries",
        "temp_tablespaces",
        "unix_socket_directories",
    }
)

HEADER = (
    "SET check_function_bodies = false;",
    "SET client_min_messages = warning;",
    "SET search_path = public, pg_catalog;",
)


def fragment(sql: str) -> str:
    """A model SQL fragment ready to be followed by more SQL: trimmed, and ending on a
    new line when its last line is a ``--`` comment."""
    text = sql.strip()
    return text + "\n" if ends_in_comment(text) else text


def _statement_body(sql: str) -> str:
    """A query or body without its trailing semicolons."""
    return fragment(sql.strip().rstrip(";").rstrip())


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _names(names: Sequence[str]) -> str:
    return ", ".join(quote_ident(n) for n in names)


def _options(options: Mapping[str, str], what: str) -> str:
    """``WITH (...)`` storage parameters in the model's order (a database's is the order
    they were set in, which pg_dump shows); empty text when there are none."""
    if not options:
        return ""
    parts = []
    for name in options:
        if not _OPTION_NAME.match(name):
            raise DbarchError(f"{what}: {name!r} is not a storage parameter name")
        parts.append(f"{name}={quote_literal(str(options[name]))}")
    return f"WITH ({', '.join(parts)})"


def _collate(collation: str) -> str:
    """``COLLATE name``: a collation is a raw name (``C``, ``en_US.utf8``)."""
    return f"COLLATE {quote_ident(collation)}"


def _deferrable(deferrable: bool, initially_deferred: bool) -> str:
    if not deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if initially_deferred else " DEFERRABLE"


def _constraint_name(name: str | None) -> str:
    return f"CONSTRAINT {quote_ident(name)} " if name is not None else ""


# --------------------------------------------------------------------------- cluster


def create_role(role: Role) -> str:
    """A DO block that creates ``role`` unless the cluster already has it."""
    attributes = [
        word
        for flag, word in (
            (role.login, "LOGIN"),
            (role.superuser, "SUPERUSER"),
            (role.createdb, "CREATEDB"),
            (role.createrole, "CREATEROLE"),
            (not role.inherit, "NOINHERIT"),
            (role.replication, "REPLICATION"),
            (role.bypassrls, "BYPASSRLS"),
        )
        if flag
    ]
    if role.connection_limit != -1:
        attributes.append(f"CONNECTION LIMIT {int(role.connection_limit)}")
    create = " ".join(["CREATE ROLE", quote_ident(role.name), *attributes])
    body = (
        "\nBEGIN\n"
        f"{INDENT}IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles"
        f" WHERE rolname = {quote_literal(role.name)}) THEN\n"
        f"{INDENT * 2}{create};\n"
        f"{INDENT}END IF;\n"
        "END\n"
    )
    return f"DO {dollar_quote(body)};"


def grant_role(role: str, member: str) -> str:
    """``GRANT role TO member;``"""
    return f"GRANT {quote_ident(role)} TO {quote_ident(member)};"


def create_schema(schema: SchemaDef) -> str:
    """``CREATE SCHEMA name;``"""
    return f"CREATE SCHEMA {quote_ident(schema.name)};"


def create_extension(extension: Extension) -> str:
    """``CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA s] CASCADE;`` (CASCADE: an
    extension listed before one it requires still installs)."""
    where = f" WITH SCHEMA {quote_ident(extension.schema_)}" if extension.schema_ else ""
    return f"CREATE EXTENSION IF NOT EXISTS {quote_ident(extension.name)}{where} CASCADE;"


# --------------------------------------------------------------------------- types


def create_enum(enum: EnumType) -> str:
    """``CREATE TYPE name AS ENUM (...);``"""
    labels = ",\n".join(f"{INDENT}{quote_literal(v)}" for v in enum.values)
    body = f"\n{labels}\n" if labels else ""
    return f"CREATE TYPE {qualified(enum.schema_, enum.name)} AS ENUM ({body});"


def create_composite(composite: CompositeType) -> str:
    """``CREATE TYPE name AS (...);``"""
    lines = []
    for attribute in composite.attributes:
        line = f"{INDENT}{quote_ident(attribute.name)} {fragment(attribute.type)}"
        if attribute.collation is not None:
            line += " " + _collate(attribute.collation)
        lines.append(line)
    body = "\n" + ",\n".join(lines) + "\n" if lines else ""
    return f"CREATE TYPE {qualified(composite.schema_, composite.name)} AS ({body});"


def domain_check(check: DomainCheck) -> str:
    """``[CONSTRAINT name] CHECK (expr)`` of a domain."""
    return f"{_constraint_name(check.name)}CHECK ({fragment(check.check)})"


def create_domain(domain: Domain, with_default: bool, checks: Sequence[DomainCheck]) -> str:
    """``CREATE DOMAIN`` with its collation, default, NOT NULL and the given checks."""
    clauses = [f"CREATE DOMAIN {qualified(domain.schema_, domain.name)} AS {fragment(domain.type)}"]
    if domain.collation is not None:
        clauses.append(_collate(domain.collation))
    if with_default and domain.default is not None:
        clauses.append(f"DEFAULT {fragment(domain.default)}")
    if not domain.nullable:
        clauses.append("NOT NULL")
    clauses.extend(domain_check(c) for c in checks)
    return f"\n{INDENT}".join(clauses) + ";"


def domain_set_default(domain: Domain, default: str) -> str:
    """``ALTER DOMAIN d SET DEFAULT expr;``"""
    target = qualified(domain.schema_, domain.name)
    return f"ALTER DOMAIN {target} SET DEFAULT {fragment(default)};"


def domain_add_check(domain: Domain, check: DomainCheck) -> str:
    """``ALTER DOMAIN d ADD CONSTRAINT n CHECK (...) [NOT VALID];``"""
    not_valid = " NOT VALID" if check.not_valid else ""
    target = qualified(domain.schema_, domain.name)
    return f"ALTER DOMAIN {target} ADD {domain_check(check)}{not_valid};"


# --------------------------------------------------------------------------- routines


def routine_signature(function: Function) -> str:
    """``schema.name(identity arguments)``: how other statements name a routine."""
    name = qualified(function.schema_, function.name)
    return f"{name}({identity_arguments(function.arguments)})"


def aggregate_signature(aggregate: Aggregate, star: bool = True) -> str:
    """``schema.name(arguments)``; an aggregate without arguments is ``name(*)``."""
    arguments = aggregate.arguments.strip() or ("*" if star else "")
    return f"{qualified(aggregate.schema_, aggregate.name)}({arguments})"


def routine_ref(function: Function) -> ObjectRef:
    """How OWNER/COMMENT/GRANT statements name ``function``."""
    kind = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
    signature = routine_signature(function)
    return ObjectRef(kind, signature, kind, signature)


def aggregate_ref(aggregate: Aggregate) -> ObjectRef:
    """How OWNER/COMMENT/GRANT statements name ``aggregate``."""
    return ObjectRef(
        "AGGREGATE",
        aggregate_signature(aggregate),
        "FUNCTION",
        aggregate_signature(aggregate, False),
    )


def _setting(name: str, value: str, what: str) -> str:
    if not _SETTING_NAME.match(name):
        raise DbarchError(f"{what}: {name!r} is not a configuration parameter name")
    key = ".".join(quote_ident(part) for part in name.split("."))
    if name.lower() in _LIST_SETTINGS:
        items = ", ".join(quote_literal(item) for item in _split_identifier_list(value))
    else:
        items = quote_literal(value)
    return f"SET {key} TO {items}"


def _split_identifier_list(value: str) -> list[str]:
    """``a, "B c"`` -> ``['a', 'B c']``: a list setting split like PostgreSQL splits it."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(value):
        char = value[i]
        if quoted:
            if char == '"' and value[i + 1 : i + 2] == '"':
                current.append('"')
                i += 1
            elif char == '"':
                quoted = False
            else:
                current.append(char)
        elif char == '"':
            quoted = True
        elif char == ",":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    items.append("".join(current).strip())
    return items


def create_function(function: Function) -> str:
    """``CREATE FUNCTION`` or ``CREATE PROCEDURE`` with every attribute of ``function``."""
    what = f"function {function.schema_}.{function.name}"
    name = qualified(function.schema_, function.name)
    head = f"({function.arguments})"
    if function.kind == "procedure":
        first = f"CREATE PROCEDURE {name}{head}"
        attributes = ["LANGUAGE", quote_ident(function.language)]
        if function.security_definer:
            attributes.append("SECURITY DEFINER")
    else:
        if function.returns is None:
            raise DbarchError(f"{what}: a function needs 'returns'")
        first = f"CREATE FUNCTION {name}{head} RETURNS {fragment(function.returns)}"
        attributes = ["LANGUAGE", quote_ident(function.language)]
        if function.volatility.value != "volatile":
            attributes.append(function.volatility.value.upper())
        for flag, word in (
            (function.strict, "STRICT"),
            (function.security_definer, "SECURITY DEFINER"),
            (function.leakproof, "LEAKPROOF"),
        ):
            if flag:
                attributes.append(word)
        if function.parallel != "unsafe":
            attributes.append(f"PARALLEL {function.parallel.upper()}")
        if function.cost is not None:
            attributes.append(f"COST {_number(function.cost)}")
        if function.rows is not None:
            attributes.append(f"ROWS {_number(function.rows)}")
    lines = [first, INDENT + " ".join(attributes)]
    lines.extend(INDENT + _setting(k, v, what) for k, v in sorted(function.config.items()))
    if function.sql_body is not None and function.body is not None:
        raise DbarchError(f"{what}: give either 'body' or 'sql_body', not both")
    if function.sql_body is not None:
        lines.append(INDENT + _statement_body(function.sql_body))
    elif function.body is not None:
        lines.append(f"{INDENT}AS {dollar_quote(function.body)}")
    else:
        raise DbarchError(f"{what}: a routine needs a 'body' or a 'sql_body'")
    return "\n".join(lines) + ";"


def create_aggregate(aggregate: Aggregate) -> str:
    """``CREATE AGGREGATE name(arguments) (SFUNC = ..., STYPE = ..., ...);``"""
    options = [f"SFUNC = {fragment(aggregate.sfunc)}", f"STYPE = {fragment(aggregate.stype)}"]
    if aggregate.finalfunc is not None:
        options.append(f"FINALFUNC = {fragment(aggregate.finalfunc)}")
    if aggregate.combinefunc is not None:
        options.append(f"COMBINEFUNC = {fragment(aggregate.combinefunc)}")
    if aggregate.initcond is not None:
        options.append(f"INITCOND = {quote_literal(aggregate.initcond)}")
    if aggregate.sortop is not None:
        options.append(f"SORTOP = {fragment(aggregate.sortop)}")
    if aggregate.parallel != "unsafe":
        options.append(f"PARALLEL = {aggregate.parallel}")
    body = ",\n".join(INDENT + option for option in options)
    return f"CREATE AGGREGATE {aggregate_signature(aggregate)} (\n{body}\n);"


# --------------------------------------------------------------------------- sequences


def _sequence_options(options: SequenceOptions, with_type: bool) -> list[str]:
    clauses = []
    if with_type and options.type is not None:
        clauses.append(f"AS {fragment(options.type)}")
    for value, words in (
        (options.start, "START WITH"),
        (options.increment, "INCREMENT BY"),
        (options.min_value, "MINVALUE"),
        (options.max_value, "MAXVALUE"),
        (options.cache, "CACHE"),
    ):
        if value is not None:
            clauses.append(f"{words} {int(value)}")
    if options.cycle:
        clauses.append("CYCLE")
    return clauses


def create_sequence(sequence: SequenceDef) -> str:
    """``CREATE SEQUENCE`` with the options that differ from the defaults."""
    options = SequenceOptions(
        type=sequence.type,
        start=sequence.start,
        increment=sequence.increment,
        min_value=sequence.min_value,
        max_value=sequence.max_value,
        cache=sequence.cache,
        cycle=sequence.cycle,
    )
    clauses = [f"CREATE SEQUENCE {qualified(sequence.schema_, sequence.name)}"]
    clauses.extend(_sequence_options(options, with_type=True))
    return f"\n{INDENT}".join(clauses) + ";"


def sequence_owned_by(sequence: SequenceDef, table: Table, column: str) -> str:
    """``ALTER SEQUENCE s OWNED BY t.c;``"""
    owner = f"{qualified(table.schema_, table.name)}.{quote_ident(column)}"
    return f"ALTER SEQUENCE {qualified(sequence.schema_, sequence.name)} OWNED BY {owner};"


# --------------------------------------------------------------------------- tables


def _identity(identity: Identity, schema: str) -> str:
    generation = "ALWAYS" if identity.generation == "always" else "BY DEFAULT"
    options = _sequence_options(identity, with_type=False)
    if identity.sequence is not None:
        options.insert(0, f"SEQUENCE NAME {qualified(schema, identity.sequence)}")
    text = f"GENERATED {generation} AS IDENTITY"
    return f"{text} ({' '.join(options)})" if options else text


def column_definition(column: Column, schema: str) -> str:
    """``name type [COLLATE] [GENERATED ...] [DEFAULT ...] [NOT NULL]``"""
    parts = [quote_ident(column.name), fragment(column.type)]
    if column.collation is not None:
        parts.append(_collate(column.collation))
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({fragment(column.generated)}) STORED")
    if column.identity is not None:
        parts.append(_identity(column.identity, schema))
    if column.default is not None:
        parts.append(f"DEFAULT {fragment(column.default)}")
    if not column.nullable:
        parts.append("NOT NULL")
    return " ".join(parts)


def check_clause(check: CheckConstraint) -> str:
    """``[CONSTRAINT name] CHECK (expr) [NO INHERIT]``"""
    no_inherit = " NO INHERIT" if check.no_inherit else ""
    return f"{_constraint_name(check.name)}CHECK ({fragment(check.check)}){no_inherit}"


def create_table(
    table: Table,
    columns: Sequence[Column],
    checks: Sequence[CheckConstraint],
    inherits: Sequence[str],
) -> str:
    """``CREATE [UNLOGGED] TABLE`` with the given columns and inline checks.

    ``inherits`` are the parents, already qualified.
    """
    what = f"table {table.schema_}.{table.name}"
    elements = [column_definition(c, table.schema_) for c in columns]
    elements.extend(check_clause(c) for c in checks)
    unlogged = "UNLOGGED " if table.unlogged else ""
    body = ",".join(f"\n{INDENT}{e}" for e in elements)
    lines = [f"CREATE {unlogged}TABLE {qualified(table.schema_, table.name)} ({body}\n)"]
    if inherits:
        lines.append(f"INHERITS ({', '.join(inherits)})")
    if table.partition_by is not None:
        strategy = table.partition_by.strategy.upper()
        lines.append(f"PARTITION BY {strategy} ({fragment(table.partition_by.key)})")
    options = _options(table.with_, what)
    if options:
        lines.append(options)
    return "\n".join(lines) + ";"


def _alter_table(table: Table, only: bool) -> str:
    return f"ALTER TABLE {'ONLY ' if only else ''}{qualified(table.schema_, table.name)}"


def set_default(table: Table, column: str, expression: str) -> str:
    """``ALTER TABLE ONLY t ALTER COLUMN c SET DEFAULT expr;``"""
    return (
        f"{_alter_table(table, True)} ALTER COLUMN {quote_ident(column)}"
        f" SET DEFAULT {fragment(expression)};"
    )


def set_not_null(table: Table, column: str) -> str:
    """``ALTER TABLE ONLY t ALTER COLUMN c SET NOT NULL;``"""
    return f"{_alter_table(table, True)} ALTER COLUMN {quote_ident(column)} SET NOT NULL;"


def add_check(table: Table, check: CheckConstraint) -> str:
    """``ALTER TABLE [ONLY] t ADD CONSTRAINT n CHECK (...) [NO INHERIT] [NOT VALID];``"""
    not_valid = " NOT VALID" if check.not_valid else ""
    return f"{_alter_table(table, check.no_inherit)} ADD {check_clause(check)}{not_valid};"


def attach_partition(parent: Table, child: Table) -> str:
    """``ALTER TABLE ONLY parent ATTACH PARTITION child FOR VALUES ...;``"""
    bound = fragment(child.partition_bound or "")
    if not bound:
        raise DbarchError(f"partition {child.schema_}.{child.name} has no partition_bound")
    if not re.match(r"(?i)(for\s+values\b|default\Z)", bound):
        bound = f"FOR VALUES {bound}"
    child_name = qualified(child.schema_, child.name)
    return f"{_alter_table(parent, True)} ATTACH PARTITION {child_name} {bound};"


def add_primary_key(table: Table, key: PrimaryKey, only: bool) -> str:
    """``ALTER TABLE [ONLY] t ADD CONSTRAINT n PRIMARY KEY (...) ...;``"""
    include = f" INCLUDE ({_names(key.include)})" if key.include else ""
    deferrable = _deferrable(key.deferrable, key.initially_deferred)
    return (
        f"{_alter_table(table, only)} ADD {_constraint_name(key.name)}"
        f"PRIMARY KEY ({_names(key.columns)}){include}{deferrable};"
    )


def add_unique(table: Table, unique: UniqueConstraint, only: bool) -> str:
    """``ALTER TABLE [ONLY] t ADD CONSTRAINT n UNIQUE [NULLS NOT DISTINCT] (...) ...;``"""
    nulls = " NULLS NOT DISTINCT" if unique.nulls_not_distinct else ""
    include = f" INCLUDE ({_names(unique.include)})" if unique.include else ""
    deferrable = _deferrable(unique.deferrable, unique.initially_deferred)
    return (
        f"{_alter_table(table, only)} ADD {_constraint_name(unique.name)}"
        f"UNIQUE{nulls} ({_names(unique.columns)}){include}{deferrable};"
    )


def _element_head(column: str | None, expression: str | None, what: str) -> str:
    if (column is None) == (expression is None):
        raise DbarchError(f"{what}: an element needs exactly one of 'column' and 'expression'")
    return quote_ident(column) if column is not None else f"({fragment(expression or '')})"


def add_exclusion(table: Table, exclusion: ExclusionConstraint, only: bool) -> str:
    """``ALTER TABLE [ONLY] t ADD CONSTRAINT n EXCLUDE USING m (e WITH op, ...) ...;``"""
    what = f"exclusion constraint {exclusion.name} on {table.schema_}.{table.name}"
    elements = []
    for element in exclusion.elements:
        head = _element_head(element.column, element.expression, what)
        opclass = f" {fragment(element.opclass)}" if element.opclass else ""
        elements.append(f"{head}{opclass} WITH {fragment(element.operator)}")
    include = f" INCLUDE ({_names(exclusion.include)})" if exclusion.include else ""
    where = f" WHERE ({fragment(exclusion.where)})" if exclusion.where is not None else ""
    deferrable = _deferrable(exclusion.deferrable, exclusion.initially_deferred)
    return (
        f"{_alter_table(table, only)} ADD {_constraint_name(exclusion.name)}"
        f"EXCLUDE USING {quote_ident(exclusion.using)} ({', '.join(elements)})"
        f"{include}{where}{deferrable};"
    )


def add_foreign_key(table: Table, key: ForeignKey, only: bool) -> str:
    """``ALTER TABLE [ONLY] t ADD CONSTRAINT n FOREIGN KEY (...) REFERENCES ...;``"""
    ref = key.references
    target = qualified(ref.schema_, ref.table)
    if ref.columns:
        target += f"({_names(ref.columns)})"
    clauses = [f"FOREIGN KEY ({_names(key.columns)}) REFERENCES {target}"]
    if key.match_full:
        clauses.append("MATCH FULL")
    if key.on_update != "no action":
        clauses.append(f"ON UPDATE {key.on_update.upper()}")
    if key.on_delete != "no action":
        clauses.append(f"ON DELETE {key.on_delete.upper()}")
    deferrable = _deferrable(key.deferrable, key.initially_deferred)
    not_valid = " NOT VALID" if key.not_valid else ""
    return (
        f"{_alter_table(table, only)} ADD {_constraint_name(key.name)}"
        f"{' '.join(clauses)}{deferrable}{not_valid};"
    )


def as_element(key: IndexKey) -> IndexElement:
    """An index key as an :class:`IndexElement` (a plain string is a column)."""
    return _column_element(key) if isinstance(key, str) else key


@functools.lru_cache(maxsize=4096)
def _column_element(column: str) -> IndexElement:
    return IndexElement(column=column)


def _index_element(key: IndexKey, what: str) -> str:
    if isinstance(key, str):
        return quote_ident(key)
    element = key
    parts = [_element_head(element.column, element.expression, what)]
    if element.collation is not None:
        parts.append(_collate(element.collation))
    if element.opclass is not None:
        parts.append(fragment(element.opclass))
    if element.descending:
        parts.append("DESC")
    if element.nulls_first is not None:
        parts.append("NULLS FIRST" if element.nulls_first else "NULLS LAST")
    return " ".join(parts)


def create_index(schema: str, relation: str, index: Index, only: bool) -> str:
    """``CREATE [UNIQUE] INDEX n ON [ONLY] rel USING m (...) [INCLUDE] ... [WHERE];``"""
    what = f"index {index.name} on {schema}.{relation}"
    elements = ", ".join(_index_element(k, what) for k in index.columns)
    parts = ["CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"]
    if index.name is not None:
        parts.append(quote_ident(index.name))
    parts.append(f"ON {'ONLY ' if only else ''}{qualified(schema, relation)}")
    parts.append(f"USING {quote_ident(index.using)} ({elements})")
    if index.include:
        parts.append(f"INCLUDE ({_names(index.include)})")
    if index.nulls_not_distinct:
        parts.append("NULLS NOT DISTINCT")
    options = _options(index.with_, what)
    if options:
        parts.append(options)
    if index.where is not None:
        parts.append(f"WHERE ({fragment(index.where)})")
    return " ".join(parts) + ";"


def attach_index(schema: str, parent_index: str, child_schema: str, child_index: str) -> str:
    """``ALTER INDEX parent ATTACH PARTITION child;``"""
    return (
        f"ALTER INDEX {qualified(schema, parent_index)}"
        f" ATTACH PARTITION {qualified(child_schema, child_index)};"
    )


# --------------------------------------------------------------------------- views


def create_view(view: View) -> str:
    """``CREATE VIEW v [WITH (...)] AS query [WITH ... CHECK OPTION];``"""
    options = [
        f"{name}='true'"
        for flag, name in (
            (view.security_barrier, "security_barrier"),
            (view.security_invoker, "security_invoker"),
        )
        if flag
    ]
    with_ = f" WITH ({', '.join(options)})" if options else ""
    check = f"\n  WITH {view.check_option.upper()} CHECK OPTION" if view.check_option else ""
    name = qualified(view.schema_, view.name)
    return f"CREATE VIEW {name}{with_} AS\n{_statement_body(view.query)}{check};"


def create_matview(matview: MaterializedView) -> str:
    """``CREATE MATERIALIZED VIEW m [WITH (...)] AS query WITH NO DATA;``"""
    what = f"materialized view {matview.schema_}.{matview.name}"
    options = _options(matview.with_, what)
    with_ = f" {options}" if options else ""
    name = qualified(matview.schema_, matview.name)
    return (
        f"CREATE MATERIALIZED VIEW {name}{with_} AS\n"
        f"{_statement_body(matview.query)}\n  WITH NO DATA;"
    )


def refresh_matview(matview: MaterializedView) -> str:
    """``REFRESH MATERIALIZED VIEW m;``"""
    return f"REFRESH MATERIALIZED VIEW {qualified(matview.schema_, matview.name)};"


# --------------------------------------------------------------------------- triggers, RLS


def create_trigger(schema: str, relation: str, trigger: Trigger) -> str:
    """``CREATE [CONSTRAINT] TRIGGER ...;`` from the trigger's structured fields."""
    events = []
    for event in trigger.events:
        if event == "update" and trigger.update_of:
            events.append(f"UPDATE OF {_names(trigger.update_of)}")
        else:
            events.append(event.upper())
    parts = [
        "CREATE CONSTRAINT TRIGGER" if trigger.constraint else "CREATE TRIGGER",
        quote_ident(trigger.name),
        trigger.timing.upper(),
        " OR ".join(events),
        f"ON {qualified(schema, relation)}",
    ]
    if trigger.constraint or trigger.deferrable:
        parts.append(_deferrable(trigger.deferrable, trigger.initially_deferred).strip())
    transitions = [
        f"{which} TABLE AS {quote_ident(name)}"
        for which, name in (("OLD", trigger.referencing_old), ("NEW", trigger.referencing_new))
        if name is not None
    ]
    if transitions:
        parts.append("REFERENCING " + " ".join(transitions))
    parts.append(f"FOR EACH {trigger.for_each.upper()}")
    if trigger.when is not None:
        parts.append(f"WHEN ({fragment(trigger.when)})")
    arguments = ", ".join(quote_literal(a) for a in trigger.arguments)
    parts.append(f"EXECUTE FUNCTION {fragment(trigger.function)}({arguments})")
    return " ".join(p for p in parts if p) + ";"


def trigger_state(schema: str, relation: str, trigger: Trigger) -> str:
    """``ALTER TABLE t {DISABLE | ENABLE REPLICA | ENABLE ALWAYS | ENABLE} TRIGGER n;``"""
    action = {
        "origin": "ENABLE",
        "disabled": "DISABLE",
        "replica": "ENABLE REPLICA",
        "always": "ENABLE ALWAYS",
    }[trigger.enabled]
    return (
        f"ALTER TABLE {qualified(schema, relation)} {action} TRIGGER {quote_ident(trigger.name)};"
    )


def row_security(table: Table) -> list[str]:
    """``ENABLE`` / ``FORCE ROW LEVEL SECURITY`` as ``table`` asks."""
    target = _alter_table(table, False)
    statements = []
    if table.row_security:
        statements.append(f"{target} ENABLE ROW LEVEL SECURITY;")
    if table.force_row_security:
        statements.append(f"{target} FORCE ROW LEVEL SECURITY;")
    return statements


def create_policy(table: Table, policy: Policy) -> str:
    """``CREATE POLICY n ON t AS PERMISSIVE|RESTRICTIVE FOR cmd TO roles USING WITH CHECK;``"""
    kind = "PERMISSIVE" if policy.permissive else "RESTRICTIVE"
    roles = ", ".join(role_name(r) for r in policy.roles) or "PUBLIC"
    parts = [
        f"CREATE POLICY {quote_ident(policy.name)} ON {qualified(table.schema_, table.name)}",
        f"AS {kind} FOR {policy.command.upper()} TO {roles}",
    ]
    if policy.using is not None:
        parts.append(f"USING ({fragment(policy.using)})")
    if policy.with_check is not None:
        parts.append(f"WITH CHECK ({fragment(policy.with_check)})")
    return " ".join(parts) + ";"
