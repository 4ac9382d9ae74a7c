"""The model shown in the README loads, and means what the README says of it."""

from __future__ import annotations

import re
from pathlib import Path

from dbarch.ddl import to_ddl
from dbarch.model.loader import load_model_text

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_model_loads_with_the_names_it_promises() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert blocks, "README.md shows no YAML model"
    schema = load_model_text(blocks[0], "README.md", "yaml")
    ddl = to_ddl(schema)
    promised = re.search(r"naming convention\n\((.*?); configurable", text, re.DOTALL)
    assert promised is not None
    names = re.findall(r"`(\w+)`", promised.group(1))
    assert len(names) == 5
    for name in names:
        assert f"CONSTRAINT {name} " in ddl or f"INDEX {name} " in ddl
    assert "id bigint GENERATED ALWAYS AS IDENTITY NOT NULL" in ddl
