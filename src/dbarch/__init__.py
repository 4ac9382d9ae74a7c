"""dbarch: the work of a senior PostgreSQL database architect, as deterministic software."""

__version__ = "0.1.0"
