"""Structure and anti-patterns of seeds 002 and 003: EAV, god tables, repeating groups,
JSON holding columns, soft delete, audit columns, comments, orphan tables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from dbarch.checks.context import RuleContext
from dbarch.checks.english import pluralize, singularize, snake_case
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import Param, rule
from dbarch.checks.sqltext import cols, drop, rel
from dbarch.checks.typenames import JSON_TYPES
from dbarch.model.expand import NameProblem, expression_words, fit_name, relation
from dbarch.model.objects import Column, Table
from dbarch.pg.quote import qualified, quote_ident, quote_literal

_AUDIT = re.compile(r"(created|updated|modified|deleted)_(at|by|on)\Z")


def _tables(ctx: RuleContext) -> Iterator[Table]:
    """Tables that are not partitions (a partition follows its parent)."""
    return (t for t in ctx.schema.tables if t.partition_of is None)


def _is_value(name: str) -> bool:
    return name in ("value", "val") or name.endswith("_value")


_ATTRIBUTE_NAMES = frozenset(
    {
        *("attribute", "attr", "attribute_name", "attr_name", "attribute_id", "attr_id"),
        *("key", "key_name", "property", "property_name", "property_id", "field"),
        *("field_name", "field_id", "meta_key", "param", "parameter", "name"),
    }
)


@rule(
    code="DBA501",
    name="entity-attribute-value",
    severity=Severity.warning,
    summary="A table stores entity-attribute-value rows instead of columns.",
    rationale="""
        An EAV table (entity, attribute, value) gives up what a database is for: values
        have no type, no NOT NULL, no CHECK, no foreign key, and reading one entity back
        means one join or pivot per attribute (seed 002: EAV pattern overuse). Known
        attributes belong in columns; open-ended ones in one jsonb column.
    """,
    fix="Turn the known attributes into typed columns; keep the open-ended rest in jsonb.",
    bad="""
tables:
  - name: products
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: product_attributes
    columns:
      - {name: product_id, type: bigint, nullable: false, references: products.id}
      - {name: attribute, type: text, nullable: false}
      - {name: value, type: text}
    primary_key: {columns: [product_id, attribute]}
""",
    good="""
tables:
  - name: products
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: color, type: text}
      - {name: weight_grams, type: integer}
      - {name: extra_attributes, type: jsonb}
""",
)
def entity_attribute_value(ctx: RuleContext) -> Iterator[Hit]:
    for t in _tables(ctx):
        names = [c.name for c in t.columns if not _AUDIT.match(c.name) and c.name != "id"]
        value = next((n for n in names if _is_value(n)), None)
        attribute = next((n for n in names if n in _ATTRIBUTE_NAMES), None)
        entity = next(
            (n for n in names if n.endswith("_id") and n != attribute and n != value), None
        )
        if value is None or attribute is None or entity is None or len(names) > 4:
            continue
        fk = next((f for f in t.foreign_keys if entity in f.columns), None)
        holder = (
            ctx.facts.table(fk.references.schema_, fk.references.table) if fk is not None else None
        )
        message = (
            f"table {t.schema_}.{t.name} is entity-attribute-value shaped"
            f" ({entity}, {attribute}, {value})"
        )
        where = rel(holder) if holder is not None else "the entity table"
        fix = (
            f"Add a typed column to {where} per known {attribute} (ALTER TABLE {where}"
            " ADD COLUMN ...), and one jsonb column for the open-ended rest; then migrate"
            f" the rows and drop {rel(t)}."
        )
        yield Hit(Target.relation(t), message, fix)


@rule(
    code="DBA502",
    name="god-table",
    severity=Severity.warning,
    summary="A table has more columns than the configured maximum.",
    rationale="""
        A table with dozens of columns usually holds several things at once: groups of
        columns that are filled together, change together and are read by different
        parts of the application. It is wide on disk, hard to constrain, and every
        change to it touches everyone (seed 002: god tables).
    """,
    fix="Split groups of columns that belong together into their own tables (1:1 or 1:n).",
    bad="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: c01, type: text}
      - {name: c02, type: text}
      - {name: c03, type: text}
      - {name: c04, type: text}
      - {name: c05, type: text}
      - {name: c06, type: text}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: c01, type: text}
      - {name: c02, type: text}
""",
    params=(Param("max_columns", 30, "Most columns a table may have."),),
    config="""
[check.rules.god-table]
max_columns = 5
""",
)
def god_table(ctx: RuleContext) -> Iterator[Hit]:
    most = ctx.number("max_columns")
    for t in _tables(ctx):
        if len(t.columns) > most:
            message = (
                f"table {t.schema_}.{t.name} has {len(t.columns)} columns (at most {most} wanted)"
            )
            fix = (
                f"Move groups of columns of {rel(t)} that are filled and read together into"
                f" their own table keyed by {rel(t)}'s primary key."
            )
            yield Hit(Target.relation(t), message, fix)


