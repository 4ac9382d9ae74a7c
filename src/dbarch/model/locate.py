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
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Literal

import yaml

from dbarch.errors import Location, ModelError

PathItem = str | int
Path = tuple[PathItem, ...]


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@dataclass
class Document(ABC):
    """Parsed data, the source text of its plain scalars that are not strings, and the
    problems found on the way; :meth:`position` says where a value or key is."""

    data: object = None
    texts: dict[Path, str] = field(default_factory=dict)
    problems: list[tuple[Position, str]] = field(default_factory=list)

    def position(self, path: Path, *, key: bool = False) -> Position | None:
        """Where ``path`` is (its key with ``key=True``), else its nearest known ancestor."""
        found = self._key(path) if key and path else None
        while found is None:
            found = self._value(path)
            if not path:
                break
            path = path[:-1]
        return found

    @abstractmethod
    def _value(self, path: Path) -> Position | None:
        """Where the value at ``path`` starts, if the document has one there."""

    @abstractmethod
    def _key(self, path: Path) -> Position | None:
        """Where the key of the mapping entry at ``path`` starts, if there is one."""


def parse(text: str, filename: str, fmt: Literal["yaml", "json"]) -> Document:
    """Parse ``text``; a syntax error raises :class:`ModelError` with its position."""
    if fmt == "json":
        return _parse_json(text, filename)
    return _parse_yaml(text, filename)


# --------------------------------------------------------------------------- YAML

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_FLATTENED_TAGS = frozenset({_MERGE_TAG, "tag:yaml.org,2002:value"})  # flatten_mapping's
_KNOWN_TAGS = _FLATTENED_TAGS | {t for t in yaml.SafeLoader.yaml_constructors if t}

# libyaml composes the same nodes with the same marks many times faster than PyYAML's
# pure-Python parser. It is trusted only with a clean file that both read alike, so that a
# file reads the same with or without libyaml and every problem is reported in PyYAML's
# words; PyYAML reads all other text: text libyaml accepts and PyYAML does not (tabs as
# spaces, a byte order mark inside the text, a comment right after a block scalar's header
# or a directive, an unknown tag, ``?`` or ``:`` in a plain scalar inside brackets), empty
# plain scalars (their marks and non-specific tags differ) and any problem at all.
_LIBYAML = yaml.__with_libyaml__
_DIRECTIVE = re.compile(r"(?:^|[\r\x85\u2028\u2029])%", re.MULTILINE)
_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")
_FLOW_PLAIN_DIFFERS = re.compile(r"[?:]")

Loader = yaml.constructor.SafeConstructor  # what the walker needs of either loader


class _Unlike(Exception):
    """libyaml's reading may differ from PyYAML's (or holds a problem PyYAML words)."""


