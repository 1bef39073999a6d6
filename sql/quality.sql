-- Data quality: the snapshot table, the reports in SQL and PL/pgSQL (src/quality/mod.rs).
-- Loaded by extension_sql_file!; @extschema@ is the extension's schema.
COMMENT ON FUNCTION @extschema@._quality_rows(regclass, boolean) IS
'Internal: the counts behind mdm.quality_report, mdm.quality_by_source, mdm.quality_summary and mdm.quality_report_html, from one scan of the table: per mapped (role, column) the rows, filled, valid (NULL for roles without a validator) and distinct normalized values, in total (total = true, with up to 5 example ids of rows whose value is missing or invalid) and, with by_source, per source value.';

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
      FROM unnest(@extschema@._mappable_roles()) AS r
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
      FROM @extschema@._quality_rows(tbl, true) q WHERE NOT q.total
$$;

-- The summary from the per-column figures (mdm._quality_rows, totals).
CREATE FUNCTION @extschema@._quality_summary(tbl regclass, fresh_within interval, per_col jsonb)
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
      FROM jsonb_to_recordset(per_col) AS q(role text, rows bigint, filled bigint, valid bigint) WHERE q.role <> 'source';
    SELECT count(*) INTO in_clusters FROM @extschema@.cluster_member m WHERE m.tbl = _quality_summary.tbl;
    SELECT c #>> '{}' INTO upd_col
      FROM @extschema@.registration g, jsonb_array_elements(g.fields -> 'updated_at') c
     WHERE g.tbl = _quality_summary.tbl LIMIT 1;
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
                    FROM @extschema@.duplicate_pairs p WHERE p.tbl = _quality_summary.tbl),
        'merges', (SELECT jsonb_build_object('done', count(*), 'undone', count(*) FILTER (WHERE j.undone_at IS NOT NULL))
                     FROM @extschema@.merge j WHERE j.tbl = _quality_summary.tbl),
        'unmapped_roles', (SELECT coalesce(jsonb_agg(r ORDER BY r), '[]')
                             FROM unnest(@extschema@._mappable_roles()) AS r
                            WHERE NOT (SELECT g.fields ? r FROM @extschema@.registration g WHERE g.tbl = _quality_summary.tbl)));
    RETURN out;
END
$$;

COMMENT ON FUNCTION @extschema@._quality_summary(regclass, interval, jsonb) IS
'Internal: mdm.quality_summary from per-column figures computed once.';

CREATE FUNCTION @extschema@.quality_summary(tbl regclass, fresh_within interval DEFAULT '365 days')
RETURNS jsonb LANGUAGE sql STABLE STRICT AS $$
    SELECT @extschema@._quality_summary($1, $2, (SELECT jsonb_agg(to_jsonb(q)) FROM @extschema@._quality_rows($1, false) q))
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
LANGUAGE sql STRICT AS $$
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