_NUMBERED = re.compile(r"(.*?[a-z])_?([0-9]+)\Z")


def _groups(t: Table) -> dict[str, list[Column]]:
    """Columns named ``base1``, ``base_2``... by base, with a bare ``base`` as number 1,
    for bases numbered at least 1 and 2 whose columns all have the same type (``code``
    char(3) and ``code2`` char(2) are two codes, not a list)."""
    by_name = {c.name: c for c in t.columns}
    numbered: dict[str, dict[int, Column]] = {}
    for c in t.columns:
        match = _NUMBERED.match(c.name)
        if match:
            numbered.setdefault(match.group(1), {})[int(match.group(2))] = c
    groups: dict[str, list[Column]] = {}
    for base, members in numbered.items():
        if base in by_name:
            members.setdefault(1, by_name[base])
        same_type = len({c.type for c in members.values()}) == 1
        if {1, 2} <= set(members) and same_type:
            groups[base] = [members[n] for n in sorted(members)]
    return groups


@rule(
    code="DBA503",
    name="repeating-column-group",
    severity=Severity.warning,
    summary="A table repeats a column with numbers (phone1, phone2, ...).",
    rationale="""
        Numbered columns are a list squeezed into a row (a first normal form violation,
        seed 003): there is always one too few, queries must look in every one of them,
        and nothing keeps them unique or ordered. A child table holds any number.
    """,
    fix="Move the values into a child table with one row per value.",
    bad="""
tables:
  - name: contacts
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: phone1, type: text}
      - {name: phone2, type: text}
      - {name: phone3, type: text}
""",
    good="""
tables:
  - name: contacts
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: contact_phones
    columns:
      - {name: contact_id, type: bigint, nullable: false, references: contacts.id}
      - {name: phone, type: text, nullable: false}
    primary_key: {columns: [contact_id, phone]}
""",
)
def repeating_column_group(ctx: RuleContext) -> Iterator[Hit]:
    for t in _tables(ctx):
        for base, members in sorted(_groups(t).items()):
            listed = ", ".join(c.name for c in members)
            message = f"table {t.schema_}.{t.name} repeats {base}: {listed}"
            yield Hit(Target.relation(t), message, _child_table(t, base, members[0]))


def _child_table(t: Table, base: str, sample: Column) -> str:
    key = t.primary_key.columns if t.primary_key else ()
    if not key:
        return f"Give {rel(t)} a primary key, then move {base} into a child table referencing it."
    owner = singularize(t.name.rsplit("_", 1)[-1])
    child = qualified(t.schema_, f"{owner}_{pluralize(base.rsplit('_', 1)[-1])}")
    types = {c.name: c.type for c in t.columns}
    refs = [f"{owner}_{k}" for k in key]
    columns = ", ".join(
        f"{quote_ident(r)} {types.get(k, 'bigint')} NOT NULL"
        for r, k in zip(refs, key, strict=True)
    )
    return (
        f"CREATE TABLE {child} ({columns}, position smallint NOT NULL,"
        f" {quote_ident(base)} {sample.type} NOT NULL, PRIMARY KEY ({cols(refs)}, position),"
        f" FOREIGN KEY ({cols(refs)}) REFERENCES {rel(t)} ({cols(key)}));"
    )


def _scalar_kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "bigint"
    if isinstance(value, float):
        return "numeric"
    if isinstance(value, str):
        return "text"
    return None


