"""Keeping passwords out of every message about a connection string."""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "***"
_URI_SCHEME = re.compile(r"postgres(?:ql)?://", re.IGNORECASE)
_URI_QUERY_SECRET = re.compile(r"[?&](?:ssl)?password=([^&#]*)")
_KV_SECRET = re.compile(
    r"\b(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|(?:[^\s\\]|\\.)+)", re.IGNORECASE
)


def _secret_spans(dsn: str) -> list[tuple[int, int]]:
    """Where the passwords are in ``dsn``, URI or key/value form, as (start, end) offsets."""
    scheme = _URI_SCHEME.match(dsn)
    if scheme is None:
        return [m.span(1) for m in _KV_SECRET.finditer(dsn)]
    spans: list[tuple[int, int]] = []
    query_at = min((i for i in (dsn.find("?"), dsn.find("#")) if i >= 0), default=len(dsn))
    at = dsn.rfind("@", scheme.end(), query_at)
    colon = dsn.find(":", scheme.end(), at)
    if at >= 0 and colon >= 0:
        spans.append((colon + 1, at))
    spans.extend(m.span(1) for m in _URI_QUERY_SECRET.finditer(dsn, query_at))
    return spans


def redact(dsn: str) -> str:
    """``dsn`` with every password replaced by ``***``.

    ``postgresql://u:secret@h/db`` becomes ``postgresql://u:***@h/db``; ``password=secret``
    becomes ``password=***`` (quoted values too); ``?password=`` in a URI query as well.
    """
    out = dsn
    for start, end in reversed(_secret_spans(dsn)):
        out = out[:start] + MASK + out[end:]
    return out


def scrub(message: str, dsn: str) -> str:
    """``message`` with any password of ``dsn`` (raw or percent-decoded) masked."""
    out = message.replace(dsn, redact(dsn))
    secrets = {dsn[start:end] for start, end in _secret_spans(dsn)}
    secrets |= {unquote(s) for s in secrets}
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        out = out.replace(secret, MASK)
    return out
