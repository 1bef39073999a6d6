-- Batch detection: the decisions in every key type, the analysts' views
-- (src/detect/). Loaded by extension_sql_file!; @extschema@ is the
-- extension's schema.
-- Decisions with ids of the table's key type.
CREATE FUNCTION @extschema@.mark_duplicate(tbl regclass, id_a anyelement, id_b anyelement) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a::text, id_b::text, 'duplicate') $$;
COMMENT ON FUNCTION @extschema@.mark_duplicate(regclass, anyelement, anyelement) IS
'Records that two rows of a registered table are the same customer (a must-link: the pair becomes confirmed and clustering always joins them), then re-clusters. Ids are primary-key values (bigint, uuid, text ...). Undo with mdm.clear_decision.';
CREATE FUNCTION @extschema@.mark_distinct(tbl regclass, id_a anyelement, id_b anyelement) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a::text, id_b::text, 'distinct') $$;
COMMENT ON FUNCTION @extschema@.mark_distinct(regclass, anyelement, anyelement) IS
'Records that two rows of a registered table are different customers (a cannot-link: the pair becomes rejected and no cluster ever holds both, directly or through other records), then re-clusters. Undo with mdm.clear_decision.';
CREATE FUNCTION @extschema@.clear_decision(tbl regclass, id_a anyelement, id_b anyelement) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a::text, id_b::text, NULL) $$;
COMMENT ON FUNCTION @extschema@.clear_decision(regclass, anyelement, anyelement) IS
'Removes the decision about a pair: a confirmed or rejected pair becomes pending again; re-clusters.';

-- Ids written as plain literals ('C-1001') resolve to these.
CREATE FUNCTION @extschema@.mark_duplicate(tbl regclass, id_a text, id_b text) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a, id_b, 'duplicate') $$;
COMMENT ON FUNCTION @extschema@.mark_duplicate(regclass, text, text) IS
'mdm.mark_duplicate for ids given as text (quoted literals): records a must-link between two rows of a registered table and re-clusters.';
CREATE FUNCTION @extschema@.mark_distinct(tbl regclass, id_a text, id_b text) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a, id_b, 'distinct') $$;
COMMENT ON FUNCTION @extschema@.mark_distinct(regclass, text, text) IS
'mdm.mark_distinct for ids given as text (quoted literals): records a cannot-link between two rows of a registered table and re-clusters.';
CREATE FUNCTION @extschema@.clear_decision(tbl regclass, id_a text, id_b text) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a, id_b, NULL) $$;
COMMENT ON FUNCTION @extschema@.clear_decision(regclass, text, text) IS
'mdm.clear_decision for ids given as text (quoted literals): the pair becomes pending again; re-clusters.';

-- Views for analysts.
CREATE VIEW @extschema@.duplicate_pairs AS
SELECT p.tbl, p.id_a, p.id_b, p.match_probability, p.match_weight, p.explanation,
       CASE d.decision WHEN 'duplicate' THEN 'confirmed' WHEN 'distinct' THEN 'rejected' ELSE 'pending' END AS status,
       p.found_at, d.decided_by, d.decided_at
  FROM @extschema@.pair p
  LEFT JOIN @extschema@.decision d USING (tbl, id_a, id_b)
UNION ALL
SELECT d.tbl, d.id_a, d.id_b, NULL, NULL, NULL,
       CASE d.decision WHEN 'duplicate' THEN 'confirmed' ELSE 'rejected' END,
       NULL, d.decided_by, d.decided_at
  FROM @extschema@.decision d
 WHERE NOT EXISTS (SELECT FROM @extschema@.pair p WHERE (p.tbl, p.id_a, p.id_b) = (d.tbl, d.id_a, d.id_b));
COMMENT ON VIEW @extschema@.duplicate_pairs IS
'Duplicate pairs of registered tables: the pairs mdm.find_duplicates stored (at or above the table''s threshold) with their match probability, match weight and explanation (sentence, and each role''s level, weight and compared values), and the pairs someone decided about. status: pending (no decision), confirmed (mdm.mark_duplicate) or rejected (mdm.mark_distinct).';

CREATE VIEW @extschema@.duplicate_clusters AS
SELECT m.tbl, m.cluster_id, m.record_id, c.cluster_size,
       c.weakest_a, c.weakest_b, c.weakest_probability
  FROM @extschema@.cluster_member m
  JOIN @extschema@.cluster c USING (tbl, cluster_id);
COMMENT ON VIEW @extschema@.duplicate_clusters IS
'Clusters of duplicate records (connected components over the pairs at or above the threshold, joined by must-links, never holding a cannot-linked pair): one row per record, with the cluster''s size and its weakest link (the least probable pair that joined it).';

