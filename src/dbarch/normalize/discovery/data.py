"""Rows of one relation, dictionary-encoded: one integer code per distinct value.

Values compare as text exactly as stored: a CSV field is taken as written (no trimming,
no parsing; an empty field is the empty string), a database value as its text output.
NULL (``None``) is a value of its own that equals itself.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dbarch.normalize.fd import Attributes, NormalizeError

CHUNK_ROWS = 65_536


@dataclass(frozen=True)
class TableData:
    """A relation's rows as codes: ``codes[j][i]`` is the value of column ``j`` in row ``i``
    (equal codes exactly when equal values); ``cardinality[j]`` distinct values."""

    name: str
    columns: tuple[str, ...]
    codes: tuple[np.ndarray, ...]
    cardinality: tuple[int, ...]

    @property
    def rows(self) -> int:
        """Number of rows."""
        return len(self.codes[0]) if self.codes else 0

    @property
    def attributes(self) -> Attributes:
        """The columns as an attribute universe."""
        return Attributes(self.columns)

    def take(self, rows: np.ndarray) -> TableData:
        """The relation of the rows at indices ``rows`` (codes and cardinalities kept, so a
        value has the same code in both)."""
        return TableData(
            self.name, self.columns, tuple(c[rows] for c in self.codes), self.cardinality
        )


class Encoder:
    """Streams rows into per-column codes, a chunk at a time (memory stays ~8 bytes a cell).

    A value's first code comes from a counter that advances on every lookup (so the whole
    loop runs in C through ``map``); codes are made dense once at the end.
    """

    def __init__(self, width: int) -> None:
        self.dictionaries: list[dict[str | None, int]] = [{} for _ in range(width)]
        self.counters = [itertools.count() for _ in range(width)]
        self.chunks: list[list[np.ndarray]] = [[] for _ in range(width)]

    def add(self, rows: Sequence[Sequence[str | None]]) -> None:
        """Encode a batch of rows (each as long as the header)."""
        if not rows:
            return
        for j, values in enumerate(zip(*rows, strict=True)):
            codes = map(self.dictionaries[j].setdefault, values, self.counters[j])
            self.chunks[j].append(np.fromiter(codes, dtype=np.int64, count=len(values)))

    def finish(self, name: str, columns: Sequence[str]) -> TableData:
        """The encoded relation, codes dense (``0 .. cardinality - 1``)."""
        codes = []
        for chunks in self.chunks:
            raw = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
            _, dense = np.unique(raw, return_inverse=True)
            codes.append(dense.astype(np.int32).reshape(-1))
        cardinality = tuple(len(d) for d in self.dictionaries)
        return TableData(name, tuple(columns), tuple(codes), cardinality)


def check_columns(columns: Sequence[str], where: str) -> None:
    """Column names must be present and distinct."""
    for i, name in enumerate(columns, start=1):
        if name == "":
            raise NormalizeError(f"{where}: column {i} has no name")
    try:
        Attributes(tuple(columns))
    except NormalizeError as exc:
        raise NormalizeError(f"{where}: {exc}") from None


def encode_rows(
    name: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
) -> TableData:
    """Encode ``rows`` (sequences of text or ``None``) of a relation with ``columns``."""
    encoder = Encoder(len(columns))
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, CHUNK_ROWS)):
        encoder.add(batch)
    return encoder.finish(name, columns)


def _csv_rows(reader: Iterable[list[str]], width: int, path: Path) -> Iterable[list[str]]:
    for row in reader:
        if not row and width == 1:
            row = [""]  # a one-column file writes an empty value as an empty line
        if len(row) != width:
            line = getattr(reader, "line_num", "?")
            raise NormalizeError(f"{path}:{line}: {len(row)} fields, the header has {width}")
        yield row


def _not_utf8(path: Path) -> NormalizeError:
    """``FILE:LINE: not UTF-8 text`` for the first byte that does not decode."""
    raw = path.read_bytes()
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = raw.count(b"\n", 0, offset) + 1
        byte = raw[offset : offset + 1].hex()
        return NormalizeError(f"{path}:{line}: not UTF-8 text (byte 0x{byte}: {exc.reason})")
    return NormalizeError(f"{path}: not UTF-8 text")


def csv_rows(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    """The header and an iterator over the rows of a CSV file (errors: NormalizeError).

    The reader is strict: a quote that is never closed or stray text after a closing
    quote is an error with its line, not a value read some other way.
    """
    try:
        f = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise NormalizeError(f"{path}: cannot read: {exc.strerror}") from None
    reader = csv.reader(f, strict=True)

    def rows() -> Iterator[list[str]]:
        with f:
            start = reader.line_num + 1  # where the next record begins
            try:
                for row in _csv_rows(reader, len(header), path):
                    yield row
                    start = reader.line_num + 1
            except UnicodeDecodeError:
                raise _not_utf8(path) from None
            except csv.Error as exc:
                raise NormalizeError(f"{path}:{start}: {exc}") from None

    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        f.close()
        raise _not_utf8(path) from None
    except csv.Error as exc:
        f.close()
        raise NormalizeError(f"{path}:1: {exc}") from None
    if header is None:
        f.close()
        raise NormalizeError(f"{path}:1: empty file (a header row is expected)")
    check_columns(header, f"{path}:1")
    return header, rows()


def load_csv(path: Path) -> TableData:
    """A CSV file with a header row, comma-separated, UTF-8 (a byte-order mark is skipped)."""
    header, rows = csv_rows(path)
    return encode_rows(path.name, header, rows)
