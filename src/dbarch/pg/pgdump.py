"""``pg_dump --schema-only``: PostgreSQL's own verdict on what a database contains."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from dbarch.errors import DatabaseError
from dbarch.pg.redact import redact, scrub

# lines that differ between two dumps of equal databases: tool/server versions and the
# random key of pg_dump's \restrict guard (PostgreSQL 17.6+, 16.10+, 15.14+)
_VOLATILE = re.compile(r"^(-- Dumped (from|by) .*|\\(un)?restrict \S+)$", re.MULTILINE)


def dump_schema(dsn: str, bindir: Path) -> str:
    """The schema-only dump of the database at ``dsn`` made by ``bindir``'s pg_dump,
    with the version lines and restrict keys blanked so equal databases dump equal."""
    try:
        done = subprocess.run(
            [str(bindir / "pg_dump"), "--schema-only", "--no-password", "--dbname", dsn],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise DatabaseError(f"cannot run pg_dump from {bindir}: {exc.strerror}") from None
    if done.returncode != 0:
        raise DatabaseError(f"pg_dump of {redact(dsn)} failed: {scrub(done.stderr.strip(), dsn)}")
    return _VOLATILE.sub("", done.stdout)