-- HTML escaping for the report.
CREATE FUNCTION @extschema@._html(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(replace(replace(replace(replace(coalesce(t, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')
$$;
COMMENT ON FUNCTION @extschema@._html(text) IS
'Internal: HTML-escapes a text (& < > " and the single quote).';

-- Inline SVG bar chart: labels and values (0..max), one bar each.
CREATE FUNCTION @extschema@._svg_bars(title text, labels text[], vals float8[], max_val float8, unit text, css_class text)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    n int := coalesce(cardinality(labels), 0);
    h int := 30 + 22 * greatest(n, 1);
    out text;
    w float8;
BEGIN
    out := format('<figure class="chart %s"><figcaption>%s</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="640" height="%s" viewBox="0 0 640 %s" role="img" aria-label="%s">',
                  css_class, @extschema@._html(title), h, h, @extschema@._html(title));
    IF n = 0 THEN
        out := out || '<text x="10" y="20" font-size="12">no data yet</text>';
    END IF;
    FOR i IN 1..n LOOP
        w := CASE WHEN max_val > 0 THEN 400.0 * coalesce(vals[i], 0) / max_val ELSE 0 END;
        out := out || format('<text x="0" y="%s" font-size="12">%s</text><rect x="180" y="%s" width="%s" height="16" fill="#3b7dd8"/><text x="%s" y="%s" font-size="12">%s%s</text>',
                             20 + 22 * (i - 1) + 12, @extschema@._html(left(labels[i], 28)), 20 + 22 * (i - 1),
                             round(greatest(w, 1)::numeric, 1), round((186 + w)::numeric, 1), 20 + 22 * (i - 1) + 12,
                             coalesce(CASE WHEN unit = '' AND vals[i] = trunc(vals[i]) THEN vals[i]::bigint::text  -- counts
                                           ELSE round(vals[i]::numeric, 1)::text || unit END, 'no value'), '');
    END LOOP;
    RETURN out || '</svg></figure>';
END
$$;
COMMENT ON FUNCTION @extschema@._svg_bars(text, text[], double precision[], double precision, text, text) IS
'Internal: an inline SVG bar chart for mdm.quality_report_html.';

-- The page's parts, each a piece of HTML (the page: mdm.quality_report_html).
CREATE FUNCTION @extschema@._html_head(tbl regclass, summ jsonb) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    html text;
BEGIN
    html := '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Data quality: ' || @extschema@._html(tbl::text)
         || '</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}figure{margin:1em 0}'
         || 'figcaption{font-weight:bold;margin-bottom:.3em}table{border-collapse:collapse}'
         || 'td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}.score{font-size:1.4em;margin-right:1.5em}</style></head><body>'
         || '<h1>Data quality of ' || @extschema@._html(tbl::text) || '</h1>'
         || format('<p>%s rows; generated by customer_mdm at %s.</p>', summ ->> 'rows', @extschema@._html(now()::text))
         || '<p>' || format('<span class="score">completeness %s</span><span class="score">validity %s</span><span class="score">uniqueness %s</span><span class="score">freshness %s</span>',
                            coalesce(summ ->> 'completeness', '-'), coalesce(summ ->> 'validity', '-'),
                            coalesce(summ ->> 'uniqueness', '-'), coalesce(summ ->> 'freshness', '-')) || '</p>'
         || format('<p>Duplicate pairs: %s pending, %s confirmed, %s rejected; merges: %s done, %s undone.</p>',
                   summ #>> '{pairs,pending}', summ #>> '{pairs,confirmed}', summ #>> '{pairs,rejected}',
                   summ #>> '{merges,done}', summ #>> '{merges,undone}');
    IF jsonb_array_length(summ -> 'unmapped_roles') > 0 THEN
        html := html || '<p>Roles not mapped, left out of the report: '
             || @extschema@._html((SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(summ -> 'unmapped_roles') x)) || '.</p>';
    END IF;
    RETURN html;
END
$$;
COMMENT ON FUNCTION @extschema@._html_head(regclass, jsonb) IS
'Internal: the head of mdm.quality_report_html (title, scores, pairs and merges, unmapped roles).';

CREATE FUNCTION @extschema@._html_columns(tot jsonb, bysrc jsonb) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    labels text[];
    vals float8[];
    html text;
BEGIN
    SELECT array_agg(q.role || ' (' || q.column_name || ')' ORDER BY q.role, q.column_name),
           array_agg(CASE WHEN q.rows > 0 THEN 100.0 * q.filled / q.rows ELSE 0 END ORDER BY q.role, q.column_name)
      INTO labels, vals FROM jsonb_to_recordset(tot) AS q(role text, column_name text, rows bigint, filled bigint, valid bigint);
    html := @extschema@._svg_bars('Completeness per column (% filled)', labels, vals, 100, '%', 'completeness');
    SELECT array_agg(q.role || ' (' || q.column_name || ')' ORDER BY q.role, q.column_name),
           array_agg(CASE WHEN q.filled > 0 THEN 100.0 * q.valid / q.filled ELSE 0 END ORDER BY q.role, q.column_name)
      INTO labels, vals FROM jsonb_to_recordset(tot) AS q(role text, column_name text, rows bigint, filled bigint, valid bigint)
     WHERE q.valid IS NOT NULL;
    html := html || @extschema@._svg_bars('Validity per column (% of filled values valid)', labels, vals, 100, '%', 'validity');
    SELECT array_agg(s.source ORDER BY s.source), array_agg(s.pct ORDER BY s.source) INTO labels, vals
      FROM (SELECT coalesce(b.source, '(none)') AS source,
                   CASE WHEN sum(b.filled) FILTER (WHERE b.valid IS NOT NULL) > 0
                        THEN 100.0 * sum(b.valid) FILTER (WHERE b.valid IS NOT NULL) / sum(b.filled) FILTER (WHERE b.valid IS NOT NULL) END AS pct
              FROM jsonb_to_recordset(bysrc) AS b(source text, filled bigint, valid bigint) GROUP BY 1) s;
    html := html || @extschema@._svg_bars('Validity per source (% of filled, validated values)', labels, vals, 100, '%', 'sources');
    -- The figures per source: rows, completeness (mean filled share of the
    -- mapped columns but the source itself), validity.
    RETURN html || '<h2>Figures per source</h2><table class="per-source"><tr><th>source</th><th>rows</th>'
         || '<th>completeness %</th><th>validity %</th></tr>'
         || coalesce((SELECT string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
                                               @extschema@._html(coalesce(s.source, '(none)')), s.rows,
                                               coalesce(round(s.completeness, 1)::text, '-'),
                                               coalesce(round(s.validity, 1)::text, '-')), '' ORDER BY s.source NULLS FIRST)
                        FROM (SELECT b.source, max(b.rows) AS rows,
                                     100.0 * avg(CASE WHEN b.rows > 0 THEN b.filled::numeric / b.rows END)
                                         FILTER (WHERE b.role <> 'source') AS completeness,
                                     CASE WHEN sum(b.filled) FILTER (WHERE b.valid IS NOT NULL) > 0
                                          THEN 100.0 * sum(b.valid) FILTER (WHERE b.valid IS NOT NULL)
                                               / sum(b.filled) FILTER (WHERE b.valid IS NOT NULL) END AS validity
                                FROM jsonb_to_recordset(bysrc) AS b(source text, role text, rows bigint, filled bigint, valid bigint)
                               GROUP BY b.source) s), '')
         || '</table>';
END
$$;
COMMENT ON FUNCTION @extschema@._html_columns(jsonb, jsonb) IS
'Internal: the column and source charts and the table of figures per source of mdm.quality_report_html.';

CREATE FUNCTION @extschema@._html_duplicates(tbl regclass) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    labels text[];
    vals float8[];
    html text;
    thr float8;
BEGIN
    SELECT array_agg(s.size::text ORDER BY s.size), array_agg(s.n::float8 ORDER BY s.size) INTO labels, vals
      FROM (SELECT c.cluster_size AS size, count(*) AS n FROM @extschema@.cluster c WHERE c.tbl = _html_duplicates.tbl GROUP BY 1) s;
    html := @extschema@._svg_bars('Duplicate clusters by size (records per cluster)', labels, vals,
                                  (SELECT max(v) FROM unnest(vals) v), '', 'clusters');
    -- Every tenth of the probability scale, the one holding the threshold marked.
    SELECT g.threshold INTO thr FROM @extschema@.registration g WHERE g.tbl = _html_duplicates.tbl;
    SELECT array_agg(format('%s-%s%s', round(b / 10.0, 1), round((b + 1) / 10.0, 1),
                            CASE WHEN thr >= b / 10.0 AND (thr < (b + 1) / 10.0 OR b = 9) THEN ' ◀ threshold' ELSE '' END) ORDER BY b),
           array_agg(coalesce(s.n, 0)::float8 ORDER BY b) INTO labels, vals
      FROM generate_series(0, 9) AS b
      LEFT JOIN (SELECT least(floor(p.match_probability * 10)::int, 9) AS k, count(*) AS n FROM @extschema@.pair p
                  WHERE p.tbl = _html_duplicates.tbl GROUP BY 1) s ON s.k = b;
    RETURN html || @extschema@._svg_bars(format('Match probabilities of the stored pairs (threshold %s)', thr),
                                         labels, vals, (SELECT max(v) FROM unnest(vals) v), '', 'probabilities');
END
$$;
COMMENT ON FUNCTION @extschema@._html_duplicates(regclass) IS
'Internal: the charts of duplicate clusters by size and of the stored pairs'' match probabilities of mdm.quality_report_html.';

CREATE FUNCTION @extschema@._html_problems(tbl regclass, tot jsonb) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    labels text[];
    vals float8[];
    rows_html text := '';
    r record;
BEGIN
    FOR r IN SELECT q.role, q.column_name, q.filled, q.rows, q.valid, array_to_string(q.examples, ', ') AS examples
               FROM jsonb_to_recordset(tot) AS q(role text, column_name text, rows bigint, filled bigint, valid bigint,
                                                 examples text[])
              WHERE q.filled < q.rows OR q.valid < q.filled
              ORDER BY (q.rows - q.filled) + coalesce(q.filled - q.valid, 0) DESC, q.role LIMIT 5 LOOP
        rows_html := rows_html || format('<tr><td>%s (%s)</td><td>%s missing, %s invalid</td><td>%s</td></tr>',
                                         @extschema@._html(r.role), @extschema@._html(r.column_name), r.rows - r.filled,
                                         coalesce((r.filled - r.valid)::text, '-'), @extschema@._html(r.examples));
    END LOOP;
    SELECT array_agg(to_char(h.taken_at, 'YYYY-MM-DD HH24:MI') ORDER BY h.snapshot_id),
           array_agg(100 * coalesce(h.completeness, 0) ORDER BY h.snapshot_id) INTO labels, vals
      FROM (SELECT * FROM @extschema@.quality_history q WHERE q.tbl = _html_problems.tbl ORDER BY q.snapshot_id DESC LIMIT 20) h;
    RETURN '<h2>Top problems</h2><table class="problems"><tr><th>column</th><th>problem</th><th>example record ids</th></tr>'
         || rows_html || '</table>'
         || @extschema@._svg_bars('Trend: completeness at each snapshot (%)', labels, vals, 100, '%', 'trend');
END
$$;
COMMENT ON FUNCTION @extschema@._html_problems(regclass, jsonb) IS
'Internal: the top problems with example record ids and the trend over the snapshots of mdm.quality_report_html.';

CREATE FUNCTION @extschema@.quality_report_html(tbl regclass) RETURNS text
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    allq jsonb := (SELECT coalesce(jsonb_agg(to_jsonb(q)), '[]') FROM @extschema@._quality_rows(tbl, true) q);
    tot jsonb := (SELECT coalesce(jsonb_agg(e), '[]') FROM jsonb_array_elements(allq) e WHERE (e ->> 'total')::boolean);
    bysrc jsonb := (SELECT coalesce(jsonb_agg(e), '[]') FROM jsonb_array_elements(allq) e WHERE NOT (e ->> 'total')::boolean);
    summ jsonb := @extschema@._quality_summary(tbl, '365 days', tot);
BEGIN
    RETURN @extschema@._html_head(tbl, summ) || @extschema@._html_columns(tot, bysrc)
        || @extschema@._html_duplicates(tbl) || @extschema@._html_problems(tbl, tot) || '</body></html>';
END
$$;
COMMENT ON FUNCTION @extschema@.quality_report_html(regclass) IS
'One self-contained HTML page (inline SVG charts, no script, nothing loaded from anywhere) with the quality of a registered table: the scores, completeness and validity per column, validity per source and a table of the figures per source (rows, completeness, validity), duplicate clusters by size, a histogram of the stored pairs'' match probabilities with the threshold''s tenth marked, the top problems with example record ids, and the trend over the snapshots. Every value is HTML-escaped. Use: psql -XAtc "select mdm.quality_report_html(''customers'')" > report.html';

COMMENT ON FUNCTION @extschema@.quality_report(regclass) IS
'Data quality of a registered table per mapped role and column: rows, filled (a value that is not blank), filled_pct, valid (phone, e-mail, resident ID / credit code validators; NULL for roles without one), valid_pct (of the filled values), distinct_normalized (distinct values after normalization: a phone written four ways counts once). Unmapped roles are listed with the note "not mapped: left out". An empty table gives zeros.';
COMMENT ON FUNCTION @extschema@.quality_by_source(regclass) IS
'mdm.quality_report per value of the source role (the channel), so that the channel producing bad data stands out.';
COMMENT ON FUNCTION @extschema@.quality_summary(regclass, interval) IS
'Overall quality scores of a registered table as jsonb (0..1): completeness (mean filled share of the mapped columns), validity (valid share of the filled, validated values), uniqueness (1 - the share of records in duplicate clusters), freshness (the share updated within fresh_within, default 365 days, from the updated_at role; null when it is not mapped), with the duplicate pairs by status, merges done and undone, and the unmapped roles.';
COMMENT ON FUNCTION @extschema@.snapshot_quality(regclass) IS
'Stores the table''s mdm.quality_summary with the time (mdm.quality_snapshot, listed by mdm.quality_history); returns the snapshot id. Schedule it with cron or pg_cron.';
COMMENT ON FUNCTION @extschema@._mappable_roles() IS
'Internal: what mdm.register''s fields can map, in order: the roles (name, company, phone, email, address, id_number, birth_date, kind, updated_at), then source. The quality reports list the unmapped ones.';
