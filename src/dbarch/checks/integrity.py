"""Integrity: keys, foreign keys and constraints that do what they promise."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from dbarch.checks.context import RuleContext, key_column, key_text
from dbarch.checks.contradiction import TYPE_DOMAINS, Domain, never_true
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import rule
from dbarch.checks.sqltext import cols, drop, rel
from dbarch.checks.typenames import TypeInfo
from dbarch.model.expand import NameProblem, relation
from dbarch.model.objects import DEFAULT_SCHEMA, Column, ForeignKey, Table
from dbarch.pg.quote import qualified, quote_ident


@rule(
    code="DBA101",
    name="missing-primary-key",
    severity=Severity.error,
    summary="A table has no primary key.",
    rationale="""
        Without a primary key nothing stops duplicate rows, rows cannot be addressed one
        at a time, foreign keys have nothing to reference, and logical replication cannot
        replicate updates and deletes.
    """,
    fix="Add a primary key: promote a unique NOT NULL column set, or add an identity column.",
    bad="""
tables:
  - name: events
    columns:
      - {name: occurred_at, type: timestamptz, nullable: false}
      - {name: payload, type: jsonb}
""",
    good="""
tables:
  - name: events
    columns:
      - {name: id, type: bigint, identity: {generation: always}, primary_key: true}
      - {name: occurred_at, type: timestamptz, nullable: false}
      - {name: payload, type: jsonb}
""",
)
def missing_primary_key(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        if t.primary_key is not None or _parent_has_key(ctx, t):
            continue
        yield Hit(Target.relation(t), f"table {t.schema_}.{t.name} has no primary key", _pk_fix(t))


def _parent_has_key(ctx: RuleContext, t: Table) -> bool:
    """A partition is covered by its partitioned table's primary key."""
    if t.partition_of is None:
        return False
    try:
        parent = ctx.facts.table(*relation(t.partition_of, t.schema_))
    except NameProblem:
        return False
    return parent is not None and parent.primary_key is not None


def _pk_fix(t: Table) -> str:
    not_null = {c.name for c in t.columns if not c.nullable}
    for u in t.unique:
        if set(u.columns) <= not_null:
            return f"ALTER TABLE {rel(t)} ADD PRIMARY KEY ({cols(u.columns)});"
    if "id" in {c.name for c in t.columns}:
        return f"ALTER TABLE {rel(t)} ADD PRIMARY KEY (id);"
    return f"ALTER TABLE {rel(t)} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;"


def _fk_label(t: Table, fk: ForeignKey) -> str:
    return f"foreign key {fk.name} of {t.schema_}.{t.name} ({', '.join(fk.columns)})"


def _referenced(ctx: RuleContext, fk: ForeignKey) -> Table | None:
    return ctx.facts.table(fk.references.schema_, fk.references.table)


