"""The steps of a Schema's DDL: each object's statements and what they require.

Phases follow a pg_dump script: roles, schemas, extensions, then types, routines,
sequences and tables (ordered among themselves by their references), then partition
attachments, keys and indexes, views, foreign keys, triggers, row-level security,
privileges, and the refresh of materialized views last. Column defaults and checks
listed in ``split`` are moved out of their table (or domain) into a step of their own,
which is how dependency cycles are broken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum

from dbarch.ddl import render
from dbarch.ddl.lookup import Catalog, Key, aggregate_key, function_key, relation_key, type_key
from dbarch.ddl.order import Step
from dbarch.ddl.partitions import (
    IndexItem,
    index_items,
    inheritable_checks,
    plan_indexes,
    table_columns,
)
from dbarch.ddl.privileges import ObjectRef, acl_statements, comment_on, owner_and_comment
from dbarch.ddl.sqlrefs import (
    Refs,
    expression_refs,
    name_ref,
    partition_key_refs,
    query_refs,
    routine_refs,
    type_refs,
)
from dbarch.errors import DbarchError
from dbarch.model.objects import (
    Aggregate,
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    EnumType,
    ExclusionConstraint,
    Function,
    Index,
    MaterializedView,
    PrimaryKey,
    Privileged,
    Role,
    Schema,
    SchemaDef,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)
from dbarch.model.objects import (
    Sequence as SequenceDef,
)
from dbarch.pg.quote import qualified, quote_ident

Part = tuple[Key, str]  # (step key, "default:<column>" | "check:<name>")


class Phase(IntEnum):
    """Where a kind of step goes when its dependencies leave a choice."""

    ROLES = 0
    MEMBERSHIPS = 1
    SCHEMAS = 2
    EXTENSIONS = 3
    DEFINITIONS = 4
    SPLIT = 5
    OWNED_BY = 6
    ATTACH = 7
    CONSTRAINTS = 8
    INDEXES = 9
    INDEX_ATTACH = 10
    VIEWS = 11
    FOREIGN_KEYS = 12
    TRIGGERS = 13
    POLICIES = 14
    PRIVILEGES = 15
    REFRESH = 16


# rank of each kind of definition inside the DEFINITIONS and VIEWS phases
_RANK = {"enum": 0, "domain": 1, "composite": 2, "function": 3, "aggregate": 4}
_RANK.update({"sequence": 5, "table": 6, "view": 0, "matview": 1})


def build_steps(schema: Schema, split: frozenset[Part] = frozenset()) -> list[Step]:
    """Every step of ``schema``'s DDL, with the parts in ``split`` moved out."""
    return _Builder(schema, split).build()


def _part_default(column: str) -> str:
    return f"default:{column}"


def _part_check(name: str | None, position: int) -> str:
    return f"check:{name if name is not None else f'#{position}'}"


