"""The JSON Schema (draft 2020-12) of the model file format, for editors and validators.

It is pydantic's schema of :class:`Schema` with a description on every object and key,
and string keys that also take numbers and booleans, as the loader does (``default: 0``
is the SQL text ``0``).
"""

from __future__ import annotations

from typing import Any

from dbarch.model import objects
from dbarch.model.loader import SCHEMA_KEY
from dbarch.model.objects import Schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODEL_SCHEMA_ID = "urn:dbarch:model:1"
TITLE = "dbarch model"

_MODEL_DOCS = {
    "ExclusionConstraint": "EXCLUDE USING method (element WITH operator, ...): no two rows "
    "may match on all elements.",
    "ForeignKey": "A FOREIGN KEY: columns of this table that reference a key of another.",
    "Index": "An index; columns are column names or elements with options.",
    "MaterializedView": "CREATE MATERIALIZED VIEW; query is the SELECT.",
    "PrimaryKey": "The PRIMARY KEY of a table; its columns become NOT NULL.",
    "Schema": "A dbarch model: the database schema as code.",
    "UniqueConstraint": "A UNIQUE constraint.",
    "Volatility": "VOLATILE, STABLE (same result within a statement) or IMMUTABLE.",
}

# Descriptions by key, for every object that has the key...
_KEY_DOCS = {
    "name": "The name, as written (unquoted; rendering quotes it when needed).",
    "schema": "The schema (namespace) the object lives in.",
    "comment": "COMMENT ON the object: what it is for.",
    "owner": "The owning role; left out, the role running the DDL owns it.",
    "grants": "Privileges granted beyond PostgreSQL's defaults, in ACL order.",
    "revokes": "Default privileges taken away (e.g. EXECUTE from PUBLIC on a function).",
    "type": "The data type as SQL: integer, varchar(255), timestamptz, text[]...",
    "nullable": "false adds NOT NULL.",
    "default": "The DEFAULT expression as SQL text, e.g. now() or 'pending'.",
    "collation": "COLLATE name.",
    "columns": "Column names, in key order.",
    "include": "Non-key columns stored in the index (INCLUDE).",
    "deferrable": "DEFERRABLE: the check may wait until the end of the transaction.",
    "initially_deferred": "INITIALLY DEFERRED (with deferrable).",
    "not_valid": "NOT VALID: existing rows are not checked.",
    "check": "The boolean SQL expression.",
    "where": "WHERE predicate as SQL (a partial index or constraint).",
    "using": "The access method.",
    "with": "Storage parameters (WITH (...)), name: value.",
    "expression": "An SQL expression instead of a column.",
    "opclass": "The operator class, e.g. jsonb_path_ops or text_pattern_ops.",
    "column": "A column name.",
    "query": "The SELECT statement.",
    "column_comments": "COMMENT ON COLUMN for the view's columns, name: text.",
    "triggers": "Triggers on this relation.",
    "indexes": "Indexes.",
    "arguments": "The argument list as SQL, e.g. 'a integer, b text DEFAULT NULL'.",
    "parallel": "PARALLEL safety.",
    "start": "START WITH.",
    "increment": "INCREMENT BY.",
    "min_value": "MINVALUE.",
    "max_value": "MAXVALUE.",
    "cache": "CACHE: values pre-allocated per session.",
    "cycle": "CYCLE: wrap around at the limit.",
    "values": "The labels, in sort order.",
    "unique": "UNIQUE.",
    "primary_key": "The primary key.",
    "nulls_not_distinct": "NULLS NOT DISTINCT: NULLs count as equal (PostgreSQL 15+).",
    "ignore": "Codes (or names) of dbarch check rules not to report here; model only.",
}

