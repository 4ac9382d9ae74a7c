"""Property tests: the algorithms agree with brute-force oracles on random relations."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dbarch.normalize.bcnf import decompose_bcnf
from dbarch.normalize.chase import is_lossless
from dbarch.normalize.closure import closure, equivalent
from dbarch.normalize.cover import canonical_cover, minimal_cover
from dbarch.normalize.fd import FD, bits, is_subset
from dbarch.normalize.forms import NormalForm, analyze
from dbarch.normalize.keys import candidate_keys
from dbarch.normalize.preservation import lost_dependencies, preserved
from dbarch.normalize.projection import project
from dbarch.normalize.synthesis import synthesize_3nf
from tests.normalize.oracle import Oracle

MAX_ATTRS = 6


@st.composite
def relations(draw: st.DrawFn) -> tuple[int, list[FD]]:
    """A relation of 1..6 attributes with up to 8 random dependencies."""
    n = draw(st.integers(1, MAX_ATTRS))
    full = (1 << n) - 1
    masks = st.integers(0, full)
    fds = draw(
        st.lists(st.builds(FD, masks, st.integers(1, full)), max_size=8),
    )
    return n, fds


def oracle_form(oracle: Oracle, universe: int) -> NormalForm:
    if oracle.in_bcnf(universe):
        return NormalForm.BCNF
    if oracle.in_3nf(universe):
        return NormalForm.NF3
    if oracle.in_2nf(universe):
        return NormalForm.NF2
    return NormalForm.NF1


@settings(max_examples=150, deadline=None)
@given(relations())
def test_closure_and_keys_match_the_oracle(rel: tuple[int, list[FD]]) -> None:
    n, fds = rel
    oracle = Oracle(n, fds)
    full = (1 << n) - 1
    for x in range(1 << n):
        assert closure(x, fds) == oracle.closure(x)
    assert candidate_keys(full, fds) == sorted(
        oracle.keys(full), key=lambda k: (k.bit_count(), *bits(k))
    )


@settings(max_examples=150, deadline=None)
@given(relations())
def test_minimal_cover_is_minimal_and_equivalent(rel: tuple[int, list[FD]]) -> None:
    _, fds = rel
    cover = minimal_cover(fds)
    assert equivalent(cover, fds)
    assert minimal_cover(cover) == cover  # deterministic and idempotent
    for fd in cover:
        assert fd.rhs.bit_count() == 1 and not fd.rhs & fd.lhs
        rest = [other for other in cover if other != fd]
        assert not is_subset(fd.rhs, closure(fd.lhs, rest)), "redundant dependency"
        for i in bits(fd.lhs):
            assert not is_subset(fd.rhs, closure(fd.lhs & ~(1 << i), cover)), "extraneous"
    assert equivalent(canonical_cover(fds), fds)


@settings(max_examples=150, deadline=None)
@given(relations(), st.data())
def test_projection_matches_the_oracle(rel: tuple[int, list[FD]], data: st.DataObject) -> None:
    n, fds = rel
    part = data.draw(st.integers(0, (1 << n) - 1))
    projected = project(fds, part)
    assert all(is_subset(fd.lhs | fd.rhs, part) for fd in projected)
    assert equivalent(projected, Oracle(n, fds).projection(part))


@settings(max_examples=150, deadline=None)
@given(relations())
def test_normal_form_matches_the_definitions(rel: tuple[int, list[FD]]) -> None:
    n, fds = rel
    full = (1 << n) - 1
    analysis = analyze(full, fds)
    oracle = Oracle(n, fds)
    assert analysis.normal_form is oracle_form(oracle, full)
    for violation in analysis.violations:
        assert oracle.implies(violation.fd)
        assert not is_subset(full, oracle.closure(violation.fd.lhs))


@settings(max_examples=150, deadline=None)
@given(relations())
def test_3nf_synthesis_is_3nf_lossless_and_preserving(rel: tuple[int, list[FD]]) -> None:
    n, fds = rel
    full = (1 << n) - 1
    oracle = Oracle(n, fds)
    parts = synthesize_3nf(full, fds)
    covered = 0
    for part in parts:
        covered |= part
        assert oracle.in_3nf(part)
    assert covered == full
    assert is_lossless(full, fds, parts)
    assert all(preserved(fd, fds, parts) for fd in fds)
    union = [fd for part in parts for fd in oracle.projection(part)]
    assert equivalent(union, fds)


@settings(max_examples=150, deadline=None)
@given(relations())
def test_bcnf_decomposition_is_bcnf_and_lossless(rel: tuple[int, list[FD]]) -> None:
    n, fds = rel
    full = (1 << n) - 1
    oracle = Oracle(n, fds)
    result = decompose_bcnf(full, fds)
    covered = 0
    for part in result.parts:
        covered |= part
        assert oracle.in_bcnf(part)
    assert covered == full
    assert is_lossless(full, fds, result.parts)
    union = [fd for part in result.parts for fd in oracle.projection(part)]
    assert set(result.lost) == {fd for fd in minimal_cover(fds) if not closure_implies(union, fd)}
    assert lost_dependencies(fds, result.parts) == list(result.lost)


def closure_implies(fds: list[FD], fd: FD) -> bool:
    return is_subset(fd.rhs, closure(fd.lhs, fds))


@settings(max_examples=150, deadline=None)
@given(relations(), st.data())
def test_binary_chase_matches_the_intersection_rule(
    rel: tuple[int, list[FD]], data: st.DataObject
) -> None:
    # Heath's theorem and its converse: R1, R2 is lossless iff R1 ∩ R2 -> R1 or -> R2
    n, fds = rel
    full = (1 << n) - 1
    r1 = data.draw(st.integers(0, full))
    r2 = data.draw(st.integers(0, full)) | (full & ~r1)
    common = closure(r1 & r2, fds)
    expected = is_subset(r1, common) or is_subset(r2, common)
    assert is_lossless(full, fds, [r1, r2]) is expected
