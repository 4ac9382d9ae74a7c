"""The lock and rewrite facts of PostgreSQL DDL: one table, proven by tests on a real server.

Each :class:`LockFact` says, for one :class:`Operation`, which lock it takes on which
relation (the :class:`Role` each relation plays in the statement), whether it rewrites the
table (a new data file: ``pg_class.relfilenode`` changes), whether it scans the table
(reads its rows while holding the lock) and whether it can run inside a transaction block.
The facts hold for PostgreSQL 15 and later; ``tests/migrate/test_locks.py`` observes every
one of them on each server it runs against (``pg_locks``, ``relfilenode``, the
per-transaction scan counters).

:func:`type_change_rewrites` says which ``ALTER COLUMN ... TYPE`` changes are binary
coercible and so keep the table file (varchar widening, varchar to text, numeric precision
widening, cidr to inet, timestamp to timestamptz when the session TimeZone is UTC...).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

from pglast import parse_sql
from pglast.ast import A_Const, Integer, SelectStmt, TypeCast, TypeName
from pglast.parser import ParseError


class LockMode(IntEnum):
    """Table-level lock modes, weakest to strongest (PostgreSQL's own numbering)."""

    ACCESS_SHARE = 1
    ROW_SHARE = 2
    ROW_EXCLUSIVE = 3
    SHARE_UPDATE_EXCLUSIVE = 4
    SHARE = 5
    SHARE_ROW_EXCLUSIVE = 6
    EXCLUSIVE = 7
    ACCESS_EXCLUSIVE = 8

    @property
    def sql_name(self) -> str:
        """The mode as SQL spells it: ``SHARE ROW EXCLUSIVE``."""
        return self.name.replace("_", " ")

    @property
    def pg_locks_name(self) -> str:
        """The mode as ``pg_locks.mode`` shows it: ``ShareRowExclusiveLock``."""
        return "".join(part.capitalize() for part in self.name.split("_")) + "Lock"

    def conflicts_with(self, other: LockMode) -> bool:
        """True when a holder of ``self`` makes a requester of ``other`` wait (and back)."""
        return other in _CONFLICTS[self]

    @property
    def blocks_reads(self) -> bool:
        """True when plain ``SELECT`` (ACCESS SHARE) waits for this lock."""
        return self.conflicts_with(LockMode.ACCESS_SHARE)

    @property
    def blocks_writes(self) -> bool:
        """True when ``INSERT``/``UPDATE``/``DELETE`` (ROW EXCLUSIVE) wait for this lock."""
        return self.conflicts_with(LockMode.ROW_EXCLUSIVE)


_M = LockMode
_CONFLICTS: dict[LockMode, frozenset[LockMode]] = {
    _M.ACCESS_SHARE: frozenset({_M.ACCESS_EXCLUSIVE}),
    _M.ROW_SHARE: frozenset({_M.EXCLUSIVE, _M.ACCESS_EXCLUSIVE}),
    _M.ROW_EXCLUSIVE: frozenset(
        {_M.SHARE, _M.SHARE_ROW_EXCLUSIVE, _M.EXCLUSIVE, _M.ACCESS_EXCLUSIVE}
    ),
    _M.SHARE_UPDATE_EXCLUSIVE: frozenset(
        {
            _M.SHARE_UPDATE_EXCLUSIVE,
            _M.SHARE,
            _M.SHARE_ROW_EXCLUSIVE,
            _M.EXCLUSIVE,
            _M.ACCESS_EXCLUSIVE,
        }
    ),
    _M.SHARE: frozenset(
        {
            _M.ROW_EXCLUSIVE,
            _M.SHARE_UPDATE_EXCLUSIVE,
            _M.SHARE_ROW_EXCLUSIVE,
            _M.EXCLUSIVE,
            _M.ACCESS_EXCLUSIVE,
        }
    ),
    _M.SHARE_ROW_EXCLUSIVE: frozenset(
        {
            _M.ROW_EXCLUSIVE,
            _M.SHARE_UPDATE_EXCLUSIVE,
            _M.SHARE,
            _M.SHARE_ROW_EXCLUSIVE,
            _M.EXCLUSIVE,
            _M.ACCESS_EXCLUSIVE,
        }
    ),
    _M.EXCLUSIVE: frozenset(set(LockMode) - {_M.ACCESS_SHARE}),
    _M.ACCESS_EXCLUSIVE: frozenset(LockMode),
}


class Role(Enum):
    """The part a relation plays in a statement, for naming which relation gets which lock."""

    TABLE = "table"
    """The table (or materialized view) the statement names first: ``ALTER TABLE t``,
    ``CREATE INDEX ... ON t``, ``TRUNCATE t``; for ATTACH/DETACH the partitioned parent."""
    REFERENCED = "referenced table"
    """The table a foreign key points to."""
    INDEX = "index"
    """The index the statement names or builds on TABLE."""
    PARTITION = "partition"
    """The partition being attached or detached."""
    SOURCE = "source table"
    """A table a materialized view reads."""


class Operation(Enum):
    """Kinds of DDL (and maintenance) statements with distinct lock or rewrite behaviour."""

    ADD_COLUMN_NULLABLE = "add column (nullable, no default)"
    ADD_COLUMN_CONSTANT_DEFAULT = "add column with a non-volatile default"
    ADD_COLUMN_VOLATILE_DEFAULT = "add column with a volatile default"
    ADD_COLUMN_NOT_NULL_DEFAULT = "add column NOT NULL with a non-volatile default"
    ADD_COLUMN_NOT_NULL_NO_DEFAULT = "add column NOT NULL without a default"
    ADD_COLUMN_GENERATED_STORED = "add stored generated column"
    ADD_COLUMN_IDENTITY = "add identity column"
    DROP_COLUMN = "drop column"
    ALTER_COLUMN_TYPE = "change column type (rewriting)"
    ALTER_COLUMN_TYPE_COERCIBLE = "change column type (binary coercible, no rewrite)"
    SET_NOT_NULL = "set NOT NULL"
    SET_NOT_NULL_PROVEN = "set NOT NULL proven by a validated CHECK (col IS NOT NULL)"
    DROP_NOT_NULL = "drop NOT NULL"
    SET_DEFAULT = "set or drop column default"
    ADD_CHECK = "add CHECK constraint"
    ADD_CHECK_NOT_VALID = "add CHECK constraint NOT VALID"
    ADD_FOREIGN_KEY = "add FOREIGN KEY constraint"
    ADD_FOREIGN_KEY_NOT_VALID = "add FOREIGN KEY constraint NOT VALID"
    ADD_UNIQUE = "add UNIQUE constraint"
    ADD_PRIMARY_KEY = "add PRIMARY KEY constraint"
    ADD_UNIQUE_USING_INDEX = "add UNIQUE or PRIMARY KEY constraint USING INDEX"
    ADD_EXCLUSION = "add EXCLUDE constraint"
    VALIDATE_CHECK = "validate CHECK constraint"
    VALIDATE_FOREIGN_KEY = "validate FOREIGN KEY constraint"
    DROP_CONSTRAINT = "drop CHECK/UNIQUE/PRIMARY KEY constraint"
    DROP_FOREIGN_KEY = "drop FOREIGN KEY constraint"
    CREATE_INDEX = "create index"
    CREATE_INDEX_CONCURRENTLY = "create index concurrently"
    DROP_INDEX = "drop index"
    DROP_INDEX_CONCURRENTLY = "drop index concurrently"
    REINDEX = "reindex index"
    REINDEX_CONCURRENTLY = "reindex index concurrently"
    RENAME_COLUMN = "rename column"
    RENAME_TABLE = "rename table"
    ATTACH_PARTITION = "attach partition"
    ATTACH_PARTITION_PROVEN = "attach partition proven by a validated CHECK"
    DETACH_PARTITION = "detach partition"
    DETACH_PARTITION_CONCURRENTLY = "detach partition concurrently"
    CREATE_TRIGGER = "create trigger"
    ENABLE_DISABLE_TRIGGER = "enable or disable trigger"
    SET_LOGGED_UNLOGGED = "set logged or unlogged"
    VACUUM_FULL = "vacuum full"
    CLUSTER = "cluster"
    TRUNCATE = "truncate"
    DROP_TABLE = "drop table"
    CREATE_TABLE_WITH_FOREIGN_KEY = "create table with a foreign key to an existing table"
    COMMENT = "comment on table or column"
    ADD_ENUM_VALUE = "add enum value"
    CREATE_MATERIALIZED_VIEW = "create materialized view"
    REFRESH_MATERIALIZED_VIEW = "refresh materialized view"
    REFRESH_MATERIALIZED_VIEW_CONCURRENTLY = "refresh materialized view concurrently"
    RENAME_MATERIALIZED_VIEW = "rename materialized view"


@dataclass(frozen=True)
class LockFact:
    """What one operation does to the relations it touches.

    ``locks`` pairs each role with the strongest mode the statement holds (or waits for)
    on that relation; ``rewrites`` and ``scans`` are about the relation playing
    ``subject`` (the ``TABLE`` unless said otherwise); ``transactional`` is False when
    PostgreSQL refuses the statement inside a transaction block.
    """

    operation: Operation
    example: str
    locks: tuple[tuple[Role, LockMode], ...]
    rewrites: bool
    scans: bool
    transactional: bool = True
    subject: Role = Role.TABLE
    note: str = ""

    def lock_on(self, role: Role) -> LockMode | None:
        """The mode taken on the relation playing ``role``, or None if it is not locked."""
        return next((mode for r, mode in self.locks if r is role), None)

    @property
    def strongest(self) -> LockMode | None:
        """The strongest mode this statement takes on any relation."""
        return max((mode for _, mode in self.locks), default=None)


_T, _REF, _IDX, _PART, _SRC = Role.TABLE, Role.REFERENCED, Role.INDEX, Role.PARTITION, Role.SOURCE
_O = Operation
_AE, _SUE, _SRE = _M.ACCESS_EXCLUSIVE, _M.SHARE_UPDATE_EXCLUSIVE, _M.SHARE_ROW_EXCLUSIVE


def _f(
    op: Operation,
    example: str,
    locks: tuple[tuple[Role, LockMode], ...],
    *,
    rewrites: bool = False,
    scans: bool = False,
    transactional: bool = True,
    subject: Role = Role.TABLE,
    note: str = "",
) -> LockFact:
    return LockFact(op, example, locks, rewrites, scans, transactional, subject, note)


FACTS: tuple[LockFact, ...] = (
    _f(_O.ADD_COLUMN_NULLABLE, "ALTER TABLE t ADD COLUMN c int", ((_T, _AE),)),
    _f(
        _O.ADD_COLUMN_CONSTANT_DEFAULT,
        "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()",
        ((_T, _AE),),
        note="The default is evaluated once and stored in the catalog (fast default); "
        "stable functions such as now() count as non-volatile.",
    ),
    _f(
        _O.ADD_COLUMN_VOLATILE_DEFAULT,
        "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
        note="Every row needs its own value, so the table is rewritten under the lock.",
    ),
    _f(
        _O.ADD_COLUMN_NOT_NULL_DEFAULT,
        "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0",
        ((_T, _AE),),
    ),
    _f(
        _O.ADD_COLUMN_NOT_NULL_NO_DEFAULT,
        "ALTER TABLE t ADD COLUMN c int NOT NULL",
        ((_T, _AE),),
        scans=True,
        note="Fails on a table that has rows.",
    ),
    _f(
        _O.ADD_COLUMN_GENERATED_STORED,
        "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (id * 2) STORED",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
    ),
    _f(
        _O.ADD_COLUMN_IDENTITY,
        "ALTER TABLE t ADD COLUMN c bigint GENERATED BY DEFAULT AS IDENTITY",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
        note="Same as a serial column: the values come from a sequence (volatile).",
    ),
    _f(_O.DROP_COLUMN, "ALTER TABLE t DROP COLUMN c", ((_T, _AE),)),
    _f(
        _O.ALTER_COLUMN_TYPE,
        "ALTER TABLE t ALTER COLUMN c TYPE bigint",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
        note="Indexes on the column are rebuilt too.",
    ),
    _f(
        _O.ALTER_COLUMN_TYPE_COERCIBLE,
        "ALTER TABLE t ALTER COLUMN c TYPE varchar(200)",
        ((_T, _AE),),
        note="Only for the changes type_change_rewrites() calls non-rewriting.",
    ),
    _f(_O.SET_NOT_NULL, "ALTER TABLE t ALTER COLUMN c SET NOT NULL", ((_T, _AE),), scans=True),
    _f(
        _O.SET_NOT_NULL_PROVEN,
        "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
        ((_T, _AE),),
        note="A validated CHECK (c IS NOT NULL) on the table lets PostgreSQL skip the scan.",
    ),
    _f(_O.DROP_NOT_NULL, "ALTER TABLE t ALTER COLUMN c DROP NOT NULL", ((_T, _AE),)),
    _f(_O.SET_DEFAULT, "ALTER TABLE t ALTER COLUMN c SET DEFAULT 0", ((_T, _AE),)),
    _f(_O.ADD_CHECK, "ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0)", ((_T, _AE),), scans=True),
    _f(
        _O.ADD_CHECK_NOT_VALID,
        "ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID",
        ((_T, _AE),),
        note="New and updated rows are checked from now on.",
    ),
    _f(
        _O.ADD_FOREIGN_KEY,
        "ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id)",
        ((_T, _SRE), (_REF, _SRE)),
        scans=True,
    ),
    _f(
        _O.ADD_FOREIGN_KEY_NOT_VALID,
        "ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES r (id) NOT VALID",
        ((_T, _SRE), (_REF, _SRE)),
    ),
    _f(
        _O.ADD_UNIQUE,
        "ALTER TABLE t ADD CONSTRAINT k UNIQUE (c)",
        ((_T, _AE),),
        scans=True,
        note="Builds the index under the lock.",
    ),
    _f(
        _O.ADD_PRIMARY_KEY,
        "ALTER TABLE t ADD PRIMARY KEY (id)",
        ((_T, _AE),),
        scans=True,
        note="Builds the index under the lock (and checks NOT NULL).",
    ),
    _f(
        _O.ADD_UNIQUE_USING_INDEX,
        "ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX k_idx",
        ((_T, _AE),),
        note="For a PRIMARY KEY the columns must already be NOT NULL, or they are scanned.",
    ),
    _f(
        _O.ADD_EXCLUSION,
        "ALTER TABLE t ADD CONSTRAINT k EXCLUDE USING btree (c WITH =)",
        ((_T, _AE),),
        scans=True,
        note="Cannot be NOT VALID and cannot use an existing index.",
    ),
    _f(
        _O.VALIDATE_CHECK,
        "ALTER TABLE t VALIDATE CONSTRAINT k",
        ((_T, _SUE),),
        scans=True,
    ),
    _f(
        _O.VALIDATE_FOREIGN_KEY,
        "ALTER TABLE t VALIDATE CONSTRAINT k",
        ((_T, _SUE), (_REF, _M.ROW_SHARE)),
        scans=True,
    ),
    _f(_O.DROP_CONSTRAINT, "ALTER TABLE t DROP CONSTRAINT k", ((_T, _AE),)),
    _f(
        _O.DROP_FOREIGN_KEY,
        "ALTER TABLE t DROP CONSTRAINT k",
        ((_T, _AE), (_REF, _AE)),
        note="The referenced table loses the constraint's triggers, so it is locked too.",
    ),
    _f(
        _O.CREATE_INDEX,
        "CREATE INDEX i ON t (c)",
        ((_T, _M.SHARE),),
        scans=True,
    ),
    _f(
        _O.CREATE_INDEX_CONCURRENTLY,
        "CREATE INDEX CONCURRENTLY i ON t (c)",
        ((_T, _SUE),),
        scans=True,
        transactional=False,
        note="Scans twice and waits for transactions that could write the table; a failed "
        "build leaves an INVALID index to drop.",
    ),
    _f(_O.DROP_INDEX, "DROP INDEX i", ((_T, _AE), (_IDX, _AE))),
    _f(
        _O.DROP_INDEX_CONCURRENTLY,
        "DROP INDEX CONCURRENTLY i",
        ((_T, _SUE), (_IDX, _SUE)),
        transactional=False,
        note="Waits for every transaction using the table to end.",
    ),
    _f(
        _O.REINDEX,
        "REINDEX INDEX i",
        ((_T, _M.SHARE), (_IDX, _AE)),
        scans=True,
        note="The index is rebuilt: it gets a new file (the table keeps its own).",
    ),
    _f(
        _O.REINDEX_CONCURRENTLY,
        "REINDEX INDEX CONCURRENTLY i",
        ((_T, _SUE), (_IDX, _SUE)),
        scans=True,
        transactional=False,
    ),
    _f(_O.RENAME_COLUMN, "ALTER TABLE t RENAME COLUMN c TO d", ((_T, _AE),)),
    _f(_O.RENAME_TABLE, "ALTER TABLE t RENAME TO u", ((_T, _AE),)),
    _f(
        _O.ATTACH_PARTITION,
        "ALTER TABLE t ATTACH PARTITION p FOR VALUES FROM (0) TO (100)",
        ((_T, _SUE), (_PART, _AE)),
        scans=True,
        subject=_PART,
        note="The partition is scanned to prove the bound; a DEFAULT partition of t is "
        "locked ACCESS EXCLUSIVE and scanned as well.",
    ),
    _f(
        _O.ATTACH_PARTITION_PROVEN,
        "ALTER TABLE t ATTACH PARTITION p FOR VALUES FROM (0) TO (100)",
        ((_T, _SUE), (_PART, _AE)),
        subject=_PART,
        note="A validated CHECK on the partition that implies the bound skips the scan.",
    ),
    _f(
        _O.DETACH_PARTITION,
        "ALTER TABLE t DETACH PARTITION p",
        ((_T, _AE), (_PART, _AE)),
    ),
    _f(
        _O.DETACH_PARTITION_CONCURRENTLY,
        "ALTER TABLE t DETACH PARTITION p CONCURRENTLY",
        ((_T, _SUE), (_PART, _AE)),
        transactional=False,
        note="Two transactions: the first marks the partition detached under SHARE UPDATE "
        "EXCLUSIVE on both and waits for every transaction using t; the second takes "
        "ACCESS EXCLUSIVE on the partition only (queries of the partition itself wait). "
        "Not allowed when t has a DEFAULT partition; an interrupted run is finished with "
        "DETACH PARTITION ... FINALIZE.",
    ),
    _f(
        _O.CREATE_TRIGGER,
        "CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
        ((_T, _SRE),),
    ),
    _f(_O.ENABLE_DISABLE_TRIGGER, "ALTER TABLE t DISABLE TRIGGER g", ((_T, _SRE),)),
    _f(
        _O.SET_LOGGED_UNLOGGED,
        "ALTER TABLE t SET UNLOGGED",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
    ),
    _f(
        _O.VACUUM_FULL,
        "VACUUM FULL t",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
        transactional=False,
    ),
    _f(
        _O.CLUSTER,
        "CLUSTER t USING i",
        ((_T, _AE),),
        rewrites=True,
        scans=True,
        note="Only CLUSTER without a table name is refused in a transaction block.",
    ),
    _f(
        _O.TRUNCATE,
        "TRUNCATE t",
        ((_T, _AE),),
        rewrites=True,
        note="The table gets a new, empty file: fast, but every row is gone.",
    ),
    _f(_O.DROP_TABLE, "DROP TABLE t", ((_T, _AE),)),
    _f(
        _O.CREATE_TABLE_WITH_FOREIGN_KEY,
        "CREATE TABLE n (id int, r_id int REFERENCES r (id))",
        ((_REF, _SRE),),
        subject=_REF,
        note="The new table is empty, but the referenced table gets the FK's triggers.",
    ),
    _f(_O.COMMENT, "COMMENT ON TABLE t IS 'text'", ((_T, _SUE),)),
    _f(
        _O.ADD_ENUM_VALUE,
        "ALTER TYPE e ADD VALUE 'x'",
        (),
        note="Locks no table. Inside a transaction block the new value cannot be used "
        "until the transaction commits.",
    ),
    _f(
        _O.CREATE_MATERIALIZED_VIEW,
        "CREATE MATERIALIZED VIEW m AS SELECT * FROM t",
        ((_SRC, _M.ACCESS_SHARE),),
        scans=True,
        subject=_SRC,
        note="Runs the query once; readers of the source table are not blocked.",
    ),
    _f(
        _O.REFRESH_MATERIALIZED_VIEW,
        "REFRESH MATERIALIZED VIEW m",
        ((_T, _AE), (_SRC, _M.ACCESS_SHARE)),
        rewrites=True,
        note="Readers of the view wait for the whole query to run.",
    ),
    _f(
        _O.REFRESH_MATERIALIZED_VIEW_CONCURRENTLY,
        "REFRESH MATERIALIZED VIEW CONCURRENTLY m",
        ((_T, _M.EXCLUSIVE), (_SRC, _M.ACCESS_SHARE)),
        scans=True,
        note="Needs a unique index on the view; readers are not blocked, other refreshes are.",
    ),
    _f(
        _O.RENAME_MATERIALIZED_VIEW,
        "ALTER MATERIALIZED VIEW m RENAME TO n",
        ((_T, _AE),),
    ),
)

_BY_OPERATION: dict[Operation, LockFact] = {f.operation: f for f in FACTS}


def fact(operation: Operation) -> LockFact:
    """The lock and rewrite facts of ``operation``."""
    return _BY_OPERATION[operation]


# --------------------------------------------------------------------------- type changes


@dataclass(frozen=True)
class ColumnType:
    """A column type reduced to what decides rewriting: base type name, modifiers, array."""

    name: str
    modifiers: tuple[int, ...] = ()
    array: bool = False

    def __str__(self) -> str:
        """SQL spelling: ``bigint``, ``varchar(20)``, ``timestamp``, ``numeric(10,2)[]``."""
        mods = f"({','.join(map(str, self.modifiers))})" if self.modifiers else ""
        return f"{_DISPLAY.get(self.name, self.name)}{mods}{'[]' if self.array else ''}"


_DISPLAY = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bpchar": "char",
    "bool": "boolean",
}