# ...and where a key means something particular: "Model.key".
_FIELD_DOCS = {
    "Schema.naming": "Templates for the names of constraints and indexes left unnamed.",
    "Schema.roles": "Roles the objects refer to (owners, grantees, policy targets).",
    "Schema.schemas": "Schemas other than public (and public when it differs from default).",
    "Schema.extensions": "Extensions to install (CREATE EXTENSION).",
    "Schema.enums": "Enum types.",
    "Schema.domains": "Domains: a base type with constraints.",
    "Schema.composite_types": "Composite types.",
    "Schema.sequences": "Standalone sequences.",
    "Schema.tables": "Tables, partitioned tables and partitions.",
    "Schema.views": "Views.",
    "Schema.materialized_views": "Materialized views.",
    "Schema.functions": "Functions and procedures.",
    "Schema.aggregates": "Aggregates.",
    "NamingConvention.primary_key": "Name template of primary keys.",
    "NamingConvention.foreign_key": "Name template of foreign keys.",
    "NamingConvention.unique": "Name template of unique constraints.",
    "NamingConvention.check": "Name template of check constraints; {columns} are the "
    "columns the expression mentions.",
    "NamingConvention.exclusion": "Name template of exclusion constraints.",
    "NamingConvention.index": "Name template of indexes; an expression key adds its "
    "function and column names to {columns}.",
    "Role.login": "LOGIN.",
    "Role.superuser": "SUPERUSER.",
    "Role.createdb": "CREATEDB.",
    "Role.createrole": "CREATEROLE.",
    "Role.inherit": "INHERIT: the role uses the privileges of roles it is a member of.",
    "Role.replication": "REPLICATION.",
    "Role.bypassrls": "BYPASSRLS: row-level security does not apply.",
    "Role.connection_limit": "CONNECTION LIMIT; -1 for none.",
    "Role.member_of": "Roles this role is a member of (GRANT role TO this).",
    "Grant.to": "The grantee role, or PUBLIC.",
    "Grant.privileges": "Privilege keywords: SELECT, INSERT, UPDATE, USAGE, EXECUTE...",
    "Grant.columns": "Restricts a table grant to these columns.",
    "Grant.grant_option": "WITH GRANT OPTION.",
    "Extension.schema": "The schema the extension's objects are created in.",
    "Extension.version": "The extension version; left out, the default version.",
    "Domain.checks": "CHECK constraints of the domain.",
    "DomainCheck.check": "The boolean SQL expression; VALUE is the value checked.",
    "CompositeType.attributes": "The attributes, in order.",
    "Sequence.type": "smallint, integer or bigint.",
    "Sequence.owned_by": "table.column (schema.table.column) whose drop drops the sequence.",
    "Identity.type": "The identity sequence's type: smallint, integer or bigint.",
    "Identity.generation": "GENERATED ALWAYS or BY DEFAULT AS IDENTITY.",
    "Identity.sequence": "The backing sequence's name when not <table>_<column>_seq.",
    "Column.identity": "GENERATED ... AS IDENTITY with its sequence options.",
    "Column.generated": "GENERATED ALWAYS AS (expression) STORED.",
    "Column.primary_key": "Shorthand: the column is (part of) the table's primary key.",
    "Column.unique": "Shorthand: a unique constraint on this column alone.",
    "Column.references": "Shorthand foreign key: table (its one-column primary key), "
    "table.column, schema.table.column, or {table, columns, schema}.",
    "Reference.table": "The referenced table.",
    "Reference.columns": "The referenced columns: its primary key or a unique key.",
    "ForeignKey.references": "The referenced table and columns.",
    "ForeignKey.on_delete": "ON DELETE action.",
    "ForeignKey.on_update": "ON UPDATE action.",
    "ForeignKey.match_full": "MATCH FULL instead of MATCH SIMPLE.",
    "CheckConstraint.no_inherit": "NO INHERIT: not applied to child tables.",
    "IndexElement.descending": "DESC.",
    "IndexElement.nulls_first": "NULLS FIRST (true) or LAST (false); left out, the default.",
    "ExclusionElement.operator": "The operator two rows must not both satisfy, e.g. && or =.",
    "ExclusionConstraint.elements": "The elements compared.",
    "ExclusionConstraint.using": "The index method; gist unless told.",
    "Index.columns": "The index keys: column names, or elements with options.",
    "Index.unique": "A UNIQUE index.",
    "Index.using": "The index method: btree, hash, gin, gist, brin, spgist...",
    "PartitionBy.strategy": "range, list or hash.",
    "PartitionBy.key": "The partition key, as inside PARTITION BY strategy (...).",
    "Policy.command": "The command the policy applies to.",
    "Policy.permissive": "PERMISSIVE (true) or RESTRICTIVE (false).",
    "Policy.roles": "The roles the policy applies to.",
    "Policy.using": "USING expression: which existing rows are visible.",
    "Policy.with_check": "WITH CHECK expression: which new rows are allowed.",
    "Trigger.timing": "BEFORE, AFTER or INSTEAD OF.",
    "Trigger.events": "The events that fire it.",
    "Trigger.update_of": "UPDATE OF these columns only.",
    "Trigger.for_each": "FOR EACH ROW or STATEMENT.",
    "Trigger.when": "WHEN condition as SQL.",
    "Trigger.function": "The trigger function, possibly schema-qualified.",
    "Trigger.arguments": "Arguments passed to the function (TG_ARGV).",
    "Trigger.referencing_old": "REFERENCING OLD TABLE AS name.",
    "Trigger.referencing_new": "REFERENCING NEW TABLE AS name.",
    "Trigger.constraint": "A CONSTRAINT trigger.",
    "Trigger.enabled": "ENABLE (origin), DISABLE, ENABLE REPLICA or ENABLE ALWAYS.",
    "Table.unlogged": "UNLOGGED: not written to the WAL, emptied after a crash.",
    "Table.columns": "The columns, in order.",
    "Table.unique": "UNIQUE constraints.",
    "Table.checks": "CHECK constraints.",
    "Table.foreign_keys": "FOREIGN KEY constraints.",
    "Table.exclusions": "EXCLUDE constraints.",
    "Table.partition_by": "Makes the table partitioned: PARTITION BY.",
    "Table.partition_of": "Makes the table a partition of this partitioned table.",
    "Table.partition_bound": "The partition's bound: FOR VALUES ... or DEFAULT.",
    "Table.inherits": "Parent tables (INHERITS).",
    "Table.row_security": "ENABLE ROW LEVEL SECURITY.",
    "Table.force_row_security": "FORCE ROW LEVEL SECURITY: applies to the owner too.",
    "Table.policies": "Row-level security policies.",
    "Table.functional_dependencies": "Functional dependencies between the columns, for the "
    "normal-form checks; model only.",
    "FunctionalDependency.lhs": "Determining columns; empty: the rhs columns are constant.",
    "FunctionalDependency.rhs": "Determined columns.",
    "View.check_option": "WITH LOCAL|CASCADED CHECK OPTION.",
    "View.security_barrier": "security_barrier option.",
    "View.security_invoker": "security_invoker option: permissions of the caller.",
    "Function.kind": "A function or a procedure.",
    "Function.returns": "The result type as SQL; none for a procedure.",
    "Function.language": "The language: plpgsql, sql...",
    "Function.body": "The source text (AS $$...$$).",
    "Function.sql_body": "A SQL-standard body: BEGIN ATOMIC ... END or RETURN ....",
    "Function.volatility": "VOLATILE, STABLE or IMMUTABLE.",
    "Function.strict": "STRICT: NULL in, NULL out.",
    "Function.security_definer": "SECURITY DEFINER: runs with the owner's privileges.",
    "Function.leakproof": "LEAKPROOF.",
    "Function.cost": "COST.",
    "Function.rows": "ROWS: estimated rows of a set-returning function.",
    "Function.config": "SET clauses, e.g. search_path: pg_catalog, public.",
    "Aggregate.sfunc": "The state transition function.",
    "Aggregate.stype": "The state data type.",
    "Aggregate.finalfunc": "The final function.",
    "Aggregate.combinefunc": "The combine function (parallel aggregation).",
    "Aggregate.initcond": "The initial state.",
    "Aggregate.sortop": "The sort operator (for min/max-like aggregates).",
}

