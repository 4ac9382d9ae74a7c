"""What every part of the comparison needs: both graphs, the matching, and the warnings."""

from __future__ import annotations

from dataclasses import dataclass, field

from dbarch.ddl.lookup import Key, relation_key
from dbarch.ddl.partitions import IndexPlan, plan_indexes
from dbarch.errors import DbarchError
from dbarch.migrate.diff.changes import Change, QualName
from dbarch.migrate.diff.graph import Graph
from dbarch.migrate.diff.match import Matching
from dbarch.migrate.diff.renames import Renames
from dbarch.model.objects import Table


class DiffError(DbarchError):
    """A difference PostgreSQL cannot make in place (e.g. a new PARTITION BY)."""


Tagged = tuple[Key, Change]  # the piece a change is about, and the change


@dataclass
class Context:
    """The state of one comparison."""

    old: Graph
    new: Graph
    matching: Matching
    warnings: list[str] = field(default_factory=list)
    _old_tables: dict[Key, Table] = field(default_factory=dict)
    _new_tables: dict[Key, Table] = field(default_factory=dict)
    _index_plans: dict[bool, IndexPlan] = field(default_factory=dict)
    renames: Renames = field(default_factory=Renames)

    def __post_init__(self) -> None:
        self.renames = Renames.of(self.matching)
        for old, new in self.matching.pairs:
            if isinstance(old, Table) and isinstance(new, Table):
                self._old_tables[relation_key(new.schema_, new.name)] = old
                self._new_tables[relation_key(old.schema_, old.name)] = new

    def old_table_of(self, new: Table) -> Table | None:
        """The old version of the (kept) table ``new``."""
        return self._old_tables.get(relation_key(new.schema_, new.name))

    def new_table_of(self, old: Table) -> Table | None:
        """The new version of the (kept) table ``old``."""
        return self._new_tables.get(relation_key(old.schema_, old.name))

    def attached(self, key: Key, *, new: bool = True) -> tuple[Key, ...]:
        """Keys of the partitions' index items attached to the partitioned table's index
        item ``key`` (primary key, unique or exclusion constraint, or index)."""
        if new not in self._index_plans:
            self._index_plans[new] = plan_indexes((self.new if new else self.old).catalog)
        return tuple(child.key for child in self._index_plans[new].attach.get(key, []))

    def attach(self, key: Key) -> tuple[QualName, ...]:
        """``(schema, name)`` of the partitions' items a new partitioned item adopts."""
        return tuple((k[1], k[3]) for k in self.attached(key))
