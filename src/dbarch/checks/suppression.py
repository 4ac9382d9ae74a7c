"""Suppressing findings on one object, and the rule that keeps suppressions honest.

Two ways, both naming rules by code or name, and both covering the object's parts (a
table's suppression covers its columns, constraints and indexes):

* the model file: ``ignore: [DBA101, plural-table-names]`` on a table, column,
  constraint, index, view, function...;
* the object's comment: ``COMMENT ON TABLE t IS 'Lookup of codes. dbarch:ignore DBA101'``
  -- the one place a suppression survives the trip through SQL and the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dbarch.checks.context import RuleContext, all_targets
from dbarch.checks.findings import Hit, Severity, Target
from dbarch.checks.registry import all_rules, find_rule, rule
from dbarch.model.objects import Node
from dbarch.spelling import did_you_mean

_NOTE = re.compile(r"dbarch:ignore\s+([\w-]+(?:\s*,\s*[\w-]+)*)", re.IGNORECASE)


def ignore_keys(node: Node) -> list[str]:
    """The rule codes or names ``node`` suppresses: its ``ignore`` field and every
    ``dbarch:ignore CODE[,CODE...]`` note in its comment."""
    keys = list(getattr(node, "ignore", ()))
    comment = getattr(node, "comment", None)
    if isinstance(comment, str):
        for match in _NOTE.finditer(comment):
            keys += [k.strip() for k in match.group(1).split(",")]
    return keys


def suppressed_codes(target: Target) -> frozenset[str]:
    """Codes of the rules not to report on ``target`` (its own and its parents' ignores)."""
    codes: set[str] = set()
    for node in target.nodes:
        for key in ignore_keys(node):
            found = find_rule(key)
            if found is not None:
                codes.add(found.code)
    return frozenset(codes)


@rule(
    code="DBA001",
    name="unknown-rule-in-ignore",
    severity=Severity.warning,
    summary="A suppression names a rule that does not exist.",
    rationale="""
        An `ignore` entry or a `dbarch:ignore` note that names no rule suppresses nothing:
        usually a typo, so the finding it was meant to silence is still reported, or a
        rule code from another tool.
    """,
    fix="Write a code or name that `dbarch rules` lists, or drop the entry.",
    bad="""
tables:
  - name: audit_events
    ignore: [DBA10]
    columns:
      - {name: payload, type: jsonb}
""",
    good="""
tables:
  - name: audit_events
    ignore: [DBA101]
    columns:
      - {name: payload, type: jsonb}
""",
)
def unknown_rule_in_ignore(ctx: RuleContext) -> Iterator[Hit]:
    known = [r.code for r in all_rules()] + [r.name for r in all_rules()]
    for target in all_targets(ctx.schema):
        for key in ignore_keys(target.nodes[-1]):
            if find_rule(key) is None:
                hint = did_you_mean(key, known) or "."
                yield Hit(
                    target,
                    f"{target.kind} {target.label} suppresses '{key}', which is not a rule",
                    "Name a rule that `dbarch rules` lists" + hint,
                )
