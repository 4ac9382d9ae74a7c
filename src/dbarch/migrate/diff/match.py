"""Which object of the old Schema each object of the new one is: same key, or declared
``renamed_from``. Undeclared drop + create pairs that look alike are *possible renames*:
reported, never applied."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from dbarch.ddl.lookup import Key
from dbarch.errors import DbarchError
from dbarch.migrate.diff.graph import Graph, TopObject, label, model_object, object_key
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
    claimed: dict[Key, TopObject] = {}
    found: dict[Key, Key] = {}  # new key -> old key, declared renames first
    declared = {k: _renamed_key(o, schema_renames) for k, o in new.objects.items()}
    for key, obj in sorted(new.objects.items(), key=lambda item: declared[item[0]] == item[0]):
        old_key = declared[key]
        if old_key != key and key in old.objects:
            old_key = key  # the new name is taken already: the rename is done
        elif old_key not in old.objects and old_key != key:
            raise RenameError(
                f"{_label(obj)}: renamed_from names {_label_key(old_key)}, "
                "which the old schema does not have"
            )
        if old_key not in old.objects or (old_key == key and key in claimed):
            continue
        if old_key in claimed:
            raise RenameError(
                f"{_label(obj)} and {_label(claimed[old_key])} both claim {_label_key(old_key)}"
            )
        claimed[old_key] = obj
        found[key] = old_key
    pairs = tuple((old.objects[found[k]], o) for k, o in new.objects.items() if k in found)
    created = tuple(o for k, o in new.objects.items() if k not in found)
    dropped = [obj for key, obj in old.objects.items() if key not in claimed]
    return Matching(pairs, tuple(dropped), created, schema_renames)


def _label(obj: TopObject) -> str:
    return label(object_key(obj))


def _label_key(key: Key) -> str:
    return label(key)


def match_named(
    old_items: Sequence[T], new_items: Sequence[T], what: str
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair named parts (columns, constraints, indexes...) by name or ``renamed_from``.

    Returns the pairs, the old items left over (dropped) and the new ones (added).
    """
    by_name = {_name(item, i): item for i, item in enumerate(old_items)}
    sources: dict[int, str] = {}
    taken: set[str] = set()
    for i, item in sorted(enumerate(new_items), key=lambda e: _declared(e[1]) is None):
        name, declared = _name(item, i), _declared(item)
        if declared is not None and declared not in by_name and name not in by_name:
            raise RenameError(f"{what}: {name} renamed_from {declared}, which does not exist")
        source = name if declared is None or name in by_name else declared
        if source in by_name and source not in taken:
            taken.add(source)
            sources[i] = source
    pairs = [(by_name[sources[i]], item) for i, item in enumerate(new_items) if i in sources]
    added = [item for i, item in enumerate(new_items) if i not in sources]
    dropped = [item for name, item in by_name.items() if name not in taken]
    return pairs, dropped, added


def _declared(item: Node) -> str | None:
    declared = getattr(item, "renamed_from", None)
    return declared if isinstance(declared, str) else None


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
