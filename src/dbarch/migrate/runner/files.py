"""The migrations directory: Flyway-named files, parsed, ordered and validated.

``V003__add_orders.sql`` is the migration to version 3 ("add orders"); ``U003__add_orders.sql``
undoes it. A version is one or more numbers separated by ``.`` or ``_`` (``V1_2__x.sql``
is version 1.2) and versions compare as numbers, so ``V10`` comes after ``V9`` and ``V3``
and ``V003`` are the same version. Gaps are allowed; two files for one version are not.
Other files than ``*.sql`` are ignored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from dbarch.errors import DbarchError

_NAME = re.compile(r"(?P<kind>[VU])(?P<version>\d+(?:[._]\d+)*)__(?P<name>[^\s_][^/]*)\.sql\Z")
_WORD = re.compile(r"[A-Za-z0-9_]+\Z")
MIN_WIDTH = 3

Version = tuple[int, ...]


class MigrationFileError(DbarchError):
    """Files of a migrations directory that cannot be used, each named with its problem."""


class FileKind(StrEnum):
    versioned = "V"
    undo = "U"


def parse_version(text: str) -> Version:
    """``"003"`` -> ``(3,)``, ``"1.2"`` or ``"1_2"`` -> ``(1, 2)``; DbarchError otherwise."""
    parts = re.split(r"[._]", text.strip())
    if not all(part.isdigit() for part in parts):
        raise DbarchError(f"{text!r} is not a migration version (numbers separated by dots)")
    return tuple(int(part) for part in parts)


def version_label(version: Version) -> str:
    """``(1, 2)`` -> ``"1.2"``."""
    return ".".join(str(part) for part in version)


@dataclass(frozen=True)
class MigrationFile:
    """One file of the directory: its kind, version, description, bytes and checksum."""

    path: Path
    kind: FileKind
    version: Version
    version_text: str
    description: str
    content: bytes

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def checksum(self) -> str:
        """sha256 of the file's bytes, hex."""
        return hashlib.sha256(self.content).hexdigest()

    @property
    def text(self) -> str:
        """The file as text (UTF-8, a byte-order mark dropped)."""
        try:
            return self.content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MigrationFileError(
                f"{self.path}: not UTF-8 text (byte {exc.start}: {exc.reason})"
            ) from None


@dataclass(frozen=True)
class Migrations:
    """The validated directory: versioned and undo files by version, in version order."""

    directory: Path
    versioned: tuple[MigrationFile, ...]
    undo: dict[Version, MigrationFile]

    def find(self, version: Version) -> MigrationFile | None:
        """The versioned file of ``version``, if any."""
        return next((f for f in self.versioned if f.version == version), None)

    def next_version(self) -> tuple[Version, str]:
        """The version after the highest one, and its text (zero-padded like the files,
        at least three digits: ``003``)."""
        if not self.versioned:
            return (1,), "1".zfill(MIN_WIDTH)
        last = self.versioned[-1]
        head = last.version[0] + 1
        width = max(MIN_WIDTH, len(re.split(r"[._]", last.version_text)[0]))
        return (head,), str(head).zfill(width)


def parse_name(path: Path) -> tuple[FileKind, Version, str, str]:
    """Kind, version, version text and description of a file name like ``V003__add_x.sql``."""
    match = _NAME.match(path.name)
    if match is None:
        raise MigrationFileError(
            f"{path}: not a migration file name; expected V<version>__<description>.sql "
            "or U<version>__<description>.sql (for example V003__add_orders.sql)"
        )
    text = match["version"]
    return FileKind(match["kind"]), parse_version(text), text, match["name"].replace("_", " ")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MigrationFileError(f"{path}: {exc.strerror}") from None


def read_migrations(directory: Path) -> Migrations:
    """Read and validate ``directory``; MigrationFileError lists every problem found."""
    if not directory.is_dir():
        raise MigrationFileError(f"{directory}: no such migrations directory")
    problems: list[str] = []
    found: dict[FileKind, dict[Version, MigrationFile]] = {kind: {} for kind in FileKind}
    for path in sorted(p for p in directory.iterdir() if p.suffix == ".sql" and p.is_file()):
        try:
            kind, version, text, description = parse_name(path)
        except MigrationFileError as exc:
            problems.append(str(exc))
            continue
        file = MigrationFile(path, kind, version, text, description, _read(path))
        twin = found[kind].get(version)
        if twin is not None:
            problems.append(
                f"{path}: version {version_label(version)} is also {twin.path.name}; "
                "each version has one file"
            )
            continue
        found[kind][version] = file
    for version, undo in sorted(found[FileKind.undo].items()):
        if version not in found[FileKind.versioned]:
            problems.append(f"{undo.path}: no V{undo.version_text}__*.sql for this undo file")
    if problems:
        raise MigrationFileError("\n".join(problems))
    versioned = tuple(file for _, file in sorted(found[FileKind.versioned].items()))
    return Migrations(directory, versioned, dict(sorted(found[FileKind.undo].items())))


def migration_name(name: str) -> str:
    """NAME of ``migrate new`` as the description part of a file name: words joined by
    ``_``; DbarchError for characters that do not belong in a file name."""
    words = re.split(r"[\s\-]+", name.strip())
    joined = "_".join(word for word in words if word)
    if not joined or not _WORD.match(joined) or joined.startswith("_"):
        raise DbarchError(
            f"{name!r} is not a migration name: use letters, digits, spaces, - and _ "
            "(for example add_orders)"
        )
    return joined


IRREVERSIBLE_MARK = "-- dbarch:irreversible"


def irreversible_reason(text: str) -> str | None:
    """Why an undo file cannot undo its migration: the rest of its
    ``-- dbarch:irreversible`` line; None when it has no such line."""
    for line in text.splitlines():
        if line.startswith(IRREVERSIBLE_MARK):
            return line[len(IRREVERSIBLE_MARK) :].strip(" :") or "marked irreversible"
    return None