def _always_present(samples: list[object]) -> dict[str, str]:
    """Keys every sampled object has with a scalar value, and the SQL type of those."""
    documents = [s for s in samples if isinstance(s, dict)]
    if not documents or len(documents) != len(samples):
        return {}
    found: dict[str, str] = {}
    for key in sorted(documents[0]):
        kinds = {_scalar_kind(d[key]) if key in d else None for d in documents}
        if kinds == {"bigint", "numeric"}:
            kinds = {"numeric"}
        kind = kinds.pop() if len(kinds) == 1 else None
        if kind is not None:
            found[key] = kind
    return found


def _parsed(values: tuple[str, ...]) -> list[object]:
    try:
        return [json.loads(v) for v in values]
    except ValueError:
        return []


@rule(
    code="DBA504",
    name="jsonb-always-present-keys",
    severity=Severity.info,
    summary="A jsonb column's documents always hold the same scalar keys (from a sample).",
    rationale="""
        A key that every document has, always with a scalar value, is a column in
        disguise: it gets no type, no NOT NULL, no CHECK, no foreign key, no statistics,
        and every query pays for extracting it (seed 003: JSONB for relational data).
        Read from a sample of the live rows.
    """,
    fix="Promote the keys to columns and keep only the variable part in the document.",
    bad="""
CREATE TABLE events (id bigint PRIMARY KEY, body jsonb NOT NULL);
INSERT INTO events SELECT i, jsonb_build_object('user_id', i, 'kind', 'click', 'extra',
  CASE WHEN i % 3 = 0 THEN jsonb_build_object('x', i) END) FROM generate_series(1, 50) i;
""",
    good="""
CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL, kind text NOT NULL,
  body jsonb);
INSERT INTO events SELECT i, i, 'click',
  CASE WHEN i % 3 = 0 THEN jsonb_build_object('x', i) END FROM generate_series(1, 50) i;
""",
    params=(Param("min_samples", 20, "Sampled documents needed before judging a column."),),
    statistics=True,
)
def jsonb_always_present_keys(ctx: RuleContext) -> Iterator[Hit]:
    for t in _tables(ctx):
        stats = ctx.table_stats(t)
        if stats is None:
            continue
        for c in t.columns:
            info = ctx.facts.type_of(c)
            values = stats.samples.get(c.name, ())
            if info is None or not info.is_(*JSON_TYPES) or len(values) < ctx.number("min_samples"):
                continue
            keys = _always_present(_parsed(values))
            if not keys:
                continue
            listed = ", ".join(keys)
            message = (
                f"column {t.schema_}.{t.name}.{c.name}: all {len(values)} sampled documents"
                f" have the scalar keys {listed} (sample of live rows)"
            )
            yield Hit(Target.column(t, c), message, _promote(t, c, keys))


def _promote(t: Table, c: Column, keys: dict[str, str]) -> str:
    statements: list[str] = []
    for key, sql_type in keys.items():
        column = quote_ident(snake_case(key))
        statements.append(f"ALTER TABLE {rel(t)} ADD COLUMN {column} {sql_type};")
        statements.append(
            f"UPDATE {rel(t)} SET {column} = ({quote_ident(c.name)} ->> {quote_literal(key)})"
            f"::{sql_type};"
        )
    return " ".join(statements)


@rule(
    code="DBA505",
    name="soft-delete-unique",
    severity=Severity.warning,
    summary="A soft-deleted table has a unique key that also counts the deleted rows.",
    rationale="""
        With soft delete (deleted_at, is_deleted) a deleted row stays in the table, so a
        plain unique key keeps blocking its value: a user who deleted an account cannot
        sign up again with the same email. A unique index restricted to the live rows
        (WHERE deleted_at IS NULL) enforces uniqueness where it matters.
    """,
    fix="Replace the unique key by a partial unique index over the rows not deleted.",
    bad="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false, unique: true}
      - {name: deleted_at, type: timestamptz}
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false}
      - {name: deleted_at, type: timestamptz}
    indexes:
      - {columns: [email], unique: true, where: deleted_at IS NULL}
