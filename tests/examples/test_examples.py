"""The bundled example models load, apply to PostgreSQL and behave as their comments say."""

from __future__ import annotations

import psycopg
import pytest

from dbarch.ddl import to_ddl
from dbarch.errors import SourceError
from dbarch.examples import example_path
from dbarch.model.loader import load_model
from dbarch.model.objects import Schema

pytestmark = pytest.mark.all_pg_versions

TENANT_A = "00000000-0000-0000-0000-00000000000a"
TENANT_B = "00000000-0000-0000-0000-00000000000b"


@pytest.fixture(scope="module")
def ml_platform() -> Schema:
    return load_model(example_path("ml_platform"))


@pytest.fixture
def platform_db(fresh_db: str, ml_platform: Schema) -> str:
    """``fresh_db`` with the ML platform example applied."""
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute(to_ddl(ml_platform))
    return fresh_db


def test_example_is_found_with_or_without_its_suffix() -> None:
    path = example_path("ml_platform")
    assert path.name == "ml_platform.yaml" and path.is_file()
    assert example_path("ml_platform.yaml") == path


def test_unknown_example_names_the_known_ones() -> None:
    with pytest.raises(SourceError, match="ml_platform"):
        example_path("no_such_example")


def test_ml_platform_loads_with_every_part(ml_platform: Schema) -> None:
    assert {s.name for s in ml_platform.schemas} == {"raw", "features", "registry", "ops"}
    assert {r.name for r in ml_platform.roles} == {"ml_reader", "ml_writer"}
    assert {f.name for f in ml_platform.functions} == {
        "fn_update_timestamp",
        "fn_audit_row",
        "fn_claim_jobs",
    }
    values = ml_platform.table("feature_values", "features")
    assert values is not None and values.partition_by is not None
    partitions = [t for t in ml_platform.tables if t.partition_of == "feature_values"]
    assert len(partitions) == 7
    assert [p.partition_bound for p in partitions].count("DEFAULT") == 1


def test_ml_platform_documents_every_object(ml_platform: Schema) -> None:
    relations = (*ml_platform.tables, *ml_platform.views, *ml_platform.materialized_views)
    undocumented = [r.name for r in relations if not r.comment]
    undocumented += [
        f"{t.name}.{c.name}" for t in ml_platform.tables for c in t.columns if not c.comment
    ]
    assert undocumented == []


def test_ml_platform_applies(platform_db: str) -> None:
    with psycopg.connect(platform_db) as conn:
        rows = conn.execute(
            """
            SELECT n.nspname, c.relkind::text, count(*)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('raw', 'features', 'registry', 'ops')
               AND c.relkind IN ('r', 'p', 'v', 'm')
             GROUP BY 1, 2 ORDER BY 1, 2
            """
        ).fetchall()
        uncommented = conn.execute(
            """
            SELECT c.oid::regclass::text, a.attname
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
             WHERE n.nspname IN ('raw', 'features', 'registry', 'ops')
               AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
               AND col_description(c.oid, a.attnum) IS NULL
            """
        ).fetchall()
    assert rows == [
        ("features", "p", 1),
        ("features", "r", 9),
        ("ops", "r", 2),
        ("raw", "r", 2),
        ("registry", "m", 1),
        ("registry", "r", 7),
        ("registry", "v", 2),
    ]
    assert uncommented == []


def _claim(conn: psycopg.Connection, worker: str) -> set[int]:
    rows = conn.execute("SELECT id FROM ops.fn_claim_jobs(3, %s)", [worker]).fetchall()
    return {row[0] for row in rows}


def test_claim_jobs_skips_rows_another_worker_holds(platform_db: str) -> None:
    with (
        psycopg.connect(platform_db, autocommit=True) as setup,
        psycopg.connect(platform_db) as first,
        psycopg.connect(platform_db, autocommit=True) as second,
    ):
        setup.execute("INSERT INTO ops.jobs (kind) SELECT 'train' FROM generate_series(1, 5)")
        first_batch = _claim(first, "w1")  # transaction left open: its rows stay locked
        second.execute("SET lock_timeout = '2s'")
        second_batch = _claim(second, "w2")
        first.commit()
        locked_by = dict(setup.execute("SELECT id, locked_by FROM ops.jobs").fetchall())
    assert len(first_batch) == 3
    assert len(second_batch) == 2
    assert first_batch.isdisjoint(second_batch)
    assert {locked_by[i] for i in first_batch} == {"w1"}
    assert {locked_by[i] for i in second_batch} == {"w2"}


def test_claim_jobs_is_reserved_to_writers(platform_db: str) -> None:
    with psycopg.connect(platform_db, autocommit=True) as conn:
        conn.execute("SET ROLE ml_writer")
        assert _claim(conn, "w1") == set()
        conn.execute("SET ROLE ml_reader")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _claim(conn, "w1")


