"""The core invariant, proven by PostgreSQL.

model -> DDL -> apply -> inspect gives the canonical model; DDL of that, applied to a
second database and inspected again, gives the same model and byte-identical DDL; and
``pg_dump --schema-only`` cannot tell the two databases apart.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from dbarch.ddl import to_ddl
from dbarch.model.dump import dump_model
from dbarch.model.objects import Schema
from dbarch.pg.connect import connect
from dbarch.pg.devdb import DevServer
from dbarch.pg.introspect import inspect_database
from dbarch.pg.pgdump import dump_schema
from dbarch.pg.sqlfiles import apply_sql


@dataclass(frozen=True)
class RoundTrip:
    """Everything one round trip produced, for proof and for diagnosis."""

    ddl: str
    model: Schema
    canonical_ddl: str
    model_again: Schema
    ddl_again: str
    dump: str
    dump_again: str

    @property
    def proven(self) -> bool:
        """True when models, DDL and pg_dump all agree."""
        return (
            self.model == self.model_again
            and self.canonical_ddl == self.ddl_again
            and self.dump == self.dump_again
        )

    def differences(self) -> str:
        """Unified diffs of whatever disagrees (empty when proven)."""
        pairs = [
            ("model", dump_model(self.model, "yaml"), dump_model(self.model_again, "yaml")),
            ("ddl", self.canonical_ddl, self.ddl_again),
            ("pg_dump", self.dump, self.dump_again),
        ]
        return "".join(
            "".join(
                difflib.unified_diff(
                    a.splitlines(keepends=True),
                    b.splitlines(keepends=True),
                    f"{name} (first database)",
                    f"{name} (second database)",
                )
            )
            for name, a, b in pairs
            if a != b
        )


def build(dsn: str, ddl: str, label: str = "<ddl>") -> Schema:
    """Apply ``ddl`` to the empty database at ``dsn`` and read back its Schema."""
    with connect(dsn) as conn:
        apply_sql(conn, ddl, label)
        return inspect_database(conn)


def round_trip(schema: Schema, server: DevServer) -> RoundTrip:
    """Take ``schema`` through two databases of ``server`` and collect the evidence."""
    ddl = to_ddl(schema)
    with server.scratch() as first:
        model = build(first, ddl)
        dump = dump_schema(first, server.bindir)
    canonical_ddl = to_ddl(model)
    with server.scratch() as second:
        model_again = build(second, canonical_ddl)
        dump_again = dump_schema(second, server.bindir)
    return RoundTrip(
        ddl=ddl,
        model=model,
        canonical_ddl=canonical_ddl,
        model_again=model_again,
        ddl_again=to_ddl(model_again),
        dump=dump,
        dump_again=dump_again,
    )
