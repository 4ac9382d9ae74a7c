"""Data types: seed 003's table of types to use and types to avoid."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime

from dbarch.checks.context import RuleContext
from dbarch.checks.english import words
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import Param, rule
from dbarch.checks.sqltext import rel
from dbarch.checks.typenames import FLOAT_TYPES, TEXT_TYPES, TypeInfo
from dbarch.model.expand import fit_name
from dbarch.model.objects import Column, Table
from dbarch.pg.quote import qualified, quote_ident


def _columns(ctx: RuleContext) -> Iterator[tuple[Table, Column, TypeInfo]]:
    """Every table column with its canonical type (partitions' columns are their
    parent's, judged there)."""
    for t in ctx.schema.tables:
        for c in t.columns if t.partition_of is None else ():
            info = ctx.facts.type_of(c)
            if info is not None:
                yield t, c, info


def _alter_type(t: Table, c: Column, new_type: str, using: str | None = None) -> str:
    sql = f"ALTER TABLE {rel(t)} ALTER COLUMN {quote_ident(c.name)} TYPE {new_type}"
    if using is not None:
        sql += f" USING {using}"
    return sql + ";"


def _about(t: Table, c: Column) -> str:
    return f"column {t.schema_}.{t.name}.{c.name}"


@rule(
    code="DBA301",
    name="timestamp-without-time-zone",
    severity=Severity.warning,
    summary="A column is timestamp without time zone; use timestamptz.",
    rationale="""
        `timestamp` stores a wall-clock reading with no zone: the same value means
        different instants to clients in different zones, and daylight-saving changes
        make some readings ambiguous. `timestamptz` stores an instant and converts on the
        way in and out (seed 003: TIMESTAMPTZ for all timestamps).
    """,
    fix="Change the type to timestamptz, saying which zone the stored readings are in.",
    bad="""
tables:
  - name: events
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: occurred_at, type: timestamp}
""",
    good="""
tables:
  - name: events
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: occurred_at, type: timestamptz}
""",
)
def timestamp_without_time_zone(ctx: RuleContext) -> Iterator[Hit]:
    for t, c, info in _columns(ctx):
        if info.builtin and info.name == "timestamp":
            new = "timestamptz" + (f"({info.modifiers[0]})" if info.modifiers else "")
            new += "[]" * info.array_dimensions
            using = None if info.array_dimensions else f"{quote_ident(c.name)} AT TIME ZONE 'UTC'"
            message = f"{_about(t, c)} is {c.type}, a reading without a time zone"
            yield Hit(Target.column(t, c), message, _alter_type(t, c, new, using))


@rule(
    code="DBA302",
    name="fixed-length-char",
    severity=Severity.warning,
    summary="A column is char(n), which pads values with blanks.",
    rationale="""
        `char(n)` pads every value with spaces to n characters, ignores trailing spaces
        when comparing but not everywhere else (LIKE, regular expressions, concatenation
        with text), and is no faster than `text` in PostgreSQL (seed 003: TEXT, not
        CHAR(n)).
    """,
    fix="Change the type to text, with a CHECK on the length if the length is a rule.",
    bad="""
tables:
  - name: countries
    columns:
      - {name: code, type: char(2), primary_key: true}
""",
    good="""
tables:
  - name: countries
    columns:
      - {name: code, type: text, primary_key: true}
    checks:
      - {name: chk_countries_code, check: "char_length(code) = 2"}
""",
)
def fixed_length_char(ctx: RuleContext) -> Iterator[Hit]:
    for t, c, info in _columns(ctx):
        if info.is_("bpchar"):
            using = f"rtrim({quote_ident(c.name)})"
            message = f"{_about(t, c)} is {c.type}, padded with blanks to a fixed length"
            yield Hit(Target.column(t, c), message, _alter_type(t, c, "text", using))


@rule(
    code="DBA303",
    name="varchar-length",
    severity=Severity.info,
    summary="A column is varchar(n); text with a CHECK is as fast and easier to change.",
    rationale="""
        In PostgreSQL `varchar(n)` is `text` with a length check that can only be changed
        by altering the column type (which may rewrite the table or touch every view
        over it). A CHECK on `char_length` says the same and is changed in a moment
        (seed 003: TEXT, not VARCHAR(n)).
    """,
    fix="Change the type to text and, where the limit is a real rule, add a CHECK.",
    bad="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: varchar(255), nullable: false}
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: text, nullable: false}
    checks:
      - {name: chk_users_email, check: "char_length(email) <= 255"}
""",
)
def varchar_length(ctx: RuleContext) -> Iterator[Hit]:
    for t, c, info in _columns(ctx):
        if info.is_("varchar") and info.modifiers:
            name = quote_ident(f"chk_{t.name}_{c.name}")
            fix = (
                f"{_alter_type(t, c, 'text')} ALTER TABLE {rel(t)} ADD CONSTRAINT {name}"
                f" CHECK (char_length({quote_ident(c.name)}) <= {info.modifiers[0]});"
            )
            message = f"{_about(t, c)} is {c.type}"
            yield Hit(Target.column(t, c), message, fix)


@rule(
    code="DBA304",
    name="money-type",
    severity=Severity.warning,
    summary="A column uses the money type.",
    rationale="""
        `money` has a fixed number of decimals taken from the `lc_monetary` setting:
        the same dump restored under another locale changes values, there is no
        currency, and division and rounding are awkward (seed 003: NUMERIC(p,s), not
        MONEY).
    """,
    fix="Change the type to numeric with an explicit scale (and store the currency).",
    bad="""
tables:
  - name: invoices
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: total, type: money}
""",
    good="""
