"""Naming: the conventions of seed 002 and the identifiers PostgreSQL mangles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

from dbarch.checks.context import RuleContext, all_targets
from dbarch.checks.english import (
    is_plural,
    pluralize,
    replace_last_word,
    singularize,
    snake_case,
    words,
)
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import Param, rule
from dbarch.checks.sqltext import rename
from dbarch.model.expand import (
    NAME_BYTES,
    exclusion_words,
    expression_words,
    fit_name,
    index_words,
)
from dbarch.model.objects import (
    CheckConstraint,
    ExclusionConstraint,
    ForeignKey,
    Function,
    Index,
    MaterializedView,
    NamingConvention,
    PrimaryKey,
    UniqueConstraint,
    View,
)
from dbarch.pg.quote import needs_quoting

_STYLES = {
    "snake_case": re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*\Z"),
    "camelCase": re.compile(r"[a-z][a-zA-Z0-9]*\Z"),
    "PascalCase": re.compile(r"[A-Z][a-zA-Z0-9]*\Z"),
}


def _styled(name: str, style: str) -> str:
    parts = words(name) or ["unnamed"]
    if style == "snake_case":
        return snake_case(name)
    camel = "".join(p.capitalize() for p in parts)
    return camel if style == "PascalCase" else camel[0].lower() + camel[1:]


@rule(
    code="DBA201",
    name="naming-style",
    severity=Severity.warning,
    summary="A name does not follow the naming style (snake_case by default).",
    rationale="""
        One style for every table, column, constraint, index, view and function makes
        names guessable. snake_case is PostgreSQL's own: unquoted identifiers fold to
        lower case, so any other style must be double-quoted in every query.
    """,
    fix="Rename the object in the configured style.",
    bad="""
tables:
  - name: OrderItems
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: unitPrice, type: "numeric(12,2)"}
""",
    good="""
tables:
  - name: order_items
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: unit_price, type: "numeric(12,2)"}
""",
    params=(
        Param(
            "style",
            "snake_case",
            "The naming style every name follows.",
            choices=tuple(_STYLES),
        ),
    ),
)
def naming_style(ctx: RuleContext) -> Iterator[Hit]:
    style = ctx.text("style")
    for target in all_targets(ctx.schema):
        if target.name and not _STYLES[style].match(target.name):
            message = f"{target.kind} {target.label}: '{target.name}' is not {style}"
            yield Hit(target, message, _rename_to(target, _styled(target.name, style)))


def _rename_to(target: Target, better: str) -> str:
    """The rename to ``better``, or advice when no better name can be derived."""
    if better == target.name or not better.isascii():
        return "Rename it using only ASCII letters, digits and underscores."
    return rename(target, better)


@rule(
    code="DBA202",
    name="plural-table-names",
    severity=Severity.warning,
    summary="A table name is singular where the convention wants plural (or the reverse).",
    rationale="""
        Seed 002's convention names a table for the set of rows it holds, in the plural
        (`users`, `order_items`); one rule for all tables spares everyone the guessing.
        The last word of the name is judged, with a dictionary of irregular and
        uncountable nouns.
    """,
    fix="Rename the table so that its last word is plural (or singular, as configured).",
    bad="""
tables:
  - name: order_item
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
    good="""
tables:
  - name: order_items
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
    params=(
        Param(
            "number",
            "plural",
            "Whether table names are plural or singular.",
            choices=("plural", "singular"),
        ),
    ),
)
def plural_table_names(ctx: RuleContext) -> Iterator[Hit]:
    plural = ctx.text("number") == "plural"
    for t in ctx.schema.tables:
        last = t.name.rsplit("_", 1)[-1]
        if t.partition_of is not None or not last.isalpha() or last != last.lower():
            continue
        if len(last) < 3:  # t, ab: abbreviations, not nouns
            continue
        if is_plural(last) == plural:
            continue
        better = replace_last_word(t.name, pluralize(last) if plural else singularize(last))
        if better == t.name:
            continue
        number = "plural" if plural else "singular"
        message = f"table {t.schema_}.{t.name}: the name should be {number} ('{better}')"
        yield Hit(Target.relation(t), message, rename(Target.relation(t), better))


_TEMPLATE_FIELDS = {
    PrimaryKey: "primary_key",
    ForeignKey: "foreign_key",
    UniqueConstraint: "unique",
    CheckConstraint: "check",
    ExclusionConstraint: "exclusion",
    Index: "index",
}


def _affixes(template: str) -> tuple[str, str] | None:
    """The literal text before the first and after the last placeholder."""
    first, last = template.find("{"), template.rfind("}")
    if first < 0 or last < 0:
        return None
    return template[:first], template[last + 1 :]


def _conforms(name: str, template: str) -> bool:
    affixes = _affixes(template)
    if affixes is None:
        return True
    prefix, suffix = affixes
    return name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix + suffix)


def _key_words(node: object) -> list[str]:
    """The words a naming template's ``{columns}`` stands for, as the loader fills it."""
    if isinstance(node, CheckConstraint):
        return expression_words(node.check, functions=False)
    if isinstance(node, ExclusionConstraint):
        return exclusion_words(node)
    if isinstance(node, Index):
        return index_words(node)
    return list(getattr(node, "columns", ()))


