-- bench/functions_time.sql: times `SELECT count(f(col)) FROM bench_rows` for
-- customer_mdm's functions and PostgreSQL's own on the same rows, each
-- :runs times, and reports the median. Per-call cost subtracts the cost of
-- the bare scan, `count(col)`. Run by bench/functions.sh.
\i bench/median.sql

CREATE TEMP TABLE bench_result (expr text, family text, ms float8);
INSERT INTO bench_result
SELECT e.expr, e.family, pg_temp.median_ms(format('SELECT count(%s) FROM bench_rows', e.expr), :runs)
  FROM (VALUES
    ('name',                          'scan'),
    ('email',                         'scan'),
    ('phone',                         'scan'),
    ('company',                       'scan'),
    ('lower(name)',                   'peer'),
    ('lower(email)',                  'peer'),
    ('unaccent(name)',                'peer'),
    ('dmetaphone(name)',              'peer'),
    ('mdm.normalize_text(name)',      'mdm'),
    ('mdm.normalize_name(name)',      'mdm'),
    ('mdm.normalize_email(email)',    'mdm'),
    ('mdm.email_key(email)',          'mdm'),
    ('mdm.normalize_phone(phone)',    'mdm'),
    ('mdm.phone_type(phone)',         'mdm'),
    ('mdm.normalize_company(company)','mdm'),
    ('mdm.fingerprint(company)',      'mdm'),
    ('mdm.ngram_fingerprint(company)','mdm'),
    ('mdm.pinyin(name)',              'mdm'),
    ('mdm.name_keys(name)',           'mdm')
  ) AS e(expr, family);

\pset footer off
WITH r AS (
    SELECT expr, family, ms,
           CASE WHEN family = 'scan' THEN expr ELSE substring(expr FROM '\(([a-z]+)\)') END AS col
      FROM bench_result
), c AS (
    SELECT r.*, (r.ms - s.ms) * 1000 / 1e6 AS us
      FROM r JOIN bench_result s ON s.expr = r.col
)
SELECT c.expr AS "expression (1M rows)",
       round(c.ms::numeric, 0) AS "median ms",
       CASE WHEN c.family <> 'scan' THEN round(c.us::numeric, 3) END AS "µs per call",
       CASE WHEN c.family <> 'scan' THEN round((c.us / nullif(l.us, 0))::numeric, 2) END AS "× lower(same column)"
  FROM c LEFT JOIN c l ON l.expr = 'lower(' || c.col || ')'
 ORDER BY CASE c.family WHEN 'scan' THEN 0 WHEN 'peer' THEN 1 ELSE 2 END, c.expr;
