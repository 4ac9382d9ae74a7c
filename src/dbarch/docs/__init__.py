"""Documentation people read: data dictionary, ERD (Mermaid, Graphviz), DBML, HTML site."""

from __future__ import annotations

from dbarch.docs.writer import DocsError, write_docs

__all__ = ["DocsError", "write_docs"]
