"""Schema x Schema -> the ordered, typed changes that turn one into the other.

:func:`~dbarch.migrate.diff.compare.compare` pairs the objects of both Schemas (same name,
or a declared ``renamed_from``), records what differs as change records
(:mod:`.changes`), adds the dependents that must be dropped and created around a change
(:mod:`.dependents`), and orders everything by the DDL dependency graph (:mod:`.graph`,
:mod:`.order`). Undeclared look-alike drop + create pairs come back as warnings.
"""
