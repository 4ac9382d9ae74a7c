"""Textbook notation for relations in tests: ``"AB -> C; C -> D"``."""

from __future__ import annotations

from dbarch.model.objects import FunctionalDependency
from dbarch.normalize.relation import Relation


def _side(text: str, letters: bool) -> tuple[str, ...]:
    text = text.strip()
    if letters:
        return tuple(ch for ch in text if not ch.isspace() and ch != ",")
    return tuple(name.strip() for name in text.split(",") if name.strip())


def parse_fds(text: str, letters: bool = True) -> list[FunctionalDependency]:
    """Dependencies separated by ``;``; with ``letters`` every letter is an attribute,
    otherwise attributes are separated by commas (``ssn, pno -> hours``)."""
    fds = []
    for item in text.split(";"):
        if item.strip():
            lhs, rhs = item.split("->")
            fds.append(FunctionalDependency(lhs=_side(lhs, letters), rhs=_side(rhs, letters)))
    return fds


def relation(attributes: str, fds: str) -> Relation:
    """A relation over single-letter attributes: ``relation("ABCD", "AB -> C; C -> D")``."""
    return Relation(list(attributes), parse_fds(fds))


def named_relation(attributes: str, fds: str) -> Relation:
    """A relation over comma-separated attribute names."""
    return Relation(_side(attributes, letters=False), parse_fds(fds, letters=False))


def letters(parts: list[tuple[str, ...]] | tuple[tuple[str, ...], ...]) -> set[str]:
    """Parts as a set of strings: ``{("A", "B"), ("C",)} -> {"AB", "C"}``."""
    return {"".join(p) for p in parts}


def fd_text(fds: list[FunctionalDependency]) -> set[str]:
    """Dependencies as ``{"AB->C", ...}`` (letters) for comparison."""
    return {"".join(fd.lhs) + "->" + "".join(fd.rhs) for fd in fds}
