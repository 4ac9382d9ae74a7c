"""Finding PostgreSQL, the embedded server's life cycle, and the dev database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dbarch.errors import DatabaseError
from dbarch.pg import server as server_module
from dbarch.pg.connect import connect
from dbarch.pg.devdb import (
    DEV_URL_ENV,
    SCRATCH_PREFIX,
    DevServer,
    dev_server,
    scratch_database,
    server_install,
)
from dbarch.pg.server import (
    EmbeddedServer,
    EmbeddedServerError,
    PgInstall,
    PostgresNotFoundError,
    bundled_install,
    default_install,
    find_installs,
    parse_version,
    system_installs,
)

ONE_PER_MAJOR = list({i.version: i for i in reversed(find_installs())}.values())


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _owner_uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for process {pid}")


@pytest.mark.parametrize(
    ("text", "major"),
    [
        ("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n", 15),
        ("postgres (PostgreSQL) 16.2\n", 16),
        ("postgres (PostgreSQL) 17devel\n", 17),
        ("postgres (PostgreSQL) 9.6.24\n", 9),
    ],
)
def test_parse_version(text: str, major: int) -> None:
    assert parse_version(text) == major


def test_parse_version_rejects_other_programs() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL version"):
        parse_version("mysqld  Ver 8.0.36")


def test_find_installs_lists_usable_servers_system_first() -> None:
    installs = find_installs()
    assert installs, "no PostgreSQL 15+ at all"
    for install in installs:
        assert install.version >= 15
        for tool in ("postgres", "initdb", "pg_ctl", "pg_dump"):
            assert install.tool(tool).is_file()
    assert len({i.bindir.resolve() for i in installs}) == len(installs)
    bundled = bundled_install()
    assert bundled is not None and bundled.version >= 16
    assert installs[-1] == bundled or bundled.bindir.resolve() in {
        i.bindir.resolve() for i in system_installs()
    }
    assert installs[: len(system_installs())] == system_installs()


def test_default_install_prefers_newest_system_server() -> None:
    system = system_installs()
    expected = max(system, key=lambda i: i.version) if system else bundled_install()
    assert default_install() == expected


def test_binaries_on_path_are_found_through_symlinks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = find_installs()[0]
    for tool in ("postgres", "initdb", "pg_ctl"):
        (tmp_path / tool).symlink_to(real.tool(tool))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert system_installs()[0] == PgInstall(real.bindir.resolve(), real.version)


def test_no_postgresql_anywhere_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(server_module, "PACKAGED_ROOT", tmp_path)
    monkeypatch.setattr(server_module, "bundled_install", lambda: None)
    with pytest.raises(PostgresNotFoundError, match="no PostgreSQL 15\\+ found"):
        default_install()


@pytest.mark.parametrize("install", ONE_PER_MAJOR, ids=lambda i: f"pg{i.version}")
def test_embedded_server_runs_and_leaves_nothing_behind(install: PgInstall) -> None:
    with EmbeddedServer(install) as server:
        socket_dir, pid = server.socket_dir, server.pid
        assert (socket_dir / f".s.PGSQL.{server.port}").exists()
        assert server.version == install.version and server.bindir == install.bindir
        with connect(server.dsn()) as conn:
            row = conn.execute(
                "SELECT current_setting('server_version_num')::int / 10000, current_user,"
                " current_setting('fsync'), current_setting('listen_addresses')"
            ).fetchone()
        assert row == (install.version, "postgres", "off", "")
        assert _alive(pid)
        if os.geteuid() == 0:
            assert _owner_uid(pid) != 0
    assert not socket_dir.exists()
    assert not _alive(pid)
    server.stop()  # a second stop is harmless


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_embedded_server_cleans_up_when_the_body_raises(error: type[BaseException]) -> None:
    with pytest.raises(error), EmbeddedServer() as server:
        socket_dir, pid = server.socket_dir, server.pid
        raise error("boom")
    assert not socket_dir.exists()
    assert not _alive(pid)


def test_failed_start_reports_the_server_log_and_cleans_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[Path] = []
    make_tempdir = server_module._make_tempdir

    def recording_make_tempdir() -> Path:
        made.append(make_tempdir())
        return made[-1]

    # Only this server's own directory is watched: other test workers start servers too.
    monkeypatch.setattr(server_module, "_make_tempdir", recording_make_tempdir)
    server = EmbeddedServer(settings={"shared_buffers": "plenty"})
    with pytest.raises(EmbeddedServerError, match='invalid value for parameter "shared_buffers"'):
        server.start()
    assert made and not any(path.exists() for path in made)
    with pytest.raises(RuntimeError, match="not running"):
        server.dsn()


_CHILD = """
import sys, time
from pathlib import Path
from dbarch.pg.server import EmbeddedServer, default_install
server = EmbeddedServer(default_install())
server.start()
print(server.socket_dir, server.pid, flush=True)
if sys.argv[1] == "wait":
    time.sleep(120)
"""


@pytest.mark.parametrize("ending", ["sigterm", "exit"])
def test_server_is_removed_when_the_process_ends(ending: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, "wait" if ending == "sigterm" else "exit"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    socket_dir, pid = child.stdout.readline().split()
    if ending == "sigterm":
        child.send_signal(signal.SIGTERM)
    returncode = child.wait(timeout=60)
    assert returncode == (-signal.SIGTERM if ending == "sigterm" else 0)
    assert not Path(socket_dir).exists()
    assert not _alive(int(pid))


def test_scratch_database_on_a_dev_url(dev_url: str) -> None:
    with scratch_database(dev_url) as dsn, connect(dsn) as conn:
        name = conn.info.dbname
        tables = conn.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 2200").fetchone()
        assert name.startswith(SCRATCH_PREFIX)
        assert tables == (0,)
    with connect(dev_url) as conn:
        assert (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None
        )


def test_scratch_database_is_dropped_when_the_body_raises(dev_url: str) -> None:
    with pytest.raises(RuntimeError), scratch_database(dev_url) as dsn:
        held = connect(dsn)  # an open session must not prevent the drop
        name = held.info.dbname
        raise RuntimeError
    with connect(dev_url) as conn:
        assert (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None
        )
    held.close()


def test_scratch_database_uses_the_environment_dev_url(
    dev_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEV_URL_ENV, dev_url)
    with scratch_database() as dsn, connect(dev_url) as conn:
        name = connect(dsn).info.dbname
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def test_scratch_database_without_dev_url_starts_its_own_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DEV_URL_ENV, raising=False)
    with scratch_database() as dsn, connect(dsn) as conn:
        socket_dir = Path(conn.info.host)
        assert conn.execute("SELECT current_database()").fetchone() is not None
    assert not socket_dir.exists()


def test_dev_server_reports_its_version_and_matching_pg_dump(
    pg_server: DevServer, dev_url: str
) -> None:
    with dev_server(dev_url) as external:
        assert external.version == pg_server.version
        assert external.install.version == pg_server.version
        assert external.install.tool("pg_dump").is_file()
        assert "password" not in repr(external)


def test_unreachable_dev_url_is_a_database_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as caught, dev_server(f"host={tmp_path} password=hush"):
        pass
    assert "hush" not in str(caught.value)


def test_server_install_for_versions() -> None:
    newest = max(i.version for i in find_installs())
    assert server_install(15).version >= 15
    assert server_install(newest).version == newest
    with pytest.raises(PostgresNotFoundError, match="PostgreSQL 99"):
        server_install(99)
