"""The Schema: plain, immutable data describing a PostgreSQL database schema.

Conventions every producer (model files, catalog introspection) and every consumer
(DDL, checks, docs, diff) relies on:

* **Names** (``name``, ``schema``, column names, role names) are raw identifiers, never
  quoted: ``Order Items`` is a name with a space. Rendering quotes them.
* **SQL fragments** (``type``, ``default``, ``expression``, ``check``, ``where``,
  ``using``, view ``query``, function ``body``, partition ``bound``...) are kept verbatim
  and pasted into DDL as written. Their canonical form is what PostgreSQL's own
  deparsers print (``format_type``, ``pg_get_expr``, ``pg_get_viewdef``) with
  ``search_path = public, pg_catalog``: objects in ``public`` are unqualified, others
  qualified.
* **Defaults are left out** when dumping (``exclude_defaults``): a nullable column has no
  ``nullable`` key, a table in ``public`` no ``schema`` key.
* **Order is meaning** only where PostgreSQL gives it meaning (columns, enum labels, key
  columns, grant order); everything else is sorted canonically by :func:`canonical`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dbarch.spelling import did_you_mean

DEFAULT_SCHEMA = "public"

RenamedFrom = Annotated[
    str | None,
    Field(
        description="The name this object had before: the diff renames it instead of "
        "dropping and re-creating it. Model only; a database never reports it."
    ),
]


class Node(BaseModel):
    """Base of every model object: immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("comment", mode="before", check_fields=False)
    @classmethod
    def _empty_comment_is_none(cls, value: object) -> object:
        """PostgreSQL drops a comment set to '' — so an empty comment is no comment."""
        return None if value == "" else value


# --------------------------------------------------------------------------- privileges


class Grant(Node):
    """Privileges given to one role (``PUBLIC`` for everyone) on the enclosing object.

    ``privileges`` are upper-case keywords (``SELECT``, ``INSERT``, ``USAGE``,
    ``EXECUTE``...); ``columns`` restricts a table grant to those columns.
    """

    to: str
    privileges: tuple[str, ...]
    columns: tuple[str, ...] = ()
    grant_option: bool = False


class Privileged(Node):
    """Mixin for objects that have an owner, an ACL and a comment.

    ``owner`` is omitted when the object belongs to the role that runs the DDL.
    ``grants`` are the ACL entries beyond PostgreSQL's built-in default for the object
    kind, in ACL order; ``revokes`` are built-in default entries that were taken away
    (e.g. ``EXECUTE`` from ``PUBLIC`` on a function). ``ignore`` lists the codes (or
    names) of ``dbarch check`` rules not to report on this object and its parts; like
    every ``ignore`` field it lives in the model file only, never in the database (a
    ``dbarch:ignore CODE`` note in the comment does that).
    """

    owner: str | None = None
    grants: tuple[Grant, ...] = ()
    revokes: tuple[Grant, ...] = ()
    comment: str | None = None
    ignore: tuple[str, ...] = ()


# --------------------------------------------------------------------------- cluster


class Role(Node):
    """A role the schema's objects refer to (owner, grantee, policy target)."""

    name: str
    login: bool = False
    superuser: bool = False
    createdb: bool = False
    createrole: bool = False
    inherit: bool = True
    replication: bool = False
    bypassrls: bool = False
    connection_limit: int = -1
    member_of: tuple[str, ...] = ()
    comment: str | None = None


class SchemaDef(Privileged):
    """A namespace. ``public`` is listed only when it differs from a fresh database's."""

    name: str
    renamed_from: RenamedFrom = None


class Extension(Node):
    """An installed extension; ``schema`` is where its objects live."""

    name: str
    schema_: str | None = Field(default=None, alias="schema")
    version: str | None = None


# --------------------------------------------------------------------------- types


class EnumType(Privileged):
    """``CREATE TYPE name AS ENUM (...)``; ``values`` in sort order."""

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    values: tuple[str, ...]


class DomainCheck(Node):
    """A named CHECK constraint of a domain; ``check`` uses ``VALUE``."""

    name: str | None = None
    check: str
    not_valid: bool = False
    comment: str | None = None


class Domain(Privileged):
    """``CREATE DOMAIN`` over a base ``type``."""

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    type: str
    nullable: bool = True
    default: str | None = None
    collation: str | None = None
    checks: tuple[DomainCheck, ...] = ()


class Attribute(Node):
    """One attribute of a composite type."""

    name: str
    type: str
    collation: str | None = None
    comment: str | None = None


class CompositeType(Privileged):
    """``CREATE TYPE name AS (...)``."""

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    attributes: tuple[Attribute, ...]


# --------------------------------------------------------------------------- sequences


class SequenceOptions(Node):
    """Sequence parameters; ``None`` means PostgreSQL's default for the data type."""

    type: str | None = None
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False


class Sequence(Privileged):
    """A standalone sequence; ``owned_by`` is ``table.column`` of a table in the
    sequence's own schema (PostgreSQL refuses OWNED BY across schemas)."""

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    type: str | None = None
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False
    owned_by: str | None = None


# --------------------------------------------------------------------------- tables