""",
    params=(
        Param(
            "columns",
            ("deleted_at", "is_deleted", "deleted"),
            "Column names that mark a row as soft-deleted.",
        ),
    ),
)
def soft_delete_unique(ctx: RuleContext) -> Iterator[Hit]:
    marks = ctx.words("columns")
    for t in _tables(ctx):
        mark = next((c for c in t.columns if c.name in marks), None)
        if mark is None:
            continue
        info = ctx.facts.type_of(mark)
        live = (
            f"NOT {quote_ident(mark.name)}"
            if info is not None and info.is_("bool")
            else f"{quote_ident(mark.name)} IS NULL"
        )
        for a in ctx.facts.access(t):
            if not a.unique or a.target.nodes[-1] is t.primary_key:
                continue
            if a.where is not None and mark.name in expression_words(a.where, functions=False):
                continue
            name = quote_ident(f"{a.name}_live" if a.constraint else a.name)
            fix = (
                f"{drop(a.target)} CREATE UNIQUE INDEX {name} ON {rel(t)}"
                f" ({', '.join(a.keys)}) WHERE {live};"
            )
            message = (
                f"unique {a.target.kind} {a.name} of {t.schema_}.{t.name} also counts rows"
                f" soft-deleted by {mark.name}"
            )
            yield Hit(a.target, message, fix)


def _audit_type(name: str) -> str:
    if name.endswith(("_at", "_on")):
        return "timestamptz NOT NULL DEFAULT now()"
    return "text"


@rule(
    code="DBA506",
    name="missing-audit-columns",
    severity=Severity.warning,
    summary="A table lacks audit columns the configuration asks for.",
    rationale="""
        Seed 002's table template always includes audit columns (created_at,
        updated_at, created_by, updated_by): when a row appeared or changed, and who did
        it, is the first question of every incident. Which columns are required is
        configured; with none configured the rule finds nothing.
    """,
    fix="Add the missing audit columns (and a trigger that keeps updated_at current).",
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
    good="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: created_at, type: timestamptz, nullable: false, default: now()}
      - {name: updated_at, type: timestamptz, nullable: false, default: now()}
""",
    params=(Param("columns", (), "Audit columns every table must have, e.g. created_at."),),
    config="""
[check.rules.missing-audit-columns]
columns = ["created_at", "updated_at"]
""",
)
def missing_audit_columns(ctx: RuleContext) -> Iterator[Hit]:
    wanted = ctx.words("columns")
    for t in _tables(ctx):
        names = {c.name for c in t.columns}
        missing = [w for w in wanted if w not in names]
        if missing:
            message = f"table {t.schema_}.{t.name} lacks audit column(s) {', '.join(missing)}"
            fix = " ".join(
                f"ALTER TABLE {rel(t)} ADD COLUMN {quote_ident(m)} {_audit_type(m)};"
                for m in missing
            )
            yield Hit(Target.relation(t), message, fix)


@rule(
    code="DBA507",
    name="table-without-comment",
    severity=Severity.info,
    summary="A table has no comment.",
    rationale="""
        The comment is the documentation that travels with the table: psql shows it,
        `dbarch docs` puts it in the data dictionary, and the next person learns what a
        row means without asking (seed 002: document everything).
    """,
    fix="Describe what one row of the table is.",
    bad="""
tables:
  - name: shipments
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
    good="""
tables:
  - name: shipments
    comment: One parcel handed to a carrier for one order.
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
)
def table_without_comment(ctx: RuleContext) -> Iterator[Hit]:
    for t in _tables(ctx):
        if not (t.comment or "").strip():
            fix = f"COMMENT ON TABLE {rel(t)} IS '...'; (model: comment: ...)"
            yield Hit(Target.relation(t), f"table {t.schema_}.{t.name} has no comment", fix)


@rule(
    code="DBA508",
    name="column-without-comment",
    severity=Severity.info,
    summary="A column has no comment.",
    rationale="""
        A column's comment says what its values mean, in which unit, and where they
        come from: the Description column of seed 002's data dictionary.
    """,
    fix="Describe the column's meaning (and unit).",
    bad="""
tables:
  - name: shipments
    comment: One parcel handed to a carrier for one order.
    columns:
      - {name: id, type: bigint, primary_key: true, comment: Surrogate key.}
      - {name: weight, type: integer}
""",
    good="""
tables:
  - name: shipments
    comment: One parcel handed to a carrier for one order.
    columns:
      - {name: id, type: bigint, primary_key: true, comment: Surrogate key.}
      - {name: weight, type: integer, comment: Weight of the parcel in grams.}
""",
)
def column_without_comment(ctx: RuleContext) -> Iterator[Hit]:
    for t in _tables(ctx):
        for c in t.columns:
            if not (c.comment or "").strip():
                fix = f"COMMENT ON COLUMN {rel(t)}.{quote_ident(c.name)} IS '...';"
                message = f"column {t.schema_}.{t.name}.{c.name} has no comment"
                yield Hit(Target.column(t, c), message, fix)


