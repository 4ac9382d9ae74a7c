"""Write a Schema as a model file (YAML or JSON), deterministically.

Defaults are left out; keys come in the model's order with ``name`` and ``schema`` first
and owner, grants and comment last; mappings of free keys (``with``, ``config``...) keep
the model's order. YAML is block style, except that a list of one-line scalars stays on one line
(``columns: [id, name]``); multi-line SQL becomes a literal block (``|``).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from dbarch.model.objects import Privileged, Schema
from dbarch.model.yaml_writer import write_yaml

_TOP_KEY = re.compile(r"[a-z_]+:\s")  # Schema's keys; every other line is indented
_FIRST = ("name", "schema_")
_LAST = tuple(Privileged.model_fields)


def dump_model(schema: Schema, fmt: Literal["yaml", "json"]) -> str:
    """``schema`` as the text of a model file in ``fmt``."""
    data = _ordered(schema, schema.model_dump(by_alias=True, exclude_defaults=True, mode="json"))
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text = write_yaml(data)
    return "" if text == "{}\n" else _space_sections(text)


@cache
def _keys_in_order(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """``(field, key in the file)`` of ``model``'s fields in file order."""
    fields = model.model_fields
    first = [f for f in _FIRST if f in fields]
    last = [f for f in fields if f in _LAST]
    ordered = first + [f for f in fields if f not in first and f not in last] + last
    return tuple((name, fields[name].alias or name) for name in ordered)


def _ordered(obj: object, data: Any) -> Any:
    """``data`` (``obj`` dumped) with keys in file order; ``obj`` tells the model types.
    Free mappings keep the model's order: storage parameters keep the order they were set
    in, which pg_dump shows."""
    if isinstance(obj, BaseModel):
        return {
            key: _ordered(getattr(obj, name), data[key])
            for name, key in _keys_in_order(type(obj))
            if key in data
        }
    if isinstance(obj, tuple):
        return [_ordered(o, d) for o, d in zip(obj, data, strict=True)]
    return data


def _space_sections(text: str) -> str:
    """A blank line before each top-level key but the first."""
    lines = text.splitlines(keepends=True)
    return "".join(
        "\n" + line if i and _TOP_KEY.match(line) else line for i, line in enumerate(lines)
    )
