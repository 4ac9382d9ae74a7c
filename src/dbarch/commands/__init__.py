"""Command families beyond the spine, each a module with ``register(app)``.

Every module in this package is registered on the ``dbarch`` Typer app in name order, so
a new capability adds a module here and never edits ``cli.py``.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    """Call ``register(app)`` of every module of this package."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
