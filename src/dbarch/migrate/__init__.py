"""Migrations: the lock and rewrite facts of DDL (:mod:`dbarch.migrate.locks`) and the
lint of hand-written migration files (:mod:`dbarch.migrate.lint`)."""