tables:
  - name: invoices
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: total, type: "numeric(19,4)"}
""",
)
def money_type(ctx: RuleContext) -> Iterator[Hit]:
    for t, c, info in _columns(ctx):
        if info.is_("money"):
            using = f"{quote_ident(c.name)}::numeric"
            message = f"{_about(t, c)} is money, whose scale depends on the locale"
            yield Hit(Target.column(t, c), message, _alter_type(t, c, "numeric(19,4)", using))


MONEY_WORDS = (
    *("amount", "price", "cost", "total", "subtotal", "balance", "fee", "fees", "salary"),
    *("wage", "tax", "payment", "revenue", "charge", "budget", "refund", "paid"),
    *("invoice", "credit", "debit", "profit", "income", "expense", "money", "cash"),
)


@rule(
    code="DBA305",
    name="float-for-money",
    severity=Severity.warning,
    summary="A column named like an amount of money is a binary float (real, double).",
    rationale="""
        Binary floating point cannot represent most decimal fractions: 0.1 + 0.2 is not
        0.3, sums drift and equality fails. Money needs exact decimal arithmetic (seed
        003: NUMERIC(p,s) for money, not FLOAT).
    """,
    fix="Change the type to numeric with an explicit scale.",
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: total_amount, type: double precision}
""",
    good="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: total_amount, type: "numeric(12,2)"}
""",
    params=(Param("words", MONEY_WORDS, "Words of a column name that mean money."),),
)
def float_for_money(ctx: RuleContext) -> Iterator[Hit]:
    money = set(ctx.words("words"))
    for t, c, info in _columns(ctx):
        if info.is_(*FLOAT_TYPES) and money & set(words(c.name)):
            using = f"{quote_ident(c.name)}::numeric(19,4)"
            message = f"{_about(t, c)} looks like money but is {c.type}, a binary float"
            yield Hit(Target.column(t, c), message, _alter_type(t, c, "numeric(19,4)", using))


_SEQUENCE_DEFAULT = re.compile(r"nextval\('((?:[^']|'')+)'::regclass\)")


def _counter(c: Column, info: TypeInfo) -> str | None:
    """How ``c`` counts up (identity, serial, sequence default), or ``None``."""
    if c.identity is not None:
        return "an identity column"
    if info.serial:
        return "a serial column"
    if c.default is not None and _SEQUENCE_DEFAULT.search(c.default):
        return "filled from a sequence"
    return None


@rule(
    code="DBA306",
    name="integer-key-overflow",
    severity=Severity.warning,
    summary="A generated key is integer or smallint and may run out of values.",
    rationale="""
        An integer key stops at 2,147,483,647 (smallint at 32,767); sequences also burn
        values on rollbacks and retries. When it runs out every insert fails, and
        widening the column rewrites the table and every referencing one under an
        exclusive lock (seed 003: BIGINT for IDs).
    """,
    fix="Change the key (and the columns referencing it) to bigint.",
    bad="""
tables:
  - name: orders
    columns:
      - {name: id, type: serial, primary_key: true}
""",
    good="""
tables:
  - name: orders
    columns:
      - {name: id, type: bigint, identity: {generation: always}, primary_key: true}
