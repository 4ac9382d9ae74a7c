"""Progress reporting for long discoveries, without tying the library to a terminal."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: called as work advances; the CLI draws a bar."""


def silent(phase: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""
