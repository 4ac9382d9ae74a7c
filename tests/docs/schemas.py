"""Schemas the docs tests document: a seed-002-like ``users`` table, and a small schema
of awkward names (quotes, ``<script>``, unicode, spaces, Mermaid keywords)."""

from __future__ import annotations

from dbarch.model.loader import load_model_text
from dbarch.model.objects import (
    Column,
    ForeignKey,
    PrimaryKey,
    Reference,
    Schema,
    SchemaDef,
    Table,
)

SEED_USERS = """
tables:
  - name: users
    comment: Stores user account information for authentication and profile management.
    columns:
      - {name: id, type: uuid, nullable: false, default: gen_random_uuid(),
         comment: Unique identifier}
      - {name: email, type: varchar(255), nullable: false, comment: User email (unique)}
      - {name: password_hash, type: varchar(255), nullable: false,
         comment: Bcrypt hashed password}
      - {name: first_name, type: varchar(100), nullable: false, comment: "User's first name"}
      - {name: last_name, type: varchar(100), comment: "User's last name"}
      - {name: is_active, type: boolean, nullable: false, default: "true",
         comment: Account status}
      - {name: created_at, type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP,
         comment: Creation timestamp}
      - {name: updated_at, type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP,
         comment: Last update timestamp}
    primary_key: {name: pk_users_id, columns: [id], comment: Primary key}
    unique:
      - {name: uq_users_email, columns: [email], comment: Unique email constraint}
    checks:
      - name: chk_users_email
        check: "email ~* '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}$'"
    indexes:
      - {name: idx_users_is_active, columns: [is_active], comment: Filter active users}
"""

WEIRD = r'''
schemas:
  - name: 'Shop "Ω"'
    comment: A schema whose name needs <quoting> & care.
enums:
  - name: 'Stätus "x"'
    schema: 'Shop "Ω"'
    values: [new, "it's done", "a\\b"]
tables:
  - name: users
    columns:
      - {name: id, type: bigint, identity: {generation: always}, primary_key: true}
      - {name: email, type: character varying(255), nullable: false}
      - {name: pk, type: "numeric(10,2)", comment: "A column named like a Mermaid key"}
      - {name: to, type: timestamp with time zone, default: now()}
      - {name: tags, type: "integer[]"}
    indexes:
      - name: idx_users_lower_email
        columns: [{expression: lower((email)::text)}]
        unique: true
      - {name: idx_users_tags, columns: [tags], using: gin}
  - name: tokens
    comment: "Pipes | and *stars* and <b>tags</b>\n# not a heading"
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: user_id, type: bigint, nullable: false, references: users}
      - {name: note, type: text, default: "'`tick`'::text"}
    checks:
      - {name: chk_tokens_note, check: "note <> '`'"}
  - name: Order Items
    comment: A table with a space in its name.
    columns:
      - {name: order id, type: bigint, nullable: false}
      - {name: line, type: integer, nullable: false}
      - {name: user_id, type: bigint, references: users}
      - {name: "Prénom", type: text}
    primary_key: {columns: [order id, line]}
  - name: one
    comment: Named like a Mermaid keyword; references itself.
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: parent_id, type: bigint, references: one}
      - {name: during, type: tstzrange}
    exclusions:
      - name: excl_one_during
        elements: [{column: during, operator: "&&"}]
  - name: profiles
    comment: One per user.
    columns:
      - {name: user_id, type: bigint, primary_key: true, references: users}
  - name: '<script>alert("x")</script>'
    schema: 'Shop "Ω"'
    comment: "Name with <script> & \"quotes\""
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: 'a&b "c"', type: '"Shop ""Ω"""."Stätus ""x"""', nullable: false}
      - {name: owner, type: bigint, references: public.users.id}
      - {name: 名前, type: text, comment: Unicode column}
  - name: events
    columns:
      - {name: id, type: bigint, nullable: false}
      - {name: at, type: timestamp with time zone, nullable: false}
    partition_by: {strategy: range, key: at}
  - name: events_2025
    partition_of: events
    partition_bound: FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
'''


def seed_users() -> Schema:
    """The ``users`` table of seed 002's data dictionary template."""
    return load_model_text(SEED_USERS, "seed_users.yaml", "yaml")


def weird() -> Schema:
    """A small schema of awkward names and every kind of table part."""
    return load_model_text(WEIRD, "weird.yaml", "yaml")


def generated(tables: int, schemas: int = 4, columns: int = 8) -> Schema:
    """``tables`` tables spread over ``schemas`` schemas, each referencing up to two
    earlier tables of its schema (and every tenth one a table of the previous schema)."""
    made = []
    for n in range(tables):
        schema = f"s{n % schemas}"
        cols = [Column(name="id", type="bigint", nullable=False)]
        cols += [Column(name=f"c{i}", type="text", comment=f"column {i}") for i in range(columns)]
        fks = []
        for offset in (schemas, 3 * schemas):
            if n - offset >= 0:
                cols.append(Column(name=f"ref_{n - offset}", type="bigint"))
                fks.append(_fk(f"fk_t{n}_{n - offset}", f"ref_{n - offset}", schema, n - offset))
        if n % 10 == 9:
            other = (n % schemas + schemas - 1) % schemas
            target = next(m for m in range(n, -1, -1) if m % schemas == other)
            cols.append(Column(name="ext_id", type="bigint", nullable=False))
            fks.append(_fk(f"fk_t{n}_ext", "ext_id", f"s{other}", target))
        made.append(
            Table(
                name=f"t{n}",
                schema=schema,
                comment=f"Generated table {n}",
                columns=tuple(cols),
                primary_key=PrimaryKey(name=f"pk_t{n}", columns=("id",)),
                foreign_keys=tuple(fks),
            )
        )
    return Schema(
        schemas=tuple(SchemaDef(name=f"s{i}") for i in range(schemas)),
        tables=tuple(made),
    )


def _fk(name: str, column: str, schema: str, target: int) -> ForeignKey:
    reference = Reference(table=f"t{target}", columns=("id",), schema=schema)
    return ForeignKey(name=name, columns=(column,), references=reference)