def _expected(naming: NamingConvention, field: str, owner: str, node: object) -> str:
    ref = node.references.table if isinstance(node, ForeignKey) else ""
    columns = "_".join(_key_words(node))
    text = getattr(naming, field).format(table=owner, columns=columns, ref_table=ref)
    return fit_name(text.strip("_"))


@rule(
    code="DBA203",
    name="constraint-index-names",
    severity=Severity.warning,
    summary="A constraint or index name does not follow the model's naming templates.",
    rationale="""
        Seed 002 names keys and indexes by kind, table and columns (`pk_users_id`,
        `fk_orders_user_id`, `uq_users_email`, `chk_orders_amount`, `idx_orders_user_id`):
        an error message or a plan then says what it is about. The prefix and suffix of
        the model's `naming` templates are what is checked, so a model with its own
        templates is judged by them.
    """,
    fix="Rename the constraint or index as its naming template says.",
    bad="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint}
      - {name: email, type: text, nullable: false}
    primary_key: {name: users_pkey, columns: [id]}
    unique:
      - {name: users_email_key, columns: [email]}
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint}
      - {name: email, type: text, nullable: false}
    primary_key: {name: pk_users_id, columns: [id]}
    unique:
      - {name: uq_users_email, columns: [email]}
""",
)
def constraint_index_names(ctx: RuleContext) -> Iterator[Hit]:
    naming = ctx.schema.naming
    for target in all_targets(ctx.schema):
        node = target.nodes[-1]
        field = _TEMPLATE_FIELDS.get(type(node))
        if field is None or not target.name or target.parent is None:
            continue
        fields = [field]
        if isinstance(node, Index) and node.unique:
            fields.append("unique")
        if any(_conforms(target.name, getattr(naming, f)) for f in fields):
            continue
        better = _expected(naming, field, target.parent, node)
        template = getattr(naming, field)
        message = f"{target.kind} {target.label} does not match the naming template '{template}'"
        yield Hit(target, message, rename(target, better))


@rule(
    code="DBA204",
    name="object-prefixes",
    severity=Severity.warning,
    summary="A view, function or trigger name lacks its prefix (vw_, fn_, trg_).",
    rationale="""
        Seed 002 prefixes views (`vw_active_users`), functions (`fn_calculate_total`)
        and triggers (`trg_users_before_update`), so that a name in a query, a plan or a
        log says what kind of object it is.
    """,
    fix="Rename the object with its prefix (and update the code that calls it).",
    bad="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: active, type: boolean, nullable: false}
views:
  - name: active_users
    query: SELECT id FROM users WHERE active
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: active, type: boolean, nullable: false}
views:
  - name: vw_active_users
    query: SELECT id FROM users WHERE active
""",
    params=(
        Param("view_prefix", "vw_", "Prefix of view names ('' to skip views)."),
        Param(
            "materialized_view_prefix",
            "mv_",
            "Prefix of materialized view names ('' to skip them).",
        ),
        Param("function_prefix", "fn_", "Prefix of function and procedure names ('' to skip)."),
        Param("trigger_prefix", "trg_", "Prefix of trigger names ('' to skip triggers)."),
    ),
)
def object_prefixes(ctx: RuleContext) -> Iterator[Hit]:
    for target in all_targets(ctx.schema):
        node = target.nodes[-1]
        if isinstance(node, View):
            prefix = ctx.text("view_prefix")
        elif isinstance(node, MaterializedView):
            prefix = ctx.text("materialized_view_prefix")
        elif isinstance(node, Function):
            prefix = ctx.text("function_prefix")
        elif target.kind == "trigger":
            prefix = ctx.text("trigger_prefix")
        else:
            continue
        if prefix and not target.name.startswith(prefix):
            message = f"{target.kind} {target.label}: the name does not start with '{prefix}'"
            yield Hit(target, message, rename(target, prefix + target.name))


