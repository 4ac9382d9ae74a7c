"""The output of ``dbarch normalize``: readable text or JSON, both deterministic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dbarch.model.objects import FunctionalDependency, Table
from dbarch.normalize.analysis import RelationReport
from dbarch.normalize.decompose import model_change, table_key
from dbarch.normalize.discovery.ind import (
    ColumnsRef,
    CompositeInclusionDependency,
    CompositeInds,
    InclusionDependency,
)
from dbarch.normalize.forms import NormalForm
from dbarch.normalize.proof import LosslessProof
from dbarch.normalize.relation import Part


def _fd(fd: FunctionalDependency) -> dict[str, Any]:
    return {"lhs": list(fd.lhs), "rhs": fd.rhs[0] if len(fd.rhs) == 1 else list(fd.rhs)}


def _part(part: Part) -> dict[str, Any]:
    return {"columns": list(part.columns), "key": list(part.key)}


def _table(table: Table) -> dict[str, Any]:
    key = table_key(table)
    return {
        "schema": table.schema_,
        "name": table.name,
        "columns": [c.name for c in table.columns],
        "key": None if key is None else list(key),
        "references": [
            {"columns": list(fk.columns), "table": fk.references.table} for fk in table.foreign_keys
        ],
    }


def _proof(proof: LosslessProof) -> dict[str, Any]:
    return {
        "lossless": proof.holds,
        "original_rows": proof.original_rows,
        "joined_rows": proof.joined_rows,
        "missing_rows": proof.missing,
        "extra_rows": proof.extra,
        "typed": proof.typed,
        "error": proof.error,
    }


def relation_json(report: RelationReport) -> dict[str, Any]:
    """One relation as a JSON-ready object."""
    profile = report.profile
    out: dict[str, Any] = {
        "relation": profile.name,
        "rows": profile.rows,
        "sampled_rows": profile.sampled_rows,
        "columns": list(profile.columns),
        "fds": [{"lhs": list(fd.lhs), "rhs": fd.rhs, "error": fd.error} for fd in profile.fds],
        "keys": [list(k) for k in profile.uccs],
        "duplicate_rows": profile.duplicate_rows,
        "candidate_keys": [list(k) for k in report.relation.candidate_keys()],
        "normal_form": report.normal_form.label,
        "target": report.target.label,
        "violations": [
            {
                "breaks": v.breaks.label,
                "fd": _fd(v.fd),
                "reason": v.reason,
                "decomposition": [_part(p) for p in v.decomposition],
            }
            for v in report.violations
        ],
        "decomposition": None,
    }
    if report.plan is not None and report.proposal is not None:
        out["decomposition"] = {
            "tables": [_table(t) for t in report.plan.tables],
            "moved_columns": list(report.plan.moved),
            "lost_dependencies": [_fd(fd) for fd in report.proposal.lost],
            "model": json.loads(model_change(report.plan, "json")),
            "migration": report.migration,
            "proof": _proof(report.proof) if report.proof else None,
        }
    return out


def _ind_json(ind: InclusionDependency) -> dict[str, Any]:
    return {
        "dependent": {
            "schema": ind.dependent.schema,
            "table": ind.dependent.table,
            "column": ind.dependent.column,
        },
        "referenced": {
            "schema": ind.referenced.schema,
            "table": ind.referenced.table,
            "column": ind.referenced.column,
        },
        "referenced_unique": ind.referenced_unique,
        "declared": ind.declared,
    }


def _columns_json(ref: ColumnsRef) -> dict[str, Any]:
    return {"schema": ref.schema, "table": ref.table, "columns": list(ref.columns)}


def _composite_json(ind: CompositeInclusionDependency) -> dict[str, Any]:
    return {
        "dependent": _columns_json(ind.dependent),
        "referenced": _columns_json(ind.referenced),
        "declared": ind.declared,
    }


def to_json(
    source: str,
    target: NormalForm,
    max_error: float,
    reports: Sequence[RelationReport],
    inds: Sequence[InclusionDependency] | None,
    composite: CompositeInds | None,
) -> str:
    """The whole result as JSON (``inclusion_dependencies`` and
    ``composite_inclusion_dependencies`` for database sources)."""
    out: dict[str, Any] = {
        "source": source,
        "target": target.label,
        "max_error": max_error,
        "relations": [relation_json(r) for r in reports],
    }
    if inds is not None:
        out["inclusion_dependencies"] = [_ind_json(i) for i in inds]
    if composite is not None:
        out["composite_inclusion_dependencies"] = [_composite_json(i) for i in composite.found]
        out["composite_candidates_unchecked"] = composite.unchecked
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _cols(columns: Sequence[str]) -> str:
    return ", ".join(columns) or "∅"


def _fd_text(lhs: Sequence[str], rhs: str) -> str:
    return f"{_cols(lhs)} -> {rhs}"


def _part_text(part: Part) -> str:
    return "(" + ", ".join(f"{c}*" if c in part.key else c for c in part.columns) + ")"


def _relation_text(report: RelationReport) -> list[str]:
    p = report.profile
    sampled = f", {p.sampled_rows} sampled" if p.sampled_rows is not None else ""
    lines = [f"{p.name}: {p.rows} rows{sampled}, {len(p.columns)} columns"]
    keys = " | ".join(f"({_cols(k)})" for k in p.uccs)
    lines.append(f"  keys: {keys or 'none (duplicate rows)'}")
    lines.append(f"  functional dependencies ({len(p.fds)}):")
    for fd in p.fds:
        error = f"  (g3 error {fd.error:.4f})" if fd.error else ""
        lines.append(f"    {_fd_text(fd.lhs, fd.rhs)}{error}")
    lines.append(f"  normal form: {report.normal_form.label} (target {report.target.label})")
    if report.violations:
        lines.append(f"  violations ({len(report.violations)}):")
    for v in report.violations:
        lines.append(f"    breaks {v.breaks.label}: {_fd_text(v.fd.lhs, v.fd.rhs[0])}: {v.reason}")
        lines.append(f"      split into {' + '.join(_part_text(x) for x in v.decomposition)}")
    if report.plan is not None and report.proposal is not None:
        how = "BCNF decomposition" if report.target is NormalForm.BCNF else "3NF synthesis"
        lines.append(f"  proposed decomposition ({how}, key columns starred):")
        for table in report.plan.tables:
            key = table_key(table)
            cols = ", ".join(
                f"{c.name}*" if c.name in (key or ()) else c.name for c in table.columns
            )
            note = {None: "  (no key: the rows hold duplicates)", (): "  (one row)"}.get(key, "")
            lines.append(f"    {table.schema_}.{table.name}({cols}){note}")
        for fd in report.proposal.lost:
            lines.append(f"    lost dependency: {_fd_text(fd.lhs, fd.rhs[0])}")
        if report.proof is not None:
            lines.append(f"  proof on the real rows: {_proof_text(report.proof)}")
        lines.append(f"  model change ({report.plan.original.name} becomes these tables):")
        lines.extend(f"    {line}" for line in model_change(report.plan, "yaml").splitlines())
        lines.append("  migration:")
        lines.extend(
            f"    {line}" if line else "" for line in (report.migration or "").splitlines()
        )
    return lines


def _proof_text(proof: LosslessProof) -> str:
    if proof.error is not None:
        return f"the migration fails: {proof.error}"
    if proof.holds:
        typed = "" if proof.typed else " (compared as text)"
        return f"the join of the parts gives back all {proof.original_rows} rows exactly{typed}"
    return (
        f"NOT lossless: {proof.missing} original rows missing, {proof.extra} extra rows "
        f"({proof.original_rows} before, {proof.joined_rows} after)"
    )


def _composite_text(composite: CompositeInds) -> list[str]:
    lines = [f"composite inclusion dependencies ({len(composite.found)}):"]
    for ind in composite.found:
        note = "declared foreign key" if ind.declared else "possible foreign key"
        lines.append(f"  {ind.dependent} ⊆ {ind.referenced}  ({note})")
    if composite.unchecked:
        lines.append(f"  ({composite.unchecked} more candidates not checked)")
    return [*lines, ""]


def to_text(
    reports: Sequence[RelationReport],
    inds: Sequence[InclusionDependency] | None,
    composite: CompositeInds | None,
) -> str:
    """The whole result for people."""
    lines: list[str] = []
    for report in reports:
        lines.extend(_relation_text(report))
        lines.append("")
    if inds is not None:
        lines.append(f"inclusion dependencies ({len(inds)}):")
        for ind in inds:
            note = (
                "declared foreign key"
                if ind.declared
                else ("possible foreign key" if ind.referenced_unique else "values contained")
            )
            lines.append(f"  {ind.dependent} ⊆ {ind.referenced}  ({note})")
        lines.append("")
    if composite is not None:
        lines += _composite_text(composite)
    below = [r for r in reports if not r.meets_target]
    lines.append(
        f"{len(reports) - len(below)} of {len(reports)} relations reach "
        f"{reports[0].target.label if reports else 'the target'}"
    )
    return "\n".join(lines) + "\n"
