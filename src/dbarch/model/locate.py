"""Read YAML or JSON model text into plain data, remembering where every node is.

A node is addressed by its *path*: the keys and list indexes leading to it from the top,
e.g. ``("tables", 3, "columns", 1, "type")`` -- the same shape as a pydantic error's
``loc``. Positions are 1-based lines and columns counted in characters.

Mapping keys are always read as their source text (``yes:`` is the key ``"yes"``), and
for plain scalars that YAML or JSON types as something other than a string (``0``,
``true``, ``2024-01-01``) the source text is kept too, so a field that wants SQL text
can get exactly what was written.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Literal

import yaml

from dbarch.errors import Location, ModelError

PathItem = str | int
Path = tuple[PathItem, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@dataclass
class Document:
    """Parsed data with the position of every value and mapping key."""

    data: object
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    problems: list[tuple[Position, str]] = field(default_factory=list)

    def position(self, path: Path, *, key: bool = False) -> Position | None:
        """Where ``path`` is (its key with ``key=True``), else its nearest known ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path)


def parse(text: str, filename: str, fmt: Literal["yaml", "json"]) -> Document:
    """Parse ``text``; a syntax error raises :class:`ModelError` with its position."""
    if fmt == "json":
        return _parse_json(text, filename)
    return _parse_yaml(text, filename)


# --------------------------------------------------------------------------- YAML


def _mark(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _parse_yaml(text: str, filename: str) -> Document:
    loader = yaml.SafeLoader(text)  # not libyaml's: same messages on every machine
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ModelError([(Location(filename, line, column), f"invalid YAML: {message}")]) from None
    except yaml.reader.ReaderError as exc:
        pos = _index_position(text, exc.position)
        problem = f"invalid YAML: character {exc.character!r} is not allowed"
        raise ModelError([(Location(filename, pos.line, pos.column), problem)]) from None
    finally:
        loader.dispose()
    doc = Document(data=None)
    if node is not None:
        doc.data = _YamlWalker(loader, doc).walk(node, ())
    return doc


def _index_position(text: str, index: int) -> Position:
    before = text[:index]
    line = before.count("\n") + 1
    return Position(line, index - (before.rfind("\n") + 1) + 1)


class _YamlWalker:
    """Turns a composed YAML node graph into plain data, recording positions."""

    def __init__(self, loader: yaml.SafeLoader, doc: Document) -> None:
        self.loader = loader
        self.doc = doc
        self.active: set[int] = set()

    def walk(self, node: yaml.Node, path: Path) -> object:
        self.doc.values[path] = _mark(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            self.doc.problems.append((_mark(node.start_mark), "an alias refers to itself"))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> object:
        try:
            value = self.loader.construct_object(node)
        except yaml.MarkedYAMLError as exc:
            self.doc.problems.append((_mark(node.start_mark), f"invalid YAML: {exc.problem}"))
            return node.value
        if not node.style and value is not None and not isinstance(value, str):
            self.doc.texts[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        first: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            if key in first:
                where = _mark(first[key].start_mark)
                message = f"duplicate key '{key}' (first defined at {where})"
                self.doc.problems.append((_mark(key_node.start_mark), message))
            else:
                first[key] = key_node
        try:
            self.loader.flatten_mapping(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or node.start_mark
            self.doc.problems.append((_mark(mark), f"invalid YAML: {exc.problem}"))
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                message = "a key must be a plain name, not a list or mapping"
                self.doc.problems.append((_mark(key_node.start_mark), message))
                continue
            key = key_node.value
            self.doc.keys[(*path, key)] = _mark(key_node.start_mark)
            result[key] = self.walk(value_node, (*path, key))
        return result


# --------------------------------------------------------------------------- JSON


def _parse_json(text: str, filename: str) -> Document:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        location = Location(filename, exc.lineno, exc.colno)
        raise ModelError([(location, f"invalid JSON: {exc.msg}")]) from None
    doc = Document(data=None)
    scanner = _JsonScanner(text, doc)
    doc.data = scanner.value(scanner.skip(0), ())[0]
    return doc


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_CONSTANTS: dict[str, object] = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}


class _JsonScanner:
    """Walks JSON text that :func:`json.loads` already accepted, recording positions."""

    def __init__(self, text: str, doc: Document) -> None:
        self.text = text
        self.doc = doc
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, index: int) -> Position:
        line = bisect.bisect_right(self.line_starts, index)
        return Position(line, index - self.line_starts[line - 1] + 1)

    def skip(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def value(self, index: int, path: Path) -> tuple[object, int]:
        """The value starting at ``index`` and the index just after it."""
        self.doc.values[path] = self.position(index)
        char = self.text[index]
        if char == "{":
            return self._object(index + 1, path)
        if char == "[":
            return self._array(index + 1, path)
        if char == '"':
            return json.decoder.scanstring(self.text, index + 1)
        for literal, constant in _CONSTANTS.items():
            if self.text.startswith(literal, index):
                if constant is not None:
                    self.doc.texts[path] = literal
                return constant, index + len(literal)
        match = _NUMBER.match(self.text, index)
        assert match is not None  # json.loads accepted the text
        source = match.group()
        self.doc.texts[path] = source
        number = float(source) if match.group(1) or match.group(2) else int(source)
        return number, match.end()

    def _object(self, index: int, path: Path) -> tuple[dict[str, object], int]:
        result: dict[str, object] = {}
        first: dict[str, Position] = {}
        index = self.skip(index)
        while self.text[index] != "}":
            key_position = self.position(index)
            key, index = json.decoder.scanstring(self.text, index + 1)
            if key in first:
                message = f"duplicate key '{key}' (first defined at {first[key]})"
                self.doc.problems.append((key_position, message))
            else:
                first[key] = key_position
            self.doc.keys[(*path, key)] = key_position
            index = self.skip(self.skip(index) + 1)  # the colon
            result[key], index = self.value(index, (*path, key))
            index = self.skip(index)
            if self.text[index] == ",":
                index = self.skip(index + 1)
        return result, index + 1

    def _array(self, index: int, path: Path) -> tuple[list[object], int]:
        result: list[object] = []
        index = self.skip(index)
        while self.text[index] != "]":
            item, index = self.value(index, (*path, len(result)))
            result.append(item)
            index = self.skip(index)
            if self.text[index] == ",":
                index = self.skip(index + 1)
        return result, index + 1
