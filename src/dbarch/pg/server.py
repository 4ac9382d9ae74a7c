"""PostgreSQL installations on this machine, and a throwaway server started from one.

System binaries (``postgres``, ``initdb`` and ``pg_ctl`` on ``PATH``, or under
``/usr/lib/postgresql/*/bin``) come first; the server bundled in the ``pgserver`` wheel is
the fallback. :class:`EmbeddedServer` runs one of them in a fresh temporary directory,
reachable only through a Unix socket there, and always removes it again.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType

from psycopg.conninfo import make_conninfo

from dbarch.errors import DbarchError

MIN_VERSION = 15
PACKAGED_ROOT = Path("/usr/lib/postgresql")  # Debian/Ubuntu: one directory per major
_SERVER_TOOLS = ("postgres", "initdb", "pg_ctl")
_SERVICE_USER = "dbarch"
_USERADD = ("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin")
_LOG_TAIL_LINES = 20
_SETTINGS = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"}


class EmbeddedServerError(DbarchError):
    """The throwaway PostgreSQL server could not be set up or started."""


class PostgresNotFoundError(EmbeddedServerError):
    """No usable PostgreSQL server binaries (15 or newer) on this machine."""


@dataclass(frozen=True)
class PgInstall:
    """One PostgreSQL installation: its binaries directory and major version."""

    bindir: Path
    version: int

    def tool(self, name: str) -> Path:
        """Path of one of this installation's programs, e.g. ``pg_dump``."""
        return self.bindir / name


def parse_version(text: str) -> int:
    """The major version in ``postgres --version`` output: ``... (PostgreSQL) 15.18 ...`` → 15."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", text)
    if match is None:
        raise ValueError(f"not a PostgreSQL version string: {text.strip()!r}")
    return int(match.group(1))


@functools.cache
def _version_of(bindir: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(bindir / "postgres"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        return parse_version(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _has_server_tools(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in _SERVER_TOOLS)


def _system_bindirs() -> list[Path]:
    found: list[Path] = []
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        directory = Path(entry or ".")
        if _has_server_tools(directory):
            real = (directory / "postgres").resolve().parent
            found.append(real if _has_server_tools(real) else directory)
    packaged = sorted(PACKAGED_ROOT.glob("*/bin"), key=_debian_major, reverse=True)
    found.extend(d for d in packaged if _has_server_tools(d))
    return found


def _debian_major(bindir: Path) -> int:
    name = bindir.parent.name
    return int(name) if name.isdigit() else 0


def _to_installs(bindirs: list[Path]) -> list[PgInstall]:
    installs: list[PgInstall] = []
    seen: set[Path] = set()
    for bindir in bindirs:
        key = bindir.resolve()
        version = _version_of(key)
        if key in seen or version is None or version < MIN_VERSION:
            continue
        seen.add(key)
        installs.append(PgInstall(bindir=bindir, version=version))
    return installs


def system_installs() -> list[PgInstall]:
    """System PostgreSQL installations (15+), in ``PATH`` order, then newest packaged first."""
    return _to_installs(_system_bindirs())


def bundled_install() -> PgInstall | None:
    """The server shipped in the ``pgserver`` wheel, if that package is installed."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    bindir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    installs = _to_installs([bindir]) if _has_server_tools(bindir) else []
    return installs[0] if installs else None


def find_installs() -> list[PgInstall]:
    """Every usable installation (15+): system ones first, then the bundled one."""
    bundled = bundled_install()
    installs = system_installs()
    if bundled is not None and bundled.bindir.resolve() not in {
        i.bindir.resolve() for i in installs
    }:
        installs.append(bundled)
    return installs


def default_install() -> PgInstall:
    """The newest system installation (15+), else the bundled one."""
    system = system_installs()
    if system:
        return max(system, key=lambda install: install.version)
    bundled = bundled_install()
    if bundled is None:
        raise PostgresNotFoundError(
            f"no PostgreSQL {MIN_VERSION}+ found: install the server binaries "
            "(postgres, initdb, pg_ctl) or the pgserver Python package"
        )
    return bundled


