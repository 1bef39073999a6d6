-- Data quality: mdm.quality_report, mdm.quality_by_source,
-- mdm.quality_summary, mdm.snapshot_quality and mdm.quality_history.
\set SHOW_CONTEXT never
CREATE TABLE q_customers (
    id         int PRIMARY KEY,
    name       text,
    phone      text,
    email      text,
    id_number  text,
    source     text,
    updated_at timestamptz
);
INSERT INTO q_customers VALUES
 (1, '张伟', '+86 138 0013 8000', 'zhang.wei@example.com', '11010519491231002X', 'web', now() - interval '10 days'),
 (2, '張偉', '13800138000', 'ZHANG.WEI@example.com', NULL, 'wechat', now() - interval '400 days'),
 (3, 'Zhang Wei', '138-0013-8000', 'not an e-mail', '110105194912310021', 'wechat', NULL),
 (4, '<script>alert(1)</script>', '12345', NULL, '91350100M000100Y43', 'event', now()),
 (5, '  ', NULL, '', NULL, 'event', now());

-- Not registered yet.
SELECT * FROM mdm.quality_report('q_customers');
SELECT mdm.register('q_customers', '{"name": "name", "phone": "phone", "email": "email", "id_number": "id_number",
                                     "source": "source", "updated_at": "updated_at"}');

-- Per role and column; the four spellings of one phone count once; unmapped
-- roles are listed as such.
SELECT * FROM mdm.quality_report('q_customers') ORDER BY column_name NULLS LAST, role;
-- Per channel: event sends the invalid phone and the blank name.
SELECT * FROM mdm.quality_by_source('q_customers') WHERE role IN ('name', 'phone', 'email')
 ORDER BY source, role;

-- The summary, after detection.
SET client_min_messages = warning;  -- its NOTICE carries the run's seconds
SELECT mdm.find_duplicates('q_customers') > 0 AS found;
RESET client_min_messages;
SELECT mdm.quality_summary('q_customers') - 'table';
SELECT mdm.quality_summary('q_customers', '1 day') -> 'freshness' AS fresh_today;

-- Snapshots over time.
SELECT mdm.snapshot_quality('q_customers') > 0 AS stored;
SELECT mdm.snapshot_quality('q_customers') > 0 AS stored;
SELECT tbl, rows, completeness, validity, uniqueness, pairs_pending, merges
  FROM mdm.quality_history WHERE tbl = 'q_customers'::regclass ORDER BY snapshot_id;

-- The HTML report: one self-contained page, inline SVG charts, no script,
-- nothing loaded; values (here a source and an id) are HTML-escaped.
INSERT INTO q_customers VALUES (6, 'Li Na', NULL, NULL, NULL, '<script>alert(1)</script>', now());
CREATE TEMP TABLE report AS SELECT mdm.quality_report_html('q_customers') AS h;
SELECT h LIKE '<!DOCTYPE html>%' AS html_page,
       (length(h) - length(replace(h, '<svg', ''))) / 4 AS svg_charts,
       h LIKE '%&lt;script&gt;alert(1)&lt;/script&gt;%' AS value_escaped,
       h NOT LIKE '%<script%' AS no_script_element,
       h !~ '(src|href)=' AS loads_nothing,
       h LIKE '%Roles not mapped, left out of the report: address, birth_date, company, kind.%' AS says_unmapped,
       substring(h from '[0-9.]+-[0-9.]+ ◀ threshold') AS threshold_bucket
  FROM report;

-- The top problems, with example record ids: the first rows (in scan
-- order) whose value is missing or invalid.
SELECT regexp_replace(substring(h from '<h2>Top problems</h2>.*?</table>'), '</tr>', E'</tr>\n', 'g') AS top_problems
  FROM report;

-- The figures per source (the escaped source among them).
SELECT regexp_replace(substring(h from '<h2>Figures per source</h2>.*?</table>'), '</tr>', E'</tr>\n', 'g') AS per_source
  FROM report;

-- NULL in, nothing out.
SELECT count(*) AS rows_for_null FROM mdm.quality_report(NULL);
SELECT mdm.quality_summary(NULL) AS summary_of_null, mdm.quality_report_html(NULL) AS page_of_null,
       mdm.snapshot_quality(NULL) AS snapshot_of_null,
       (SELECT count(*) FROM mdm.quality_by_source(NULL)) AS by_source_rows_for_null;

-- An empty table: zeros, no division by zero.
TRUNCATE q_customers;
SELECT role, rows, filled, filled_pct, valid, valid_pct, distinct_normalized
  FROM mdm.quality_report('q_customers') WHERE column_name IS NOT NULL ORDER BY role;
SELECT mdm.quality_summary('q_customers') - 'table';
SELECT length(mdm.quality_report_html('q_customers')) > 0 AS empty_table_report;

SELECT mdm.unregister('q_customers');
DROP TABLE q_customers;

-- The figures come from one scan of the table measured on worker threads,
-- in batches. Over 12,000 rows (several batches), they agree with the
-- validators and normalizers called one by one from SQL: per source and
-- in total, filled, valid and distinct counts, and the example ids.
CREATE TABLE q_many (id int PRIMARY KEY, name text, company text, phone text, email text, id_number text,
                     address text, source text);
