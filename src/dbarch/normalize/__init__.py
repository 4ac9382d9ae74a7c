"""Normalization: functional dependencies, keys, normal forms and decompositions.

The theory works on bitmasks (:mod:`~dbarch.normalize.fd`); :class:`Relation` speaks in
column names. :func:`normal_form_violations` checks a model table's declared
``functional_dependencies``; :mod:`~dbarch.normalize.discovery` finds dependencies in data.
"""

from __future__ import annotations

from dbarch.normalize.fd import NormalizeError
from dbarch.normalize.forms import NormalForm
from dbarch.normalize.relation import Part, Proposal, Relation, Violation, normal_form_violations

__all__ = [
    "NormalForm",
    "NormalizeError",
    "Part",
    "Proposal",
    "Relation",
    "Violation",
    "normal_form_violations",
]
