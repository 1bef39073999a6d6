-- bench/similarity_time.sql: the per-call cost of customer_mdm's string
-- similarities against their peers on the same 1M pairs, median of :runs
-- runs: mdm.levenshtein against fuzzystrmatch's levenshtein,
-- mdm.jaro_winkler against pg_similarity's jarowinkler, mdm.jaccard against
-- pg_trgm's similarity. Run by bench/functions.sh.
\i bench/median.sql

CREATE TEMP TABLE sim_result (expr text, peer_of text, ms float8);
INSERT INTO sim_result
SELECT e.expr, e.peer_of, pg_temp.median_ms(format('SELECT count(%s) FROM bench_pairs', e.expr), :runs)
  FROM (VALUES
    ('a', NULL),
    ('levenshtein(a, b)',           'mdm.levenshtein(a, b)'),
    ('mdm.levenshtein(a, b)',       NULL),
    ('pgs.jarowinkler(a, b)',       'mdm.jaro_winkler(a, b)'),
    ('mdm.jaro_winkler(a, b)',      NULL),
    ('similarity(a, b)',            'mdm.jaccard(a, b)'),
    ('mdm.jaccard(a, b)',           NULL),
    ('mdm.damerau_levenshtein(a, b)', NULL),
    ('mdm.name_similarity(a, b)',   NULL)
  ) AS e(expr, peer_of);

\pset footer off
WITH base AS (SELECT ms FROM sim_result WHERE expr = 'a'),
c AS (SELECT r.expr, r.peer_of, r.ms, (r.ms - base.ms) * 1000 / 1e6 AS us FROM sim_result r, base WHERE r.expr <> 'a')
SELECT c.expr AS "expression (1M pairs)", round(c.ms::numeric, 0) AS "median ms",
       round(c.us::numeric, 3) AS "µs per call",
       round((m.us / nullif(c.us, 0))::numeric, 2) AS "mdm ÷ peer"
  FROM c LEFT JOIN c m ON m.expr = c.peer_of
 ORDER BY coalesce(c.peer_of, c.expr), c.peer_of IS NULL, c.expr;
