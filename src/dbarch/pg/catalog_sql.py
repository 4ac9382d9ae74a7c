"""The catalog queries of introspection: one per object family, whatever the database size.

Every query reads all objects of its family at once; Python groups the rows. Column
defaults are deparsed without their table (they cannot refer to columns), which spares
the server from opening every table. The texts
are fixed (composed here from constant fragments only) and run with
``search_path = public, pg_catalog`` so PostgreSQL's deparsers print objects in
``public`` unqualified. Objects in system schemas and objects that belong to an
extension (``pg_depend.deptype = 'e'``) are left out.

Privileges travel as JSON arrays of ``[grantee, privilege, grantable]`` (``grantee``
null for PUBLIC), once for the object's ACL (null when the ACL is the built-in default)
and once for ``acldefault`` of its kind and owner. References to other catalog objects
travel as ``[schema, name, visible]``.
"""

from __future__ import annotations

USER_NAMESPACE = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"


def _not_extension_member(catalog: str, oid: str) -> str:
    return (
        "NOT EXISTS (SELECT FROM pg_depend x WHERE x.classid = "
        f"'{catalog}'::regclass AND x.objid = {oid} AND x.deptype = 'e')"
    )


def _explode(acl: str) -> str:
    return (
        "(SELECT coalesce(json_agg(json_build_array(CASE WHEN ae.grantee <> 0 THEN "
        "pg_get_userbyid(ae.grantee) END, ae.privilege_type, ae.is_grantable) ORDER BY ae.n), "
        f"'[]') FROM aclexplode({acl}) WITH ORDINALITY "
        "AS ae(grantor, grantee, privilege_type, is_grantable, n))"
    )


def _privileges(acl: str, kind: str, owner: str) -> str:
    """``acl`` and ``acl_default`` columns for an object's ACL column."""
    default = f"acldefault('{kind}', {owner})"
    return (
        f"CASE WHEN {acl} IS NOT NULL THEN {_explode(acl)} END AS acl, "
        f"CASE WHEN {acl} IS NOT NULL THEN {_explode(default)} END AS acl_default"
    )


def _described(catalog: str, oid: str, subid: str = "0") -> str:
    """A join that makes ``ds.description`` the comment of the object ``oid``."""
    return (
        f"LEFT JOIN pg_description ds ON ds.objoid = {oid} "
        f"AND ds.classoid = '{catalog}'::regclass AND ds.objsubid = {subid}"
    )


def _ref(catalog: str, oid: str, name: str, namespace: str, visible: str) -> str:
    """``[schema, name, visible]`` of a catalog object, or null for oid 0."""
    return (
        f"(SELECT json_build_array(rn.nspname, r.{name}, {visible}(r.oid)) "
        f"FROM {catalog} r JOIN pg_namespace rn ON rn.oid = r.{namespace} WHERE r.oid = {oid})"
    )


def _function_ref(oid: str) -> str:
    return _ref("pg_proc", oid, "proname", "pronamespace", "pg_function_is_visible")


def _collation_ref(oid: str) -> str:
    return _ref("pg_collation", oid, "collname", "collnamespace", "pg_collation_is_visible")


def _operator_ref(oid: str) -> str:
    return _ref("pg_operator", oid, "oprname", "oprnamespace", "pg_operator_is_visible")


def _attnames(relid: str, attnums: str) -> str:
    """Column names of ``relid`` for an ``int2[]`` of attribute numbers, in array order."""
    return (
        "ARRAY(SELECT at.attname FROM unnest(" + attnums + ") WITH ORDINALITY AS u(num, i) "
        "JOIN pg_attribute at ON at.attrelid = " + relid + " AND at.attnum = u.num ORDER BY u.i)"
    )


_USER_RELATION = f"{USER_NAMESPACE} AND {_not_extension_member('pg_class', 'c.oid')}"

SETUP = """
SELECT set_config('search_path', 'public, pg_catalog', true),
       set_config('standard_conforming_strings', 'on', true),
       set_config('quote_all_identifiers', 'off', true),
       set_config('DateStyle', 'ISO', true),
       set_config('IntervalStyle', 'postgres', true),
       set_config('TimeZone', 'UTC', true),
       set_config('extra_float_digits', '1', true),
       set_config('bytea_output', 'hex', true),
       set_config('max_parallel_workers_per_gather', '0', true),
       current_user AS "current_user",
       current_setting('server_version_num')::int AS server_version
"""