class Identity(SequenceOptions):
    """``GENERATED ALWAYS|BY DEFAULT AS IDENTITY``; ``sequence`` names the backing
    sequence when it is not the default ``<table>_<column>_seq``."""

    generation: Literal["always", "by_default"] = "by_default"
    sequence: str | None = None


class Reference(Node):
    """The target of a foreign key."""

    table: str
    columns: tuple[str, ...]
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")


class Column(Node):
    """A table column. ``generated`` is the expression of a STORED generated column."""

    name: str
    renamed_from: RenamedFrom = None
    type: str
    nullable: bool = True
    default: str | None = None
    identity: Identity | None = None
    generated: str | None = None
    collation: str | None = None
    comment: str | None = None
    ignore: tuple[str, ...] = ()
    # shorthands, expanded into table-level constraints when a model file is loaded;
    # ``references`` is ``table``, ``table.column``, ``schema.table.column`` or a Reference
    primary_key: bool = False
    unique: bool = False
    references: str | Reference | None = None

    @field_validator(
        "identity",
        mode="before",
        json_schema_input_type=Identity | Literal["always", "by_default"] | None,
    )
    @classmethod
    def _identity_shorthand(cls, value: object) -> object:
        """``identity: always`` (or ``by_default``) is short for ``{generation: always}``."""
        if not isinstance(value, str):
            return value
        if value in ("always", "by_default"):
            return {"generation": value}
        raise ValueError(
            f"expected always, by_default or a mapping of identity options, got '{value}'"
            + did_you_mean(value, ("always", "by_default"))
        )


class PrimaryKey(Node):
    name: str | None = None
    renamed_from: RenamedFrom = None
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None
    ignore: tuple[str, ...] = ()


class UniqueConstraint(Node):
    name: str | None = None
    renamed_from: RenamedFrom = None
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()
    nulls_not_distinct: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None
    ignore: tuple[str, ...] = ()


class CheckConstraint(Node):
    """``check`` is the boolean expression (PostgreSQL prints it parenthesised)."""

    name: str | None = None
    renamed_from: RenamedFrom = None
    check: str
    no_inherit: bool = False
    not_valid: bool = False
    comment: str | None = None
    ignore: tuple[str, ...] = ()


FkAction = Literal["no action", "restrict", "cascade", "set null", "set default"]


class ForeignKey(Node):
    name: str | None = None
    renamed_from: RenamedFrom = None
    columns: tuple[str, ...]
    references: Reference
    on_delete: FkAction = "no action"
    on_update: FkAction = "no action"
    match_full: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    not_valid: bool = False
    comment: str | None = None
    ignore: tuple[str, ...] = ()


class IndexElement(Node):
    """One key of an index: a ``column`` name or an ``expression``."""

    column: str | None = None
    expression: str | None = None
    opclass: str | None = None
    collation: str | None = None
    descending: bool = False
    nulls_first: bool | None = None  # None: the default for the direction


IndexKey = IndexElement | str  # a plain string is a column with no options


class ExclusionElement(Node):
    """``element WITH operator`` of an exclusion constraint."""

    column: str | None = None
    expression: str | None = None
    opclass: str | None = None
    operator: str


class ExclusionConstraint(Node):
    name: str | None = None
    renamed_from: RenamedFrom = None
    using: str = "gist"
    elements: tuple[ExclusionElement, ...]
    include: tuple[str, ...] = ()
    where: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None
    ignore: tuple[str, ...] = ()


IndexMethod = Literal["btree", "hash", "gin", "gist", "brin", "spgist"] | str


class Index(Node):
    name: str | None = None
    renamed_from: RenamedFrom = None
    columns: tuple[IndexKey, ...]
    using: IndexMethod = "btree"
    unique: bool = False
    nulls_not_distinct: bool = False
    include: tuple[str, ...] = ()
    where: str | None = None
    with_: dict[str, str] = Field(default_factory=dict, alias="with")
    comment: str | None = None
    ignore: tuple[str, ...] = ()


class PartitionBy(Node):
    """``PARTITION BY strategy (key)``; ``key`` is the text inside the parentheses."""

    strategy: Literal["range", "list", "hash"]
    key: str


class Policy(Node):
    """A row-level-security policy."""

    name: str
    renamed_from: RenamedFrom = None
    command: Literal["all", "select", "insert", "update", "delete"] = "all"
    permissive: bool = True
    roles: tuple[str, ...] = ("PUBLIC",)
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None
    ignore: tuple[str, ...] = ()


TriggerEvent = Literal["insert", "update", "delete", "truncate"]


class Trigger(Node):
    """A trigger; ``function`` is the (possibly qualified) trigger function name."""

    name: str
    renamed_from: RenamedFrom = None
    timing: Literal["before", "after", "instead of"]
    events: tuple[TriggerEvent, ...]
    update_of: tuple[str, ...] = ()
    for_each: Literal["row", "statement"] = "statement"
    when: str | None = None
    function: str
    arguments: tuple[str, ...] = ()
    referencing_old: str | None = None
    referencing_new: str | None = None
    constraint: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    enabled: Literal["origin", "disabled", "replica", "always"] = "origin"
    comment: str | None = None
    ignore: tuple[str, ...] = ()