@rule(
    code="DBA102",
    name="foreign-key-target-missing",
    severity=Severity.error,
    summary="A foreign key references a table or column that is not in the schema.",
    rationale="""
        PostgreSQL refuses to create such a foreign key, so the schema cannot be built as
        written; in a partial schema it means a dependency the schema does not show.
    """,
    fix="Create the referenced table or column, or point the foreign key at the right one.",
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, references: customers.id}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, references: customers.id}
""",
)
def foreign_key_target_missing(ctx: RuleContext) -> Iterator[Hit]:
    # tables of extensions are not part of a Schema: a reference into a schema where an
    # extension is installed may point at one (postgis' spatial_ref_sys)
    extended = {e.schema_ or DEFAULT_SCHEMA for e in ctx.schema.extensions}
    for t in ctx.schema.tables:
        for fk in t.foreign_keys:
            ref = fk.references
            target = _referenced(ctx, fk)
            where = qualified(ref.schema_, ref.table)
            if target is None and ref.schema_ in extended:
                continue
            if target is None:
                message = f"{_fk_label(t, fk)} references table {where}, which does not exist"
            else:
                missing = [c for c in ref.columns if ctx.facts.column(target, c) is None]
                if not missing:
                    continue
                message = (
                    f"{_fk_label(t, fk)} references column(s) {', '.join(missing)}"
                    f" that table {where} does not have"
                )
            fix = f"Create {where} ({cols(ref.columns)}), or: {drop(Target.constraint(t, fk))}"
            yield Hit(Target.constraint(t, fk), message, fix)


def _pairs(ctx: RuleContext, t: Table, fk: ForeignKey) -> Iterator[tuple[Column, Column]]:
    """(referencing, referenced) column pairs of ``fk`` whose columns exist."""
    target = _referenced(ctx, fk)
    if target is None or len(fk.columns) != len(fk.references.columns):
        return
    for mine, theirs in zip(fk.columns, fk.references.columns, strict=True):
        a, b = ctx.facts.column(t, mine), ctx.facts.column(target, theirs)
        if a is not None and b is not None:
            yield a, b


def _same_type(a: TypeInfo | None, b: TypeInfo | None) -> bool:
    if a is None or b is None:
        return True  # unreadable types are not judged
    return str(a) == str(b)


@rule(
    code="DBA103",
    name="foreign-key-type-mismatch",
    severity=Severity.error,
    summary="A foreign key column's type differs from the type of the column it references.",
    rationale="""
        Every check of the foreign key and every join along it compares values of two
        types: the cast can defeat the index, a narrower column cannot hold every key
        the referenced table can produce, and a wider one accepts values that can never
        match.
    """,
    fix="""
        Give the referencing column exactly the referenced column's type; when the
        referenced key is the narrower integer, widen the key instead.
    """,
    bad="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: integer, references: customers.id}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: int8, references: customers.id}
""",
)
def foreign_key_type_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        for fk in t.foreign_keys:
            for mine, theirs in _pairs(ctx, t, fk):
                if _same_type(ctx.facts.type_of(mine), ctx.facts.type_of(theirs)):
                    continue
                ref = fk.references
                message = (
                    f"{_fk_label(t, fk)}: column {mine.name} is {mine.type} but"
                    f" {ref.schema_}.{ref.table}.{theirs.name} is {theirs.type}"
                )
                yield Hit(Target.constraint(t, fk), message, _type_fix(ctx, t, fk, mine, theirs))


_INTEGER_WIDTHS = {"int2": 2, "int4": 4, "int8": 8}


def _type_fix(ctx: RuleContext, t: Table, fk: ForeignKey, mine: Column, theirs: Column) -> str:
    """Give the referencing column the referenced type, except that a narrower integer
    key is widened instead (integer-key-overflow asks for bigint keys)."""
    a, b = ctx.facts.type_of(mine), ctx.facts.type_of(theirs)
    target = _referenced(ctx, fk)
    widths = [
        _INTEGER_WIDTHS.get(info.name) if info is not None and info.is_(*_INTEGER_WIDTHS) else None
        for info in (a, b)
    ]
    if target is not None and widths[0] and widths[1] and widths[0] > widths[1]:
        return (
            f"ALTER TABLE {rel(target)} ALTER COLUMN {quote_ident(theirs.name)} TYPE {mine.type};"
        )
    return f"ALTER TABLE {rel(t)} ALTER COLUMN {quote_ident(mine.name)} TYPE {theirs.type};"


