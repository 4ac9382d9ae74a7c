"""The recipes: online by default, plain with zero_downtime=False, refusals with reasons."""

from __future__ import annotations

import pytest

from dbarch.migrate.diff.compare import compare
from dbarch.migrate.locks import LockMode, Operation, fact
from dbarch.migrate.plan import PlanError, PlanOptions, Step, plan
from dbarch.model.objects import (
    CheckConstraint,
    Column,
    EnumType,
    ExclusionConstraint,
    ExclusionElement,
    ForeignKey,
    Identity,
    Index,
    PrimaryKey,
    Reference,
    Schema,
    Table,
    UniqueConstraint,
)

ID = Column(name="id", type="integer", nullable=False)
PARENT = Table(name="p", columns=(ID,), primary_key=PrimaryKey(name="p_pkey", columns=("id",)))


def t(*columns: Column, **fields: object) -> Schema:
    return Schema(tables=(PARENT, Table(name="t", columns=(ID, *columns), **fields)))


def steps(old: Schema, new: Schema, **options: object) -> list[Step]:
    return list(plan(compare(old, new), PlanOptions(**options)).steps)  # type: ignore[arg-type]


def refusals(old: Schema, new: Schema, **options: object) -> list[str]:
    with pytest.raises(PlanError) as caught:
        steps(old, new, **options)
    return caught.value.reasons


def guarded(step: Step) -> bool:
    return step.sql.startswith("DO $") and "SET LOCAL lock_timeout = '2s'" in step.sql


N = Column(name="n", type="integer")


def test_an_index_is_built_and_dropped_concurrently() -> None:
    index = Index(name="t_n", columns=("n",))
    (step,) = steps(t(N), t(N, indexes=(index,)))
    assert step.sql == "CREATE INDEX CONCURRENTLY t_n ON public.t USING btree (n);"
    assert step.lock is LockMode.SHARE_UPDATE_EXCLUSIVE
    assert (step.transactional, step.scans, step.rewrites) == (False, True, False)
    assert step.reverse_sql == "DROP INDEX CONCURRENTLY public.t_n;"
    (plain,) = steps(t(N), t(N, indexes=(index,)), zero_downtime=False)
    assert plain.sql == "CREATE INDEX t_n ON public.t USING btree (n);"
    assert plain.lock is fact(Operation.CREATE_INDEX).strongest


def test_a_foreign_key_is_added_not_valid_then_validated() -> None:
    fk = ForeignKey(name="t_fk", columns=("id",), references=Reference(table="p", columns=("id",)))
    add, validate = steps(t(), t(foreign_keys=(fk,)))
    assert guarded(add)
    assert "ADD CONSTRAINT t_fk FOREIGN KEY (id) REFERENCES public.p(id) NOT VALID;" in add.sql
    assert add.effects.locks == (
        ("public.t", LockMode.SHARE_ROW_EXCLUSIVE),
        ("public.p", LockMode.SHARE_ROW_EXCLUSIVE),
    )
    assert validate.sql == "ALTER TABLE public.t VALIDATE CONSTRAINT t_fk;"
    assert validate.effects.locks == (
        ("public.t", LockMode.SHARE_UPDATE_EXCLUSIVE),
        ("public.p", LockMode.ROW_SHARE),
    )
    assert validate.scans and not guarded(validate)
    assert add.reverse == () and validate.reverse_sql.count("DROP CONSTRAINT t_fk") == 1


def test_a_check_is_added_not_valid_then_validated() -> None:
    check = CheckConstraint(name="c", check="(n > 0)")
    add, validate = steps(t(N), t(N, checks=(check,)))
    assert "ADD CONSTRAINT c CHECK ((n > 0)) NOT VALID;" in add.sql
    assert validate.lock is LockMode.SHARE_UPDATE_EXCLUSIVE
    (plain,) = steps(t(N), t(N, checks=(check,)), zero_downtime=False)
    assert plain.sql == "ALTER TABLE public.t ADD CONSTRAINT c CHECK ((n > 0));"
    assert plain.scans and plain.lock is LockMode.ACCESS_EXCLUSIVE


def test_set_not_null_goes_through_a_validated_check() -> None:
    required = N.model_copy(update={"nullable": False})
    add, validate, finish = steps(t(N), t(required))
    assert "ADD CONSTRAINT t_n_not_null CHECK (n IS NOT NULL) NOT VALID;" in add.sql
    assert validate.sql == "ALTER TABLE public.t VALIDATE CONSTRAINT t_n_not_null;"
    assert "ALTER COLUMN n SET NOT NULL;" in finish.sql
    assert "DROP CONSTRAINT t_n_not_null;" in finish.sql
    assert not finish.scans and finish.lock is LockMode.ACCESS_EXCLUSIVE
    (plain,) = steps(t(N), t(required), zero_downtime=False)
    assert plain.sql == "ALTER TABLE public.t ALTER COLUMN n SET NOT NULL;"
    assert plain.scans


