"""Lint of hand-written migration files: hazards with stable rule codes, why, and the fix.

``lint_files(["V003__add_index.sql"])`` parses each file with PostgreSQL's grammar
(pglast), runs every rule of the registry over its statements in order, and returns
:class:`Finding` values sorted by file and place. Rules and their codes live in
:mod:`dbarch.migrate.lint.registry`; the lock, rewrite and scan facts behind the messages
come from :mod:`dbarch.migrate.locks`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from dbarch.errors import DbarchError
from dbarch.migrate.lint.analysis import (
    FileState,
    Knowledge,
    LintSyntaxError,
    Positions,
    Statement,
    observe,
    parse_statements,
    transaction_kind,
)
from dbarch.migrate.lint.effects import effects
from dbarch.migrate.lint.registry import Hit, Rule, Severity, all_rules, find_rule
from dbarch.migrate.lint.suppress import read_suppressions
from dbarch.migrate.locks import fact

__all__ = [
    "Finding",
    "LintError",
    "LintSyntaxError",
    "Rule",
    "Severity",
    "all_rules",
    "find_rule",
    "lint_files",
    "lint_text",
]

STDIN = "-"
STDIN_NAME = "<stdin>"


class LintError(DbarchError):
    """A migration file that cannot be read."""


@dataclass(frozen=True)
class Finding:
    """One hazard: rule code, severity, place (1-based), message, why it hurts, the fix."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    why: str
    fix: str

    def as_dict(self) -> dict[str, object]:
        """The JSON form: keys rule, severity, file, line, column, message, why, fix."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _lock_holds(stmt: Statement, state: FileState) -> None:
    """Remember the tables this transaction now holds write-blocking locks on."""
    if stmt.transaction is None or transaction_kind(stmt.node) == "close":
        return
    for effect in effects(stmt.node, state):
        for role, mode in fact(effect.operation).locks:
            table = effect.table(role)
            if mode.blocks_writes and table is not None and not state.is_new(table):
                state.locked_in_transaction.add(table)


def lint_text(
    text: str,
    filename: str,
    *,
    assume_in_transaction: bool = False,
    knowledge: Knowledge | None = None,
) -> list[Finding]:
    """Findings of one migration file's text, in file order.

    ``assume_in_transaction`` says the runner wraps the whole file in one transaction
    (Flyway's and Rails' default). ``knowledge`` carries column types and functions from
    earlier files of the same run. Raises LintSyntaxError with ``FILE:LINE:COL``.
    """
    statements = parse_statements(text, filename, assume_in_transaction=assume_in_transaction)
    suppressions = read_suppressions(text, filename)
    state = FileState(knowledge or Knowledge(), transaction=0 if assume_in_transaction else None)
    raw: list[tuple[Rule, Statement, Hit]] = []
    rules = all_rules()
    for stmt in statements:
        for rule in rules:
            if rule.check is not None:
                raw += [(rule, stmt, hit) for hit in rule.check(stmt, state)]
        _lock_holds(stmt, state)
        observe(stmt, state)
    for rule in rules:
        if rule.finish is not None:
            raw += [(rule, stmt, hit) for stmt, hit in rule.finish(state)]
    positions = Positions(text)
    findings = []
    for rule, stmt, hit in raw:
        if suppressions.ignores(rule.code, stmt):
            continue
        line, column = positions.line_col(hit.offset if hit.offset is not None else stmt.start)
        severity = hit.severity or rule.severity
        findings.append(
            Finding(rule.code, severity, filename, line, column, hit.message, hit.why, hit.fix)
        )
    return sorted(findings, key=lambda f: (f.line, f.column, f.rule, f.message))


def _read(path: str) -> tuple[str, str]:
    if path == STDIN:
        return STDIN_NAME, sys.stdin.read()
    try:
        return path, Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LintError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise LintError(f"{path}: {exc.strerror or exc}") from None


def lint_files(paths: Sequence[str], *, assume_in_transaction: bool = False) -> list[Finding]:
    """Findings of migration files in the order given (``-`` reads standard input).

    Column types and functions defined by earlier files are known to later ones, so
    ``V001`` creating ``name varchar(50)`` lets ``V002``'s change to text be judged exactly.
    """
    knowledge = Knowledge()
    findings: list[Finding] = []
    for path in paths:
        filename, text = _read(path)
        findings += lint_text(
            text, filename, assume_in_transaction=assume_in_transaction, knowledge=knowledge
        )
    return findings
