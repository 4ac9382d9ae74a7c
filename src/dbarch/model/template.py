"""The starter model ``dbarch init`` writes: a few tables that show the common features.

The YAML file (``dbarch/examples/starter.yaml``) is the source; its comments explain each
key. The JSON starter carries the same content, explained by the ``comment`` fields.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Literal

import yaml

from dbarch.model.loader import SCHEMA_KEY

STARTER = "starter.yaml"


def starter_model(fmt: Literal["yaml", "json"], schema_ref: str | None = None) -> str:
    """The starter model as YAML or JSON text.

    ``schema_ref`` (a path or URL of the format's JSON Schema) is added for editors: as
    ``$schema`` in JSON, as a ``yaml-language-server`` modeline in YAML.
    """
    text = files("dbarch.examples").joinpath(STARTER).read_text(encoding="utf-8")
    if fmt == "yaml":
        if schema_ref is None:
            return text
        return f"# yaml-language-server: $schema={schema_ref}\n{text}"
    data = yaml.safe_load(text)
    if schema_ref is not None:
        data = {SCHEMA_KEY: schema_ref, **data}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