CREATE VIEW @extschema@.blocking_stats AS
WITH k AS (
    SELECT r.tbl, key, split_part(key, ':', 1) AS key_kind, count(*) AS records
      FROM @extschema@.record_keys r, unnest(r.keys) AS key
     GROUP BY r.tbl, key
), c AS (
    SELECT k.*, @extschema@._key_cap(k.key_kind, b.max_block, b.n) AS cap
      FROM k JOIN (SELECT g.tbl, coalesce(g.max_block_size, current_setting('customer_mdm.max_block_size', true)::int, 100) AS max_block,
                          (SELECT count(*) FROM @extschema@.record_keys r WHERE r.tbl = g.tbl) AS n
                     FROM @extschema@.registration g) b USING (tbl)
)
SELECT tbl, key_kind, count(*) AS keys,
       count(*) FILTER (WHERE records >= 2) AS blocks,
       max(records) AS largest_block,
       round(avg(records) FILTER (WHERE records >= 2), 2) AS mean_block,
       min(cap) AS cap,
       coalesce(sum(records * (records - 1) / 2) FILTER (WHERE records <= cap), 0) AS pairs_in_blocks,
       count(*) FILTER (WHERE records > cap) AS capped_blocks,
       coalesce(sum(records) FILTER (WHERE records > cap), 0) AS records_in_capped_blocks
  FROM c
 GROUP BY tbl, key_kind;
COMMENT ON VIEW @extschema@.blocking_stats IS
'Blocking keys per table and kind (p phone, e e-mail, i ID, k ID half, n/t/j/dm name alone, c company, o organisation first word, a address prefix or end with initials, q phone half with initials, b birth date with an initial), computed from mdm.record_keys now: distinct keys, blocks (keys shared by two or more records), the largest block, the mean block, the cap (max_block_size; for the weak kinds n, t, j, dm, a, q, o a tenth of it, shrinking with the fourth root of the table size above 100,000 rows (6 at 1M), at least 3), the pairs the uncapped blocks make, and the capped blocks (more records than the cap: they make no pairs; their records meet through their other keys). mdm.capped_key lists the capped keys of the last run.';

CREATE VIEW @extschema@.progress AS
SELECT a.pid, a.usename, a.datname,
       p ->> 'command' AS command, p ->> 'table' AS tbl, p ->> 'phase' AS phase,
       (p ->> 'done')::bigint AS done, (p ->> 'total')::bigint AS total,
       round(100.0 * (p ->> 'done')::numeric / nullif((p ->> 'total')::numeric, 0), 1) AS percent,
       (p ->> 'rate_per_second')::float8 AS rate_per_second,
       (p ->> 'elapsed_seconds')::float8 AS elapsed_seconds
  FROM (SELECT s.pid, s.usename, s.datname,
               @extschema@._progress_of(s.query) AS p
          FROM pg_catalog.pg_stat_activity s) a
 WHERE a.p IS NOT NULL;
COMMENT ON VIEW @extschema@.progress IS
'Long customer_mdm runs (mdm.find_duplicates, mdm.train) in progress in any session: command, table, phase, items done of total, rate and elapsed seconds. Read from pg_stat_activity, where a running job shows its progress in place of its statement.';

COMMENT ON FUNCTION @extschema@.find_duplicates(regclass) IS
'Batch duplicate detection on a registered table: candidate pairs from shared blocking keys (oversized blocks capped), scored under the table''s model on customer_mdm.workers threads, pairs at or above the threshold stored (mdm.duplicate_pairs), records clustered under the decisions (mdm.duplicate_clusters). A second run with unchanged settings only compares the records changed since. Reports progress (NOTICE, mdm.progress). Returns the number of pairs stored for the table.';
COMMENT ON FUNCTION @extschema@.train(regclass) IS
'Trains the table''s match model without labels (as Splink does): u from random record pairs, m by expectation maximisation over blocked pairs, the prior from the expected matches, term frequencies of names and companies. Stores the model for mdm.find_duplicates and returns it (the training key reports what was done).';
COMMENT ON FUNCTION @extschema@._decide(regclass, text, text, text) IS
'Internal: records (duplicate, distinct) or clears (NULL) a decision about two records given as text, then re-clusters. Call mdm.mark_duplicate, mdm.mark_distinct or mdm.clear_decision.';
COMMENT ON FUNCTION @extschema@._progress_of(text) IS
'Internal: the progress a running customer_mdm job shows in its pg_stat_activity line (the JSON after the prefix customer_mdm progress), NULL for any other line. Read by the view mdm.progress.';