""",
)
def integer_key_overflow(ctx: RuleContext) -> Iterator[Hit]:
    for t, c, info in _columns(ctx):
        how = _counter(c, info)
        if how is None or not info.is_("int2", "int4"):
            continue
        statements = [_alter_type(t, c, "bigint")]
        match = _SEQUENCE_DEFAULT.search(c.default or "")
        if match is not None:  # a sequence default (serial in SQL): widen the sequence too
            sequence = match.group(1).replace("''", "'")  # SQL text from the default
            statements.append(f"ALTER SEQUENCE {sequence} AS bigint;")
        elif info.serial:
            sequence = qualified(t.schema_, fit_name(f"{t.name}_{c.name}_seq"))
            statements.append(f"ALTER SEQUENCE {sequence} AS bigint;")
        for other, fk in ctx.facts.referencing(t):
            if c.name in fk.references.columns:
                mine = fk.columns[fk.references.columns.index(c.name)]
                column = ctx.facts.column(other, mine)
                if column is not None:
                    statements.append(_alter_type(other, column, "bigint"))
        limit = "32,767" if info.name == "int2" else "2,147,483,647"
        message = f"{_about(t, c)} is {c.type}, {how}: it stops at {limit}"
        yield Hit(Target.column(t, c), message, " ".join(statements))


@rule(
    code="DBA307",
    name="json-not-jsonb",
    severity=Severity.warning,
    summary="A column is json; jsonb is what you want almost always.",
    rationale="""
        `json` keeps the text as written and re-parses it on every access; it cannot be
        indexed with GIN, has no equality operator (so no DISTINCT, GROUP BY or unique
        key) and keeps duplicate keys. `jsonb` is parsed once and indexable (seed 003:
        JSONB for semi-structured data).
    """,
    fix="Change the type to jsonb.",
    bad="""
tables:
  - name: webhooks
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: payload, type: json}
""",
    good="""
tables:
  - name: webhooks
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: payload, type: jsonb}
""",
)
def json_not_jsonb(ctx: RuleContext) -> Iterator[Hit]:
    for t, c, info in _columns(ctx):
        if info.builtin and info.name == "json":
            new = "jsonb" + "[]" * info.array_dimensions
            using = f"{quote_ident(c.name)}::{new}"
            message = f"{_about(t, c)} is {c.type}, stored as text and parsed on every use"
            yield Hit(Target.column(t, c), message, _alter_type(t, c, new, using))


_INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]{0,17})\Z")
_DECIMAL = re.compile(r"[+-]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?\Z"
)


def _valid(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


# What the values are, tried in order: (name, SQL type, test of one value)
_ENCODINGS: tuple[tuple[str, str, Callable[[str], bool]], ...] = (
    ("whole numbers", "bigint", lambda v: bool(_INTEGER.match(v))),
    ("numbers", "numeric", lambda v: bool(_INTEGER.match(v) or _DECIMAL.match(v))),
    ("dates", "date", lambda v: bool(_DATE.match(v)) and _valid(date.fromisoformat, v)),
    (
        "timestamps",
        "timestamptz",
        lambda v: bool(_TIMESTAMP.match(v)) and _valid(datetime.fromisoformat, v),
    ),
)
SKIP_WORDS = (
    *("code", "zip", "postal", "postcode", "phone", "mobile", "fax", "sku", "isbn", "ssn"),
    *("iban", "pin", "version", "number", "no", "account", "reference", "ref"),
)


@rule(
    code="DBA308",
    name="text-encoded-values",
    severity=Severity.warning,
    summary="A text column holds only numbers or dates (from a sample of the data).",
    rationale="""
        Numbers and dates kept as text sort wrongly ('10' < '9'), accept garbage
        ('2024-02-31', 'n/a'), cannot be summed or compared without casts, and take more
        space (seed 003: appropriate data types, not TEXT for everything). Read from a
        sample of the live rows; identifiers such as codes, postal codes and phone
        numbers are left alone.
    """,
    fix="Change the column to the type its values have.",
    bad="""
CREATE TABLE readings (id bigint PRIMARY KEY, taken_on text, value text);
INSERT INTO readings SELECT i, '2024-01-' || lpad((i % 28 + 1)::text, 2, '0'), i * 10
FROM generate_series(1, 50) i;
""",
    good="""
CREATE TABLE readings (id bigint PRIMARY KEY, taken_on date, value bigint);
INSERT INTO readings SELECT i, date '2024-01-01' + i % 28, i * 10
FROM generate_series(1, 50) i;
""",
    params=(
        Param("min_samples", 20, "Sampled non-null values needed before judging a column."),
        Param("skip_words", SKIP_WORDS, "Words of column names that are identifiers."),
    ),
    statistics=True,
)
def text_encoded_values(ctx: RuleContext) -> Iterator[Hit]:
    skip = set(ctx.words("skip_words"))
    for t, c, info in _columns(ctx):
        stats = ctx.table_stats(t)
        if stats is None or not info.is_(*TEXT_TYPES) or skip & set(words(c.name)):
            continue
        values = stats.samples.get(c.name, ())
        if len(values) < ctx.number("min_samples"):
            continue
        for what, sql_type, test in _ENCODINGS:
            if all(test(v) for v in values):
                using = f"{quote_ident(c.name)}::{sql_type}"
                message = (
                    f"{_about(t, c)} is {c.type}, but all {len(values)} sampled values are"
                    f" {what} (sample of live rows)"
                )
                yield Hit(Target.column(t, c), message, _alter_type(t, c, sql_type, using))
                break