class _Parts:
    """The breakable parts of one step: kept in it (``soft``) or split out (``later``)."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.soft: dict[str, frozenset[Key]] = {}
        self.later: list[tuple[str, list[str], frozenset[Key]]] = []

    def keep(
        self, split: frozenset[Part], part: str, statements: list[str], refs: frozenset[Key]
    ) -> bool:
        """Record ``part``; False when it is split out, to run ``statements`` later."""
        if (self.key, part) in split:
            self.later.append((part, statements, refs))
            return False
        self.soft[part] = refs
        return True


class _Builder:
    def __init__(self, schema: Schema, split: frozenset[Part]) -> None:
        self.schema = schema
        self.catalog = Catalog(schema)
        self.split = split
        self.indexes = plan_indexes(self.catalog)
        self.steps: list[Step] = []
        self.reads: dict[Key, frozenset[Key]] = {}  # what each view and matview selects from
        # what each SQL fragment mentions, by finder: types and defaults repeat a lot
        self.found: dict[tuple[Callable[[str, str], Refs], str], frozenset[Key]] = {}
        self._items: dict[int, list[IndexItem]] = {}  # by id: every table outlives the build

    # ------------------------------------------------------------------ helpers

    def add(
        self,
        key: Key,
        priority: tuple[Phase, int, str, str, str],
        statements: Iterable[str],
        requires: Iterable[Key] = (),
        soft: dict[str, frozenset[Key]] | None = None,
    ) -> None:
        statements = tuple(statements)
        if statements:
            self.steps.append(Step(key, priority, statements, frozenset(requires), soft or {}))

    def resolve(self, refs: Refs) -> frozenset[Key]:
        return self.catalog.resolve(refs)

    def index_items(self, table: Table) -> list[IndexItem]:
        """:func:`index_items` of ``table``, worked out once per build."""
        items = self._items.get(id(table))
        if items is None:
            items = self._items[id(table)] = index_items(table)
        return items

    def mentioned(self, finder: Callable[[str, str], Refs], sql: str, what: str) -> frozenset[Key]:
        """Keys of the objects ``finder`` finds in ``sql``; a fragment that cannot name
        any object of the Schema is not parsed at all (PostgreSQL checks its syntax)."""
        found = self.found.get((finder, sql))
        if found is None:
            may_mention = self.catalog.may_mention(sql)
            found = self.resolve(finder(sql, what)) if may_mention else frozenset()
            self.found[(finder, sql)] = found
        return found

    def expression(self, expr: str | None, what: str) -> frozenset[Key]:
        if expr is None:
            return frozenset()
        return self.mentioned(expression_refs, expr, what)

    def split_steps(self, parts: _Parts, schema: str, name: str) -> set[Key]:
        """A step for every part split out of ``parts.key``'s step; their keys."""
        keys = set()
        for part, statements, refs in parts.later:
            key = ("split", *parts.key, part)
            self.add(key, (Phase.SPLIT, 0, schema, name, part), statements, {parts.key, *refs})
            keys.add(key)
        return keys

    def privileges(self, key: Key, ref: ObjectRef, obj: Privileged, what: str) -> None:
        priority = (Phase.PRIVILEGES, 0, key[1] if len(key) > 1 else "", str(key), "")
        self.add(("privileges", *key), priority, acl_statements(ref, obj, what), [key])

    @staticmethod
    def owner_roles(obj: Privileged) -> set[Key]:
        return {("role", obj.owner)} if obj.owner is not None else set()

    # ------------------------------------------------------------------ build

    def build(self) -> list[Step]:
        schema = self.schema
        for role in schema.roles:
            self.role(role)
        for namespace in schema.schemas:
            self.namespace(namespace)
        for extension in schema.extensions:
            key = ("extension", extension.name)
            requires = [("schema", extension.schema_)] if extension.schema_ else []
            priority = (Phase.EXTENSIONS, 0, "", extension.name, "")
            self.add(key, priority, [render.create_extension(extension)], requires)
        for enum in schema.enums:
            self.enum(enum)
        for domain in schema.domains:
            self.domain(domain)
        for composite in schema.composite_types:
            self.composite(composite)
        for function in schema.functions:
            self.function(function)
        for aggregate in schema.aggregates:
            self.aggregate(aggregate)
        identity_sequences = self.identity_sequences()
        for sequence in schema.sequences:
            if (sequence.schema_, sequence.name) not in identity_sequences:
                self.sequence(sequence)
        for table in schema.tables:
            self.table(table)
        for view in schema.views:
            self.view(view)
        for matview in schema.materialized_views:
            self.matview(matview)
        for matview in schema.materialized_views:
            self.refresh(matview)
        return self.steps

    def role(self, role: Role) -> None:
        name = role.name
        statements = [render.create_role(role)]
        if role.comment is not None:
            statements.append(comment_on("ROLE", quote_ident(name), role.comment))
        self.add(("role", name), (Phase.ROLES, 0, "", name, ""), statements)
        for parent in role.member_of:
            self.add(
                ("membership", name, parent),
                (Phase.MEMBERSHIPS, 0, "", name, parent),
                [render.grant_role(parent, name)],
                [("role", name), ("role", parent)],
            )

    def namespace(self, namespace: SchemaDef) -> None:
        key = ("schema", namespace.name)
        name = quote_ident(namespace.name)
        ref = ObjectRef("SCHEMA", name, "SCHEMA", name)
        statements = [] if namespace.name == "public" else [render.create_schema(namespace)]
        statements += owner_and_comment(ref, namespace)
        priority = (Phase.SCHEMAS, 0, namespace.name, "", "")
        self.add(key, priority, statements, self.owner_roles(namespace))
        self.privileges(key, ref, namespace, f"schema {namespace.name}")

    # ------------------------------------------------------------------ types

    def definition(
        self,
        kind: str,
        key: Key,
        obj: Privileged,
        schema: str,
        name: str,
        statements: list[str],
        requires: Iterable[Key] = (),
        soft: dict[str, frozenset[Key]] | None = None,
    ) -> None:
        requires = {*requires, ("schema", schema), *self.owner_roles(obj)}
        priority = (Phase.DEFINITIONS, _RANK[kind], schema, name, key[-1])
        self.add(key, priority, statements, requires, soft)

    def enum(self, enum: EnumType) -> None:
        key = type_key(enum.schema_, enum.name)
        target = qualified(enum.schema_, enum.name)
        ref = ObjectRef("TYPE", target, "TYPE", target)
        statements = [render.create_enum(enum), *owner_and_comment(ref, enum)]
        self.definition("enum", key, enum, enum.schema_, enum.name, statements)
        self.privileges(key, ref, enum, f"type {enum.schema_}.{enum.name}")

    def composite(self, composite: CompositeType) -> None:
        what = f"type {composite.schema_}.{composite.name}"
        key = type_key(composite.schema_, composite.name)
        target = qualified(composite.schema_, composite.name)
        ref = ObjectRef("TYPE", target, "TYPE", target)
        statements = [render.create_composite(composite), *owner_and_comment(ref, composite)]
        requires: set[Key] = set()
        for attribute in composite.attributes:
            requires |= self.mentioned(type_refs, attribute.type, what)
            if attribute.comment is not None:
                column = f"{target}.{quote_ident(attribute.name)}"
                statements.append(comment_on("COLUMN", column, attribute.comment))
        requires.discard(key)
        self.definition(
            "composite", key, composite, composite.schema_, composite.name, statements, requires
        )
        self.privileges(key, ref, composite, what)

    def domain(self, domain: Domain) -> None:
        what = f"domain {domain.schema_}.{domain.name}"
        key = type_key(domain.schema_, domain.name)
        target = qualified(domain.schema_, domain.name)
        ref = ObjectRef("DOMAIN", target, "DOMAIN", target)
        parts = _Parts(key)
        with_default = domain.default is None or parts.keep(
            self.split,
            "default",
            [render.domain_set_default(domain, domain.default)],
            self.expression(domain.default, what),
        )
        inline = []
        comments = []
        for i, check in enumerate(domain.checks):
            part = _part_check(check.name, i)
            refs = self.expression(check.check, what)
            comment = []
            if check.comment is not None:
                if check.name is None:
                    raise DbarchError(f"{what}: an unnamed check cannot have a comment")
                on = f"{quote_ident(check.name)} ON DOMAIN {target}"
                comment.append(comment_on("CONSTRAINT", on, check.comment))
            statements = [render.domain_add_check(domain, check), *comment]
            if check.not_valid:
                priority = (Phase.CONSTRAINTS, 0, domain.schema_, domain.name, part)
                self.add((*key, part), priority, statements, {key, *refs})
            elif parts.keep(self.split, part, statements, refs):
                inline.append(check)
                comments += comment
        statements = [render.create_domain(domain, with_default, inline), *comments]
        statements += owner_and_comment(ref, domain)
        requires = self.mentioned(type_refs, domain.type, what) - {key}
        self.definition(
            "domain", key, domain, domain.schema_, domain.name, statements, requires, parts.soft
        )
        self.split_steps(parts, domain.schema_, domain.name)
        self.privileges(key, ref, domain, what)

    # ------------------------------------------------------------------ routines

    def function(self, function: Function) -> None:
        what = f"function {function.schema_}.{function.name}"
        key = function_key(function)
        ref = render.routine_ref(function)
        statements = [render.create_function(function), *owner_and_comment(ref, function)]
        refs = routine_refs(
            function.kind, function.arguments, function.returns, function.sql_body, what
        )
        requires = self.resolve(refs) - {key}
        self.definition(
            "function", key, function, function.schema_, function.name, statements, requires
        )
        self.privileges(key, ref, function, what)

    def aggregate(self, aggregate: Aggregate) -> None:
        what = f"aggregate {aggregate.schema_}.{aggregate.name}"
        key = aggregate_key(aggregate)
        ref = render.aggregate_ref(aggregate)
        statements = [render.create_aggregate(aggregate), *owner_and_comment(ref, aggregate)]
        arguments = "" if aggregate.arguments.strip() == "*" else aggregate.arguments
        refs = routine_refs("function", arguments, aggregate.stype, None, what)
        for support in (aggregate.sfunc, aggregate.finalfunc, aggregate.combinefunc):
            if support is not None:
                refs |= Refs(functions=frozenset({name_ref(support, what)}))
        requires = self.resolve(refs) - {key}
        self.definition(
            "aggregate", key, aggregate, aggregate.schema_, aggregate.name, statements, requires
        )
        self.privileges(key, ref, aggregate, what)

    # ------------------------------------------------------------------ sequences

    def identity_sequences(self) -> set[tuple[str, str]]:
        """Sequences that back identity columns: created with their column."""
        found = set()
        for table in self.schema.tables:
            for column in table.columns:
                if column.identity is not None:
                    name = column.identity.sequence or f"{table.name}_{column.name}_seq"
                    found.add((table.schema_, name))
        return found

    def sequence(self, sequence: SequenceDef) -> None:
        what = f"sequence {sequence.schema_}.{sequence.name}"
        key = relation_key(sequence.schema_, sequence.name)
        target = qualified(sequence.schema_, sequence.name)
        ref = ObjectRef("SEQUENCE", target, "SEQUENCE", target)
        statements = [render.create_sequence(sequence), *owner_and_comment(ref, sequence)]
        self.definition("sequence", key, sequence, sequence.schema_, sequence.name, statements)
        if sequence.owned_by is not None:
            table, column = self.catalog.owned_by(sequence.owned_by, sequence.schema_, what)
            self.add(
                ("owned_by", sequence.schema_, sequence.name),
                (Phase.OWNED_BY, 0, sequence.schema_, sequence.name, ""),
                [render.sequence_owned_by(sequence, table, column)],
                [key, relation_key(table.schema_, table.name)],
            )
        self.privileges(key, ref, sequence, what)

    # ------------------------------------------------------------------ tables

    def table(self, table: Table) -> None:
        what = f"table {table.schema_}.{table.name}"
        for column in table.columns:
            if column.primary_key or column.unique or column.references is not None:
                raise DbarchError(
                    f"{what}: column {column.name!r} uses a shorthand (primary_key, unique, "
                    "references) that the model loader expands; expand it first"
                )
        key = relation_key(table.schema_, table.name)
        target = qualified(table.schema_, table.name)
        ref = ObjectRef("TABLE", target, "TABLE", target)
        parents = self.catalog.parents(table)
        is_partition = table.partition_of is not None
        parts = _Parts(key)
        requires: set[Key] = {relation_key(p.schema_, p.name) for p in parents}
        if table.partition_by is not None:
            requires |= self.mentioned(partition_key_refs, table.partition_by.key, what)
        columns = table_columns(table, self.catalog)
        own = [self.column(table, column, parts, requires, what) for column in columns]
        inline, comments = self.checks(table, parents, parts, what)

        inherits = [] if is_partition else [qualified(p.schema_, p.name) for p in parents]
        statements = [render.create_table(table, own, inline, inherits), *comments]
        statements += owner_and_comment(ref, table)
        for column in columns:
            if column.comment is not None:
                column_ref = f"{target}.{quote_ident(column.name)}"
                statements.append(comment_on("COLUMN", column_ref, column.comment))
        requires.discard(key)
        requires |= {("schema", table.schema_), *self.owner_roles(table)}
        priority = (Phase.DEFINITIONS, _RANK["table"], table.schema_, table.name, "")
        self.add(key, priority, statements, requires, parts.soft)
        splits = self.split_steps(parts, table.schema_, table.name)
        if is_partition:
            parent = parents[0]
            self.add(
                ("attach", table.schema_, table.name),
                (Phase.ATTACH, 0, table.schema_, table.name, ""),
                [render.attach_partition(parent, table)],
                {key, relation_key(parent.schema_, parent.name), *splits},
            )
        self.table_indexes(table, what)
        self.foreign_keys(table, what)
        ancestors = self.catalog.partition_ancestors(table)
        self.triggers(table.schema_, table.name, table.triggers, key, ancestors)
        self.policies(table, what)
        self.privileges(key, ref, table, what)

    def column(
        self, table: Table, column: Column, parts: _Parts, requires: set[Key], what: str
    ) -> Column:
        """``column`` as CREATE TABLE writes it: NOT NULL when in the primary key, without
        its default when that is split out. Its requirements go to ``requires``/``parts``."""
        requires |= self.mentioned(type_refs, column.type, what)
        requires |= self.expression(column.generated, what)
        update: dict[str, object] = {}
        key = table.primary_key
        if column.nullable and key is not None and column.name in key.columns:
            update["nullable"] = False
        if column.default is not None:
            statement = render.set_default(table, column.name, column.default)
            refs = self.expression(column.default, what)
            if not parts.keep(self.split, _part_default(column.name), [statement], refs):
                update["default"] = None
        return column.model_copy(update=update) if update else column

    def checks(
        self, table: Table, parents: Sequence[Table], parts: _Parts, what: str
    ) -> tuple[list[CheckConstraint], list[str]]:
        """The checks CREATE TABLE writes inline and their comments; NOT VALID checks get
        steps of their own, split ones go to ``parts``. A partition repeats its parent's
        checks, which ATTACH PARTITION wants to find."""
        key = parts.key
        checks = list(table.checks)
        if table.partition_of is not None:
            names = {c.name for c in checks}
            inherited = inheritable_checks(parents[0], self.catalog)
            checks += [c for c in inherited if c.name not in names and not c.not_valid]
        inline: list[CheckConstraint] = []
        comments: list[str] = []
        for i, check in enumerate(checks):
            part = _part_check(check.name, i)
            refs = self.expression(check.check, what)
            comment = []
            if i < len(table.checks):
                comment = self.constraint_comment(table, check.name, check.comment, what)
            statements = [render.add_check(table, check), *comment]
            if check.not_valid:
                priority = (Phase.CONSTRAINTS, 1, table.schema_, table.name, part)
                self.add((*key, part), priority, statements, {key, *refs, *self.attachments(table)})
            elif parts.keep(self.split, part, statements, refs):
                inline.append(check)
                comments += comment
        return inline, comments

    def attachments(self, table: Table) -> set[Key]:
        """Keys of the steps that attach ``table``'s partitions."""
        return {("attach", p.schema_, p.name) for p in self.catalog.partitions(table)}

    def constraint_comment(
        self, table: Table, name: str | None, comment: str | None, what: str
    ) -> list[str]:
        if comment is None:
            return []
        if name is None:
            raise DbarchError(f"{what}: an unnamed constraint cannot have a comment")
        on = f"{quote_ident(name)} ON {qualified(table.schema_, table.name)}"
        return [comment_on("CONSTRAINT", on, comment)]

    def table_indexes(self, table: Table, what: str) -> None:
        key = relation_key(table.schema_, table.name)
        partitioned = table.partition_by is not None
        attachments = self.attachments(table)
        for item in self.index_items(table):
            kind, position = item.key[0], item.key[3]
            only = not partitioned or item.key in self.indexes.attach
            requires = {key, *attachments}
            requires |= {m.key for m in self.indexes.adopt.get(item.key, [])}
            obj = item.obj
            if isinstance(obj, PrimaryKey):
                statement = render.add_primary_key(table, obj, only)
            elif isinstance(obj, UniqueConstraint):
                statement = render.add_unique(table, obj, only)
            elif isinstance(obj, ExclusionConstraint):
                statement = render.add_exclusion(table, obj, only)
                requires |= self.expression(obj.where, what)
                for element in obj.elements:
                    requires |= self.expression(element.expression, what)
            else:
                statement = render.create_index(
                    table.schema_, table.name, obj, partitioned and only
                )
                requires |= self.index_requires(obj, what)
            if isinstance(obj, Index):
                comment = self.index_comment(table.schema_, obj.name, obj.comment, what)
            else:
                comment = self.constraint_comment(table, obj.name, obj.comment, what)
            phase = Phase.INDEXES if kind == "index" else Phase.CONSTRAINTS
            priority = (phase, 0, table.schema_, table.name, position)
            self.add(item.key, priority, [statement, *comment], requires)
            for child in self.indexes.attach.get(item.key, []):
                self.index_attach(item, child)

    def index_attach(self, parent: IndexItem, child: IndexItem) -> None:
        assert parent.name is not None and child.name is not None
        child_table = (child.key[1], child.key[2])
        requires = {parent.key, child.key, ("attach", *child_table)}
        requires |= {("index_attach", *c.key) for c in self.indexes.attach.get(child.key, [])}
        self.add(
            ("index_attach", *child.key),
            (Phase.INDEX_ATTACH, 0, child.schema, child.name, ""),
            [render.attach_index(parent.schema, parent.name, child.schema, child.name)],
            requires,
        )

    def index_requires(self, index: Index, what: str) -> frozenset[Key]:
        """What an index's expressions and predicate call."""
        keys = set(self.expression(index.where, what))
        for element in index.columns:
            if not isinstance(element, str):
                keys |= self.expression(element.expression, what)
        return frozenset(keys)

    @staticmethod
    def index_comment(schema: str, name: str | None, comment: str | None, what: str) -> list[str]:
        if comment is None:
            return []
        if name is None:
            raise DbarchError(f"{what}: an unnamed index cannot have a comment")
        return [comment_on("INDEX", qualified(schema, name), comment)]

    def foreign_keys(self, table: Table, what: str) -> None:
        key = relation_key(table.schema_, table.name)
        partitioned = table.partition_by is not None
        partition_keys: set[Key] = set()
        for partition in self.catalog.partitions(table):
            partition_keys |= {
                _foreign_key_key(partition, fk.name, i)
                for i, fk in enumerate(partition.foreign_keys)
            }
        for i, fk in enumerate(table.foreign_keys):
            ref = fk.references
            target = self.catalog.tables.get((ref.schema_, ref.table))
            requires = {key, relation_key(ref.schema_, ref.table), *partition_keys}
            if target is not None:
                requires |= self.unique_keys(target)
            fk_key = _foreign_key_key(table, fk.name, i)
            statements = [
                render.add_foreign_key(table, fk, only=not partitioned),
                *self.constraint_comment(table, fk.name, fk.comment, what),
            ]
            priority = (Phase.FOREIGN_KEYS, 0, table.schema_, table.name, fk_key[-1])
            self.add(fk_key, priority, statements, requires | self.attachments(table))

    def unique_keys(self, table: Table) -> set[Key]:
        """Steps that complete the keys and indexes a foreign key may reference."""
        keys: set[Key] = set()
        for item in self.index_items(table):
            if item.key[0] != "exclusion":
                keys.add(item.key)
                keys |= {("index_attach", *c.key) for c in self.indexes.attach.get(item.key, [])}
        return keys

    def triggers(
        self,
        schema: str,
        relation: str,
        triggers: Sequence[Trigger],
        key: Key,
        ancestors: Sequence[Table],
    ) -> None:
        """Triggers of a table or view; a partition's clone of an ancestor's row trigger
        is made by PostgreSQL and only its enabled state set here."""
        what = f"triggers of {schema}.{relation}"
        cloned: dict[str, tuple[Table, Trigger]] = {}
        for ancestor in ancestors:
            for t in ancestor.triggers:
                if t.for_each == "row":
                    cloned.setdefault(t.name, (ancestor, t))
        attached = {("attach", schema, relation)}
        attached |= {("attach", a.schema_, a.name) for a in ancestors if a.partition_of}
        for trigger in triggers:
            trigger_key = ("trigger", schema, relation, trigger.name)
            priority = (Phase.TRIGGERS, 0, schema, relation, trigger.name)
            statements = []
            origin = cloned.get(trigger.name)
            if origin is None:
                statements.append(render.create_trigger(schema, relation, trigger))
                refs = Refs(functions=frozenset({name_ref(trigger.function, what)}))
                requires = {key, *self.resolve(refs), *self.expression(trigger.when, what)}
                created_state = "origin"
            else:
                ancestor, original = origin
                requires = {("trigger", ancestor.schema_, ancestor.name, trigger.name), *attached}
                created_state = original.enabled
            if trigger.enabled != created_state:
                statements.append(render.trigger_state(schema, relation, trigger))
            if trigger.comment is not None:
                on = f"{quote_ident(trigger.name)} ON {qualified(schema, relation)}"
                statements.append(comment_on("TRIGGER", on, trigger.comment))
            self.add(trigger_key, priority, statements, requires)

    def policies(self, table: Table, what: str) -> None:
        key = relation_key(table.schema_, table.name)
        self.add(
            ("row_security", table.schema_, table.name),
            (Phase.POLICIES, 0, table.schema_, table.name, ""),
            render.row_security(table),
            [key],
        )
        for policy in table.policies:
            statements = [render.create_policy(table, policy)]
            if policy.comment is not None:
                on = f"{quote_ident(policy.name)} ON {qualified(table.schema_, table.name)}"
                statements.append(comment_on("POLICY", on, policy.comment))
            requires = {key, *self.expression(policy.using, what)}
            requires |= self.expression(policy.with_check, what)
            requires |= {("role", r) for r in policy.roles}
            self.add(
                ("policy", table.schema_, table.name, policy.name),
                (Phase.POLICIES, 1, table.schema_, table.name, policy.name),
                statements,
                requires,
            )

    # ------------------------------------------------------------------ views

    def relation_requires(self, query: str, what: str) -> frozenset[Key]:
        """What a view query needs: the objects it names and the keys of the tables it
        reads (a GROUP BY may rely on a primary key)."""
        keys = set(self.mentioned(query_refs, query, what))
        for key in list(keys):
            table = self.catalog.tables.get((key[1], key[2])) if key[0] == "relation" else None
            if table is not None:
                keys |= {
                    item.key
                    for item in self.index_items(table)
                    if item.key[0] in ("primary_key", "unique")
                }
        return frozenset(keys)

    def view(self, view: View) -> None:
        what = f"view {view.schema_}.{view.name}"
        key = relation_key(view.schema_, view.name)
        target = qualified(view.schema_, view.name)
        ref = ObjectRef("VIEW", target, "TABLE", target)
        statements = [render.create_view(view), *owner_and_comment(ref, view)]
        statements += _column_comments(target, view.column_comments)
        found = self.relation_requires(view.query, what)
        self.reads[key] = found
        requires = {*found, ("schema", view.schema_), *self.owner_roles(view)}
        requires.discard(key)
        priority = (Phase.VIEWS, _RANK["view"], view.schema_, view.name, "")
        self.add(key, priority, statements, requires)
        if any(t.enabled != "origin" for t in view.triggers):
            raise DbarchError(f"{what}: triggers on a view cannot be disabled")
        self.triggers(view.schema_, view.name, view.triggers, key, [])
        self.privileges(key, ref, view, what)

    def matview(self, matview: MaterializedView) -> None:
        what = f"materialized view {matview.schema_}.{matview.name}"
        key = relation_key(matview.schema_, matview.name)
        target = qualified(matview.schema_, matview.name)
        ref = ObjectRef("MATERIALIZED VIEW", target, "TABLE", target)
        statements = [render.create_matview(matview), *owner_and_comment(ref, matview)]
        statements += _column_comments(target, matview.column_comments)
        found = self.relation_requires(matview.query, what)
        self.reads[key] = found
        requires = {*found, ("schema", matview.schema_), *self.owner_roles(matview)}
        requires.discard(key)
        priority = (Phase.VIEWS, _RANK["matview"], matview.schema_, matview.name, "")
        self.add(key, priority, statements, requires)
        for i, index in enumerate(matview.indexes):
            index_key = ("index", matview.schema_, matview.name, index.name or f"#{i}")
            statements = [render.create_index(matview.schema_, matview.name, index, False)]
            statements += self.index_comment(matview.schema_, index.name, index.comment, what)
            self.add(
                index_key,
                (Phase.INDEXES, 1, matview.schema_, matview.name, index_key[-1]),
                statements,
                {key, *self.index_requires(index, what)},
            )
        self.privileges(key, ref, matview, what)

    def refresh(self, matview: MaterializedView) -> None:
        """REFRESH after the materialized views it reads, directly or through views."""
        key = relation_key(matview.schema_, matview.name)
        seen: set[Key] = set()
        todo = list(self.reads[key])
        while todo:
            read = todo.pop()
            if read not in seen:
                seen.add(read)
                todo.extend(self.reads.get(read, ()))
        self.add(
            ("refresh", *key),
            (Phase.REFRESH, 0, matview.schema_, matview.name, ""),
            [render.refresh_matview(matview)],
            {key, *(("refresh", *k) for k in seen if k != key)},
        )


def _foreign_key_key(table: Table, name: str | None, position: int) -> Key:
    return ("foreign_key", table.schema_, table.name, name if name is not None else f"#{position}")


def _column_comments(target: str, comments: dict[str, str]) -> list[str]:
    return [
        comment_on("COLUMN", f"{target}.{quote_ident(name)}", text)
        for name, text in sorted(comments.items())
    ]
