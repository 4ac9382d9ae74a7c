"""A Schema's objects and what depends on what, in the keys of its DDL steps.

The diff orders its work with the dependency graph :mod:`dbarch.ddl` already builds
for a Schema: every DDL step has a key (``("relation", schema, name)``,
``("foreign_key", schema, table, name)``...) and the keys it requires. Each step
belongs to one *object*: a role, schema, extension, type, routine or relation (whose
indexes, keys, triggers, policies, partition attachment and privileges are steps of
their own). Inline CHECK constraints live inside the table's step; they get the key
``("relation", schema, table, "check:name")``, the one DDL gives a NOT VALID check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from dbarch.ddl import ordered_steps as ordered_ddl_steps
from dbarch.ddl.lookup import Catalog, Key, aggregate_key, function_key, relation_key, type_key
from dbarch.ddl.order import Step as DdlStep
from dbarch.model.objects import (
    Aggregate,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    MaterializedView,
    Node,
    Role,
    Schema,
    SchemaDef,
    Sequence,
    Table,
    View,
)

TopObject = (
    Role
    | SchemaDef
    | Extension
    | EnumType
    | Domain
    | CompositeType
    | Sequence
    | Table
    | View
    | MaterializedView
    | Function
    | Aggregate
)

# ddl step kinds that belong to a relation's object, keyed by the relation's schema and name
_RELATION_PARTS = {"attach", "owned_by", "row_security"}
# ddl step kinds of a table's pieces: (kind, schema, table, name)
PIECE_KINDS = ("primary_key", "unique", "exclusion", "index", "foreign_key", "trigger", "policy")


# a partitioned table's keys, indexes and foreign keys are built after the partitions'
# (so that they adopt them): an order of creation, not a dependency a drop must respect
_BUILT_AFTER_PARTITIONS = frozenset({"primary_key", "unique", "exclusion", "index", "foreign_key"})


def _partitions_part(key: Key, required: Key) -> bool:
    """True when ``required`` is an index item, foreign key or attachment of another table
    (a partition) that the partitioned table's item ``key`` is built after."""
    kinds = (*_BUILT_AFTER_PARTITIONS, "attach")
    return required[0] in kinds and required[1:3] != key[1:3]


def check_key(schema: str, table: str, name: str) -> Key:
    """Key of a table's CHECK constraint (inline or NOT VALID alike)."""
    return (*relation_key(schema, table), f"check:{name}")


def owner(key: Key) -> Key:
    """The key of the object a DDL step belongs to."""
    kind = key[0]
    if kind == "privileges":
        return owner(key[1:])
    if kind == "membership":
        return ("role", key[1])
    if kind == "split":
        return owner(key[1:-1])
    if kind in _RELATION_PARTS:
        return relation_key(key[1], key[2])
    if kind == "index_attach":
        return owner(key[1:])
    if kind == "refresh":
        return key[1:]
    if kind in PIECE_KINDS:
        return relation_key(key[1], key[2])
    if kind in ("relation", "type") and len(key) > 3:
        return key[:3]
    return key


def label(key: Key) -> str:
    """A key for people: ``relation public.t``, ``function public.f(integer)``."""
    kind, *rest = key
    if kind in ("function", "aggregate", "role", "schema", "extension"):
        return f"{kind} {'.'.join(rest)}"
    if len(rest) >= 3:
        return f"{kind.replace('_', ' ')} {rest[2]} of {rest[0]}.{rest[1]}"
    return f"{'type' if kind == 'type' else kind} {'.'.join(rest)}"


def object_key(obj: TopObject) -> Key:
    """The key of the step that creates ``obj``."""
    if isinstance(obj, Role):
        return ("role", obj.name)
    if isinstance(obj, SchemaDef):
        return ("schema", obj.name)
    if isinstance(obj, Extension):
        return ("extension", obj.name)
    if isinstance(obj, (EnumType, Domain, CompositeType)):
        return type_key(obj.schema_, obj.name)
    if isinstance(obj, Function):
        return function_key(obj)
    if isinstance(obj, Aggregate):
        return aggregate_key(obj)
    return relation_key(obj.schema_, obj.name)


def top_objects(schema: Schema) -> list[TopObject]:
    """Every object of ``schema`` that DDL creates with a step of its own."""
    return [
        *schema.roles,
        *schema.schemas,
        *schema.extensions,
        *schema.enums,
        *schema.domains,
        *schema.composite_types,
        *schema.sequences,
        *schema.tables,
        *schema.views,
        *schema.materialized_views,
        *schema.functions,
        *schema.aggregates,
    ]


class Graph:
    """The DDL steps of one Schema, grouped by object, with their dependencies.

    A table's column defaults and inline checks get keys of their own
    (``("relation", schema, table, "default:column")``, ``... "check:name"``) requiring
    what their expressions refer to, so that the table itself does not.
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.catalog = Catalog(schema)
        self.steps: tuple[DdlStep, ...] = tuple(ordered_ddl_steps(schema))
        self.by_key: dict[Key, DdlStep] = {s.key: s for s in self.steps}
        self.objects: dict[Key, TopObject] = {object_key(o): o for o in top_objects(schema)}
        self.owned: dict[Key, list[DdlStep]] = defaultdict(list)
        for step in self.steps:
            self.owned[owner(step.key)].append(step)
        self.requires: dict[Key, frozenset[Key]] = {}
        self.parts: dict[Key, list[Key]] = defaultdict(list)  # a table's defaults and checks
        for step in self.steps:
            if step.key[0] in _BUILT_AFTER_PARTITIONS:
                self.requires[step.key] = frozenset(
                    k for k in step.all_requirements() if not _partitions_part(step.key, k)
                )
                continue
            if step.key[0] != "relation" or len(step.key) != 3:
                self.requires[step.key] = step.all_requirements()
                continue
            self.requires[step.key] = step.requires - {step.key}
            for part, refs in step.soft.items():
                self.requires[(*step.key, part)] = refs | {step.key}
                self.parts[step.key].append((*step.key, part))

    def keys_of(self, obj: Key) -> frozenset[Key]:
        """The step keys that belong to object ``obj`` (its defaults and checks included)."""
        return frozenset({s.key for s in self.owned.get(obj, ())} | set(self.parts.get(obj, ())))

    def dependents(self, keys: Iterable[Key]) -> frozenset[Key]:
        """Step keys that require any of ``keys`` directly (excluding ``keys``)."""
        wanted = frozenset(keys)
        return frozenset(
            key for key, needs in self.requires.items() if needs & wanted and key not in wanted
        )


def model_object(obj: Node) -> Node:
    """``obj`` without the model-only fields that never reach a database."""
    return _strip(obj)


_MODEL_ONLY = ("renamed_from", "ignore", "functional_dependencies")


def _strip(value: object) -> object:
    if isinstance(value, Node):
        update = {
            name: _strip(getattr(value, name))
            for name in type(value).model_fields
            if name not in _MODEL_ONLY
        }
        for name in _MODEL_ONLY:
            if name in type(value).model_fields:
                update[name] = type(value).model_fields[name].get_default()
        return value.model_copy(update=update)
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    return value