# Spellings that reach pglast without the pg_catalog prefix it gives to SQL-standard names.
_ALIASES = {
    "int": "int4",
    "integer": "int4",
    "smallint": "int2",
    "bigint": "int8",
    "decimal": "numeric",
    "real": "float4",
    "float": "float8",
    "boolean": "bool",
    "character varying": "varchar",
    "character": "bpchar",
    "char": "bpchar",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time with time zone": "timetz",
    "time without time zone": "time",
}


def column_type(type_name: TypeName) -> ColumnType:
    """A :class:`ColumnType` from pglast's ``TypeName`` node (integer modifiers only)."""
    names = [n.sval for n in type_name.names]
    base = names[-1]
    mods = tuple(
        m.val.ival
        for m in type_name.typmods or ()
        if isinstance(m, A_Const) and isinstance(m.val, Integer)
    )
    return ColumnType(_ALIASES.get(base, base), mods, bool(type_name.arrayBounds))


def parse_column_type(text: str) -> ColumnType:
    """A :class:`ColumnType` from SQL text such as ``character varying(20)`` or ``int[]``.

    Raises ValueError when ``text`` is not a type name.
    """
    try:
        statements = parse_sql(f"SELECT NULL::{text}")
    except ParseError as exc:
        raise ValueError(f"not a type name: {text!r}") from exc
    select = statements[0].stmt if len(statements) == 1 else None
    target = (
        select.targetList[0].val
        if isinstance(select, SelectStmt) and select.targetList and len(select.targetList) == 1
        else None
    )
    if not isinstance(target, TypeCast):
        raise ValueError(f"not a type name: {text!r}")
    return column_type(target.typeName)


