"""PostgreSQL fixtures: one embedded server per PostgreSQL major, one fresh database per test.

``DBARCH_TEST_PG_VERSIONS=15,16`` picks the majors to test (default: every major 15+
installed here). Modules marked ``all_pg_versions`` (round trip, DDL, introspection, lock
facts, the example) run once per major; the rest on the newest one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from dbarch.pg.devdb import DEV_URL_ENV, DevServer, embedded_dev_server
from dbarch.pg.server import EmbeddedServer, PgInstall, find_installs

VERSIONS_ENV = "DBARCH_TEST_PG_VERSIONS"

# Tests choose their dev server explicitly; a developer's own setting must not leak in.
os.environ.pop(DEV_URL_ENV, None)


def _wanted_majors(installed: dict[int, PgInstall]) -> list[int]:
    wanted = os.environ.get(VERSIONS_ENV, "").replace(" ", "")
    if not wanted:
        return sorted(installed)
    try:
        return [int(part) for part in wanted.split(",") if part]
    except ValueError:
        raise pytest.UsageError(f"{VERSIONS_ENV} must look like 15,16; got {wanted!r}") from None


def _server_params() -> list[object]:
    installed: dict[int, PgInstall] = {}
    for install in find_installs():
        installed.setdefault(install.version, install)
    params = [
        pytest.param(
            installed.get(major),
            id=f"pg{major}",
            marks=[] if major in installed else pytest.mark.skip(reason=f"no PostgreSQL {major}"),
        )
        for major in _wanted_majors(installed)
    ]
    # No PostgreSQL at all: let the fixture fail loudly rather than skip everything.
    return params or [pytest.param(None, id="pg")]


SERVER_PARAMS = _server_params()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "all_pg_versions: run this module's database tests on every PostgreSQL major "
        "(others run on the newest one only, to keep the suite fast)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that use ``pg_server`` run on the newest major, or on all of them when the
    module is marked ``all_pg_versions`` (the round trip, DDL, introspection, locks)."""
    if "pg_server" not in metafunc.fixturenames:
        return
    every = metafunc.definition.get_closest_marker("all_pg_versions") is not None
    params = SERVER_PARAMS if every else SERVER_PARAMS[-1:]
    metafunc.parametrize("pg_server", params, indirect=True, scope="session")


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[DevServer]:
    """A running embedded server (``.version``, ``.dsn(dbname)``, ``.bindir``, ``.scratch()``)."""
    with EmbeddedServer(request.param) as server:
        yield embedded_dev_server(server)


@pytest.fixture
def fresh_db(pg_server: DevServer) -> Iterator[str]:
    """DSN of a brand-new empty database, dropped after the test."""
    with pg_server.scratch() as dsn:
        yield dsn


@pytest.fixture
def dev_url(pg_server: DevServer) -> str:
    """DSN of the test server's ``postgres`` database, usable as ``--dev-url``."""
    return pg_server.dsn("postgres")