_LENIENT = ["string", "number", "boolean"]


def _describe(name: str, definition: dict[str, Any]) -> None:
    model = getattr(objects, name)
    own_doc = model.__dict__.get("__doc__")
    if name in _MODEL_DOCS or not own_doc:
        definition["description"] = _MODEL_DOCS[name]
    for key, prop in definition.get("properties", {}).items():
        prop.pop("title", None)
        doc = _FIELD_DOCS.get(f"{name}.{key}") or _KEY_DOCS.get(key)
        if doc:
            prop["description"] = doc


def _lenient(node: Any) -> Any:
    """Plain string schemas also take numbers and booleans, as the loader does."""
    if isinstance(node, dict):
        if node.get("type") == "string" and set(node) <= {"type", "description"}:
            return {**node, "type": _LENIENT}
        return {key: _lenient(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_lenient(item) for item in node]
    return node


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a model file, with keys in a fixed order."""
    raw = Schema.model_json_schema(by_alias=True, mode="validation")
    definitions = raw.pop("$defs")
    for name, definition in definitions.items():
        _describe(name, definition)
    _describe("Schema", raw)
    raw, definitions = _lenient(raw), _lenient(definitions)
    return {
        "$schema": DIALECT,
        "$id": MODEL_SCHEMA_ID,
        "title": TITLE,
        "description": raw["description"],
        "type": "object",
        "properties": {
            SCHEMA_KEY: {"type": "string", "description": "A JSON Schema reference; ignored."},
            **raw["properties"],
        },
        "additionalProperties": False,
        "$defs": {name: definitions[name] for name in sorted(definitions)},
    }