EXTENSIONS = """
SELECT e.extname AS name, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.oid >= 16384
ORDER BY e.oid
"""

SCHEMAS = f"""
SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner,
       ds.description AS comment,
       {_privileges("n.nspacl", "n", "n.nspowner")}
FROM pg_namespace n
{_described("pg_namespace", "n.oid")}
WHERE {USER_NAMESPACE} AND {_not_extension_member("pg_namespace", "n.oid")}
ORDER BY n.oid
"""

TYPES = f"""
SELECT t.oid, t.typtype AS kind, n.nspname AS schema, t.typname AS name,
       pg_get_userbyid(t.typowner) AS owner,
       ds.description AS comment,
       {_privileges("t.typacl", "T", "t.typowner")},
       ARRAY(SELECT l.enumlabel FROM pg_enum l WHERE l.enumtypid = t.oid
             ORDER BY l.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       t.typnotnull AS not_null,
       pg_get_expr(t.typdefaultbin, 0) AS "default",
       CASE WHEN t.typcollation <> b.typcollation THEN {_collation_ref("t.typcollation")}
       END AS collation,
       t.typrelid AS relid
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_class c ON c.oid = t.typrelid
{_described("pg_type", "t.oid")}
WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND c.relkind = 'c'))
  AND {USER_NAMESPACE} AND {_not_extension_member("pg_type", "t.oid")}
ORDER BY t.oid
"""

DOMAIN_CHECKS = f"""
SELECT k.contypid AS type, k.conname AS name, pg_get_expr(k.conbin, 0) AS "check",
       NOT k.convalidated AS not_valid,
       ds.description AS comment
FROM pg_constraint k
JOIN pg_type t ON t.oid = k.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace
{_described("pg_constraint", "k.oid")}
WHERE k.contype = 'c' AND {USER_NAMESPACE} AND {_not_extension_member("pg_type", "t.oid")}
ORDER BY k.contypid, k.oid
"""

SEQUENCES = f"""
SELECT c.oid, n.nspname AS schema, c.relname AS name, pg_get_userbyid(c.relowner) AS owner,
       ds.description AS comment,
       {_privileges("c.relacl", "s", "c.relowner")},
       format_type(s.seqtypid, NULL) AS type, s.seqstart AS start,
       s.seqincrement AS increment, s.seqmin AS min_value, s.seqmax AS max_value,
       s.seqcache AS cache, s.seqcycle AS cycle,
       d.deptype AS dependency, d.refobjid AS table_oid, d.refobjsubid AS column_number,
       tn.nspname AS table_schema, tc.relname AS table_name, ta.attname AS column_name
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
{_described("pg_class", "c.oid")}
WHERE {_USER_RELATION}
ORDER BY c.oid
"""

RELATIONS = f"""
SELECT c.oid, c.relkind AS kind, n.nspname AS schema, c.relname AS name,
       pg_get_userbyid(c.relowner) AS owner,
       ds.description AS comment,
       {_privileges("c.relacl", "r", "c.relowner")},
       c.relpersistence = 'u' AS unlogged,
       c.reloptions AS options, tc.reloptions AS toast_options,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
       c.relispartition AS is_partition,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       (SELECT json_agg(json_build_array(pn.nspname, pc.relname) ORDER BY i.inhseqno)
        FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
        JOIN pg_namespace pn ON pn.oid = pc.relnamespace
        WHERE i.inhrelid = c.oid) AS parents,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS query
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
{_described("pg_class", "c.oid")}
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND {_USER_RELATION}
ORDER BY c.oid
"""