def test_unique_and_primary_keys_through_a_concurrent_index() -> None:
    unique = UniqueConstraint(name="t_n_key", columns=("n",))
    build, attach = steps(t(N), t(N, unique=(unique,)))
    assert build.sql == "CREATE UNIQUE INDEX CONCURRENTLY t_n_key ON public.t USING btree (n);"
    assert not build.transactional
    assert "ADD CONSTRAINT t_n_key UNIQUE USING INDEX t_n_key;" in attach.sql
    assert not attach.scans
    key = PrimaryKey(name="t_pkey", columns=("id",))
    _, primary = steps(t(), t(primary_key=key))
    assert "PRIMARY KEY USING INDEX t_pkey;" in primary.sql


def test_a_volatile_default_is_split_from_the_column_add() -> None:
    token = Column(name="token", type="uuid", default="gen_random_uuid()", nullable=False)
    add, default, backfill, *not_null = steps(t(), t(token))
    assert "ADD COLUMN token uuid;" in add.sql
    assert not add.rewrites
    assert "SET DEFAULT gen_random_uuid();" in default.sql
    assert backfill.sql.startswith("DO $")
    assert "UPDATE public.t SET token = DEFAULT" in backfill.sql
    assert "COMMIT;" in backfill.sql and not backfill.transactional
    assert len(not_null) == 3
    (plain,) = steps(t(), t(token), zero_downtime=False)
    assert plain.rewrites and plain.scans


def test_a_constant_default_is_one_fast_step() -> None:
    n = Column(name="n", type="integer", default="0", nullable=False)
    (add,) = steps(t(), t(n))
    assert "ADD COLUMN n integer DEFAULT 0 NOT NULL;" in add.sql
    assert not (add.rewrites or add.scans)


def test_a_rewriting_type_change_is_expand_contract() -> None:
    wide = N.model_copy(update={"type": "bigint"})
    summaries = [s.summary for s in steps(t(N), t(wide))]
    assert summaries == [
        "add n_dbarch_new to public.t for the new type of n",
        "keep n_dbarch_new in step with n",
        "backfill n_dbarch_new from n in batches",
        "swap n of public.t to its new type",
        "drop the old column n_dbarch_old of public.t",
    ]
    (plain,) = steps(t(N), t(wide), zero_downtime=False)
    assert plain.sql == "ALTER TABLE public.t ALTER COLUMN n TYPE bigint;"
    assert plain.rewrites


def test_a_coercible_type_change_is_in_place() -> None:
    short = Column(name="s", type="character varying(10)")
    (step,) = steps(t(short), t(short.model_copy(update={"type": "text"})))
    assert "ALTER COLUMN s TYPE text;" in step.sql
    assert not step.rewrites


def test_a_key_column_cannot_change_type_online() -> None:
    key = PrimaryKey(name="t_pkey", columns=("id",))
    wide = ID.model_copy(update={"type": "bigint"})
    new = Schema(tables=(PARENT, Table(name="t", columns=(wide,), primary_key=key)))
    old = Schema(tables=(PARENT, Table(name="t", columns=(ID,), primary_key=key)))
    assert refusals(old, new) == [
        "column id of public.t cannot change type online: it is part of a key, a unique or "
        "exclusion constraint or a foreign key"
    ]
    assert steps(old, new, zero_downtime=False)


def test_data_losing_steps_are_refused_unless_allowed() -> None:
    wide = Column(name="b", type="bigint")
    reasons = refusals(t(wide), Schema(tables=(PARENT,)))
    assert reasons == [
        "table public.t would be dropped with its rows (pass --allow-destructive to allow it)"
    ]
    assert refusals(t(wide), t()) == [
        "column public.t.b would be dropped with its values (pass --allow-destructive to allow it)"
    ]
    (drop,) = steps(t(wide), t(), allow_destructive=True)
    assert drop.irreversible == (
        "dropping public.t.b deletes its values; the reverse adds it back empty"
    )
    assert "ALTER TABLE public.t ADD COLUMN b bigint;" in drop.reverse_sql
    narrow = wide.model_copy(update={"type": "integer"})
    assert refusals(t(wide), t(narrow)) == [
        "column public.t.b: bigint to integer may not keep every value "
        "(pass --allow-destructive to allow it)"
    ]