@rule(
    code="DBA205",
    name="identifier-too-long",
    severity=Severity.error,
    summary="A name is longer than 63 bytes, which PostgreSQL silently truncates.",
    rationale="""
        PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and drops
        the rest with only a NOTICE: the database then holds a name the model does not,
        two long names can collide, and every later comparison with the model fails.
    """,
    fix="Choose a name of at most 63 bytes (UTF-8).",
    bad="""
tables:
  - name: customer_subscription_billing_adjustment_history_entries_archive
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
    good="""
tables:
  - name: billing_adjustment_archive
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
)
def identifier_too_long(ctx: RuleContext) -> Iterator[Hit]:
    for target in all_targets(ctx.schema):
        size = len(target.name.encode())
        if size > NAME_BYTES:
            message = (
                f"{target.kind} {target.label}: the name is {size} bytes; PostgreSQL keeps"
                f" only the first {NAME_BYTES}"
            )
            yield Hit(target, message, rename(target, fit_name(target.name)))


# Keywords that cannot be used as a name in every position without double quotes.
_KEYWORDS = (
    frozenset(COL_NAME_KEYWORDS) | frozenset(TYPE_FUNC_NAME_KEYWORDS) | frozenset(RESERVED_KEYWORDS)
)
# PostgreSQL's grammar takes a column-name keyword (time, position, values) unquoted as
# the name of a table, column, index, constraint or schema (ColId), and a type-function
# keyword (left, similar) as a function's name (type_function_name). A type is created
# under a ColId and used under a type_function_name, so every keyword needs quotes.
_UNQUOTABLE_NAMES = {
    "function": frozenset(RESERVED_KEYWORDS) | frozenset(COL_NAME_KEYWORDS),
    "type": _KEYWORDS,
    "domain": _KEYWORDS,
}
_UNQUOTABLE_RELATION_NAMES = frozenset(RESERVED_KEYWORDS) | frozenset(TYPE_FUNC_NAME_KEYWORDS)


def _must_quote_keyword(target: Target) -> bool:
    """True when ``target``'s name is a keyword PostgreSQL only takes double-quoted where
    that kind of object is named or used."""
    return target.name in _UNQUOTABLE_NAMES.get(target.kind, _UNQUOTABLE_RELATION_NAMES)


def _unkeyworded(target: Target) -> str:
    """A name for ``target`` that is no keyword: the plural for a relation, else the
    name prefixed with the singular of its table."""
    if target.kind in ("table", "view", "materialized view"):
        better = pluralize(target.name)
    elif target.parent is not None:
        better = f"{singularize(target.parent.rsplit('_', 1)[-1])}_{target.name}"
    else:
        better = f"{target.name}_{target.kind.replace(' ', '_')}"
    return better if better not in _KEYWORDS else better + "_"


@rule(
    code="DBA206",
    name="reserved-word-name",
    severity=Severity.warning,
    summary="A name is an SQL keyword that must be double-quoted (user, order, table...).",
    rationale="""
        A table called `user` or a column called `order` only works double-quoted, in
        every query, by every tool and person, forever; forgetting the quotes gives a
        syntax error or, worse, a different meaning (`SELECT user` is the current role).
        Keywords PostgreSQL accepts bare where the object is named are not reported: a
        column may be called `time` or `position`, a function may not.
    """,
    fix="Rename the object to a word that is not a keyword.",
    bad="""
tables:
  - name: user
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: order, type: integer}
""",
    good="""
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: sort_order, type: integer}
""",
)
def reserved_word_name(ctx: RuleContext) -> Iterator[Hit]:
    for target in all_targets(ctx.schema):
        if _must_quote_keyword(target):
            message = (
                f"{target.kind} {target.label}: '{target.name}' is the SQL keyword"
                f" {target.name.upper()} and must always be double-quoted"
            )
            yield Hit(target, message, rename(target, _unkeyworded(target)))


@rule(
    code="DBA207",
    name="name-needs-quoting",
    severity=Severity.warning,
    summary="A name needs double quotes: upper case, spaces or other special characters.",
    rationale="""
        PostgreSQL folds unquoted identifiers to lower case, so `"OrderItems"` or
        `"unit price"` must be quoted exactly, with the same case, in every query;
        unquoted it names a different (usually missing) object.
    """,
    fix="Rename the object to lower case letters, digits and underscores.",
    bad="""
tables:
  - name: Customer Accounts
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
    good="""
tables:
  - name: customer_accounts
    columns:
      - {name: id, type: bigint, primary_key: true}
""",
)
def name_needs_quoting(ctx: RuleContext) -> Iterator[Hit]:
    for target in all_targets(ctx.schema):
        if target.name and target.name not in _KEYWORDS and needs_quoting(target.name):
            message = (
                f"{target.kind} {target.label}: '{target.name}' must be double-quoted in"
                " every query"
            )
            yield Hit(target, message, _rename_to(target, snake_case(target.name)))
