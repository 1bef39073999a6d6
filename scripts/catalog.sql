-- A sorted description of every object the extension defines, one object a
-- line (scripts/catalog.sh runs it on a fresh install): functions and
-- procedures with signature, properties, body and comment; tables with
-- their columns, constraints, indexes and comment; views with their
-- definition and options; triggers, event triggers, sequences; the tables
-- pg_dump keeps. Two builds define the same objects when the outputs match.
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
WITH ext AS (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'customer_mdm'),
members AS (
    SELECT d.classid, d.objid FROM pg_catalog.pg_depend d, ext
     WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
lines AS (
    SELECT 'function ' || p.oid::pg_catalog.regprocedure::text
           || ' returns ' || coalesce(pg_catalog.pg_get_function_result(p.oid), '-')
           || ' args(' || pg_catalog.pg_get_function_arguments(p.oid) || ')'
           || ' kind=' || p.prokind::text || ' vol=' || p.provolatile::text || ' strict=' || p.proisstrict::text
           || ' par=' || p.proparallel::text || ' secdef=' || p.prosecdef::text || ' leakproof=' || p.proleakproof::text
           || ' cost=' || p.procost::text || ' rows=' || p.prorows::text || ' lang=' || l.lanname
           || ' config=' || coalesce(p.proconfig::text, '-') || ' acl=' || coalesce(p.proacl::text, '-')
           || ' body=' || pg_catalog.md5(p.prosrc) || ' comment=' || coalesce(pg_catalog.md5(pg_catalog.obj_description(p.oid, 'pg_proc')), '-') AS line
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
     WHERE p.oid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_proc'::pg_catalog.regclass)
    UNION ALL
    SELECT 'relation ' || c.oid::pg_catalog.regclass::text || ' kind=' || c.relkind::text
           || ' options=' || coalesce(c.reloptions::text, '-') || ' acl=' || coalesce(c.relacl::text, '-')
           || ' comment=' || coalesce(pg_catalog.md5(pg_catalog.obj_description(c.oid, 'pg_class')), '-')
           || CASE WHEN c.relkind = 'v' THEN ' view=' || pg_catalog.md5(pg_catalog.pg_get_viewdef(c.oid)) ELSE '' END
      FROM pg_catalog.pg_class c
     WHERE c.oid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
    UNION ALL
    SELECT 'column ' || c.oid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(a.attname)
           || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull::text
           || ' default=' || coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '-')
           || ' collation=' || coalesce(NULLIF(a.attcollation, 0)::pg_catalog.regcollation::text, '-')
           || ' position=' || a.attnum::text
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
     WHERE c.oid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
    UNION ALL
    SELECT 'constraint ' || co.conrelid::pg_catalog.regclass::text || ' ' || co.conname || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
      FROM pg_catalog.pg_constraint co
     WHERE co.conrelid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
    UNION ALL
    SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
      FROM pg_catalog.pg_index i
     WHERE i.indrelid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
    UNION ALL
    SELECT 'trigger ' || t.tgrelid::pg_catalog.regclass::text || ' ' || pg_catalog.pg_get_triggerdef(t.oid)
      FROM pg_catalog.pg_trigger t
     WHERE NOT t.tgisinternal
       AND t.tgrelid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
    UNION ALL
    SELECT 'event trigger ' || e.evtname || ' on ' || e.evtevent || ' tags=' || coalesce(e.evttags::text, '-')
           || ' function=' || e.evtfoid::pg_catalog.regproc::text || ' enabled=' || e.evtenabled::text
      FROM pg_catalog.pg_event_trigger e
     WHERE e.oid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass)
    UNION ALL
    SELECT 'type ' || t.oid::pg_catalog.regtype::text || ' kind=' || t.typtype::text
      FROM pg_catalog.pg_type t
     WHERE t.oid IN (SELECT objid FROM members WHERE classid = 'pg_catalog.pg_type'::pg_catalog.regclass)
    UNION ALL
    SELECT 'config dump ' || c::pg_catalog.regclass::text
      FROM pg_catalog.pg_extension e, ext, unnest(e.extconfig) AS c WHERE e.oid = ext.oid
    UNION ALL
    SELECT 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl::text, '-')
           || ' comment=' || coalesce(pg_catalog.md5(pg_catalog.obj_description(n.oid, 'pg_namespace')), '-')
      FROM pg_catalog.pg_namespace n WHERE n.nspname = 'mdm'
    UNION ALL
    SELECT 'other member ' || classid::pg_catalog.regclass::text || ' ' || pg_catalog.pg_describe_object(classid, objid, 0)
      FROM members
     WHERE classid NOT IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass,
                           'pg_catalog.pg_event_trigger'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass)
)
SELECT line FROM lines ORDER BY line COLLATE "C";