def test_removing_an_enum_label_is_destructive() -> None:
    def enum(*values: str) -> Schema:
        return Schema(enums=(EnumType(name="e", values=values),))

    assert refusals(enum("a", "b"), enum("a")) == [
        "enum public.e: removing 'b' fails on rows that hold it "
        "(pass --allow-destructive to allow it)"
    ]
    (add,) = steps(enum("a"), enum("z", "a", "b"))
    assert add.sql == (
        "ALTER TYPE public.e ADD VALUE 'z' BEFORE 'a';\n"
        "ALTER TYPE public.e ADD VALUE 'b' AFTER 'a';"
    )
    assert add.lock is None


def test_what_has_no_online_way_is_refused_with_every_reason() -> None:
    exclusion = ExclusionConstraint(
        name="x", using="btree", elements=(ExclusionElement(column="n", operator="="),)
    )
    identity = Column(name="i", type="bigint", nullable=False, identity=Identity())
    generated = Column(name="g", type="integer", generated="(n * 2)")
    required = Column(name="r", type="integer", nullable=False)
    new = t(N, identity, generated, required, exclusions=(exclusion,), unlogged=True)
    reasons = refusals(t(N), new)
    assert len(reasons) == 5
    assert any(r.startswith("exclusion constraint x on public.t") for r in reasons)
    assert any("column public.t.i: adding a stored generated or identity" in r for r in reasons)
    assert any("column public.t.g: adding a stored generated or identity" in r for r in reasons)
    assert any("column public.t.r: a NOT NULL column without a default" in r for r in reasons)
    assert any("SET LOGGED / UNLOGGED rewrites the table" in r for r in reasons)
    assert steps(t(N), new, zero_downtime=False)


def test_strong_locks_are_guarded_weak_ones_are_not() -> None:
    check = CheckConstraint(name="c", check="(n > 0)")
    index = Index(name="t_n", columns=("n",))
    found = steps(t(), t(N, checks=(check,), indexes=(index,), comment="x"))
    for step in found:
        strong = step.lock is not None and (step.lock.blocks_writes or step.lock.blocks_reads)
        assert guarded(step) == (strong and step.transactional), step.summary


def test_unsafe_plans_have_no_guards() -> None:
    check = CheckConstraint(name="c", check="(n > 0)")
    for step in steps(t(), t(N, checks=(check,)), zero_downtime=False):
        assert not guarded(step)


def test_the_reversed_plan_undoes_last_step_first() -> None:
    index = Index(name="t_n", columns=("n",))
    result = plan(compare(t(), t(N, indexes=(index,))))
    assert [s.summary for s in result.steps] == [
        "add column n to public.t",
        "create index t_n on public.t",
    ]
    assert [s.sql for s in result.reversed().steps] == [
        "DROP INDEX CONCURRENTLY public.t_n;",
        result.steps[0].reverse[0].sql,
    ]
    assert "DROP COLUMN n;" in result.steps[0].reverse_sql


def test_options_are_checked() -> None:
    with pytest.raises(Exception, match="lock_retries and batch_pages must be positive"):
        PlanOptions(lock_retries=0)


def test_a_changed_index_is_built_beside_the_old_one() -> None:
    old = t(N, indexes=(Index(name="t_n", columns=("n",)),))
    new = t(N, indexes=(Index(name="t_n", columns=("n", "id"), comment="both"),))
    build, drop, rename = steps(old, new)
    assert build.sql == "CREATE INDEX CONCURRENTLY t_n_dbarch_new ON public.t USING btree (n, id);"
    assert drop.sql == "DROP INDEX CONCURRENTLY public.t_n;"
    assert "ALTER INDEX public.t_n_dbarch_new RENAME TO t_n;" in rename.sql
    assert "COMMENT ON INDEX public.t_n IS 'both';" in rename.sql
    assert "CREATE INDEX CONCURRENTLY t_n_dbarch_new ON public.t USING btree (n);" in (
        rename.reverse_sql
    )
    (plain,) = steps(old, new, zero_downtime=False)
    assert plain.sql.startswith("DROP INDEX public.t_n;\nCREATE INDEX t_n ON public.t")


def test_role_attributes_and_memberships() -> None:
    from dbarch.model.objects import Role

    old = Schema(roles=(Role(name="app"), Role(name="base"), Role(name="other")))
    new = Schema(
        roles=(
            Role(name="app", login=True, connection_limit=5, member_of=("base",)),
            Role(name="base"),
            Role(name="other"),
        )
    )
    (step,) = steps(old, new)
    assert step.sql == (
        "ALTER ROLE app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION "
        "NOBYPASSRLS CONNECTION LIMIT 5;\nGRANT base TO app;"
    )
    assert "REVOKE base FROM app;" in step.reverse_sql
    assert step.lock is None
