"""Diff cases for partitioned tables, partitions and inheritance."""

from __future__ import annotations

from tests.migrate.diff.proof import Case

P = "CREATE TABLE m (id int NOT NULL, at date NOT NULL, v text) PARTITION BY RANGE (at);"
P1 = "CREATE TABLE m_2020 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"
P2 = "CREATE TABLE m_2021 PARTITION OF m FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');"
ROWS = "INSERT INTO m SELECT g, date '2020-01-01' + g % 360, 'v' FROM generate_series(1, 600) g;"
ROWS2 = "INSERT INTO m SELECT g, date '2020-01-01' + g, 'v' FROM generate_series(1, 600) g;"
ALL = "SELECT * FROM m ORDER BY 1"

CASES = [
    Case("create partition", P + P1, P + P1 + P2, data=ROWS, query=ALL),
    Case("drop partition", P + P1 + P2, P + P1, data=ROWS2),
    Case(
        "detach partition",
        P + P1 + P2,
        P + P1 + "CREATE TABLE m_2021 (id int NOT NULL, at date NOT NULL, v text);",
        data=ROWS2,
        query="SELECT * FROM m_2021 ORDER BY 1",
    ),
    Case(
        "attach table as partition",
        P + P1 + "CREATE TABLE m_2021 (id int NOT NULL, at date NOT NULL, v text);",
        P + P1 + P2,
        data="INSERT INTO m_2021 VALUES (1, '2021-05-05', 'x');",
        query="SELECT * FROM m_2021 ORDER BY 1",
    ),
    Case("index on a partitioned table", P + P1 + P2, P + P1 + P2 + "CREATE INDEX m_v ON m (v);"),
    Case(
        "primary key on a partitioned table",
        P + P1 + P2,
        P + P1 + P2 + "ALTER TABLE m ADD PRIMARY KEY (id, at);",
        data=ROWS2,
    ),
    Case(
        "drop index of a partitioned table",
        P + P1 + P2 + "CREATE INDEX m_v ON m (v);",
        P + P1 + P2,
    ),
    Case(
        "column added to a partitioned table",
        P + P1 + P2,
        P.replace("v text", "v text, w int DEFAULT 3") + P1 + P2,
        data=ROWS,
        query="SELECT id, at, v FROM m ORDER BY 1",
    ),
    Case(
        "inherit and no inherit",
        "CREATE TABLE a (x int); CREATE TABLE b (x int, y int) INHERITS (a);"
        "CREATE TABLE c (x int);",
        "CREATE TABLE a (x int); CREATE TABLE b (x int, y int);"
        "CREATE TABLE c (x int) INHERITS (a);",
    ),
]
