"""Fixtures of the docs tests: documentation written once per session, a browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dbarch.docs import write_docs
from tests.docs import tools
from tests.docs.browser import Chromium
from tests.docs.schemas import weird

TITLE = 'Weird <docs> & "co"'


@pytest.fixture(scope="session")
def weird_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation of :func:`tests.docs.schemas.weird` (Graphviz used if present)."""
    out = tmp_path_factory.mktemp("weird-docs")
    write_docs(weird(), out, title=TITLE)
    return out


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    """One headless Chromium for the session."""
    browser = Chromium(tools.chromium())
    try:
        yield browser
    finally:
        browser.close()