@dataclass(frozen=True)
class _Account:
    uid: int
    gid: int


def _service_account() -> _Account | None:
    """The unprivileged account to run PostgreSQL as when we are root, else None."""
    if os.geteuid() != 0:
        return None
    for name in ("nobody", _SERVICE_USER):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            if entry.pw_uid != 0:
                return _Account(entry.pw_uid, entry.pw_gid)
    try:
        subprocess.run([*_USERADD, _SERVICE_USER], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise EmbeddedServerError(
            f"running as root and could not create the user {_SERVICE_USER!r} for PostgreSQL: {exc}"
        ) from None
    entry = pwd.getpwnam(_SERVICE_USER)
    return _Account(entry.pw_uid, entry.pw_gid)


def _add_mode(path: Path, bits: int) -> None:
    mode = path.stat().st_mode
    if mode & bits != bits:
        path.chmod(stat.S_IMODE(mode) | bits)


def _let_others_traverse(path: Path) -> None:
    """Add o+x to every directory above ``path`` that lacks it."""
    for ancestor in path.resolve().parents:
        _add_mode(ancestor, stat.S_IXOTH)


def _open_bundled_for_others(install: PgInstall) -> None:
    """Let another user reach the bundled server and read and run everything in it.

    System installations are world-readable already; the wheel's may sit in a private
    directory (a virtualenv under a 0700 temporary directory, say).
    """
    root = install.bindir.resolve().parent
    _let_others_traverse(root)
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & stat.S_IXUSR
        _add_mode(path, stat.S_IROTH | (stat.S_IXOTH if executable else 0))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _conf_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _make_tempdir() -> Path:
    base = Path(tempfile.gettempdir())
    # A Unix socket path is limited to about 100 bytes.
    if len(str(base)) > 60:
        base = Path("/tmp")
    return Path(tempfile.mkdtemp(prefix="dbarch-pg-", dir=base))


class EmbeddedServer:
    """A throwaway PostgreSQL server; use as a context manager.

    Runs as an unprivileged account when we are root, listens only on a Unix socket in its
    own temporary directory, trusts every local connection as superuser ``postgres``, and
    is stopped and deleted on exit, on an exception, on SIGTERM and at interpreter exit.
    """

    def __init__(
        self, install: PgInstall | None = None, settings: Mapping[str, str] | None = None
    ) -> None:
        """``settings`` are extra ``postgresql.conf`` parameters, e.g. ``shared_buffers``."""
        self._install = install
        self._settings = dict(settings or {})
        self._tempdir: Path | None = None
        self._port: int | None = None
        self._pid: int | None = None
        self._account: _Account | None = None
        self._owner_pid = os.getpid()

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def install(self) -> PgInstall:
        """The installation whose binaries this server runs."""
        if self._install is None:
            self._install = default_install()
        return self._install

    @property
    def version(self) -> int:
        """Major version of the server."""
        return self.install.version

    @property
    def bindir(self) -> Path:
        """Directory of the server's programs (``pg_dump`` among them)."""
        return self.install.bindir

    @property
    def socket_dir(self) -> Path:
        """The directory holding the server's Unix socket."""
        return self._started()[0]

    @property
    def port(self) -> int:
        """The port number in the socket's file name."""
        return self._started()[1]

    @property
    def pid(self) -> int:
        """Process id of the postmaster."""
        return self._started()[2]

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq key/value connection string for ``dbname`` as superuser ``postgres``."""
        return make_conninfo(
            "", host=str(self.socket_dir), port=str(self.port), user="postgres", dbname=dbname
        )

    def _started(self) -> tuple[Path, int, int]:
        if self._tempdir is None or self._port is None or self._pid is None:
            raise RuntimeError("the embedded server is not running")
        return self._tempdir, self._port, self._pid

    def start(self) -> None:
        """Create the cluster and start the server; on any failure nothing is left behind."""
        if self._tempdir is not None:
            raise RuntimeError("the embedded server is already running")
        install = self.install
        self._owner_pid = os.getpid()
        self._tempdir = _make_tempdir()
        _register(self)
        try:
            self._account = _service_account()
            if self._account is not None:
                if install == bundled_install():
                    _open_bundled_for_others(install)
                _let_others_traverse(self._tempdir)
                os.chown(self._tempdir, self._account.uid, self._account.gid)
            self._initdb()
            self._port = _free_port()
            self._configure()
            self._start_postmaster()
        except BaseException:
            self.stop()
            raise

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        account = self._account
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            cwd=self._tempdir,
            env=env,
            user=account.uid if account else None,
            group=account.gid if account else None,
            extra_groups=[] if account else None,
            check=False,
        )

    @property
    def _datadir(self) -> Path:
        assert self._tempdir is not None
        return self._tempdir / "data"

    def _initdb(self) -> None:
        base = [str(self.install.tool("initdb")), "-D", str(self._datadir)]
        base += ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]
        result = self._run([*base, "--locale=C.UTF-8"])
        if result.returncode != 0:
            shutil.rmtree(self._datadir, ignore_errors=True)
            result = self._run([*base, "--no-locale"])
        if result.returncode != 0:
            raise EmbeddedServerError(f"initdb failed:\n{(result.stdout + result.stderr).strip()}")

    def _configure(self) -> None:
        socket_dir, port = self._tempdir, self._port
        assert socket_dir is not None and port is not None
        lines = [
            "listen_addresses = ''",
            f"port = {port}",
            f"unix_socket_directories = {_conf_string(str(socket_dir))}",
            *(f"{name} = {value}" for name, value in _SETTINGS.items()),
            *(f"{name} = {_conf_string(value)}" for name, value in self._settings.items()),
        ]
        with (self._datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# dbarch embedded server\n" + "\n".join(lines) + "\n")

    def _log_tail(self) -> str:
        assert self._tempdir is not None
        try:
            lines = (self._tempdir / "postgres.log").read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-_LOG_TAIL_LINES:])

    def _start_postmaster(self) -> None:
        assert self._tempdir is not None
        log = self._tempdir / "postgres.log"
        pg_ctl = str(self.install.tool("pg_ctl"))
        result = self._run(
            [pg_ctl, "-D", str(self._datadir), "-l", str(log), "-w", "-t", "60", "-s", "start"]
        )
        if result.returncode != 0:
            raise EmbeddedServerError(
                f"PostgreSQL {self.version} did not start ({self.install.bindir}):\n"
                f"{(result.stdout + result.stderr).strip()}\n{self._log_tail()}"
            )
        self._pid = int((self._datadir / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        """Stop the server (if running) and delete its directory; safe to call twice."""
        tempdir = self._tempdir
        if tempdir is None:
            return
        if (self._datadir / "postmaster.pid").exists():
            pg_ctl = str(self.install.tool("pg_ctl"))
            result = self._run([pg_ctl, "-D", str(self._datadir), "-m", "immediate", "-w", "stop"])
            if result.returncode != 0 and self._pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)
        shutil.rmtree(tempdir, ignore_errors=True)
        self._tempdir = self._port = self._pid = None
        _LIVE.discard(self)


_LIVE: set[EmbeddedServer] = set()
_hooks = threading.Lock()
_hooks_installed = False


def _register(server: EmbeddedServer) -> None:
    """Track a running server and make sure the process-wide cleanup hooks exist."""
    global _hooks_installed
    _LIVE.add(server)
    with _hooks:
        if _hooks_installed:
            return
        _hooks_installed = True
        atexit.register(_stop_all)
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGTERM)
            signal.signal(signal.SIGTERM, functools.partial(_on_sigterm, previous))


def _stop_all() -> None:
    for server in list(_LIVE):
        # A forked child inherits the registry, but the servers are its parent's.
        if server._owner_pid == os.getpid():
            server.stop()


def _on_sigterm(
    previous: signal.Handlers | int | object, signum: int, frame: FrameType | None
) -> None:
    _stop_all()
    if callable(previous):
        previous(signum, frame)
    elif previous != signal.SIG_IGN:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
