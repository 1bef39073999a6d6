//! Data quality of a registered table: `mdm.quality_report`,
//! `mdm.quality_by_source`, `mdm.quality_summary`, `mdm.snapshot_quality`
//! and the view `mdm.quality_history`. Validity comes from the validators
//! (phone, e-mail, resident ID and credit code), distinct counts from the
//! normalizers (a phone written four ways counts once). SQL over the
//! extension's own functions, so it is written in PL/pgSQL.

use pgrx::prelude::*;

extension_sql!(
    r#"
-- Per mapped (role, column), optionally per source: rows, filled, valid
-- (NULL for roles without a validator), distinct normalized values.
CREATE FUNCTION @extschema@._quality_rows(tbl regclass, by_source boolean)
RETURNS TABLE(source text, role text, column_name text, rows bigint, filled bigint, valid bigint,
              distinct_normalized bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    reg record;
    region text;
    src_col text;
    f record;
    valid_expr text;
    norm_expr text;
BEGIN
    SELECT g.fields, coalesce(g.options ->> 'phone_region', 'CN') AS region INTO reg
      FROM @extschema@.registration g WHERE g.tbl = _quality_rows.tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not registered with customer_mdm', tbl
            USING ERRCODE = '55000', HINT = format('Register it first: SELECT mdm.register(%L, ...);', tbl::text);
    END IF;
    region := reg.region;
    SELECT c #>> '{}' INTO src_col FROM jsonb_array_elements(reg.fields -> 'source') c LIMIT 1;
    FOR f IN SELECT e.key AS role, c #>> '{}' AS col, e.ord
               FROM jsonb_each(reg.fields) WITH ORDINALITY AS e(key, value, ord), jsonb_array_elements(e.value) c
              ORDER BY e.ord LOOP
        valid_expr := CASE f.role
            WHEN 'phone' THEN format('@extschema@.is_valid_phone(v, %L)', region)
            WHEN 'email' THEN '@extschema@.is_valid_email(v)'
            WHEN 'id_number' THEN '(@extschema@.is_valid_cn_resident_id(v) OR @extschema@.is_valid_credit_code(v))'
            ELSE NULL END;
        norm_expr := CASE f.role
            WHEN 'name' THEN '@extschema@.normalize_name(v)'
            WHEN 'company' THEN '@extschema@.normalize_company(v)'
            WHEN 'phone' THEN format('coalesce(@extschema@.normalize_phone(v, %L), @extschema@.normalize_text(v))', region)
            WHEN 'email' THEN 'coalesce(@extschema@.email_key(v), @extschema@.normalize_text(v))'
            WHEN 'address' THEN '@extschema@.normalize_address(v)'
            WHEN 'id_number' THEN '@extschema@.normalize_id_number(v)'
            ELSE '@extschema@.normalize_text(v)' END;
        RETURN QUERY EXECUTE format(
            'SELECT %s, %L::text, %L::text, count(*), count(*) FILTER (WHERE @extschema@.normalize_text(v) IS NOT NULL),
                    %s, count(DISTINCT %s)
               FROM (SELECT t.%I::text AS v, %s AS src FROM %s t) s %s',
            CASE WHEN by_source THEN 'src' ELSE 'NULL::text' END,
            f.role, f.col,
            CASE WHEN valid_expr IS NULL THEN 'NULL::bigint'
                 ELSE format('count(*) FILTER (WHERE @extschema@.normalize_text(v) IS NOT NULL AND %s)', valid_expr) END,
            norm_expr, f.col,
            CASE WHEN by_source AND src_col IS NOT NULL THEN format('t.%I::text', src_col) ELSE 'NULL::text' END,
            tbl,
            CASE WHEN by_source THEN 'GROUP BY src' ELSE '' END);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._quality_rows(regclass, boolean) IS
'Internal: the counts behind mdm.quality_report and mdm.quality_by_source.';

CREATE FUNCTION @extschema@.quality_report(tbl regclass)
RETURNS TABLE(role text, column_name text, rows bigint, filled bigint, filled_pct float8, valid bigint,
              valid_pct float8, distinct_normalized bigint, note text)
LANGUAGE sql STABLE AS $$
    SELECT q.role, q.column_name, q.rows, q.filled,
           CASE WHEN q.rows > 0 THEN round(100.0 * q.filled / q.rows, 2)::float8 ELSE 0 END,
           q.valid,
           CASE WHEN q.valid IS NULL THEN NULL WHEN q.filled > 0 THEN round(100.0 * q.valid / q.filled, 2)::float8 ELSE 0 END,
           q.distinct_normalized,
           CASE WHEN q.valid IS NULL THEN 'no validator for this role' END
      FROM @extschema@._quality_rows(tbl, false) q
    UNION ALL
    SELECT r, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'not mapped: left out'
      FROM unnest(ARRAY['name', 'company', 'phone', 'email', 'address', 'id_number', 'birth_date', 'kind',
                        'updated_at', 'source']) AS r
     WHERE NOT (SELECT g.fields ? r FROM @extschema@.registration g WHERE g.tbl = $1)
$$;

CREATE FUNCTION @extschema@.quality_by_source(tbl regclass)
RETURNS TABLE(source text, role text, column_name text, rows bigint, filled bigint, filled_pct float8, valid bigint,
              valid_pct float8, distinct_normalized bigint)
LANGUAGE sql STABLE AS $$
    SELECT q.source, q.role, q.column_name, q.rows, q.filled,
           CASE WHEN q.rows > 0 THEN round(100.0 * q.filled / q.rows, 2)::float8 ELSE 0 END,
           q.valid,
           CASE WHEN q.valid IS NULL THEN NULL WHEN q.filled > 0 THEN round(100.0 * q.valid / q.filled, 2)::float8 ELSE 0 END,
           q.distinct_normalized
      FROM @extschema@._quality_rows(tbl, true) q
$$;

CREATE FUNCTION @extschema@.quality_summary(tbl regclass, fresh_within interval DEFAULT '365 days')
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    n bigint;
    completeness float8;
    validity float8;
    in_clusters bigint;
    fresh float8;
    upd_col text;
    out jsonb;
BEGIN
    EXECUTE format('SELECT count(*) FROM %s', tbl) INTO n;
    SELECT avg(CASE WHEN q.rows > 0 THEN q.filled::float8 / q.rows ELSE 0 END),
           CASE WHEN sum(q.filled) FILTER (WHERE q.valid IS NOT NULL) > 0
                THEN sum(q.valid)::float8 / sum(q.filled) FILTER (WHERE q.valid IS NOT NULL) END
      INTO completeness, validity
      FROM @extschema@._quality_rows(tbl, false) q WHERE q.role <> 'source';
    SELECT count(*) INTO in_clusters FROM @extschema@.cluster_member m WHERE m.tbl = quality_summary.tbl;
    SELECT c #>> '{}' INTO upd_col
      FROM @extschema@.registration g, jsonb_array_elements(g.fields -> 'updated_at') c
     WHERE g.tbl = quality_summary.tbl LIMIT 1;
    IF upd_col IS NOT NULL THEN
        EXECUTE format('SELECT CASE WHEN count(*) > 0 THEN (count(*) FILTER (WHERE t.%I::timestamptz >= now() - $1))::float8 / count(*) END
                          FROM %s t', upd_col, tbl)
           INTO fresh USING fresh_within;
    END IF;
    out := jsonb_build_object(
        'table', tbl::text,
        'rows', n,
        'completeness', round(coalesce(completeness, 0)::numeric, 4),
        'validity', round(validity::numeric, 4),
        'uniqueness', CASE WHEN n > 0 THEN round((1 - in_clusters::float8 / n)::numeric, 4) ELSE 1 END,
        'freshness', round(fresh::numeric, 4),
        'fresh_within', fresh_within::text,
        'records_in_duplicate_clusters', in_clusters,
        'pairs', (SELECT jsonb_build_object(
                      'pending', count(*) FILTER (WHERE p.status = 'pending'),
                      'confirmed', count(*) FILTER (WHERE p.status = 'confirmed'),
                      'rejected', count(*) FILTER (WHERE p.status = 'rejected'))
                    FROM @extschema@.duplicate_pairs p WHERE p.tbl = quality_summary.tbl),
        'merges', (SELECT jsonb_build_object('done', count(*), 'undone', count(*) FILTER (WHERE j.undone_at IS NOT NULL))
                     FROM @extschema@.merge j WHERE j.tbl = quality_summary.tbl),
        'unmapped_roles', (SELECT coalesce(jsonb_agg(r.role ORDER BY r.role), '[]')
                             FROM @extschema@.quality_report(tbl) r WHERE r.column_name IS NULL));
    RETURN out;
END
$$;

CREATE TABLE @extschema@.quality_snapshot (
    snapshot_id bigserial PRIMARY KEY,
    tbl         regclass NOT NULL,
    taken_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    summary     jsonb NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.quality_snapshot', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.quality_snapshot_snapshot_id_seq', '');
CREATE INDEX quality_snapshot_tbl ON @extschema@.quality_snapshot (tbl, taken_at);
COMMENT ON TABLE @extschema@.quality_snapshot IS
'Dated quality summaries (mdm.snapshot_quality), for the trend in mdm.quality_history. Kept by pg_dump.';

CREATE FUNCTION @extschema@.snapshot_quality(tbl regclass) RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO @extschema@.quality_snapshot (tbl, summary) VALUES ($1, @extschema@.quality_summary($1))
    RETURNING snapshot_id
$$;

CREATE VIEW @extschema@.quality_history AS
SELECT s.tbl, s.snapshot_id, s.taken_at, (s.summary ->> 'rows')::bigint AS rows,
       (s.summary ->> 'completeness')::float8 AS completeness, (s.summary ->> 'validity')::float8 AS validity,
       (s.summary ->> 'uniqueness')::float8 AS uniqueness, (s.summary ->> 'freshness')::float8 AS freshness,
       (s.summary #>> '{pairs,pending}')::bigint AS pairs_pending,
       (s.summary #>> '{pairs,confirmed}')::bigint AS pairs_confirmed,
       (s.summary #>> '{pairs,rejected}')::bigint AS pairs_rejected,
       (s.summary #>> '{merges,done}')::bigint AS merges, (s.summary #>> '{merges,undone}')::bigint AS unmerges,
       s.summary
  FROM @extschema@.quality_snapshot s;
COMMENT ON VIEW @extschema@.quality_history IS
'The quality snapshots of registered tables (mdm.snapshot_quality), one row each: completeness, validity, uniqueness, freshness, pairs by status, merges and unmerges, and the whole summary.';

COMMENT ON FUNCTION @extschema@.quality_report(regclass) IS
'Data quality of a registered table per mapped role and column: rows, filled (a value that is not blank), filled_pct, valid (phone, e-mail, resident ID / credit code validators; NULL for roles without one), valid_pct (of the filled values), distinct_normalized (distinct values after normalization: a phone written four ways counts once). Unmapped roles are listed with the note "not mapped: left out". An empty table gives zeros.';
COMMENT ON FUNCTION @extschema@.quality_by_source(regclass) IS
'mdm.quality_report per value of the source role (the channel), so that the channel producing bad data stands out.';
COMMENT ON FUNCTION @extschema@.quality_summary(regclass, interval) IS
'Overall quality scores of a registered table as jsonb (0..1): completeness (mean filled share of the mapped columns), validity (valid share of the filled, validated values), uniqueness (1 - the share of records in duplicate clusters), freshness (the share updated within fresh_within, default 365 days, from the updated_at role; null when it is not mapped), with the duplicate pairs by status, merges done and undone, and the unmapped roles.';
COMMENT ON FUNCTION @extschema@.snapshot_quality(regclass) IS
'Stores the table''s mdm.quality_summary with the time (mdm.quality_snapshot, listed by mdm.quality_history); returns the snapshot id. Schedule it with cron or pg_cron.';
"#,
    name = "quality_objects",
    requires = ["merge_objects", "realtime_objects"]
);