def _widens(old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """New length/precision limit at least the old one (no limit is the widest)."""
    if not new:
        return True
    return bool(old) and new[0] >= old[0]


def type_change_rewrites(old: ColumnType, new: ColumnType, *, timezone_utc: bool) -> bool:
    """True when ``ALTER COLUMN ... TYPE new`` rewrites a column of type ``old``.

    False only for the changes PostgreSQL does as a catalog update: the same type;
    varchar(n) to varchar(m >= n), to varchar or to text; text to unconstrained varchar;
    numeric(p,s) to numeric(p' >= p, s) or unconstrained numeric; timestamp, timestamptz,
    and time precision widened; varbit widened; cidr to inet; and timestamp to
    timestamptz (or back) when the session ``TimeZone`` is UTC; for arrays, only dropping
    the element modifiers (``varchar(10)[]`` to ``varchar[]``). Any other change counts as
    rewriting (conservative for exotic binary-coercible casts).
    """
    if old.array != new.array:
        return True
    if old == new:
        return False
    pair = (old.name, new.name)
    if old.array:
        # Only dropping the element modifiers is free; any element conversion rewrites.
        return bool(new.modifiers) or old.name != new.name
    if pair in _TEXT_PAIRS:
        return bool(new.modifiers)
    if old.name == new.name == "numeric":
        if not new.modifiers:
            return False
        same_scale = (old.modifiers[1:] or (0,)) == (new.modifiers[1:] or (0,))
        return not (same_scale and _widens(old.modifiers, new.modifiers))
    if old.name == new.name and old.name in _WIDENABLE:
        return not _widens(old.modifiers, new.modifiers)
    if pair == ("cidr", "inet"):
        return False
    if pair in {("timestamp", "timestamptz"), ("timestamptz", "timestamp")}:
        return not (timezone_utc and _widens(old.modifiers, new.modifiers))
    return True


_TEXT_PAIRS = frozenset({("varchar", "text"), ("text", "varchar")})
_WIDENABLE = frozenset({"varchar", "varbit", "timestamp", "timestamptz", "time", "timetz"})


def type_change_operation(old: ColumnType, new: ColumnType, *, timezone_utc: bool) -> Operation:
    """``ALTER_COLUMN_TYPE`` or ``ALTER_COLUMN_TYPE_COERCIBLE`` for this change."""
    if type_change_rewrites(old, new, timezone_utc=timezone_utc):
        return Operation.ALTER_COLUMN_TYPE
    return Operation.ALTER_COLUMN_TYPE_COERCIBLE
