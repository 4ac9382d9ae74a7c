"""Write a Schema as a model file (YAML or JSON), deterministically.

Defaults are left out; keys come in the model's order with ``name`` and ``schema`` first
and owner, grants and comment last; mappings of free keys (``with``, ``config``...) are
sorted. YAML is block style, except that a list of one-line scalars stays on one line
(``columns: [id, name]``); multi-line SQL becomes a literal block (``|``).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from dbarch.model.objects import Privileged, Schema

_STR = "tag:yaml.org,2002:str"
_TOP_KEY = re.compile(r"[a-z_]+:\s")  # Schema's keys; every other line is indented
_FIRST = ("name", "schema_")
_LAST = tuple(Privileged.model_fields)
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")  # what YAML reads as line breaks


def dump_model(schema: Schema, fmt: Literal["yaml", "json"]) -> str:
    """``schema`` as the text of a model file in ``fmt``."""
    data = _ordered(schema, schema.model_dump(by_alias=True, exclude_defaults=True, mode="json"))
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=sys.maxsize,
    )
    return "" if text == "{}\n" else _space_sections(text)


def _field_order(model: type[BaseModel]) -> list[str]:
    fields = list(model.model_fields)
    first = [f for f in _FIRST if f in fields]
    last = [f for f in fields if f in _LAST]
    return first + [f for f in fields if f not in first and f not in last] + last


def _ordered(obj: object, data: Any) -> Any:
    """``data`` (``obj`` dumped) with keys in file order; ``obj`` tells the model types.
    Free mappings keep the model's order: storage parameters keep the order they were set
    in, which pg_dump shows."""
    if isinstance(obj, BaseModel):
        fields = type(obj).model_fields
        result = {}
        for name in _field_order(type(obj)):
            key = fields[name].alias or name
            if key in data:
                result[key] = _ordered(getattr(obj, name), data[key])
        return result
    if isinstance(obj, tuple):
        return [_ordered(o, d) for o, d in zip(obj, data, strict=True)]
    return data


def _space_sections(text: str) -> str:
    """A blank line before each top-level key but the first."""
    lines = text.splitlines(keepends=True)
    return "".join(
        "\n" + line if i and _TOP_KEY.match(line) else line for i, line in enumerate(lines)
    )


def _literal_fits(value: str) -> bool:
    """True when ``value`` reads back unchanged from a literal block scalar."""
    if any(c in value for c in _BREAKS[1:]) or "\ufeff" in value:
        return False
    return not any(line != line.rstrip(" \t") for line in value.split("\n"))


class _Dumper(yaml.SafeDumper):
    """Indented block style, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _plain(dumper: yaml.SafeDumper, value: str) -> bool:
    """True when ``value`` can be written without quotes and read back as a string."""
    if dumper.resolve(yaml.ScalarNode, value, (True, False)) != _STR:
        return False
    analysis = dumper.analyze_scalar(value)
    return bool(value) and analysis.allow_block_plain


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if any(c in value for c in _BREAKS):
        style = "|" if _literal_fits(value) else '"'  # other styles fold line breaks
    elif "'" in value and not _plain(dumper, value):
        style = '"'  # SQL literals read better in double quotes: "'pending'"
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    inline = all(
        isinstance(v, int | float) or (isinstance(v, str) and not any(c in v for c in _BREAKS))
        for v in value
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=inline)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