class FunctionalDependency(Node):
    """``lhs -> rhs`` between columns of the enclosing table: rows that agree on every
    ``lhs`` column agree on every ``rhs`` column. Declared by the designer (PostgreSQL does
    not store it); an empty ``lhs`` declares the ``rhs`` columns constant."""

    lhs: tuple[str, ...] = ()
    rhs: tuple[str, ...]


class Table(Privileged):
    """A table, a partitioned table or a partition.

    ``functional_dependencies`` are model-only: the normal-form checks read them.
    """

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    unlogged: bool = False
    columns: tuple[Column, ...] = ()
    primary_key: PrimaryKey | None = None
    unique: tuple[UniqueConstraint, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    exclusions: tuple[ExclusionConstraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    partition_by: PartitionBy | None = None
    partition_of: str | None = None
    partition_bound: str | None = None
    inherits: tuple[str, ...] = ()
    with_: dict[str, str] = Field(default_factory=dict, alias="with")
    row_security: bool = False
    force_row_security: bool = False
    policies: tuple[Policy, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    functional_dependencies: tuple[FunctionalDependency, ...] = ()

    @field_validator(
        "primary_key", mode="before", json_schema_input_type=PrimaryKey | list[str] | None
    )
    @classmethod
    def _primary_key_shorthand(cls, value: object) -> object:
        """``primary_key: [a, b]`` is short for ``{columns: [a, b]}``."""
        return {"columns": value} if isinstance(value, list | tuple) else value


# --------------------------------------------------------------------------- views


class View(Privileged):
    """``CREATE VIEW``; ``query`` is the SELECT (as ``pg_get_viewdef`` prints it)."""

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    query: str
    check_option: Literal["local", "cascaded"] | None = None
    security_barrier: bool = False
    security_invoker: bool = False
    column_comments: dict[str, str] = Field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()


class MaterializedView(Privileged):
    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    query: str
    indexes: tuple[Index, ...] = ()
    with_: dict[str, str] = Field(default_factory=dict, alias="with")
    column_comments: dict[str, str] = Field(default_factory=dict)


# --------------------------------------------------------------------------- routines


class Volatility(StrEnum):
    volatile = "volatile"
    stable = "stable"
    immutable = "immutable"


class Function(Privileged):
    """A function or procedure.

    ``arguments`` is the argument list as ``pg_get_function_arguments`` prints it
    (modes, names, types, defaults); ``returns`` as ``pg_get_function_result``
    (``None`` for a procedure). ``body`` is the source text (``AS $$...$$``);
    ``sql_body`` a SQL-standard body (``BEGIN ATOMIC ... END`` or ``RETURN ...``).
    ``config`` holds ``SET`` clauses, e.g. ``{"search_path": "pg_catalog, public"}``.
    """

    name: str
    renamed_from: RenamedFrom = None
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    kind: Literal["function", "procedure"] = "function"
    arguments: str = ""
    returns: str | None = None
    language: str = "plpgsql"
    body: str | None = None
    sql_body: str | None = None
    volatility: Volatility = Volatility.volatile
    strict: bool = False
    security_definer: bool = False
    leakproof: bool = False
    parallel: Literal["unsafe", "restricted", "safe"] = "unsafe"
    cost: float | None = None
    rows: float | None = None
    config: dict[str, str] = Field(default_factory=dict)


class Aggregate(Privileged):
    """``CREATE AGGREGATE name(arguments) (SFUNC = ..., STYPE = ...)``."""

    name: str
    schema_: str = Field(default=DEFAULT_SCHEMA, alias="schema")
    arguments: str
    sfunc: str
    stype: str
    finalfunc: str | None = None
    combinefunc: str | None = None
    initcond: str | None = None
    sortop: str | None = None
    parallel: Literal["unsafe", "restricted", "safe"] = "unsafe"


# --------------------------------------------------------------------------- naming


class NamingConvention(Node):
    """Templates for names a model leaves out. Placeholders: ``{table}``,
    ``{columns}`` (joined with ``_``), ``{ref_table}``."""

    primary_key: str = "pk_{table}_{columns}"
    foreign_key: str = "fk_{table}_{columns}"
    unique: str = "uq_{table}_{columns}"
    check: str = "chk_{table}_{columns}"
    exclusion: str = "excl_{table}_{columns}"
    index: str = "idx_{table}_{columns}"


# --------------------------------------------------------------------------- schema


class Schema(Node):
    """A whole database schema: the one structure every part of dbarch shares."""

    naming: NamingConvention = Field(default_factory=NamingConvention)
    roles: tuple[Role, ...] = ()
    schemas: tuple[SchemaDef, ...] = ()
    extensions: tuple[Extension, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    composite_types: tuple[CompositeType, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    materialized_views: tuple[MaterializedView, ...] = ()
    functions: tuple[Function, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()

    def table(self, name: str, schema: str = DEFAULT_SCHEMA) -> Table | None:
        """The table ``schema.name``, or ``None``."""
        for t in self.tables:
            if t.name == name and t.schema_ == schema:
                return t
        return None