INSERT INTO q_many
SELECT i,
       CASE WHEN i % 13 = 0 THEN NULL WHEN i % 17 = 0 THEN '  ' WHEN i % 2 = 0 THEN '張偉' || (i % 300) ELSE '张伟' || (i % 300) || ' 先生' END,
       CASE i % 5 WHEN 0 THEN '北京华为技术有限公司' WHEN 1 THEN '华为技术（北京）有限公司' WHEN 2 THEN 'Acme ' || (i % 40) || ' Co., Ltd.' ELSE NULL END,
       CASE i % 6 WHEN 0 THEN '+86 138 ' || lpad((i % 900)::text, 4, '0') || ' 8000'
                  WHEN 1 THEN '138' || lpad((i % 900)::text, 4, '0') || '8000'
                  WHEN 2 THEN '０１０-' || (62000000 + i % 700)::text
                  WHEN 3 THEN 'call me ' || i
                  WHEN 4 THEN '+1 650 253 ' || lpad((i % 50)::text, 4, '0')
                  ELSE NULL END,
       CASE i % 4 WHEN 0 THEN 'User.' || (i % 800) || '@Example.com' WHEN 1 THEN 'user' || (i % 800) || '+tag@gmail.com'
                  WHEN 2 THEN 'not an address ' || (i % 10) ELSE NULL END,
       CASE i % 3 WHEN 0 THEN '11010519491231002X' WHEN 1 THEN '91350100M000100Y43' ELSE '1101051949123100' || (i % 100) END,
       CASE WHEN i % 9 = 0 THEN NULL ELSE '北京市朝阳区三里屯路' || (i % 60) || '号' END,
       (ARRAY['web', 'wechat', 'event', NULL, '<b>fair</b>'])[1 + i % 5]
  FROM generate_series(1, 12000) i;
SELECT mdm.register('q_many', '{"name": "name", "company": "company", "phone": "phone", "email": "email",
                                "id_number": "id_number", "address": "address", "source": "source"}');
CREATE FUNCTION pg_temp.measure(role text, v text, OUT filled boolean, OUT valid boolean, OUT norm text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT f, CASE WHEN role IN ('phone', 'email', 'id_number') THEN coalesce(f AND CASE role
               WHEN 'phone' THEN mdm.is_valid_phone(v, 'CN')
               WHEN 'email' THEN mdm.is_valid_email(v)
               ELSE mdm.is_valid_cn_resident_id(v) OR mdm.is_valid_credit_code(v) END, false) END,
           CASE role WHEN 'name' THEN mdm.normalize_name(v) WHEN 'company' THEN mdm.normalize_company(v)
                     WHEN 'phone' THEN coalesce(mdm.normalize_phone(v, 'CN'), mdm.normalize_text(v))
                     WHEN 'email' THEN coalesce(mdm.email_key(v), mdm.normalize_text(v))
                     WHEN 'address' THEN mdm.normalize_address(v) WHEN 'id_number' THEN mdm.normalize_id_number(v)
                     ELSE mdm.normalize_text(v) END
      FROM (SELECT v IS NOT NULL AND mdm.normalize_text(v) IS NOT NULL AS f) x
$$;
CREATE TEMP TABLE q_ref AS
WITH m AS (
    SELECT t.ctid AS pos, t.id, t.source, r.role, r.col, f.*
      FROM q_many t,
           LATERAL (VALUES ('name', 'name', t.name), ('company', 'company', t.company), ('phone', 'phone', t.phone),
                           ('email', 'email', t.email), ('id_number', 'id_number', t.id_number),
                           ('address', 'address', t.address), ('source', 'source', t.source)) AS r(role, col, v),
           LATERAL pg_temp.measure(r.role, r.v) f)
SELECT source, GROUPING(source) = 1 AS total, role, col AS column_name, count(*) AS rows,
       count(*) FILTER (WHERE filled) AS filled,
       CASE WHEN role IN ('phone', 'email', 'id_number') THEN count(*) FILTER (WHERE valid) END AS valid,
       count(DISTINCT norm) AS distinct_normalized,
       CASE WHEN GROUPING(source) = 1
            THEN (array_agg(id::text ORDER BY pos) FILTER (WHERE NOT filled OR NOT coalesce(valid, true)))[1:5] END AS examples
  FROM m GROUP BY GROUPING SETS ((source, role, col), (role, col));
SELECT (SELECT count(*) FROM mdm._quality_rows('q_many', true)) AS rust_rows,
       (SELECT count(*) FROM q_ref) AS sql_rows,
       (SELECT count(*) FROM (SELECT * FROM mdm._quality_rows('q_many', true) EXCEPT SELECT * FROM q_ref) d) AS only_rust,
       (SELECT count(*) FROM (SELECT * FROM q_ref EXCEPT SELECT * FROM mdm._quality_rows('q_many', true)) d) AS only_sql,
       (SELECT count(*) FROM (SELECT * FROM mdm._quality_rows('q_many', false)
                              EXCEPT SELECT * FROM q_ref WHERE total) d) AS only_rust_totals;
-- What the reference counts look like in total.
SELECT role, rows, filled, valid, distinct_normalized, examples FROM q_ref WHERE total ORDER BY role;
SELECT mdm.unregister('q_many');
DROP TABLE q_many;
