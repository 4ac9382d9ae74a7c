"""External tools the docs tests drive: Graphviz, Debian's Chromium, the npm @dbml/cli and
mermaid packages (``make install`` puts them in place). A missing tool skips its tests
with the reason, except under CI, where the tests must run and so fail instead."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / ".venv" / "npm" / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")


def require(path: Path | str | None, what: str) -> Path:
    """``path`` when it exists; otherwise skip (or fail under CI) naming ``what``."""
    if path is not None and Path(path).exists():
        return Path(path)
    reason = f"{what} is not installed (make install puts it in place)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def dot() -> Path:
    """Graphviz's ``dot``."""
    return require(shutil.which("dot"), "Graphviz (dot)")


def chromium() -> Path:
    """Debian's headless-capable Chromium."""
    return require(CHROMIUM, "Chromium (/usr/bin/chromium)")


def dbml2sql() -> Path:
    """The ``dbml2sql`` command of the npm @dbml/cli package."""
    return require(NPM / ".bin" / "dbml2sql", "@dbml/cli (npm)")


def mermaid_js() -> Path:
    """The browser bundle of the npm mermaid package."""
    return require(NPM / "mermaid" / "dist" / "mermaid.min.js", "mermaid (npm)")