def _add_models(conn: psycopg.Connection) -> None:
    conn.execute(
        "INSERT INTO registry.models (tenant_id, name, task, owner) "
        "VALUES (%s, 'churn', 'classification', 'ds'), (%s, 'rank', 'ranking', 'ds')",
        [TENANT_A, TENANT_B],
    )
    conn.execute(
        "INSERT INTO registry.model_versions (model_id, version, artifact_uri, parent_version_id) "
        "VALUES (1, 1, 's3://m/1', NULL), (1, 2, 's3://m/2', 1), (1, 3, 's3://m/3', 2)"
    )


def test_versions_keep_their_lineage(platform_db: str) -> None:
    with psycopg.connect(platform_db, autocommit=True) as conn:
        _add_models(conn)
        latest = conn.execute(
            "SELECT model_name, version FROM registry.vw_latest_model_versions"
        ).fetchall()
        lineage = conn.execute(
            "SELECT model_version_id, root_version_id, depth "
            "FROM registry.vw_model_version_lineage ORDER BY 1"
        ).fetchall()
    assert latest == [("churn", 3)]
    assert lineage == [(1, 1, 0), (2, 1, 1), (3, 1, 2)]


def test_production_windows_of_a_model_never_overlap(platform_db: str) -> None:
    insert = (
        "INSERT INTO registry.deployments (model_id, model_version_id, stage, deployment_window) "
        "VALUES (1, %s, %s, tstzrange(%s, NULL))"
    )
    with psycopg.connect(platform_db, autocommit=True) as conn:
        _add_models(conn)
        conn.execute(insert, [1, "production", "2025-01-01"])
        conn.execute(insert, [2, "staging", "2025-01-10"])
        with pytest.raises(psycopg.errors.ExclusionViolation):
            conn.execute(insert, [2, "production", "2025-01-10"])


def test_changes_to_models_are_audited(platform_db: str) -> None:
    with psycopg.connect(platform_db, autocommit=True) as conn:
        _add_models(conn)
        conn.execute("UPDATE registry.models SET description = 'churn risk' WHERE id = 1")
        conn.execute("DELETE FROM registry.models WHERE id = 2")
        rows = conn.execute(
            "SELECT table_name, operation, new_data ->> 'description', old_data ->> 'name' "
            "FROM ops.audit_log WHERE table_name = 'models' ORDER BY id"
        ).fetchall()
        updated = conn.execute(
            "SELECT updated_at > created_at FROM registry.models WHERE id = 1"
        ).fetchone()
    assert rows == [
        ("models", "INSERT", None, None),
        ("models", "INSERT", None, None),
        ("models", "UPDATE", "churn risk", "churn"),
        ("models", "DELETE", None, "rank"),
    ]
    assert updated == (True,)


def test_tenants_see_only_their_models(platform_db: str) -> None:
    with psycopg.connect(platform_db, autocommit=True) as conn:
        _add_models(conn)
        conn.execute("SET ROLE ml_reader")
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", [TENANT_B])
        visible = conn.execute("SELECT name FROM registry.models").fetchall()
        latest = conn.execute("SELECT model_name FROM registry.vw_latest_model_versions")
        assert latest.fetchall() == []
    assert visible == [("rank",)]


def test_feature_values_land_in_their_month(platform_db: str) -> None:
    with psycopg.connect(platform_db, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO features.entities (entity_type, entity_key) VALUES ('user', 'u1')"
        )
        conn.execute(
            "INSERT INTO features.feature_definitions "
            "(name, entity_type, value_type, description, owner) "
            "VALUES ('orders_30d', 'user', 'numeric', 'Orders in the last 30 days.', 'growth')"
        )
        conn.execute(
            "INSERT INTO features.feature_values "
            "(entity_id, feature_id, event_time, value_numeric) "
            "VALUES (1, 1, '2025-03-31 23:59:59+00', 4), (1, 1, '2031-01-01 00:00:00+00', 7)"
        )
        rows = conn.execute(
            "SELECT tableoid::regclass::text, value_numeric FROM features.feature_values ORDER BY 2"
        ).fetchall()
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "INSERT INTO features.feature_values "
                "(entity_id, feature_id, event_time, value_numeric, value_text) "
                "VALUES (1, 1, '2025-04-01', 1, 'two values')"
            )
    assert rows == [
        ("features.feature_values_2025_03", 4.0),
        ("features.feature_values_default", 7.0),
    ]


@pytest.mark.parametrize("hyperparameters", ['["not", "an object"]', '{"learning_rate": -0.1}'])
def test_invalid_hyperparameters_are_rejected(platform_db: str, hyperparameters: str) -> None:
    insert = "INSERT INTO registry.training_runs (model_id, hyperparameters) VALUES (1, %s)"
    with psycopg.connect(platform_db, autocommit=True) as conn:
        _add_models(conn)
        conn.execute(insert, ['{"learning_rate": 0.01, "epochs": 10}'])
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(insert, [hyperparameters])
