"""Example models bundled with dbarch (``dbarch demo`` uses ``ml_platform``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from dbarch.errors import SourceError

_SUFFIXES = (".yaml", ".json")


def example_path(name: str) -> Path:
    """The file of the bundled example model ``name``: ``ml_platform`` or ``ml_platform.yaml``."""
    folder = Path(str(files("dbarch.examples")))
    candidates = [name] if Path(name).suffix in _SUFFIXES else [name + s for s in _SUFFIXES]
    for candidate in candidates:
        path = folder / candidate
        if path.is_file():
            return path
    known = sorted(p.stem for p in folder.iterdir() if p.suffix in _SUFFIXES)
    raise SourceError(f"no bundled example named {name!r}; examples: {', '.join(known)}")