COLUMNS = f"""
SELECT a.attrelid AS relid, a.attnum AS number, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS "default",
       CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attidentity AS identity, a.attislocal AS local,
       CASE WHEN a.attcollation <> t.typcollation THEN {_collation_ref("a.attcollation")}
       END AS collation,
       ds.description AS comment,
       CASE WHEN a.attacl IS NOT NULL THEN {_explode("a.attacl")} END AS acl,
       CASE WHEN c.relkind IN ('r', 'p', 'm')
            AND (a.attstattarget >= 0 OR a.attstorage <> t.typstorage OR a.attcompression <> '')
       THEN format('%s.%s (%s)', c.oid::regclass, quote_ident(a.attname), concat_ws(', ',
            CASE WHEN a.attstattarget >= 0 THEN 'statistics ' || a.attstattarget END,
            CASE WHEN a.attstorage <> t.typstorage THEN 'storage ' || CASE a.attstorage
                 WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main'
                 ELSE 'extended' END END,
            CASE WHEN a.attcompression <> '' THEN 'compression '
                 || CASE a.attcompression WHEN 'l' THEN 'lz4' ELSE 'pglz' END END))
       END AS unmodelled_settings
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
{_described("pg_class", "a.attrelid", "a.attnum")}
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND {_USER_RELATION}
ORDER BY a.attrelid, a.attnum
"""

CONSTRAINTS = f"""
SELECT k.conrelid AS relid, k.conname AS name, k.contype AS kind,
       k.condeferrable AS deferrable, k.condeferred AS initially_deferred,
       NOT k.convalidated AS not_valid, k.conislocal AS local, k.connoinherit AS no_inherit,
       k.conparentid <> 0 AS cloned, k.conindid AS index_oid,
       k.conkey AS column_numbers,
       CASE WHEN k.contype = 'f' THEN {_attnames("k.confrelid", "k.confkey")} END
           AS ref_columns,
       rn.nspname AS ref_schema, rc.relname AS ref_table,
       k.confupdtype AS on_update, k.confdeltype AS on_delete, k.confmatchtype AS match,
       CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END AS "check",
       CASE WHEN k.contype = 'x' THEN
           (SELECT json_agg({_operator_ref("o.op")} ORDER BY o.i)
            FROM unnest(k.conexclop) WITH ORDINALITY AS o(op, i)) END AS operators,
       ds.description AS comment
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = k.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
{_described("pg_constraint", "k.oid")}
WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND c.relkind IN ('r', 'p') AND {_USER_RELATION}
ORDER BY k.conrelid, k.oid
"""

_INDEX_FROM = """
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class ic ON ic.oid = i.indexrelid
"""

_INDEX_WHERE = f"""
WHERE c.relkind IN ('r', 'p', 'm') AND i.indislive AND i.indisready
  AND (i.indisvalid OR ic.relkind = 'I') AND {_USER_RELATION}
"""

INDEXES = f"""
SELECT i.indexrelid AS oid, i.indrelid AS relid, ic.relname AS name,
       (SELECT am.amname FROM pg_am am WHERE am.oid = ic.relam) AS method,
       i.indisunique AS is_unique, i.indnullsnotdistinct AS nulls_not_distinct,
       i.indnkeyatts AS key_count,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ic.reloptions AS options,
       EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = i.indrelid
               AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')) AS backs_constraint,
       ds.description AS comment
{_INDEX_FROM}
{_described("pg_class", "i.indexrelid")}
{_INDEX_WHERE}
ORDER BY i.indrelid, i.indexrelid
"""

# Whether PostgreSQL prints an element's operator class and collation (it does when they
# are not the defaults) is known here for plain columns: a class that is no default class
# is shown, the default class of exactly the column's (base) type is not. Otherwise (and
# for expressions) the flags are null and pg_get_indexdef has to tell. Visibility is only
# looked up for what may be shown. The key columns are looked up one by one (OFFSET 0
# keeps the planner from hashing the whole of pg_attribute instead).
_OPCLASS_SHOWN = """CASE WHEN NOT oc.opcdefault THEN true
            WHEN oc.opcintype = coalesce(nullif(t.typbasetype, 0), at.atttypid) THEN false
       END"""
_COLLATION_SHOWN = "CASE WHEN k.num <> 0 THEN coalesce(co.oid, 0) NOT IN (0, at.attcollation) END"