@rule(
    code="DBA104",
    name="foreign-key-not-to-key",
    severity=Severity.error,
    summary="A foreign key references columns that are not a primary key or unique key.",
    rationale="""
        PostgreSQL only lets a foreign key reference a primary key or a unique constraint
        (or a unique index without a predicate) on exactly those columns: otherwise one
        referencing row could match several referenced rows.
    """,
    fix="Reference the primary key, or declare the referenced columns unique.",
    bad="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_email, type: text, references: customers.email}
""",
    good="""
tables:
  - name: customers
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false, unique: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_email, type: text, references: customers.email}
""",
)
def foreign_key_not_to_key(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        for fk in t.foreign_keys:
            target = _referenced(ctx, fk)
            ref = fk.references
            if target is None or any(ctx.facts.column(target, c) is None for c in ref.columns):
                continue  # foreign-key-target-missing says so
            if set(ref.columns) in [set(k) for k in ctx.facts.unique_keys(target)]:
                continue
            message = (
                f"{_fk_label(t, fk)} references ({', '.join(ref.columns)}) of"
                f" {ref.schema_}.{ref.table}, which is not its primary key or a unique key"
            )
            name = quote_ident(f"uq_{target.name}_{'_'.join(ref.columns)}")
            fix = f"ALTER TABLE {rel(target)} ADD CONSTRAINT {name} UNIQUE ({cols(ref.columns)});"
            yield Hit(Target.constraint(t, fk), message, fix)


def _hard(t: Table, fk: ForeignKey) -> bool:
    """A link that must be satisfied at once: not deferrable, every column NOT NULL."""
    if fk.deferrable:
        return False
    nullable = {c.name for c in t.columns if c.nullable}
    return not nullable & set(fk.columns)


@rule(
    code="DBA105",
    name="foreign-key-cycle",
    severity=Severity.warning,
    summary="Tables reference each other in a cycle of NOT NULL, non-deferrable foreign keys.",
    rationale="""
        When every link of a cycle must hold at once, no row of the cycle can be
        inserted first: each needs a row of the next table to exist already. Loading,
        restoring and testing need tricks. A cycle is fine once one link is deferrable
        (checked at commit) or nullable (filled in afterwards).
    """,
    fix="Make one link DEFERRABLE INITIALLY DEFERRED, or let one of its columns be NULL.",
    bad="""
tables:
  - name: departments
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: head_id, type: bigint, nullable: false, references: employees.id}
  - name: employees
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: department_id, type: bigint, nullable: false, references: departments.id}
""",
    good="""
tables:
  - name: departments
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: head_id, type: bigint, references: employees.id}
  - name: employees
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: department_id, type: bigint, nullable: false, references: departments.id}
""",
)
def foreign_key_cycle(ctx: RuleContext) -> Iterator[Hit]:
    graph = nx.DiGraph()
    graph.add_nodes_from((t.schema_, t.name) for t in ctx.schema.tables)
    for t in ctx.schema.tables:
        here = (t.schema_, t.name)
        for fk in t.foreign_keys:
            there = (fk.references.schema_, fk.references.table)
            hard = _hard(t, fk) and there != here and there in graph.nodes
            if hard and not graph.has_edge(here, there):
                graph.add_edge(here, there, fk=fk)
    components = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    for component in sorted(components):
        start = component[0]
        edges = nx.find_cycle(graph.subgraph(component), source=start)
        path = " -> ".join(f"{s}.{n}" for s, n in [e[0] for e in edges] + [start])
        first = graph.edges[edges[0][0], edges[0][1]]["fk"]
        table = ctx.facts.table(*start)
        assert table is not None
        via = ", ".join(graph.edges[a, b]["fk"].name or "" for a, b in edges)
        message = f"foreign keys form a cycle that cannot be filled: {path} (via {via})"
        fix = (
            f"ALTER TABLE {rel(table)} ALTER CONSTRAINT {quote_ident(first.name or '')}"
            " DEFERRABLE INITIALLY DEFERRED;"
        )
        yield Hit(Target.relation(table), message, fix)


@rule(
    code="DBA106",
    name="nullable-unique-columns",
    severity=Severity.warning,
    summary="A multi-column unique key has nullable columns, so duplicates slip through.",
    rationale="""
        NULL is never equal to NULL, so a unique key over (a, b) accepts ('x', NULL)
        any number of times: the rows the key was meant to keep apart are duplicated as
        soon as one of its columns is NULL.
    """,
    fix="Make the columns NOT NULL, or declare the key UNIQUE NULLS NOT DISTINCT (PG 15+).",
    bad="""
tables:
  - name: categories
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: parent_id, type: bigint, references: categories.id}
      - {name: name, type: text, nullable: false}
    unique:
      - {columns: [parent_id, name]}
