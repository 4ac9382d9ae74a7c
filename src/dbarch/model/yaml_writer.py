"""Block-style YAML for model data, written directly: the text PyYAML's emitter writes.

PyYAML's pure-Python emitter spends some 7 s on the model of a 1,000-table database, and
libyaml's cannot indent a list under its key the way model files are written.
:func:`fast_yaml` produces the same characters for the shapes a model dump has —
mappings with string keys, lists, strings, numbers, booleans and null, in block style,
where a list of one-line scalars is a flow list (``[a, b]``) — deciding every scalar's
style with PyYAML's own analysis of the text. What it does not write the same way (keys
that need quotes beyond that, literal blocks that keep trailing empty lines, nested
lists) raises :class:`Unsupported`, and :func:`write_yaml` falls back to PyYAML
(:func:`pyyaml_yaml`).

The style of a string is chosen by :func:`_string_style` for both writers: a text with
line breaks is a literal block when it reads back unchanged from one, else double
quoted; a text with a single quote that cannot be plain is double quoted (SQL literals
read better so); otherwise PyYAML's rule (plain, else single quoted, else double quoted).
"""

from __future__ import annotations

import io
import re
import sys
from functools import lru_cache
from typing import Any, Literal

import yaml
from yaml.emitter import ScalarAnalysis

_STR_TAG = "tag:yaml.org,2002:str"
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")  # what YAML reads as line breaks
_INDENT = 2
_SIMPLE_KEY_LIMIT = 128  # PyYAML writes longer keys as complex keys (``? key``)
# PyYAML's escapes in double-quoted scalars
_ESCAPES = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\x09": "t",
    "\x0a": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\x0d": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}

Style = Literal["", "'", '"', "|"]


class Unsupported(Exception):
    """The data has a shape this writer does not write as PyYAML would."""


_PROBE = yaml.SafeDumper(io.StringIO(), allow_unicode=True)


# words of ASCII letters, digits and underscores with single spaces between them (most
# names and types): PyYAML's analysis allows them every style
_WORDS = re.compile(r"[A-Za-z0-9_]+(?: [A-Za-z0-9_]+)*")


@lru_cache(maxsize=65536)
def _analysis(text: str) -> ScalarAnalysis:
    if _WORDS.fullmatch(text):
        return ScalarAnalysis(text, False, False, True, True, True, True, True)
    return _PROBE.analyze_scalar(text)


@lru_cache(maxsize=65536)
def _resolves_to_str(text: str) -> bool:
    """True when ``text`` written plain reads back as a string (not a number, bool...)."""
    return _PROBE.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def _literal_fits(text: str) -> bool:
    """True when ``text`` reads back unchanged from a literal block scalar."""
    if any(c in text for c in _BREAKS[1:]) or "\ufeff" in text:
        return False
    return not any(line != line.rstrip(" \t") for line in text.split("\n"))


def _can_be_plain(text: str) -> bool:
    """True when ``text`` can be written without quotes (in block context) and read back
    as a string."""
    return bool(text) and _resolves_to_str(text) and _analysis(text).allow_block_plain


def _string_style(text: str) -> Literal["|", '"'] | None:
    """The style asked for ``text`` (``None``: PyYAML's choice)."""
    if any(c in text for c in _BREAKS):
        return "|" if _literal_fits(text) else '"'
    if "'" in text and not _can_be_plain(text):
        return '"'
    return None


@lru_cache(maxsize=65536)
def _chosen_style(text: str, flow: bool, key: bool) -> Style:
    """The style PyYAML's emitter gives a string scalar asked for in ``_string_style``."""
    asked = _string_style(text)
    if asked == '"':
        return '"'
    analysis = _analysis(text)
    if asked is None and _resolves_to_str(text):
        allowed = analysis.allow_flow_plain if flow else analysis.allow_block_plain
        if allowed and not (key and (analysis.empty or analysis.multiline)):
            return ""
    if asked == "|":
        return "|" if not flow and not key and analysis.allow_block else '"'
    if analysis.allow_single_quoted and not (key and analysis.multiline):
        return "'"
    return '"'