INDEX_ELEMENTS = f"""
SELECT i.indexrelid AS index_oid, at.attname AS column,
       CASE WHEN k.num = 0 THEN pg_get_indexdef(i.indexrelid, k.i::int, true)
            ELSE quote_ident(at.attname) END AS text,
       ocn.nspname AS opclass_schema, oc.opcname AS opclass_name,
       CASE WHEN {_OPCLASS_SHOWN} IS NOT false THEN pg_opclass_is_visible(oc.oid) END
           AS opclass_visible,
       con.nspname AS collation_schema, co.collname AS collation_name,
       CASE WHEN {_COLLATION_SHOWN} IS NOT false THEN pg_collation_is_visible(co.oid) END
           AS collation_visible,
       coalesce(i.indoption[k.i::int - 1], 0) AS flags,
       {_OPCLASS_SHOWN} AS opclass_shown,
       {_COLLATION_SHOWN} AS collation_shown
{_INDEX_FROM}
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, i)
LEFT JOIN LATERAL (SELECT a.attname, a.atttypid, a.attcollation FROM pg_attribute a
                   WHERE a.attrelid = i.indrelid AND a.attnum = k.num OFFSET 0) at ON true
LEFT JOIN pg_type t ON t.oid = at.atttypid
LEFT JOIN pg_opclass oc ON oc.oid = i.indclass[k.i::int - 1]
LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.i::int - 1]
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
{_INDEX_WHERE}
ORDER BY i.indexrelid, k.i
"""

INDEX_DEFINITIONS = """
SELECT i.indexrelid AS oid, pg_get_indexdef(i.indexrelid, 0, true) AS definition
FROM pg_index i
WHERE i.indexrelid = ANY(%(oids)s::oid[])
"""

TRIGGERS = f"""
SELECT g.tgrelid AS relid, g.tgname AS name, g.tgtype AS type, g.tgenabled AS enabled,
       g.tgconstraint <> 0 AS is_constraint, g.tgdeferrable AS deferrable,
       g.tginitdeferred AS initially_deferred,
       {_attnames("g.tgrelid", "g.tgattr::int2[]")} AS update_of,
       g.tgoldtable AS old_table, g.tgnewtable AS new_table,
       {_function_ref("g.tgfoid")} AS function,
       pg_get_triggerdef(g.oid, true) AS definition,
       ds.description AS comment
FROM pg_trigger g
JOIN pg_class c ON c.oid = g.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
{_described("pg_trigger", "g.oid")}
WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND c.relkind IN ('r', 'p', 'v')
  AND {_USER_RELATION}
ORDER BY g.tgrelid, g.oid
"""

POLICIES = f"""
SELECT p.polrelid AS relid, p.polname AS name, p.polcmd AS command,
       p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r <> 0 THEN pg_get_userbyid(r) ELSE 'PUBLIC' END
             FROM unnest(p.polroles) AS r) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       ds.description AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
{_described("pg_policy", "p.oid")}
WHERE {_USER_RELATION}
ORDER BY p.polrelid, p.oid
"""

FUNCTIONS = f"""
SELECT p.oid, n.nspname AS schema, p.proname AS name, p.prokind AS kind,
       pg_get_userbyid(p.proowner) AS owner,
       ds.description AS comment,
       {_privileges("p.proacl", "f", "p.proowner")},
       pg_get_function_arguments(p.oid) AS arguments,
       CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END AS returns,
       l.lanname AS language,
       CASE WHEN p.prosqlbody IS NULL THEN p.prosrc END AS body,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) END AS sql_body,
       p.provolatile AS volatility, p.proisstrict AS strict, p.prosecdef AS security_definer,
       p.proleakproof AS leakproof, p.proparallel AS parallel, p.procost AS cost,
       p.prorows AS rows, p.proretset AS returns_set, p.proconfig AS config
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
{_described("pg_proc", "p.oid")}
WHERE p.prokind IN ('f', 'p') AND {USER_NAMESPACE}
  AND {_not_extension_member("pg_proc", "p.oid")}
ORDER BY p.oid
"""

AGGREGATES = f"""
SELECT p.oid, n.nspname AS schema, p.proname AS name,
       pg_get_userbyid(p.proowner) AS owner,
       ds.description AS comment,
       {_privileges("p.proacl", "f", "p.proowner")},
       pg_get_function_arguments(p.oid) AS arguments,
       {_function_ref("a.aggtransfn")} AS sfunc,
       format_type(a.aggtranstype, NULL) AS stype,
       {_function_ref("a.aggfinalfn")} AS finalfunc,
       {_function_ref("a.aggcombinefn")} AS combinefunc,
       a.agginitval AS initcond,
       {_operator_ref("a.aggsortop")} AS sortop,
       p.proparallel AS parallel
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_namespace n ON n.oid = p.pronamespace
{_described("pg_proc", "p.oid")}
WHERE a.aggkind = 'n' AND {USER_NAMESPACE} AND {_not_extension_member("pg_proc", "p.oid")}
ORDER BY p.oid
"""

