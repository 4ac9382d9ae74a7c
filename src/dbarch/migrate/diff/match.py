"""Which object of the old Schema each object of the new one is: same key, or declared
``renamed_from``. Undeclared drop + create pairs that look alike are *possible renames*:
reported, never applied."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from dbarch.ddl.lookup import Key
from dbarch.errors import DbarchError
from dbarch.migrate.diff.graph import Graph, TopObject, model_object, object_key
from dbarch.model.objects import Node, SchemaDef

T = TypeVar("T", bound=Node)


class RenameError(DbarchError):
    """A declared ``renamed_from`` that names nothing, or two objects claiming one name."""


@dataclass(frozen=True)
class Matching:
    """Old and new top-level objects paired up."""

    pairs: tuple[tuple[TopObject, TopObject], ...]
    dropped: tuple[TopObject, ...]
    created: tuple[TopObject, ...]
    schema_renames: dict[str, str]  # new schema name -> old schema name


def _renamed_key(obj: TopObject, schema_renames: dict[str, str]) -> Key:
    """The key ``obj`` had in the old Schema, by its declared renames."""
    update: dict[str, object] = {}
    old_name = getattr(obj, "renamed_from", None)
    if old_name is not None and not isinstance(obj, SchemaDef):
        update["name"] = old_name
    if isinstance(obj, SchemaDef):
        return ("schema", obj.renamed_from or obj.name)
    schema = getattr(obj, "schema_", None)
    if isinstance(schema, str) and schema in schema_renames:
        update["schema_"] = schema_renames[schema]
    return object_key(obj.model_copy(update=update)) if update else object_key(obj)


def match_objects(old: Graph, new: Graph) -> Matching:
    """Pair the top-level objects of ``old`` and ``new``."""
    schema_renames = {
        s.name: s.renamed_from
        for s in new.schema.schemas
        if s.renamed_from is not None and s.renamed_from != s.name
    }
    pairs: list[tuple[TopObject, TopObject]] = []
    created: list[TopObject] = []
    claimed: dict[Key, TopObject] = {}
    for key, obj in new.objects.items():
        old_key = _renamed_key(obj, schema_renames)
        declared = old_key != key
        found = old.objects.get(old_key)
        if found is None and declared:
            if key in old.objects:  # the rename is done already
                found, old_key = old.objects[key], key
            else:
                raise RenameError(
                    f"{_label(obj)}: renamed_from names {_label_key(old_key)}, "
                    "which the old schema does not have"
                )
        if found is None:
            created.append(obj)
            continue
        if old_key in claimed:
            raise RenameError(
                f"{_label(obj)} and {_label(claimed[old_key])} both claim {_label_key(old_key)}"
            )
        claimed[old_key] = obj
        pairs.append((found, obj))
    dropped = [obj for key, obj in old.objects.items() if key not in claimed]
    return Matching(tuple(pairs), tuple(dropped), tuple(created), schema_renames)


def _label(obj: TopObject) -> str:
    return " ".join(str(part) for part in object_key(obj))


def _label_key(key: Key) -> str:
    return " ".join(key)


def match_named(
    old_items: Sequence[T], new_items: Sequence[T], what: str
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair named parts (columns, constraints, indexes...) by name or ``renamed_from``.

    Returns the pairs, the old items left over (dropped) and the new ones (added).
    """
    by_name = {_name(item, i): item for i, item in enumerate(old_items)}
    pairs: list[tuple[T, T]] = []
    added: list[T] = []
    taken: set[str] = set()
    for i, item in enumerate(new_items):
        name = _name(item, i)
        declared = getattr(item, "renamed_from", None)
        source = declared if declared is not None and declared in by_name else name
        if declared is not None and declared not in by_name and name not in by_name:
            raise RenameError(f"{what}: {name} renamed_from {declared}, which does not exist")
        if source in by_name and source not in taken:
            taken.add(source)
            pairs.append((by_name[source], item))
        else:
            added.append(item)
    dropped = [item for name, item in by_name.items() if name not in taken]
    return pairs, dropped, added


def _name(item: Node, position: int) -> str:
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else f"#{position}"


def same(a: Node, b: Node, *ignore: str) -> bool:
    """True when ``a`` and ``b`` are equal apart from model-only fields and ``ignore``."""
    update = {name: None for name in ignore}
    return model_object(a.model_copy(update=update)) == model_object(b.model_copy(update=update))


def possible_renames(
    dropped: Iterable[T],
    added: Iterable[T],
    what: Callable[[T], str],
    *ignore: str,
) -> list[str]:
    """Warnings for each added item that equals a dropped one but for its name."""
    warnings = []
    remaining = list(dropped)
    for item in added:
        for candidate in remaining:
            if type(candidate) is type(item) and same(candidate, item, "name", *ignore):
                remaining.remove(candidate)
                warnings.append(
                    f"possible rename: {what(candidate)} is dropped and {what(item)} created "
                    f"alike; declare renamed_from: {getattr(candidate, 'name', '')} on the "
                    "new one to rename it instead"
                )
                break
    return warnings
