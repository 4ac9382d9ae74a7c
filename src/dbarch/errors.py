"""One exception hierarchy for every mistake dbarch reports to a person."""

from __future__ import annotations

from dataclasses import dataclass


class DbarchError(Exception):
    """Base of every error that is the user's to fix; the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ModelError(DbarchError):
    """One or more mistakes in a model file, each with its location."""

    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in problems))


class SourceError(DbarchError):
    """A SOURCE that cannot be read: missing file, bad SQL, unreachable database."""


class DatabaseError(DbarchError):
    """PostgreSQL refused something; the message never contains a password."""
