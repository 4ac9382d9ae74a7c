"""Diff cases for keys, checks, foreign keys, exclusion constraints and indexes."""

from __future__ import annotations

from dbarch.migrate.plan import PlanOptions
from tests.migrate.diff.declare import renamed_piece
from tests.migrate.diff.proof import Case

UNSAFE = PlanOptions(zero_downtime=False, allow_destructive=True)
T = "CREATE TABLE t (id integer NOT NULL, code text, n integer);"
ROWS = "INSERT INTO t SELECT g, 'c' || g, g % 7 FROM generate_series(1, 1000) g;"
ALL = "SELECT * FROM t ORDER BY 1"
PARENT = "CREATE TABLE p (id integer PRIMARY KEY, k text UNIQUE);"

CASES = [
    Case("add primary key", T, T + "ALTER TABLE t ADD PRIMARY KEY (id);", data=ROWS, query=ALL),
    Case("drop primary key", T + "ALTER TABLE t ADD PRIMARY KEY (id);", T),
    Case(
        "primary key on a nullable column",
        "CREATE TABLE t (id integer, v text);",
        "CREATE TABLE t (id integer PRIMARY KEY, v text);",
        data="INSERT INTO t SELECT g, 'x' FROM generate_series(1, 300) g;",
        query="SELECT * FROM t ORDER BY 1",
    ),
    Case(
        "add unique constraint",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE (code) INCLUDE (n);",
        data=ROWS,
        query=ALL,
    ),
    Case(
        "unique nulls not distinct, deferrable",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT u UNIQUE NULLS NOT DISTINCT (code);"
        "ALTER TABLE t ADD CONSTRAINT d UNIQUE (id) DEFERRABLE INITIALLY DEFERRED;",
    ),
    Case(
        "add check",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n >= 0);",
        data=ROWS,
        query=ALL,
    ),
    Case("drop check", T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0);", T),
    Case(
        "change check",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0);",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0 AND n < 100);",
    ),
    Case(
        "add a NOT VALID check",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n > 3) NOT VALID;",
        data=ROWS,
    ),
    Case(
        "validate a check",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0) NOT VALID;",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0);",
        data=ROWS,
    ),
    Case(
        "add foreign key",
        PARENT + T,
        PARENT + T + "ALTER TABLE t ADD CONSTRAINT t_id_fkey FOREIGN KEY (id) REFERENCES p;",
        data="INSERT INTO p SELECT g, 'k' || g FROM generate_series(1, 1000) g;" + ROWS,
        query=ALL,
    ),
    Case(
        "drop foreign key",
        PARENT + T + "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES p;",
        PARENT + T,
    ),
    Case(
        "change foreign key actions",
        PARENT + T + "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (code) REFERENCES p (k);",
        PARENT + T + "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (code) REFERENCES p (k)"
        " ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE;",
    ),
    Case(
        "foreign key to a new table",
        T,
        PARENT + T + "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES p;",
    ),
    Case(
        "add exclusion constraint",
        T,
        T + "ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING btree (id WITH =) WHERE (n > 0);",
        options=UNSAFE,
    ),
    Case(
        "drop exclusion constraint",
        T + "ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING btree (id WITH =);",
        T,
    ),
    Case(
        "rename constraint",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0);"
        "ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY (id);",
        T + "ALTER TABLE t ADD CONSTRAINT c2 CHECK (n >= 0);"
        "ALTER TABLE t ADD CONSTRAINT k2 PRIMARY KEY (id);",
        declare=lambda s: renamed_piece("t", "primary_key", "k2", "k")(
            renamed_piece("t", "checks", "c2", "c")(s)
        ),
    ),
    Case(
        "constraint comment",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0);",
        T + "ALTER TABLE t ADD CONSTRAINT c CHECK (n >= 0); COMMENT ON CONSTRAINT c ON t IS 'n';",
    ),
    Case("create index", T, T + "CREATE INDEX t_n ON t (n DESC NULLS LAST);", data=ROWS),
    Case("drop index", T + "CREATE INDEX t_n ON t (n);", T),
    Case(
        "change index",
        T + "CREATE INDEX t_n ON t (n);",
        T + "CREATE UNIQUE INDEX t_n ON t (id, n) INCLUDE (code) WITH (fillfactor = 80);",
        data=ROWS,
    ),
    Case(
        "partial and expression index",
        T,
        T + "CREATE INDEX t_lower ON t (lower(code)) WHERE n > 0;"
        "CREATE INDEX t_gin ON t USING gin (to_tsvector('simple', code));",
    ),
    Case(
        "rename index",
        T + "CREATE INDEX a ON t (n);",
        T + "CREATE INDEX b ON t (n);",
        declare=renamed_piece("t", "indexes", "b", "a"),
    ),
    Case(
        "index comment",
        T + "CREATE INDEX a ON t (n);",
        T + "CREATE INDEX a ON t (n); COMMENT ON INDEX a IS 'by n';",
    ),
]
