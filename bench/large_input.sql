-- bench/large_input.sql: the time each function takes on one 1 MB input
-- (median of 3 calls after a warm-up), to state the bound for huge values. Run by
-- bench/functions.sh.
\i bench/median.sql
\pset footer off
SELECT f AS "function on a 1 MB input", input AS "input (repeated)",
       round(pg_temp.median_ms(format('SELECT (%s($1))::text', f), 3, repeat(input, (1048576 / octet_length(input))::int))::numeric, 1) AS "median ms"
  FROM (VALUES
    ('mdm.normalize_text', '張偉 ＡＢＣ '), ('mdm.normalize_name', '張偉 John '), ('mdm.normalize_company', '華為技術有限公司'),
    ('mdm.normalize_address', '北京市朝阳区建国路八十八号'), ('mdm.normalize_phone', '+86 138 '),
    ('mdm.normalize_email', 'zhang.wei'), ('mdm.email_key', 'a.b+c@gmail.com '), ('mdm.fingerprint', 'Tom Cruise 华为 '),
    ('mdm.ngram_fingerprint', 'Tom Cruise 华为 '), ('mdm.pinyin', '张伟华为'), ('mdm.name_keys', '曾单解重'),
    ('mdm.normalize_id_number', '1101 0519 '), ('mdm.is_valid_cn_resident_id', '1101 0519 '),
    ('mdm.is_valid_credit_code', '9135 0100 '), ('mdm.is_valid_email', 'a@b.c '), ('mdm.is_valid_phone', '138 ')
  ) AS t(f, input)
 ORDER BY 1;
