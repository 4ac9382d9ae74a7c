"""Structure and anti-pattern rules that need no sample data (those are in test_live)."""

from __future__ import annotations

from dbarch.checks.structure import _always_present

from .helpers import messages, objects, run


def test_eav_needs_entity_attribute_and_value() -> None:
    model = """
        tables:
          - name: settings
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: name, type: text}
              - {name: value, type: text}
          - name: order_lines
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: order_id, type: bigint}
              - {name: product_id, type: bigint}
              - {name: name, type: text}
              - {name: value, type: numeric}
              - {name: quantity, type: integer}
          - name: object_properties
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: object_id, type: bigint}
              - {name: property, type: text}
              - {name: string_value, type: text}
              - {name: created_at, type: timestamptz}
    """
    assert objects("DBA501", model) == ["public.object_properties"]


def test_repeating_groups() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: address, type: text}
              - {name: address2, type: text}
              - {name: ipv4, type: inet}
              - {name: ipv6, type: inet}
              - {name: sha1, type: text}
              - {name: sha256, type: text}
              - {name: line_1, type: text}
              - {name: line_2, type: text}
              - {name: code, type: "char(3)"}
              - {name: code2, type: "char(2)"}
    """
    found = run("DBA503", model)
    assert [f.message for f in found] == [
        "table public.t repeats address: address, address2",
        "table public.t repeats line: line_1, line_2",
    ]
    assert found[0].fix == (
        "CREATE TABLE public.t_addresses (t_id bigint NOT NULL, position smallint NOT NULL,"
        " address text NOT NULL, PRIMARY KEY (t_id, position), FOREIGN KEY (t_id)"
        " REFERENCES public.t (id));"
    )


def test_god_table_threshold() -> None:
    columns = "\n".join(f"          - {{name: c{i}, type: text}}" for i in range(31))
    model = f"tables:\n  - name: wide\n    columns:\n{columns}\n"
    assert messages("DBA502", model) == ["table public.wide has 31 columns (at most 30 wanted)"]
    assert run("DBA502", model, "[check.rules.god-table]\nmax_columns = 31\n") == []


def test_soft_delete_with_boolean_flag_and_partial_index() -> None:
    model = """
        tables:
          - name: users
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: email, type: text, nullable: false}
              - {name: handle, type: text, nullable: false}
              - {name: is_deleted, type: boolean, nullable: false, default: "false"}
            indexes:
              - {name: uq_users_email, columns: [email], unique: true, where: NOT is_deleted}
              - {name: uq_users_handle, columns: [handle], unique: true}
    """
    [finding] = run("DBA505", model)
    assert finding.object == "public.uq_users_handle"
    assert finding.fix == (
        "DROP INDEX public.uq_users_handle; CREATE UNIQUE INDEX uq_users_handle ON public.users"
        " (handle) WHERE NOT is_deleted;"
    )


def test_audit_columns_only_when_configured() -> None:
    model = """
        tables:
          - name: t
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: created_at, type: timestamptz}
    """
    assert run("DBA506", model) == []
    toml = '[check.rules.DBA506]\ncolumns = ["created_at", "created_by"]\n'
    [finding] = run("DBA506", model, toml)
    assert finding.fix == "ALTER TABLE public.t ADD COLUMN created_by text;"


def test_orphans_need_company() -> None:
    alone = "tables: [{name: t, columns: [{name: id, type: bigint, primary_key: true}]}]"
    assert run("DBA509", alone) == []
    model = """
        tables:
          - name: nodes
            columns:
              - {name: id, type: bigint, primary_key: true}
              - {name: parent_id, type: bigint, references: nodes.id}
          - name: events
            columns:
              - {name: event_id, type: bigint, primary_key: true}
              - {name: node_id, type: bigint}
    """
    found = run("DBA509", model)
    assert [f.object for f in found] == ["public.events", "public.nodes"]
    assert found[0].fix == (
        "ALTER TABLE public.events ADD CONSTRAINT fk_events_node_id FOREIGN KEY (node_id)"
        " REFERENCES public.nodes (id);"
    )
    unknown = model.replace("node_id", "batch_id")
    assert run("DBA509", unknown)[0].fix == (
        "Add a foreign key from public.events (batch_id) to the table it identifies,"
        " or DROP TABLE public.events if it is unused."
    )


def test_foreign_keys_of_partitions_relate_their_partitioned_table() -> None:
    model = """
        tables:
          - name: customers
            columns: [{name: id, type: bigint, primary_key: true}]
          - name: payments
            partition_by: {strategy: range, key: paid_at}
            columns:
              - {name: id, type: bigint, nullable: false}
              - {name: customer_id, type: bigint, nullable: false}
              - {name: paid_at, type: timestamptz, nullable: false}
          - name: payments_2024
            partition_of: payments
            partition_bound: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
            foreign_keys:
              - {columns: [customer_id], references: {table: customers, columns: [id]}}
          - name: notes
            columns: [{name: id, type: bigint, primary_key: true}]
    """
    found = run("DBA509", model)
    assert [(f.object, f.fix) for f in found] == [
        (
            "public.notes",
            "Relate public.notes to the table it belongs with, or DROP TABLE public.notes;",
        )
    ]


def test_comments() -> None:
    model = """
        tables:
          - name: t
            comment: "  "
            columns:
              - {name: id, type: bigint, primary_key: true, comment: Key.}
              - {name: x, type: text}
    """
    assert objects("DBA507", model) == ["public.t"]
    assert objects("DBA508", model) == ["public.t.x"]


def test_always_present_scalar_keys() -> None:
    docs: list[object] = [
        {"a": 1, "b": "x", "c": {"n": 1}, "d": True, "e": 1},
        {"a": 2.5, "b": "y", "c": {"n": 2}, "d": False},
        {"a": 3, "b": "z", "c": {"n": 3}, "d": None, "e": 2},
    ]
    assert _always_present(docs) == {"a": "numeric", "b": "text"}
    assert _always_present([*docs, [1, 2]]) == {}
    assert _always_present([]) == {}
