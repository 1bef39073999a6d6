-- bench/compare_time.sql: the per-call cost of mdm.compare on 200k pairs of
-- 6-role records (bench_record_pairs), with the built-in model and with a
-- model passed as an argument, median of :runs runs; and, as a sanity check
-- of the default model, how many pairs of each kind it calls a match.
-- Run by bench/functions.sh.
\i bench/median.sql

CREATE TEMP TABLE cmp_result (expr text, ms float8);
INSERT INTO cmp_result
SELECT e.expr, pg_temp.median_ms(format('SELECT count(%s) FROM bench_record_pairs', e.expr), :runs)
  FROM (VALUES
    ('b'),
    ('mdm.compare(a, b)'),
    ('mdm.compare(a, b, mdm.default_model())')
  ) AS e(expr);

\pset footer off
WITH base AS (SELECT ms FROM cmp_result WHERE expr = 'b'),
n AS (SELECT count(*) AS pairs FROM bench_record_pairs)
SELECT r.expr AS "expression (200k pairs of 6-role records)", round(r.ms::numeric, 0) AS "median ms",
       round(((r.ms - base.ms) * 1000 / n.pairs)::numeric, 2) AS "µs per call"
  FROM cmp_result r, base, n
 WHERE r.expr <> 'b'
 ORDER BY r.expr;

SELECT CASE WHEN same_customer THEN 'same customer, another channel' ELSE 'two unrelated rows' END AS "pairs",
       count(*) AS "n",
       count(*) FILTER (WHERE (c->>'match_probability')::float8 >= 0.5) AS "called a match (p >= 0.5)",
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY (c->>'match_weight')::float8)::numeric, 1) AS "median weight"
  FROM (SELECT same_customer, mdm.compare(a, b) AS c FROM bench_record_pairs) s
 GROUP BY same_customer
 ORDER BY same_customer DESC;