""",
    good="""
tables:
  - name: categories
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: parent_id, type: bigint, references: categories.id}
      - {name: name, type: text, nullable: false}
    unique:
      - {columns: [parent_id, name], nulls_not_distinct: true}
""",
)
def nullable_unique_columns(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        nullable = {c.name for c in t.columns if c.nullable}
        for u in t.unique:
            if len(u.columns) > 1 and not u.nulls_not_distinct and nullable & set(u.columns):
                open_ = sorted(nullable & set(u.columns))
                target = Target.constraint(t, u)
                fix = (
                    f"ALTER TABLE {rel(t)} DROP CONSTRAINT {quote_ident(u.name or '')},"
                    f" ADD CONSTRAINT {quote_ident(u.name or '')} UNIQUE NULLS NOT DISTINCT"
                    f" ({cols(u.columns)});"
                )
                yield Hit(target, _nullable_message(target, open_), fix)
        for i in t.indexes:
            keys = [key_column(k) for k in i.columns]
            plain = {k for k in keys if k is not None}
            if i.unique and len(keys) > 1 and not i.nulls_not_distinct and nullable & plain:
                target = Target.index(t, i)
                keys_sql = ", ".join(key_text(k) for k in i.columns)
                fix = (
                    f"{drop(target)} CREATE UNIQUE INDEX {quote_ident(i.name or '')} ON"
                    f" {rel(t)} ({keys_sql}) NULLS NOT DISTINCT;"
                )
                yield Hit(target, _nullable_message(target, sorted(nullable & plain)), fix)


def _nullable_message(target: Target, columns: list[str]) -> str:
    listed = ", ".join(columns)
    return f"unique {target.kind} {target.name} accepts duplicates whenever {listed} is NULL"


_EXACT_COLLATIONS = frozenset({"C", "POSIX", "default", "ucs_basic", "pg_c_utf8"})


def _domains(ctx: RuleContext, t: Table) -> dict[str, Domain]:
    """The columns of ``t`` whose comparisons the proof may reason about."""
    found: dict[str, Domain] = {}
    for c in t.columns:
        info = ctx.facts.type_of(c)
        if info is None or not info.builtin or info.array_dimensions:
            continue
        domain = TYPE_DOMAINS.get(info.name)
        if domain is Domain.string and c.collation not in (None, *_EXACT_COLLATIONS):
            continue  # a nondeterministic collation may call different strings equal
        if domain is not None:
            found[c.name] = domain
    return found


@rule(
    code="DBA107",
    name="check-never-true",
    severity=Severity.error,
    summary="A CHECK constraint's condition can never be true.",
    rationale="""
        A CHECK passes when its condition is true or NULL. A condition that can never be
        true (contradictory bounds, disjoint IN lists, a comparison with NULL) lets only
        rows through for which it is NULL: it rejects every other row or enforces
        nothing. It is nearly always a slip: AND for OR, swapped bounds, a NULL in an IN
        list.
    """,
    fix="Rewrite the condition to what was meant (often OR for AND, or swapped bounds).",
    bad="""
tables:
  - name: products
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: discount, type: numeric, nullable: false}
    checks:
      - {name: chk_products_discount, check: "discount > 100 AND discount < 0"}
""",
    good="""
tables:
  - name: products
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: discount, type: numeric, nullable: false}
    checks:
      - {name: chk_products_discount, check: "discount >= 0 AND discount <= 100"}
""",
)
def check_never_true(ctx: RuleContext) -> Iterator[Hit]:
    for t in ctx.schema.tables:
        domains = _domains(ctx, t)
        for c in t.checks:
            if c.no_inherit:
                continue  # CHECK (false) NO INHERIT keeps rows out of a parent on purpose
            if never_true(c.check, domains):
                target = Target.constraint(t, c)
                message = f"CHECK {c.name} ({c.check}) can never be true"
                fix = f"{drop(target)} Then add the condition that was meant."
                yield Hit(target, message, fix)
