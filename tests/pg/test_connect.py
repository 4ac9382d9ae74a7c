"""Connecting, and keeping passwords out of DSNs shown to people."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

from dbarch.errors import DatabaseError
from dbarch.pg.connect import connect
from dbarch.pg.redact import redact, scrub


@pytest.mark.parametrize(
    ("dsn", "shown"),
    [
        ("postgresql://u:secret@h/db", "postgresql://u:***@h/db"),
        ("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db"),
        ("POSTGRESQL://u:secret@h/db", "POSTGRESQL://u:***@h/db"),
        ("postgresql://u:s%40cr%2Ft@h1:5432,h2/db", "postgresql://u:***@h1:5432,h2/db"),
        ("postgresql://u:pa/ss@h/db", "postgresql://u:***@h/db"),
        (
            "postgresql://h/db?user=u&password=secret&sslmode=off",
            "postgresql://h/db?user=u&password=***&sslmode=off",
        ),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql:///db?host=/tmp", "postgresql:///db?host=/tmp"),
        ("host=h user=u password=secret dbname=d", "host=h user=u password=*** dbname=d"),
        ("host=h password = secret", "host=h password = ***"),
        ("password='se cr\\'et' host=h", "password=*** host=h"),
        ("password=se'cret host=h", "password=*** host=h"),
        ("host=h sslpassword=secret", "host=h sslpassword=***"),
        ("host=h user=u", "host=h user=u"),
    ],
)
def test_redact(dsn: str, shown: str) -> None:
    assert redact(dsn) == shown


def test_scrub_masks_raw_and_decoded_passwords() -> None:
    dsn = "postgresql://u:s%40cret@h/db"
    message = f'bad URI "{dsn}"; password s@cret'
    assert scrub(message, dsn) == 'bad URI "postgresql://u:***@h/db"; password ***'


def test_connect_opens_an_autocommit_session_named_dbarch(dev_url: str) -> None:
    with connect(dev_url) as conn:
        assert conn.autocommit
        row = conn.execute("SELECT current_setting('application_name')").fetchone()
        assert row == ("dbarch",)
    with connect(dev_url, autocommit=False, application_name="other") as conn:
        assert not conn.autocommit
        assert conn.execute("SHOW application_name").fetchone() == ("other",)


def test_connect_accepts_both_uri_schemes(dev_url: str) -> None:
    params = conninfo_to_dict(dev_url)
    for scheme in ("postgresql", "postgres"):
        uri = f"{scheme}://postgres@/postgres?host={params['host']}&port={params['port']}"
        with connect(uri) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://u:s3cr3tpw@[broken",  # libpq quotes the whole URI back
        "postgres://u:s3cr3tpw@/db?host={socket_dir}&port=1",
        "host={socket_dir} port=1 user=u password=s3cr3tpw",
        "host={socket_dir} port=1 password='s3cr3tpw",
    ],
)
def test_connect_errors_never_show_the_password(dsn: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseError) as caught:
        connect(dsn.format(socket_dir=tmp_path))
    message = str(caught.value)
    assert "s3cr3tpw" not in message
    assert message.startswith("cannot connect to ")
    assert caught.value.__suppress_context__
    assert time.monotonic() - started < 5
