"""``-- dbarch:ignore RULE`` (one statement) and ``-- dbarch:ignore-file RULE`` comments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pglast.parser import ParseError, scan

from dbarch.errors import Location
from dbarch.migrate.lint.analysis import LintSyntaxError, Positions, Statement
from dbarch.migrate.lint.registry import find_rule

_DIRECTIVE = re.compile(r"dbarch:(ignore-file|ignore)\b([^\n*]*)")


class UnknownRuleError(LintSyntaxError):
    """A suppression comment names a rule that does not exist."""


@dataclass
class Suppressions:
    """Rule codes ignored in the whole file, and per line of a directive."""

    file: set[str] = field(default_factory=set)
    lines: dict[int, set[str]] = field(default_factory=dict)
    comment_lines: set[int] = field(default_factory=set)

    def ignores(self, code: str, stmt: Statement) -> bool:
        """True when ``code`` is ignored for ``stmt``: file-wide, on one of its lines, or in
        the comment lines right above it."""
        if code in self.file:
            return True
        lines = set(range(stmt.line, stmt.end_line + 1))
        above = stmt.line - 1
        while above in self.comment_lines:
            lines.add(above)
            above -= 1
        return any(code in self.lines.get(line, ()) for line in lines)


def _codes(raw: str, where: Location) -> set[str]:
    codes = set()
    for word in re.split(r"[\s,]+", raw.strip()):
        if not word:
            continue
        found = find_rule(word)
        if found is None:
            raise UnknownRuleError(f"{where}: dbarch:ignore names an unknown rule {word!r}")
        codes.add(found.code)
    if not codes:
        raise UnknownRuleError(f"{where}: dbarch:ignore needs a rule code, e.g. DBA101")
    return codes


def read_suppressions(text: str, filename: str) -> Suppressions:
    """The suppression directives in the comments of ``text``."""
    positions = Positions(text)
    found = Suppressions()
    try:
        tokens = scan(text)
    except ParseError:
        return found  # the parser reports the syntax error with its location
    code_lines: set[int] = set()
    for token in tokens:
        first, _ = positions.line_col(token.start)
        last, _ = positions.line_col(token.end)
        if token.name not in ("SQL_COMMENT", "C_COMMENT"):
            code_lines.update(range(first, last + 1))
            continue
        found.comment_lines.update(range(first, last + 1))
        comment = text[token.start : token.end + 1]
        for match in _DIRECTIVE.finditer(comment):
            line, col = positions.line_col(token.start + match.start())
            codes = _codes(match.group(2), Location(filename, line, col))
            if match.group(1) == "ignore-file":
                found.file |= codes
            else:
                found.lines.setdefault(line, set()).update(codes)
    found.comment_lines -= code_lines
    return found