def _double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in '"\\\x85\u2028\u2029\ufeff' or not (
            "\x20" <= ch <= "\x7e" or "\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd"
        ):
            if ch in _ESCAPES:
                out.append("\\" + _ESCAPES[ch])
            elif ch <= "\xff":
                out.append(f"\\x{ord(ch):02X}")
            elif ch <= "\uffff":
                out.append(f"\\u{ord(ch):04X}")
            else:
                out.append(f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _literal(text: str, indent: int) -> str:
    """`` |`` with its hints, then the lines of ``text`` at ``indent``."""
    hints = str(_INDENT) if text[0] in " \n" else ""
    if not text.endswith("\n"):
        hints += "-"
    elif len(text) == 1 or text[-2] == "\n":
        raise Unsupported("a literal block keeping trailing empty lines")
    pad = " " * indent
    lines = text.removesuffix("\n").split("\n")
    body = "".join(f"{pad}{line}\n" if line else "\n" for line in lines)
    return f" |{hints}\n{body}"


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _scalar(value: Any, flow: bool = False, key: bool = False) -> str:
    """A one-line scalar as written after its indicator (no leading space)."""
    if isinstance(value, str):
        style = _chosen_style(value, flow, key)
        if style == "":
            return value
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        if style == '"':
            return _double_quoted(value)
        raise Unsupported("a literal block where a one-line scalar is needed")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    raise Unsupported(f"a {type(value).__name__} value")


def _is_flow_list(value: list[Any]) -> bool:
    """Lists of one-line scalars are written ``[a, b]`` (so the dump's representer)."""
    return all(
        isinstance(v, int | float) or (isinstance(v, str) and not any(c in v for c in _BREAKS))
        for v in value
    )


@lru_cache(maxsize=65536)
def _key(key: object) -> str:
    if not isinstance(key, str):
        raise Unsupported("a key that is not a string")
    analysis = _analysis(key)
    if analysis.empty or analysis.multiline or len(analysis.scalar) >= _SIMPLE_KEY_LIMIT:
        raise Unsupported("a key PyYAML writes as a complex key")
    return _scalar(key, key=True)


def _value(value: Any, indent: int, out: list[str]) -> None:
    """``value`` after ``key:`` or ``-`` at ``indent``: on the same line when it is a
    scalar or a flow collection, else on the lines below, one level deeper."""
    if isinstance(value, dict):
        if not value:
            out.append(" {}\n")
            return
        out.append("\n")
        _mapping(value, indent + _INDENT, out)
    elif isinstance(value, list):
        if _is_flow_list(value):
            out.append(" [" + ", ".join(_scalar(v, flow=True) for v in value) + "]\n")
            return
        out.append("\n")
        _sequence(value, indent + _INDENT, out)
    elif isinstance(value, str) and _chosen_style(value, False, False) == "|":
        out.append(_literal(value, indent + _INDENT))
    else:
        out.append(" " + _scalar(value) + "\n")


def _mapping(data: dict[Any, Any], indent: int, out: list[str], inline: bool = False) -> None:
    """A block mapping with its keys at ``indent``; ``inline``: the first key follows a
    list item's dash already written."""
    pad = " " * indent
    for number, (key, value) in enumerate(data.items()):
        out.append(("" if inline and number == 0 else pad) + _key(key) + ":")
        _value(value, indent, out)


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    """A block sequence with its dashes at ``indent``."""
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            out.append(pad + "- ")
            _mapping(item, indent + _INDENT, out, inline=True)
        elif isinstance(item, list) and not _is_flow_list(item):
            raise Unsupported("a block list inside a list")
        else:
            out.append(pad + "-")
            _value(item, indent, out)


def fast_yaml(data: dict[str, Any]) -> str:
    """``data`` as :func:`pyyaml_yaml` writes it, written here; raises
    :class:`Unsupported` for shapes it does not write the same way."""
    if not data:
        return "{}\n"
    out: list[str] = []
    _mapping(data, 0, out)
    return "".join(out)


class _Dumper(yaml.SafeDumper):
    """Indented block style, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(_STR_TAG, value, style=_string_style(value))


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=_is_flow_list(value)
    )


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def pyyaml_yaml(data: dict[str, Any]) -> str:
    """``data`` in the model file's style by PyYAML: block style with lists indented
    under their key, flow lists of one-line scalars, unbounded width, Unicode kept."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=sys.maxsize,
    )


def write_yaml(data: dict[str, Any]) -> str:
    """``data`` in the model file's style: :func:`fast_yaml`, or :func:`pyyaml_yaml` for
    what that does not write."""
    try:
        return fast_yaml(data)
    except Unsupported:
        return pyyaml_yaml(data)
