"""The built-in volatility table, checked against the catalog of the server under test."""

from __future__ import annotations

import pytest

from dbarch.migrate.lint.volatility import BUILTIN, EXTENSION_FUNCTIONS, Volatility
from tests.pgutil import run_sql

_CLASS = {"i": Volatility.IMMUTABLE, "s": Volatility.STABLE, "v": Volatility.VOLATILE}
_ORDER = [Volatility.IMMUTABLE, Volatility.STABLE, Volatility.VOLATILE]
_BY_NAME = """
SELECT p.proname, array_agg(DISTINCT p.provolatile::text)
FROM pg_proc p
WHERE p.pronamespace = %s::regnamespace AND p.prokind = 'f'
GROUP BY 1
"""


def _catalog(dsn: str, schema: str) -> dict[str, Volatility]:
    from dbarch.pg.connect import connect

    with connect(dsn) as conn:
        rows = conn.execute(_BY_NAME, [schema]).fetchall()
    return {name: max((_CLASS[v] for v in vols), key=_ORDER.index) for name, vols in rows}


def test_builtin_volatility_matches_pg_proc(fresh_db: str) -> None:
    catalog = _catalog(fresh_db, "pg_catalog")
    missing = sorted(set(catalog) - set(BUILTIN))
    assert not missing, f"built-ins missing from the table: {missing[:20]}"
    wrong = sorted(name for name, vol in catalog.items() if BUILTIN[name] is not vol)
    assert not wrong, f"wrong volatility: {wrong[:20]}"
    assert BUILTIN["now"] is Volatility.STABLE
    assert BUILTIN["clock_timestamp"] is BUILTIN["gen_random_uuid"] is Volatility.VOLATILE


@pytest.mark.parametrize("extension", sorted(EXTENSION_FUNCTIONS))
def test_extension_volatility_matches_pg_proc(fresh_db: str, extension: str) -> None:
    available = run_sql(
        fresh_db, f"SELECT count(*) FROM pg_available_extensions WHERE name = '{extension}'"
    )
    if not available[0][0]:
        pytest.skip(f"extension {extension} is not installed on this server")
    run_sql(fresh_db, f'CREATE EXTENSION "{extension}" SCHEMA public')
    catalog = _catalog(fresh_db, "public")
    for name, volatility in EXTENSION_FUNCTIONS[extension].items():
        assert catalog[name] is volatility, name