def _mark(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _parse_yaml(text: str, filename: str) -> Document:
    if _LIBYAML and not _libyaml_may_differ(text):
        try:
            return _walk(*_libyaml_graph(text), libyaml=True)
        except _Unlike:
            pass
    return _walk(*_pyyaml_graph(text, filename), libyaml=False)


def _libyaml_may_differ(text: str) -> bool:
    """True when ``text`` holds something libyaml accepts and PyYAML does not."""
    return (
        "\t" in text
        or "\ufeff" in text
        or ("%" in text and _DIRECTIVE.search(text) is not None)
        or (("|" in text or ">" in text) and _HEADER_COMMENT.search(text) is not None)
    )


class _CachingCSafeLoader(yaml.CSafeLoader if _LIBYAML else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's safe loader, remembering the tag each scalar text resolved to: a model
    file repeats the same few texts (types, ``true``, keys) thousands of times."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[type, str | None, tuple[bool, bool] | bool], str] = {}

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool] | bool) -> str:
        key = (kind, value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag


def _libyaml_graph(text: str) -> tuple[Loader, yaml.Node | None]:
    """The node graph of ``text`` composed by libyaml; any error raises :class:`_Unlike`."""
    try:
        loader = _CachingCSafeLoader(text)
        return loader, loader.get_single_node()
    except (yaml.YAMLError, UnicodeError):
        raise _Unlike from None


def _pyyaml_graph(text: str, filename: str) -> tuple[Loader, yaml.Node | None]:
    """The node graph of ``text`` composed by PyYAML; a syntax error raises
    :class:`ModelError` with its position."""
    try:
        loader = yaml.SafeLoader(text)  # checks that every character is allowed
        return loader, loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ModelError([(Location(filename, line, column), f"invalid YAML: {message}")]) from None
    except yaml.reader.ReaderError as exc:
        pos = _index_position(text, exc.position)
        problem = f"invalid YAML: character {chr(exc.character)!r} is not allowed"
        raise ModelError([(Location(filename, pos.line, pos.column), problem)]) from None


def _walk(loader: Loader, root: yaml.Node | None, *, libyaml: bool) -> Document:
    """The :class:`Document` of a composed node graph (``libyaml``'s or PyYAML's)."""
    doc = _YamlDocument()
    if root is not None:
        doc.nodes[()] = root
        doc.data = _YamlWalker(loader, doc, libyaml=libyaml).walk(root, ())
    return doc


@dataclass
class _YamlDocument(Document):
    """A YAML document; where a value or key is gets read off its node graph when asked.

    Where a mapping sets a key more than once (a duplicate, or a merged key set again),
    the places below it are written down as they were walked, the later one last.
    """

    nodes: dict[Path, yaml.Node] = field(default_factory=dict)  # the root, every collection
    values: dict[Path, yaml.Mark] = field(default_factory=dict)
    keys: dict[Path, yaml.Mark] = field(default_factory=dict)

    def _node(self, path: Path) -> yaml.Node | None:
        node = self.nodes.get(path)
        if node is not None or not path:
            return node
        parent, item = self.nodes.get(path[:-1]), path[-1]
        if isinstance(parent, yaml.SequenceNode):
            items = parent.value
            return items[item] if isinstance(item, int) and 0 <= item < len(items) else None
        entry = _entry(parent, item) if isinstance(parent, yaml.MappingNode) else None
        return None if entry is None else entry[1]

    def _value(self, path: Path) -> Position | None:
        mark = self.values.get(path)
        if mark is None:
            node = self._node(path)
            mark = None if node is None else node.start_mark
        return None if mark is None else _mark(mark)

    def _key(self, path: Path) -> Position | None:
        mark = self.keys.get(path)
        if mark is None:
            parent = self.nodes.get(path[:-1])
            entry = _entry(parent, path[-1]) if isinstance(parent, yaml.MappingNode) else None
            mark = None if entry is None else entry[0].start_mark
        return None if mark is None else _mark(mark)


def _entry(mapping: yaml.MappingNode, key: PathItem) -> tuple[yaml.Node, yaml.Node] | None:
    """The entry of ``mapping`` that gives its key ``key`` a value (the last one)."""
    for entry in reversed(mapping.value):
        if isinstance(entry[0], yaml.ScalarNode) and entry[0].value == key:
            return entry
    return None


def _index_position(text: str, index: int) -> Position:
    before = text[:index]
    line = before.count("\n") + 1
    return Position(line, index - (before.rfind("\n") + 1) + 1)


class _YamlWalker:
    """Turns a composed YAML node graph into plain data, keeping the node of every
    collection by path (where things are is read off them later).

    With ``libyaml`` (its graph), a node libyaml may read unlike PyYAML, or a problem,
    raises :class:`_Unlike` instead.
    """

    def __init__(self, loader: Loader, doc: _YamlDocument, *, libyaml: bool) -> None:
        self.loader = loader
        self.doc = doc
        self.libyaml = libyaml
        self.active: set[int] = set()  # the collections being walked (to catch a loop)

    def problem(self, mark: yaml.Mark, message: str) -> None:
        if self.libyaml:
            raise _Unlike
        self.doc.problems.append((_mark(mark), message))

    def walk(self, node: yaml.Node, path: Path) -> object:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            self.problem(node.start_mark, "an alias refers to itself")
            return None
        if self.libyaml:
            self._check_collection(node)
        self.active.add(id(node))
        self.doc.nodes[path] = node
        if isinstance(node, yaml.SequenceNode):
            data: object = [
                # a non-empty string is what constructing it would give (the usual case)
                item.value
                if isinstance(item, yaml.ScalarNode) and item.tag == _STR_TAG and item.value
                else self.walk(item, (*path, i))
                for i, item in enumerate(node.value)
            ]
        else:
            data = self._mapping(node, path)
        self.active.discard(id(node))
        return data

    def _check_collection(self, node: yaml.Node) -> None:
        """Raise :class:`_Unlike` for a collection that libyaml may read unlike PyYAML."""
        if node.tag not in _KNOWN_TAGS:
            raise _Unlike
        if not node.flow_style:
            return
        items = node.value
        if isinstance(node, yaml.MappingNode):
            items = [n for pair in items for n in pair]
        for item in items:
            plain = isinstance(item, yaml.ScalarNode) and not item.style
            if plain and _FLOW_PLAIN_DIFFERS.search(item.value):
                raise _Unlike

    def _check_scalar(self, node: yaml.ScalarNode) -> None:
        """Raise :class:`_Unlike` for a scalar that libyaml may read unlike PyYAML."""
        if node.tag not in _KNOWN_TAGS or not (node.value or node.style):
            raise _Unlike

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> object:
        if node.tag == _STR_TAG and node.value:
            return node.value
        if self.libyaml:
            self._check_scalar(node)
        try:
            value = self.loader.construct_object(node)
        except yaml.MarkedYAMLError as exc:
            self.problem(node.start_mark, f"invalid YAML: {exc.problem}")
            return node.value
        except ValueError:  # the tag's type rejects the text: !!int x, 2024-13-45...
            kind = node.tag.rsplit(":", 1)[-1]
            self.problem(node.start_mark, f"invalid YAML: '{node.value}' is not a valid {kind}")
            return node.value
        if not node.style and value is not None and not isinstance(value, str):
            self.doc.texts[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        merges = any(key_node.tag in _FLATTENED_TAGS for key_node, _ in node.value)
        if merges:
            self._duplicates(node)
            try:
                self.loader.flatten_mapping(node)
            except yaml.MarkedYAMLError as exc:
                self.problem(exc.problem_mark or node.start_mark, f"invalid YAML: {exc.problem}")
            # the entries as walked here, whatever another walk of an alias does to them
            self.doc.nodes[path] = yaml.MappingNode(node.tag, list(node.value), node.start_mark)
        result: dict[str, object] = {}
        not_names = 0
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    key_node.start_mark, "a key must be a plain name, not a list or mapping"
                )
                not_names += 1
                continue
            if self.libyaml and (key_node.tag != _STR_TAG or not key_node.value):
                self._check_scalar(key_node)
            key = key_node.value
            if (
                isinstance(value_node, yaml.ScalarNode)
                and value_node.tag == _STR_TAG
                and value_node.value
            ):
                result[key] = value_node.value  # as in _scalar, without building a path
            else:
                result[key] = self.walk(value_node, (*path, key))
        if len(result) + not_names < len(node.value):  # a key is set more than once
            if not merges:
                self._duplicates(node)
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    self.doc.keys[(*path, key_node.value)] = key_node.start_mark
                    self._write_down(value_node, (*path, key_node.value))
        return result

    def _write_down(self, node: yaml.Node, path: Path) -> None:
        """Write down where ``node`` (at ``path``) and everything below it is, as walked."""
        self.doc.values[path] = node.start_mark
        if isinstance(node, yaml.ScalarNode) or id(node) in self.active:
            return
        self.active.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._write_down(item, (*path, i))
        else:
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    self.doc.keys[(*path, key_node.value)] = key_node.start_mark
                    self._write_down(value_node, (*path, key_node.value))
        self.active.discard(id(node))

    def _duplicates(self, node: yaml.MappingNode) -> None:
        """Report the keys of ``node`` that repeat an earlier key."""
        first: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            if key in first:
                where = _mark(first[key].start_mark)
                message = f"duplicate key '{key}' (first defined at {where})"
                self.problem(key_node.start_mark, message)
            else:
                first[key] = key_node


# --------------------------------------------------------------------------- JSON


def _parse_json(text: str, filename: str) -> Document:
    """JSON read by :func:`json.loads`, keeping the source text of numbers and constants;
    where things are is found by scanning the text only when asked (or when a key repeats,
    which only the scan reports with its place)."""
    repeated = False

    def mapping(items: list[tuple[str, object]]) -> dict[str, object]:
        nonlocal repeated
        result = dict(items)
        repeated = repeated or len(result) < len(items)
        return result

    try:
        data = json.loads(
            text,
            object_pairs_hook=mapping,
            parse_int=_NumberText,
            parse_float=_NumberText,
            parse_constant=_NumberText,
        )
    except json.JSONDecodeError as exc:
        location = Location(filename, exc.lineno, exc.colno)
        raise ModelError([(location, f"invalid JSON: {exc.msg}")]) from None
    if repeated:
        return _scanned_json(text)
    doc = _LazyJsonDocument(text=text)
    doc.data = _with_numbers(data, (), doc.texts)
    return doc


def _scanned_json(text: str) -> _JsonDocument:
    scanner = _JsonScanner(text)
    scanner.doc.data = scanner.value(scanner.skip(0), ())[0]
    return scanner.doc


class _NumberText(str):
    """A JSON number (or NaN, Infinity) as written, until it is made a number."""


_FLOAT_MARKS = frozenset(".eEIN")  # a fraction, an exponent, Infinity, NaN


def _with_numbers(value: object, path: Path, texts: dict[Path, str]) -> object:
    """``value`` with its number texts made numbers; the text of every number and
    boolean goes to ``texts`` by path, as the scan would write it."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(item, str) or isinstance(item, _NumberText):
                value[key] = _with_numbers(item, (*path, key), texts)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if not isinstance(item, str) or isinstance(item, _NumberText):
                value[i] = _with_numbers(item, (*path, i), texts)
    elif isinstance(value, _NumberText):
        texts[path] = str(value)
        return float(value) if _FLOAT_MARKS.intersection(value) else int(value)
    elif isinstance(value, bool):
        texts[path] = "true" if value else "false"
    return value


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


@dataclass
class _JsonDocument(Document):
    """A JSON document; every value and key is kept by path as its index in the text."""

    line_starts: list[int] = field(default_factory=list)
    values: dict[Path, int] = field(default_factory=dict)
    keys: dict[Path, int] = field(default_factory=dict)

    def at(self, index: int) -> Position:
        """The position of the character at ``index``."""
        line = bisect.bisect_right(self.line_starts, index)
        return Position(line, index - self.line_starts[line - 1] + 1)

    def _value(self, path: Path) -> Position | None:
        index = self.values.get(path)
        return None if index is None else self.at(index)

    def _key(self, path: Path) -> Position | None:
        index = self.keys.get(path)
        return None if index is None else self.at(index)


@dataclass
class _LazyJsonDocument(Document):
    """A JSON document whose text is scanned for places the first time one is asked for."""

    text: str = ""
    scanned: _JsonDocument | None = None

    def _scan(self) -> _JsonDocument:
        if self.scanned is None:
            self.scanned = _scanned_json(self.text)
        return self.scanned

    def _value(self, path: Path) -> Position | None:
        return self._scan()._value(path)

    def _key(self, path: Path) -> Position | None:
        return self._scan()._key(path)


class _JsonScanner:
    """Walks JSON text that :func:`json.loads` already accepted, recording positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.doc = _JsonDocument(line_starts=line_starts)
        self.position = self.doc.at

    def skip(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def value(self, index: int, path: Path) -> tuple[object, int]:
        """The value starting at ``index`` and the index just after it."""
        self.doc.values[path] = index
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
        first: dict[str, int] = {}
        index = self.skip(index)
        while self.text[index] != "}":
            key_index = index
            key, index = json.decoder.scanstring(self.text, index + 1)
            if key in first:
                message = f"duplicate key '{key}' (first defined at {self.position(first[key])})"
                self.doc.problems.append((self.position(key_index), message))
            else:
                first[key] = key_index
            self.doc.keys[(*path, key)] = key_index
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
