"""What rules report: the object a finding is about, the finding itself, its severity."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from dbarch.errors import Location
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    CompositeType,
    Domain,
    EnumType,
    ExclusionConstraint,
    ForeignKey,
    Function,
    Index,
    MaterializedView,
    Node,
    Policy,
    PrimaryKey,
    SchemaDef,
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)


class Severity(StrEnum):
    """How bad a finding is; ``--fail-on`` compares by :attr:`rank`."""

    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)


Kind = Literal[
    "table",
    "column",
    "constraint",
    "index",
    "trigger",
    "policy",
    "view",
    "materialized view",
    "function",
    "sequence",
    "type",
    "domain",
    "schema",
]
Constraint = PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey | ExclusionConstraint
Relation = Table | View | MaterializedView


@dataclass(frozen=True)
class Target:
    """The object a finding is about.

    ``parent`` is the table (or view) a column, constraint, index, trigger or policy
    belongs to; ``arguments`` tell overloaded functions apart. ``nodes`` are the model
    objects from the outermost (the table) to the object itself: their ``ignore`` fields
    and comments decide suppression.
    """

    kind: Kind
    schema: str
    name: str
    parent: str | None = None
    arguments: str | None = None
    nodes: tuple[Node, ...] = field(default=(), compare=False, repr=False)

    @property
    def label(self) -> str:
        """``schema.table``, ``schema.table.column``, ``schema.index``, ``schema.fn(args)``."""
        if self.kind == "schema":
            return self.name
        if self.kind == "function":
            return f"{self.schema}.{self.name}({self.arguments or ''})"
        if self.parent is None or self.kind == "index":
            return f"{self.schema}.{self.name}"
        return f"{self.schema}.{self.parent}.{self.name}"

    @classmethod
    def relation(cls, r: Relation) -> Target:
        """A table, view or materialized view."""
        kind: Kind = (
            "table"
            if isinstance(r, Table)
            else "view"
            if isinstance(r, View)
            else "materialized view"
        )
        return cls(kind, r.schema_, r.name, nodes=(r,))

    @classmethod
    def column(cls, t: Table, c: Column) -> Target:
        """Column ``c`` of table ``t``."""
        return cls("column", t.schema_, c.name, t.name, nodes=(t, c))

    @classmethod
    def constraint(cls, t: Table, c: Constraint) -> Target:
        """A primary key, unique, check, foreign key or exclusion constraint of ``t``."""
        return cls("constraint", t.schema_, c.name or "", t.name, nodes=(t, c))

    @classmethod
    def index(cls, owner: Table | MaterializedView, i: Index) -> Target:
        """Index ``i`` of a table or materialized view."""
        return cls("index", owner.schema_, i.name or "", owner.name, nodes=(owner, i))

    @classmethod
    def trigger(cls, owner: Table | View, trg: Trigger) -> Target:
        """Trigger ``trg`` on a table or view."""
        return cls("trigger", owner.schema_, trg.name, owner.name, nodes=(owner, trg))

    @classmethod
    def policy(cls, t: Table, p: Policy) -> Target:
        """Row-level-security policy ``p`` of ``t``."""
        return cls("policy", t.schema_, p.name, t.name, nodes=(t, p))

    @classmethod
    def function(cls, f: Function) -> Target:
        """A function or procedure."""
        return cls("function", f.schema_, f.name, arguments=f.arguments, nodes=(f,))

    @classmethod
    def sequence(cls, s: Sequence) -> Target:
        """A standalone sequence."""
        return cls("sequence", s.schema_, s.name, nodes=(s,))

    @classmethod
    def user_type(cls, t: EnumType | Domain | CompositeType) -> Target:
        """An enum, composite type or domain."""
        return cls("domain" if isinstance(t, Domain) else "type", t.schema_, t.name, nodes=(t,))

    @classmethod
    def namespace(cls, s: SchemaDef) -> Target:
        """A schema (namespace)."""
        return cls("schema", s.name, s.name, nodes=(s,))


@dataclass(frozen=True)
class Hit:
    """What a rule yields: the object, what is wrong, and how to fix it."""

    target: Target
    message: str
    fix: str


@dataclass(frozen=True)
class Finding:
    """One reported problem, ready for a reporter."""

    rule: str
    severity: Severity
    object: str
    kind: str
    message: str
    reason: str
    fix: str
    location: Location | None = None

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        """Findings are listed by position in the SOURCE file (when known), then object,
        rule and message."""
        loc = self.location
        where = (loc.file, loc.line or 0, loc.column or 0) if loc is not None else ("", 0, 0)
        return (*where, self.object, self.rule, self.message, self.fix)

    def to_dict(self) -> dict[str, object]:
        """The JSON form: ``location`` is ``{file, line, column}`` or ``null``."""
        location = None
        if self.location is not None:
            location = {
                "file": self.location.file,
                "line": self.location.line,
                "column": self.location.column,
            }
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "object": self.object,
            "kind": self.kind,
            "message": self.message,
            "reason": self.reason,
            "fix": self.fix,
            "location": location,
        }