ROLES = """
SELECT r.rolname AS name, r.rolcanlogin AS login, r.rolsuper AS superuser,
       r.rolcreatedb AS createdb, r.rolcreaterole AS createrole, r.rolinherit AS inherit,
       r.rolreplication AS replication, r.rolbypassrls AS bypassrls,
       r.rolconnlimit AS connection_limit,
       ARRAY(SELECT DISTINCT g.rolname FROM pg_auth_members m
             JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid) AS member_of,
       shobj_description(r.oid, 'pg_authid') AS comment
FROM pg_roles r
WHERE r.rolname = ANY(%(names)s)
ORDER BY r.oid
"""

# Objects the model has no place for, one row each (``kind``, ``name`` as PostgreSQL
# prints it): reading a database must say what it leaves out (column settings come with
# COLUMNS, which reads pg_attribute anyway). Casts made with a range
# type (to its multirange) belong to the type.
LEFT_OUT = f"""
SELECT kind, name FROM (
  SELECT 'rule' AS kind, format('%s on %s', quote_ident(r.rulename), r.ev_class::regclass) AS name
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE r.rulename <> '_RETURN' AND {_USER_RELATION}
  UNION ALL
  SELECT CASE t.typtype WHEN 'r' THEN 'range type' ELSE 'base type' END, format_type(t.oid, NULL)
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('r', 'b') AND t.typcategory <> 'A'
    AND {USER_NAMESPACE} AND {_not_extension_member("pg_type", "t.oid")}
  UNION ALL
  SELECT 'collation', format('%s.%s', quote_ident(n.nspname), quote_ident(co.collname))
  FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
  WHERE {USER_NAMESPACE} AND {_not_extension_member("pg_collation", "co.oid")}
  UNION ALL
  SELECT 'statistics object', format('%s.%s', quote_ident(n.nspname), quote_ident(s.stxname))
  FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
  WHERE {USER_NAMESPACE} AND {_not_extension_member("pg_statistic_ext", "s.oid")}
  UNION ALL
  SELECT 'foreign table', c.oid::regclass::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'f' AND {_USER_RELATION}
  UNION ALL
  SELECT 'default privilege setting',
         format('for role %s%s', quote_ident(pg_get_userbyid(d.defaclrole)),
                coalesce(' in schema ' || quote_ident(n.nspname), ''))
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
  UNION ALL
  SELECT 'operator', format('%s.%s', quote_ident(n.nspname), o.oprname)
  FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
  WHERE {USER_NAMESPACE} AND {_not_extension_member("pg_operator", "o.oid")}
  UNION ALL
  SELECT 'cast', format('%s AS %s', format_type(k.castsource, NULL),
                        format_type(k.casttarget, NULL))
  FROM pg_cast k WHERE k.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_depend x
      WHERE x.classid = 'pg_cast'::regclass AND x.objid = k.oid AND x.deptype IN ('e', 'i'))
  UNION ALL
  SELECT 'text search configuration', format('%s.%s', quote_ident(n.nspname),
                                              quote_ident(f.cfgname))
  FROM pg_ts_config f JOIN pg_namespace n ON n.oid = f.cfgnamespace
  WHERE {USER_NAMESPACE} AND {_not_extension_member("pg_ts_config", "f.oid")}
  UNION ALL
  SELECT 'event trigger', quote_ident(e.evtname)
  FROM pg_event_trigger e WHERE {_not_extension_member("pg_event_trigger", "e.oid")}
  UNION ALL
  SELECT 'publication', quote_ident(p.pubname) FROM pg_publication p
  UNION ALL
  SELECT 'replica identity', format('%s (%s)', c.oid::regclass, CASE c.relreplident
         WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full' ELSE 'index' END)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND c.relreplident <> 'd' AND {_USER_RELATION}
  UNION ALL
  SELECT 'CLUSTER ON', format('%s on %s', i.indexrelid::regclass, c.oid::regclass)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE i.indisclustered AND {_USER_RELATION}
  UNION ALL
  SELECT 'table in a tablespace', c.oid::regclass::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm', 'i') AND c.reltablespace <> 0 AND {_USER_RELATION}
) AS left_out
"""
