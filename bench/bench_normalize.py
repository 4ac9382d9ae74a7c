"""Benchmark of dbarch.normalize: functional-dependency discovery as ``dbarch normalize``
runs it (``profile_data``: TANE on stripped partitions, on a sample grown until every
candidate holds when the relation has more than 100,000 rows; every dependency verified on
all rows) on the classic profiling data sets and on a generated table of 1,000,000 rows x
20 columns with planted dependencies, beside an independent reference implementation
(Desbordante's HyFD, when ``pip install desbordante`` is possible) run in the same script.

For each data set it prints the number of minimal FDs found, the times, the published count
(Papenbrock et al., PVLDB 8(10) 2015, Table 2) and whether the reference finds exactly the
same dependencies. Run as ``.venv/bin/python bench/bench_normalize.py [--rows N]``; it
exits 0 whether or not the figures agree.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from dbarch.normalize.discovery.data import load_csv
from dbarch.normalize.discovery.profile import profile_data
from dbarch.normalize.discovery.verify import Verifier

PROFILING = Path(__file__).resolve().parents[2] / "shared" / "profiling"
PUBLISHED = {  # Papenbrock et al. 2015, Table 2: minimal FDs
    "iris.csv": 4,
    "balance-scale.csv": 1,
    "abalone.csv": 137,
    "breast-cancer-wisconsin.csv": 46,
}
CHUNK = 100_000

FDSet = set[tuple[tuple[int, ...], int]]


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def ours(path: Path) -> tuple[FDSet, float, float, float, int | None]:
    """Our FDs of a CSV file; load, discovery and independent verification seconds, and
    the rows of the sample discovery settled on (None: all rows)."""
    data, load_s = timed(lambda: load_csv(path))
    profile, discover_s = timed(lambda: profile_data(data))
    fds = {
        (tuple(sorted(data.columns.index(c) for c in fd.lhs)), data.columns.index(fd.rhs))
        for fd in profile.fds
    }
    verifier = Verifier(data)

    def check() -> bool:
        masks = [(sum(1 << i for i in lhs), rhs) for lhs, rhs in fds]
        return all(verifier.removals(m, a) == 0 and verifier.is_minimal(m, a) for m, a in masks)

    ok, verify_s = timed(check)
    assert ok, "a reported dependency does not hold on every row, or is not minimal"
    return fds, load_s, discover_s, verify_s, profile.sampled_rows


def reference(path: Path) -> tuple[FDSet, float] | None:
    """Desbordante's HyFD on the same file (values as strings, NULL = NULL)."""
    try:
        import desbordante  # type: ignore[import-not-found]
    except ImportError:
        return None
    algorithm = desbordante.fd.algorithms.HyFD()
    algorithm.load_data(table=(str(path), ",", True))
    _, seconds = timed(algorithm.execute)
    fds = {(tuple(sorted(f.lhs_indices)), f.rhs_index) for f in algorithm.get_fds()}
    return fds, seconds


def planted_columns(rows: int, seed: int) -> dict[str, np.ndarray]:
    """20 columns: a row id, a customer and a product dimension (each a hierarchy of
    derived attributes: names, geography, taxonomy) and a constant."""
    rng = np.random.default_rng(seed)

    def up(source: np.ndarray, cardinality: int, salt: int) -> np.ndarray:
        return ((source * 2654435761 + salt * 40503) % 2_147_483_647) % cardinality

    customer = rng.integers(0, 200_000, rows)
    product = rng.integers(0, 50_000, rows)
    c: dict[str, np.ndarray] = {"line_id": np.arange(rows)}
    c["customer_id"] = customer
    c["customer_name"] = (customer * 7919) % 200_003
    c["customer_email"] = (customer * 104729) % 200_009
    c["customer_zip"] = up(customer, 20_000, 1)
    c["customer_city"] = up(c["customer_zip"], 2_000, 2)
    c["customer_state"] = up(c["customer_city"], 100, 3)
    c["customer_country"] = up(c["customer_state"], 10, 4)
    c["customer_segment"] = up(c["customer_country"], 4, 12)
    c["customer_channel"] = up(customer, 3, 5)
    c["product_id"] = product
    c["product_name"] = (product * 7907) % 50_021
    c["product_sku"] = (product * 31337) % 50_023
    c["product_brand"] = up(product, 5_000, 6)
    c["brand_owner"] = up(c["product_brand"], 500, 7)
    c["product_subcategory"] = up(product, 1_000, 8)
    c["product_category"] = up(c["product_subcategory"], 100, 9)
    c["product_department"] = up(c["product_category"], 10, 10)
    c["unit_price"] = up(product, 2_000, 11)
    c["currency"] = np.zeros(rows, dtype=np.int64)
    return c


def write_csv(path: Path, columns: dict[str, np.ndarray]) -> None:
    rows = len(next(iter(columns.values())))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for start in range(0, rows, CHUNK):
            chunk = [v[start : start + CHUNK].tolist() for v in columns.values()]
            writer.writerows(zip(*chunk, strict=True))


def report(name: str, path: Path, published: int | None) -> None:
    fds, load_s, discover_s, verify_s, sampled = ours(path)
    agrees = "" if published is None else (" =" if len(fds) == published else " DIFFERENT")
    line = (
        f"{name:<28} {len(fds):>5} {load_s:>7.2f} {discover_s:>9.2f} {verify_s:>7.2f}"
        f" {sampled if sampled is not None else 'all':>8}"
        f" {published if published is not None else '-':>9}{agrees:<10}"
    )
    ref = reference(path)
    if ref is None:
        line += f" {'unavailable':>22}"
    else:
        ref_fds, ref_s = ref
        same = "same set" if ref_fds == fds else f"DIFFERENT ({len(ref_fds)})"
        line += (
            f" {len(ref_fds):>8} {ref_s:>8.2f} {same:>9}  ratio {discover_s / max(ref_s, 1e-9):.2f}"
        )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated table")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        import desbordante  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        print("reference: unavailable (pip install desbordante to compare with HyFD)")
    print(
        f"{'data set':<28} {'FDs':>5} {'load s':>7} {'discover':>9} {'verify':>7}"
        f" {'sample':>8} {'published':>9}{'':<10} {'HyFD FDs':>8} {'HyFD s':>8} {'agree':>9}"
    )
    for name, published in PUBLISHED.items():
        path = PROFILING / name
        if path.is_file():
            report(name, path, published)
        else:
            print(f"{name:<28} missing: {path}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.csv"
        write_csv(path, planted_columns(args.rows, args.seed))
        report(f"generated {args.rows:,} x 20", path, None)


if __name__ == "__main__":
    main()
