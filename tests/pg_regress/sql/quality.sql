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
       h LIKE '%Roles not mapped, left out of the report: address, birth_date, company, kind.%' AS says_unmapped
  FROM report;

-- An empty table: zeros, no division by zero.
TRUNCATE q_customers;
SELECT role, rows, filled, filled_pct, valid, valid_pct, distinct_normalized
  FROM mdm.quality_report('q_customers') WHERE column_name IS NOT NULL ORDER BY role;
SELECT mdm.quality_summary('q_customers') - 'table';
SELECT length(mdm.quality_report_html('q_customers')) > 0 AS empty_table_report;

SELECT mdm.unregister('q_customers');
DROP TABLE q_customers;
