"""Discovery of dependencies from data: functional dependencies (TANE), unique column
combinations, inclusion dependencies; every reported dependency is checked on all rows."""

SAMPLE_ROWS = 100_000
"""Tables with more rows than this are sampled to about this many rows for discovery."""
