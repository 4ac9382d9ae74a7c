"""Suggestions for a mistyped word."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate, or ``""``."""
    match = difflib.get_close_matches(word, sorted(set(candidates)), n=1)
    return f"; did you mean '{match[0]}'?" if match else ""
