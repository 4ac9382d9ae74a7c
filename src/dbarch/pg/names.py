"""Names PostgreSQL makes up itself, computed the way the server does.

Identifiers hold at most 63 bytes (NAMEDATALEN - 1). When PostgreSQL invents a name —
the sequence of an identity column, ``<table>_<column>_seq`` — it shortens the longer
part first, one byte at a time, and never cuts a character of a multibyte encoding in
half (``makeObjectName`` in the server's ``indexcmds.c``).
"""

from __future__ import annotations

NAME_BYTES = 63


def _clip(name: str, nbytes: int) -> str:
    """The longest prefix of ``name`` that fits in ``nbytes`` bytes of UTF-8."""
    return name.encode()[:nbytes].decode(errors="ignore")


def object_name(name1: str, name2: str | None, label: str | None) -> str:
    """``name1_name2_label`` shortened like PostgreSQL shortens names it generates."""
    overhead = (len(label.encode()) + 1 if label else 0) + (1 if name2 else 0)
    available = NAME_BYTES - overhead
    len1 = len(name1.encode())
    len2 = len(name2.encode()) if name2 else 0
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    parts = [_clip(name1, len1)]
    if name2:
        parts.append(_clip(name2, len2))
    if label:
        parts.append(label)
    return "_".join(parts)