def _root(ctx: RuleContext, t: Table) -> tuple[str, str]:
    """The table at the top of ``t``'s partition tree (``t`` itself when no partition)."""
    seen: set[tuple[str, str]] = set()
    here = t
    while here.partition_of is not None and (here.schema_, here.name) not in seen:
        seen.add((here.schema_, here.name))
        try:
            parent = ctx.facts.table(*relation(here.partition_of, here.schema_))
        except NameProblem:
            break
        if parent is None:
            break
        here = parent
    return here.schema_, here.name


def _related_roots(ctx: RuleContext) -> set[tuple[str, str]]:
    """Partition-tree roots with a foreign key to or from another tree: a partition's
    foreign keys (pg_dump puts them there when the parent has none) count for its root."""
    related: set[tuple[str, str]] = set()
    for t in ctx.schema.tables:
        here = _root(ctx, t)
        for fk in t.foreign_keys:
            referenced = ctx.facts.table(fk.references.schema_, fk.references.table)
            there = (
                _root(ctx, referenced)
                if referenced is not None
                else (fk.references.schema_, fk.references.table)
            )
            if there != here:
                related |= {here, there}
    return related


def _guess_reference(ctx: RuleContext, t: Table, column: str) -> Table | None:
    """The table a ``<thing>_id`` column of ``t`` names (``things`` or ``thing``, in
    ``t``'s schema first) when it has a one-column primary key."""
    thing = column.removesuffix("_id")
    for schema in dict.fromkeys([t.schema_, *(o.schema_ for o in ctx.schema.tables)]):
        for name in dict.fromkeys([pluralize(thing), thing]):
            found = ctx.facts.table(schema, name)
            if found is not None and found is not t and found.partition_of is None:
                key = found.primary_key
                if key is not None and len(key.columns) == 1:
                    return found
    return None


def _relate_fix(ctx: RuleContext, t: Table) -> str:
    key = set(t.primary_key.columns) if t.primary_key else set()
    candidates = [c.name for c in t.columns if c.name.endswith("_id") and c.name not in key]
    for column in candidates:
        target = _guess_reference(ctx, t, column)
        if target is not None and target.primary_key is not None:
            name = ctx.schema.naming.foreign_key.format(
                table=t.name, columns=column, ref_table=target.name
            )
            return (
                f"ALTER TABLE {rel(t)} ADD CONSTRAINT {quote_ident(fit_name(name))} FOREIGN KEY"
                f" ({quote_ident(column)}) REFERENCES {rel(target)}"
                f" ({cols(target.primary_key.columns)});"
            )
    if candidates:
        return (
            f"Add a foreign key from {rel(t)} ({quote_ident(candidates[0])}) to the table it"
            f" identifies, or DROP TABLE {rel(t)} if it is unused."
        )
    return f"Relate {rel(t)} to the table it belongs with, or DROP TABLE {rel(t)};"


@rule(
    code="DBA509",
    name="orphan-table",
    severity=Severity.info,
    summary="A table has no foreign key to or from any other table.",
    rationale="""
        In a relational schema almost every table is related to another; one that is
        not is often a missing foreign key (the relationship is only in application
        code, seed 002: no foreign keys), a leftover, or a staging table that deserves a
        comment saying so.
    """,
    fix="Add the foreign key that relates it, or drop it if it is unused.",
    bad="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: invoices
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: invoices
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, nullable: false, references: customers.id}
""",
    params=(Param("min_tables", 2, "Only judge schemas with at least this many tables."),),
)
def orphan_table(ctx: RuleContext) -> Iterator[Hit]:
    tables = list(_tables(ctx))
    if len(tables) < ctx.number("min_tables"):
        return
    related = _related_roots(ctx)
    for t in tables:
        if (t.schema_, t.name) in related:
            continue
        message = f"table {t.schema_}.{t.name} has no foreign key to or from another table"
        yield Hit(Target.relation(t), message, _relate_fix(ctx, t))
