"""Discovery from data: TANE, unique column combinations and the CSV loader, against
brute-force oracles and the published counts for the classic data sets."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbarch.normalize.discovery.data import TableData, encode_rows, load_csv
from dbarch.normalize.discovery.profile import minimized, profile_data, verified_minimal
from dbarch.normalize.discovery.tane import FoundFD, discover_fds, max_removals
from dbarch.normalize.discovery.ucc import discover_uccs, keys_from_fds
from dbarch.normalize.discovery.verify import Verifier
from dbarch.normalize.fd import NormalizeError, is_subset, mask_key

# the shared data sets live beside the repository (../shared/profiling)
PROFILING = Path(__file__).resolve().parents[3] / "shared" / "profiling"
needs_profiling = pytest.mark.skipif(not PROFILING.is_dir(), reason=f"no {PROFILING}")


def brute_force_fds(data: TableData, max_error: float = 0.0) -> set[tuple[int, int, int]]:
    """Every minimal X -> A by trying all left sides (fine for a handful of columns)."""
    verifier = Verifier(data)
    limit = max_removals(max_error, data.rows)
    width = len(data.columns)
    found = set()
    for a in range(width):
        holding = {}
        for x in range(1 << width):
            if not x >> a & 1:
                removals = verifier.removals(x, a)
                if removals <= limit:
                    holding[x] = removals
        for x, removals in holding.items():
            if not any(y != x and is_subset(y, x) for y in holding):
                found.add((x, a, removals))
    return found


def brute_force_uccs(data: TableData) -> list[int]:
    verifier = Verifier(data)
    unique = [x for x in range(1 << len(data.columns)) if verifier.is_unique(x)]
    minimal = [x for x in unique if not any(y != x and is_subset(y, x) for y in unique)]
    return sorted(minimal, key=mask_key)


@st.composite
def tables(draw: st.DrawFn) -> TableData:
    width = draw(st.integers(1, 5))
    rows = draw(st.integers(0, 30))
    alphabet = draw(st.lists(st.sampled_from(["a", "b", "c", "", None]), min_size=1, max_size=4))
    values = st.sampled_from(alphabet)
    body = draw(st.lists(st.lists(values, min_size=width, max_size=width), max_size=rows))
    return encode_rows("t", [f"c{j}" for j in range(width)], body)


@settings(max_examples=150, deadline=None)
@given(tables(), st.sampled_from([0.0, 0.1, 0.25]))
def test_tane_finds_exactly_the_minimal_dependencies(data: TableData, max_error: float) -> None:
    found = {(fd.lhs, fd.rhs, fd.removals) for fd in discover_fds(data, max_error)}
    assert found == brute_force_fds(data, max_error)


@settings(max_examples=150, deadline=None)
@given(tables())
def test_uccs_are_exactly_the_minimal_unique_combinations(data: TableData) -> None:
    assert discover_uccs(data) == brute_force_uccs(data)
    # the same keys follow from the minimal dependencies (what profiles use)
    assert keys_from_fds(data, discover_fds(data)) == brute_force_uccs(data)


# Papenbrock et al., "Functional Dependency Discovery: An Experimental Evaluation of Seven
# Algorithms", PVLDB 8(10), 2015, Table 2: number of minimal FDs per data set.
PUBLISHED_FD_COUNTS = {
    "iris.csv": 4,
    "balance-scale.csv": 1,
    "abalone.csv": 137,
    "breast-cancer-wisconsin.csv": 46,
}


@needs_profiling
@pytest.mark.parametrize("name", sorted(PUBLISHED_FD_COUNTS))
def test_published_fd_counts(name: str) -> None:
    data = load_csv(PROFILING / name)
    fds = discover_fds(data)
    assert len(fds) == PUBLISHED_FD_COUNTS[name]
    verifier = Verifier(data)
    assert all(verifier.removals(fd.lhs, fd.rhs) == 0 for fd in fds)


@needs_profiling
def test_iris_dependencies_and_duplicates() -> None:
    data = load_csv(PROFILING / "iris.csv")
    fds = {(data.attributes.names_of(fd.lhs), data.columns[fd.rhs]) for fd in discover_fds(data)}
    # the species follows from any three measurements
    assert fds == {
        (("col1", "col2", "col3"), "col5"),
        (("col1", "col2", "col4"), "col5"),
        (("col1", "col3", "col4"), "col5"),
        (("col2", "col3", "col4"), "col5"),
    }
    assert discover_uccs(data) == []  # iris has duplicate rows


@needs_profiling
def test_approximate_dependencies_on_abalone_match_brute_force() -> None:
    data = load_csv(PROFILING / "abalone.csv")
    found = {(fd.lhs, fd.rhs, fd.removals) for fd in discover_fds(data, 0.05)}
    assert found == brute_force_fds(data, 0.05)


def test_constant_column_has_empty_left_side() -> None:
    data = encode_rows("t", ["id", "k", "v"], [["1", "x", "a"], ["2", "x", "b"], ["3", "x", "a"]])
    fds = discover_fds(data)
    assert (0, 1, 0) in {(fd.lhs, fd.rhs, fd.removals) for fd in fds}
    assert all(fd.lhs & 0b010 == 0 for fd in fds)  # the constant is on no left side


def test_null_equals_null_and_text_is_compared_as_written(tmp_path: Path) -> None:
    data = encode_rows("t", ["a", "b"], [[None, "1"], [None, "1"], ["", "2"]])
    assert {(fd.lhs, fd.rhs) for fd in discover_fds(data)} == {(0b01, 1), (0b10, 0)}
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("a,b\n1,x\n1 ,y\n01,z\n1,x\n", encoding="utf-8")
    loaded = load_csv(csv_file)
    assert loaded.cardinality == (3, 3)  # "1", "1 " and "01" differ
    assert loaded.rows == 4


def test_csv_errors_name_the_file_and_line(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n", encoding="utf-8")
    with pytest.raises(NormalizeError, match=r"ragged\.csv:3: 1 fields, the header has 2"):
        load_csv(ragged)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(NormalizeError, match=r"empty\.csv:1: empty file"):
        load_csv(empty)
    twice = tmp_path / "twice.csv"
    twice.write_text("a,a\n1,2\n", encoding="utf-8")
    with pytest.raises(NormalizeError, match="column 'a' appears twice"):
        load_csv(twice)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"a\n\xff\xfe\n")
    with pytest.raises(NormalizeError, match="not UTF-8"):
        load_csv(binary)
    with pytest.raises(NormalizeError, match="cannot read"):
        load_csv(tmp_path / "missing.csv")


def test_one_column_csv_keeps_empty_values(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("a\nx\n\nx\n", encoding="utf-8")
    data = load_csv(path)
    assert data.rows == 3 and data.cardinality == (2,)


def test_small_relations() -> None:
    empty = encode_rows("t", ["a", "b"], [])
    assert {(fd.lhs, fd.rhs) for fd in discover_fds(empty)} == {(0, 0), (0, 1)}
    assert discover_uccs(empty) == [0]
    wide = encode_rows("t", [f"c{i}" for i in range(8)], itertools.repeat(["v"] * 8, 3))
    assert len(discover_fds(wide)) == 8
    assert discover_uccs(wide) == []


def _planted(rows: int, seed: int) -> TableData:
    """A relation with planted dependencies, a rare exception to one of them, a constant
    and duplicate-free rows (``id``)."""
    rng = np.random.default_rng(seed)
    customer = rng.integers(0, 40, rows)
    city = customer % 7
    country = city % 3
    country[rows // 2] = 5  # one row breaks city -> country (rare: a sample misses it)
    body = zip(
        range(rows), customer, city, country, rng.integers(0, 3, rows), ["x"] * rows, strict=True
    )
    return encode_rows(
        "t",
        ["id", "customer", "city", "country", "noise", "constant"],
        [[str(v) for v in row] for row in body],
    )


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16), st.integers(5, 60))
def test_sampled_profile_equals_the_profile_of_all_rows(seed: int, sample: int) -> None:
    data = _planted(400, seed)
    whole = profile_data(data)
    sampled = profile_data(data, sample_rows=sample)
    assert whole.sampled_rows is None and sampled.sampled_rows is not None
    assert sampled.fds == whole.fds
    assert sampled.uccs == whole.uccs == (("id",),)
    assert {(data.attributes.mask(fd.lhs), data.columns.index(fd.rhs)) for fd in whole.fds} == {
        (fd.lhs, fd.rhs) for fd in discover_fds(data)
    }
    assert ((), "constant") in {(fd.lhs, fd.rhs) for fd in whole.fds}
    assert (("city",), "country") not in {(fd.lhs, fd.rhs) for fd in whole.fds}


def test_verification_drops_what_does_not_hold_and_minimizes_the_rest() -> None:
    data = encode_rows(
        "t", ["a", "b", "c"], [["1", "x", "p"], ["1", "x", "p"], ["2", "y", "p"], ["2", "z", "q"]]
    )
    verifier = Verifier(data)

    def holds(lhs: int, rhs: int) -> bool:
        return verifier.removals(lhs, rhs) == 0

    # a -> c fails; ab -> c holds but b -> c is smaller; b -> a is minimal already
    claimed = [FoundFD(0b001, 2, 0), FoundFD(0b011, 2, 0), FoundFD(0b010, 0, 0)]
    assert verified_minimal(claimed, holds) == [(0b010, 0), (0b010, 2)]
    assert minimized(0b111, lambda x: x & 0b010 != 0) == 0b010
    assert verifier.is_minimal(0b010, 2) and not verifier.is_minimal(0b011, 2)


def test_witnesses_are_rows_that_refute() -> None:
    data = encode_rows(
        "t", ["a", "b"], [["1", "x"], ["1", "y"], ["2", "z"], ["2", "z"], ["3", "u"], ["1", "x"]]
    )
    verifier = Verifier(data)
    rows = verifier.witnesses(0b01, 1)
    assert verifier.removals(0b01, 1) == 1
    assert [tuple(int(c[i]) for c in data.codes) for i in rows] == [(0, 0), (0, 1)]
    assert len(verifier.witnesses(0b10, 0)) == 0
    assert sorted(verifier.duplicate_witnesses(0b11).tolist()) == [0, 2, 3, 5]
    assert len(verifier.duplicate_witnesses(0b11, groups=1)) == 2
