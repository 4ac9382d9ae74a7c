"""The dev database: a server where dbarch creates and drops scratch databases.

With a connection string (argument or ``DBARCH_DEV_URL``) that server is used; without
one, a throwaway :class:`~dbarch.pg.server.EmbeddedServer` is started and removed again.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from dbarch.errors import DatabaseError
from dbarch.pg.connect import connect
from dbarch.pg.quote import quote_ident
from dbarch.pg.redact import redact, scrub
from dbarch.pg.server import EmbeddedServer, PgInstall, PostgresNotFoundError, find_installs

DEV_URL_ENV = "DBARCH_DEV_URL"
SCRATCH_PREFIX = "dbarch_dev_"


def server_install(server_version: int) -> PgInstall:
    """The local installation whose client programs (``pg_dump``) suit a server of that major.

    The same major is preferred, else the closest newer one; system installations win ties.
    """
    candidates = [i for i in find_installs() if i.version >= server_version]
    if not candidates:
        raise PostgresNotFoundError(
            f"no local PostgreSQL {server_version}+ client programs (pg_dump) "
            f"for a PostgreSQL {server_version} server"
        )
    return min(candidates, key=lambda install: install.version)


@dataclass(frozen=True)
class DevServer:
    """A PostgreSQL server reachable as a superuser-like role that may create databases."""

    admin_dsn: str = field(repr=False)
    version: int
    embedded_install: PgInstall | None = None

    @property
    def install(self) -> PgInstall:
        """The installation whose programs (``pg_dump``) match this server."""
        return self.embedded_install or server_install(self.version)

    @property
    def bindir(self) -> Path:
        """Directory of the matching ``pg_dump`` and friends."""
        return self.install.bindir

    def dsn(self, dbname: str) -> str:
        """Connection string for database ``dbname`` on this server."""
        return make_conninfo(self.admin_dsn, dbname=dbname)

    def _admin(self, sql: str, doing: str) -> None:
        try:
            with connect(self.admin_dsn) as conn:
                conn.execute(sql)
        except psycopg.Error as exc:
            reason = scrub(str(exc).strip(), self.admin_dsn)
            raise DatabaseError(f"cannot {doing} on {redact(self.admin_dsn)}: {reason}") from None

    def create_database(self) -> str:
        """Create an empty database with a fresh unique name and return that name."""
        name = SCRATCH_PREFIX + secrets.token_hex(6)
        self._admin(f"CREATE DATABASE {quote_ident(name)} TEMPLATE template0", "create a database")
        return name

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, disconnecting anyone still in it."""
        self._admin(f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)", "drop a database")

    @contextlib.contextmanager
    def scratch(self) -> Iterator[str]:
        """A fresh empty database's DSN, dropped afterwards."""
        name = self.create_database()
        try:
            yield self.dsn(name)
        except BaseException:
            with contextlib.suppress(DatabaseError):
                self.drop_database(name)
            raise
        self.drop_database(name)


def external_dev_server(dev_url: str) -> DevServer:
    """The server at ``dev_url`` as a dev server (checks that it can be reached)."""
    with connect(dev_url) as conn:
        version = conn.info.server_version // 10000
    return DevServer(admin_dsn=dev_url, version=version)


def embedded_dev_server(server: EmbeddedServer) -> DevServer:
    """A running embedded server as a dev server."""
    return DevServer(
        admin_dsn=server.dsn("postgres"), version=server.version, embedded_install=server.install
    )


@contextlib.contextmanager
def dev_server(dev_url: str | None = None) -> Iterator[DevServer]:
    """The dev server: ``dev_url``, else ``$DBARCH_DEV_URL``, else an embedded one."""
    url = dev_url or os.environ.get(DEV_URL_ENV)
    if url:
        yield external_dev_server(url)
        return
    with EmbeddedServer() as server:
        yield embedded_dev_server(server)


@contextlib.contextmanager
def scratch_database(dev_url: str | None = None) -> Iterator[str]:
    """DSN of one fresh empty database on the dev server, dropped (or stopped) afterwards."""
    with dev_server(dev_url) as server, server.scratch() as dsn:
        yield dsn
