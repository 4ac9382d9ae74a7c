"""Findings on model files point at file:line:column, for YAML and JSON alike."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from dbarch.checks.config import CheckConfig
from dbarch.checks.engine import run_checks
from dbarch.checks.locations import ModelLocations
from dbarch.model.loader import load_model

MODEL = """\
tables:
  - name: customers
    columns:
      - name: id
        type: serial
        primary_key: true
      - {name: Email, type: text, unique: true}
  - name: orders
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: customer_id, type: bigint, references: customers.id}
      - {name: at, type: timestamp}
    checks:
      - {check: "id > 5 AND id < 3"}
    indexes:
      - {columns: [at]}
      - {name: idx_orders_dupe, columns: [at]}
views:
  - {name: recent, query: SELECT 1 AS one}
"""


def _where(path: Path) -> dict[tuple[str, str], str]:
    findings = run_checks(load_model(path), CheckConfig(), locations=ModelLocations.read(path))
    return {
        (f.rule, f.object): f"{f.location.line}:{f.location.column}"
        for f in findings
        if f.location is not None and f.location.file == str(path)
    }


EXPECTED = {
    ("DBA507", "public.customers"): "2:5",
    ("DBA306", "public.customers.id"): "4:9",
    ("DBA207", "public.customers.Email"): "7:9",
    ("DBA201", "public.customers.uq_customers_Email"): "7:43",  # the unique: shorthand
    ("DBA401", "public.orders.fk_orders_customer_id"): "11:55",  # the references: shorthand
    ("DBA301", "public.orders.at"): "12:9",
    ("DBA107", "public.orders.chk_orders_id"): "14:9",
    ("DBA402", "public.idx_orders_dupe"): "17:9",
    ("DBA204", "public.recent"): "19:5",
}


def test_yaml_positions(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(MODEL)
    where = _where(path)
    for key, position in EXPECTED.items():
        assert where.get(key) == position, key


def test_json_positions(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(yaml.safe_load(MODEL), indent=1))
    where = _where(path)
    assert where[("DBA301", "public.orders.at")] == _json_position(path, '"name": "at"')
    assert where[("DBA204", "public.recent")] == _json_position(path, '"name": "recent"')


def _json_position(path: Path, needle: str) -> str:
    """The line:column of the mapping that contains ``needle`` (its opening brace)."""
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if needle in line)
    while "{" not in lines[index]:
        index -= 1
    return f"{index + 1}:{lines[index].index('{') + 1}"
