-- bench/similarity_data.sql: 1M pairs of short Chinese and Latin strings
-- (names from bench_rows), half of them near-duplicates (one character
-- changed, traditional/simplified, words swapped), half unrelated.
-- Deterministic (setseed). Run by bench/functions.sh after functions_data.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT setseed(0.4242) \g /dev/null
DROP TABLE IF EXISTS bench_pairs;
CREATE TABLE bench_pairs AS
SELECT r.g,
       r.name AS a,
       CASE WHEN r.g % 2 = 1 THEN o.name
            WHEN r.g % 6 = 0 THEN overlay(r.name PLACING substr('张王李伟芳娜xyzabc', 1 + (r.g / 6) % 12, 1)
                                          FROM 1 + (r.g / 7) % greatest(length(r.name), 1) FOR 1)
            WHEN r.g % 6 = 2 THEN translate(r.name, '张陈刘伟静丽', '張陳劉偉靜麗')
            ELSE coalesce(split_part(r.name, ' ', 2) || ' ' || split_part(r.name, ' ', 1), r.name) END AS b
  FROM bench_rows r
  JOIN bench_rows o ON o.g = 1 + (r.g::bigint * 7919) % 1000000;
ALTER TABLE bench_pairs SET (parallel_workers = 0);
VACUUM ANALYZE bench_pairs;
