"""Pausing Python's cycle collector around work that builds many acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the cycle collector while a large schema's nodes, dicts and model objects are
    built or walked: it would only scan the same live objects again and again (a third to
    a half of the time of loading a model or rendering its DDL). Garbage cycles made
    meanwhile are collected after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
