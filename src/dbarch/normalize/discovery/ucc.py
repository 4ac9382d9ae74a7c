"""Minimal unique column combinations: the candidate keys a relation's rows allow.

A level-wise (apriori) search over stripped partitions: a set is unique when its
partition has no class left; unique sets are reported and not extended, and a set is
only built when all its subsets are non-unique. Rows that are complete duplicates allow
no unique combination at all, which is checked first.
"""

from __future__ import annotations

from collections.abc import Iterable

from dbarch.normalize.discovery.data import TableData
from dbarch.normalize.discovery.partitions import Partition, Workspace, from_codes
from dbarch.normalize.discovery.progress import Progress, silent
from dbarch.normalize.discovery.tane import FoundFD
from dbarch.normalize.fd import FD, bits, mask_key
from dbarch.normalize.keys import candidate_keys


def has_duplicate_rows(data: TableData, workspace: Workspace | None = None) -> bool:
    """Some two rows agree on every column."""
    if data.rows < 2:
        return False
    if not data.columns:
        return True
    workspace = workspace or Workspace(data.rows)
    partition = from_codes(data.codes[0], data.cardinality[0])
    for j in range(1, len(data.columns)):
        partition = workspace.product(partition, from_codes(data.codes[j], data.cardinality[j]))
    return not partition.unique


def discover_uccs(data: TableData, progress: Progress = silent) -> list[int]:
    """Every minimal unique column combination (as masks), smallest first."""
    workspace = Workspace(data.rows)
    if has_duplicate_rows(data, workspace):
        return []
    if data.rows < 2:
        return [0]
    found: list[int] = []
    level: dict[int, Partition] = {
        1 << j: from_codes(data.codes[j], data.cardinality[j]) for j in range(len(data.columns))
    }
    size = 1
    while level:
        for x in [x for x, p in level.items() if p.unique]:
            found.append(x)
            del level[x]
        size += 1
        by_prefix: dict[int, list[int]] = {}
        for x in sorted(level, key=mask_key):
            top = 1 << (x.bit_length() - 1)
            by_prefix.setdefault(x & ~top, []).append(x)
        following: dict[int, Partition] = {}
        for group in by_prefix.values():
            for i, x in enumerate(group):
                for y in group[i + 1 :]:
                    z = x | y
                    if all(z & ~(1 << a) in level for a in bits(z)):
                        following[z] = workspace.product(level[x], level[y])
        progress(f"unique combinations, level {size}", len(following), len(following))
        level = following
    return sorted(found, key=mask_key)


def keys_from_fds(data: TableData, fds: Iterable[FoundFD]) -> list[int]:
    """The minimal unique column combinations from the complete set of minimal exact
    dependencies of ``data``: none when rows repeat, else its candidate keys (with no
    duplicate rows, a set is unique exactly when it determines every column). Far
    cheaper than the level-wise search when many column combinations are not unique."""
    if has_duplicate_rows(data):
        return []
    universe = (1 << len(data.columns)) - 1
    return candidate_keys(universe, [FD(fd.lhs, 1 << fd.rhs) for fd in fds])
