"""Output files: replaced atomically when regular, never replaced when they are not."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from dbarch.outfile import write_output


def test_a_new_file_gets_the_usual_mode_and_its_directory(tmp_path: Path) -> None:
    target = tmp_path / "out" / "schema.sql"
    write_output(target, "SELECT 1;\n")
    assert target.read_text(encoding="utf-8") == "SELECT 1;\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["schema.sql"]  # no temp file left


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "schema.sql"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_output(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.sql"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.sql"
    link.symlink_to(real)
    write_output(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    write_output(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == ["through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "schema.sql"
    target.write_text("old", encoding="utf-8")

    def full_disk(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_output(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["schema.sql"]
