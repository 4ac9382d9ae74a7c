"""Writing a command's output file the way Unix tools are expected to.

A regular file is replaced atomically (a reader never sees half of it, a failed write
leaves the old one), keeping its permissions; a symbolic link is written through, not
replaced; anything else that already exists (``/dev/null``, a FIFO, a terminal) is
simply opened and written, never replaced by a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_output(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``; an :class:`OSError` says what went wrong."""
    target = path.resolve() if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with target.open("w", encoding="utf-8") as stream:
            stream.write(text)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(name, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
