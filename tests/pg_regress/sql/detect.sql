-- Registered tables and batch detection: mdm.register, the blocking keys and
-- their trigger, mdm.find_duplicates (full and incremental), clusters under
-- decisions, mdm.train, the analyst views, and the errors a DBA can meet.

-- A customer table as CRMs have them: several channels, one customer written
-- several ways. true_entity is the ground truth (not mapped).
CREATE TABLE customers (
    customer_id bigint PRIMARY KEY,
    source      text,
    kind        text,
    full_name   text,
    company     text,
    phone       text,
    mobile      bigint,
    email       text,
    address     text,
    id_number   text,
    born        date,
    updated_at  timestamptz,
    true_entity int
);
INSERT INTO customers VALUES
 (1, 'web',    'person',  '张伟',          '北京华为技术有限公司',    '+86 138 0013 8000', NULL,        'zhang.wei@example.com',  '北京市朝阳区建国路88号', NULL, '1985-03-02', '2026-01-05', 1),
 (2, 'wechat', 'person',  '張偉',          '華為技術有限公司',        NULL,                13800138000, 'ZHANG.WEI@EXAMPLE.COM',  '北京朝阳区建国路88号',   NULL, NULL,         '2026-02-01', 1),
 (3, 'event',  'person',  'Zhang Wei',     'Huawei Technologies',     '138-0013-8000',     NULL,        NULL,                     NULL,                     NULL, '1985-03-02', NULL,         1),
 (4, 'erp',    'person',  '李娜',          '上海浦东发展银行',        '0086-139-1234-5678', NULL,       'li.na@spdb.example.cn',  '上海市浦东新区陆家嘴环路1000号', NULL, NULL, NULL,          2),
 (5, 'web',    'person',  'Li Na',         NULL,                      '13912345678',       NULL,        'Li.Na@SPDB.example.cn',  NULL,                     NULL, NULL,         NULL,         2),
 (6, 'web',    'person',  '王芳',          '上海银行',                '13912340000',       NULL,        'wangfang@example.com',   '上海市黄浦区南京东路1号', NULL, NULL,        NULL,         3),
 (7, 'event',  'person',  '王芳',          '深圳腾讯',                '13800001111',       NULL,        'fang.w@example.org',     '深圳市南山区科技园',     NULL, NULL,         NULL,         4),
 (8, 'erp',    'company', '深圳市腾讯计算机系统有限公司', NULL,       '0755-86013388',     NULL,        NULL,                     '深圳市南山区科技园',     '91440300708461136T', NULL, NULL, 5),
 (9, 'web',    NULL,      '腾讯计算机系统有限公司', NULL,             '+86 755 8601 3388', NULL,        NULL,                     NULL,                     '91440300708461136T', NULL, NULL, 5),
 (10, 'web',   'person',  'John Smith',    'Acme Ltd',                '+44 20 7946 0958',  NULL,        'john.smith@acme.example', '221B Baker Street, London', NULL, '1970-01-31', NULL,     6),
 (11, 'event', 'person',  'SMITH, John',   'ACME Limited',            '020 7946 0958',     NULL,        'j.smith@acme.example',   NULL,                     NULL, '1970-01-31', NULL,         6),
 (12, 'web',   'person',  '赵敏',          NULL,                      '13700000001',       NULL,        NULL,                     NULL,                     NULL, NULL,         NULL,         7);

-- Registration: roles → columns (a role may list several columns).
SELECT mdm.register('customers', '{
    "name": "full_name", "company": "company", "phone": ["phone", "mobile"], "email": "email",
    "address": "address", "id_number": "id_number", "birth_date": "born", "kind": "kind",
    "updated_at": "updated_at", "source": "source"}');

SELECT tbl, key_column, key_type, fields, threshold, model_source
  FROM mdm.registration ORDER BY tbl::text;

-- Every record's blocking keys, kept in mdm.record_keys. The organisation's
-- name (kind company, or a legal form) is compared, and blocked, as a company.
SELECT record_id, keys FROM mdm.record_keys
 WHERE tbl = 'customers'::regclass AND record_id IN ('1', '3', '8', '9') ORDER BY record_id;

-- The pure functions the trigger uses.
SELECT mdm.role_record('{"name": ["full_name"], "phone": ["phone", "mobile"], "kind": ["kind"]}',
                       '{"full_name": "北京华为技术有限公司", "phone": null, "mobile": 13800138000}');
SELECT mdm.blocking_keys('{"name": "张伟", "phone": "13800138000"}');
SELECT mdm.blocking_keys('{}') AS no_keys, mdm.blocking_keys(NULL) AS null_in;

-- Any record's candidates are an index lookup away (GIN on keys).
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT tbl, record_id FROM mdm.record_keys
 WHERE keys && mdm.blocking_keys('{"name": "张伟", "phone": "13800138000"}');
RESET enable_seqscan;

-- Batch detection: the number of pairs stored.
SET client_min_messages = warning;
SELECT mdm.find_duplicates('customers');
RESET client_min_messages;

SELECT id_a, id_b, round(match_probability::numeric, 4) AS p, status, explanation->>'explanation' AS explanation
  FROM mdm.duplicate_pairs WHERE tbl = 'customers'::regclass ORDER BY id_a, id_b;

-- Every stored pair is a true duplicate, and every true duplicate is found.
SELECT count(*) FILTER (WHERE a.true_entity = b.true_entity) AS true_pairs_found,
       count(*) FILTER (WHERE a.true_entity <> b.true_entity) AS false_pairs,
       (SELECT count(*) FROM customers x JOIN customers y ON x.true_entity = y.true_entity AND x.customer_id < y.customer_id) AS true_pairs
  FROM mdm.pair p JOIN customers a ON a.customer_id = p.id_a::bigint JOIN customers b ON b.customer_id = p.id_b::bigint
 WHERE p.tbl = 'customers'::regclass;

SELECT cluster_id, record_id, cluster_size, weakest_a, weakest_b, round(weakest_probability::numeric, 4) AS weakest_p
  FROM mdm.duplicate_clusters WHERE tbl = 'customers'::regclass ORDER BY cluster_id, record_id;

SELECT last_run->'mode' AS mode, last_run->'records_read' AS records, last_run->'candidate_pairs' AS candidates,
       last_run->'pairs_stored' AS stored, last_run->'clusters' AS clusters, last_run->'capped_keys' AS capped
  FROM mdm.registration WHERE tbl = 'customers'::regclass;

-- Running it again changes nothing and compares nothing.
SET client_min_messages = warning;
SELECT mdm.find_duplicates('customers');
RESET client_min_messages;
SELECT last_run->'mode' AS mode, last_run->'records_read' AS records, last_run->'pairs_stored' AS stored
  FROM mdm.registration WHERE tbl = 'customers'::regclass;

-- The trigger keeps keys current; only changed records are compared again.
INSERT INTO customers (customer_id, source, kind, full_name, mobile, true_entity)
VALUES (13, 'web', 'person', '赵敏', 13700000001, 7);
UPDATE customers SET email = 'Li.Na@SPDB.example.cn' WHERE customer_id = 5;     -- the same value: no change
UPDATE customers SET phone = '13912345678' WHERE customer_id = 6;              -- 李娜's mobile, but another name
UPDATE customers SET true_entity = 3 WHERE customer_id = 6;                    -- unmapped column: no change
SELECT record_id FROM mdm.changed_record WHERE tbl = 'customers'::regclass ORDER BY record_id;
SET client_min_messages = warning;
SELECT mdm.find_duplicates('customers');
RESET client_min_messages;
SELECT last_run->'mode' AS mode, last_run->'records_read' AS records, last_run->'changed_records' AS changed
  FROM mdm.registration WHERE tbl = 'customers'::regclass;
SELECT id_a, id_b, round(match_probability::numeric, 4) AS p
  FROM mdm.duplicate_pairs WHERE tbl = 'customers'::regclass AND (id_a IN ('6', '12', '13') OR id_b IN ('6', '12', '13'))
 ORDER BY id_a, id_b;
-- A deleted record takes its keys and pairs with it.
DELETE FROM customers WHERE customer_id = 13;
SELECT count(*) AS keys_of_13 FROM mdm.record_keys WHERE tbl = 'customers'::regclass AND record_id = '13';
SELECT count(*) AS pairs_of_13 FROM mdm.pair WHERE tbl = 'customers'::regclass AND '13' IN (id_a, id_b);
UPDATE customers SET phone = '13912340000' WHERE customer_id = 6;

-- Decisions: a cannot-link splits a cluster, directly and transitively; a
-- must-link joins records detection did not pair.
SELECT mdm.mark_distinct('customers', 1, 3);
SELECT cluster_id, string_agg(record_id, ',' ORDER BY record_id) AS records
  FROM mdm.duplicate_clusters WHERE tbl = 'customers'::regclass GROUP BY cluster_id ORDER BY cluster_id;
SELECT mdm.mark_duplicate('customers', 7, 8);
SELECT id_a, id_b, status, decided_by IS NOT NULL AS has_author
  FROM mdm.duplicate_pairs WHERE tbl = 'customers'::regclass AND status <> 'pending' ORDER BY id_a, id_b;
SELECT cluster_id, string_agg(record_id, ',' ORDER BY record_id) AS records, max(weakest_probability) AS weakest
  FROM mdm.duplicate_clusters WHERE tbl = 'customers'::regclass GROUP BY cluster_id ORDER BY cluster_id;
SELECT mdm.clear_decision('customers', 1, 3);
SELECT mdm.clear_decision('customers', 8, 7);
SELECT count(*) AS decisions FROM mdm.decision WHERE tbl = 'customers'::regclass;
SELECT mdm.mark_duplicate('customers', 1, 1);
SELECT mdm.mark_duplicate('customers', 1, 999);

-- Training: u from random pairs, m by EM, the prior, term frequencies; the
-- model is stored and find_duplicates uses it.
SET client_min_messages = warning;
SELECT jsonb_build_object(
         'name', m->>'name', 'records_used', m->'training'->'records_used',
         'sessions', jsonb_array_length(m->'training'->'sessions'),
         'prior_between_0_and_1', (m->>'prior')::float8 BETWEEN 0 AND 1,
         'levels', (SELECT count(*) FROM jsonb_each(m->'roles') r, jsonb_array_elements(r.value->'levels')))
  FROM mdm.train('customers') AS m;
SELECT model_source, trained_at IS NOT NULL AS trained FROM mdm.registration WHERE tbl = 'customers'::regclass;
SELECT mdm.find_duplicates('customers') > 0 AS found_pairs;
RESET client_min_messages;
SELECT last_run->'mode' AS mode FROM mdm.registration WHERE tbl = 'customers'::regclass;

-- Blocking statistics, and a small max_block_size that caps blocks.
SELECT key_kind, keys, blocks, largest_block, cap, capped_blocks
  FROM mdm.blocking_stats WHERE tbl = 'customers'::regclass ORDER BY key_kind;
SELECT mdm.register('customers', '{"name": "full_name", "phone": ["phone", "mobile"], "email": "email"}',
                    '{"max_block_size": 2, "threshold": 0.9}');
SELECT count(*) AS registrations FROM mdm.registration WHERE tbl = 'customers'::regclass;
SET client_min_messages = warning;
SELECT mdm.find_duplicates('customers');
RESET client_min_messages;
SELECT key, records FROM mdm.capped_key WHERE tbl = 'customers'::regclass ORDER BY key;

-- Nothing is in progress now (mdm.progress shows running jobs of any session).
SELECT count(*) FROM mdm.progress;

-- TRUNCATE empties the keys and pairs; decisions stay.
TRUNCATE customers;
SELECT (SELECT count(*) FROM mdm.record_keys WHERE tbl = 'customers'::regclass) AS keys,
       (SELECT count(*) FROM mdm.pair WHERE tbl = 'customers'::regclass) AS pairs;

-- Any primary-key type; hostile names are quoted.
CREATE TABLE "Odd ""Table""; x" ("Customer ID" uuid PRIMARY KEY, "Full. Name" text, "Phone;" text);
INSERT INTO "Odd ""Table""; x" VALUES
 ('00000000-0000-0000-0000-000000000001', '张伟', '13800138000'),
 ('00000000-0000-0000-0000-000000000002', 'Zhang Wei', '+86 138 0013 8000');
SELECT mdm.register('"Odd ""Table""; x"', '{"name": "Full. Name", "phone": "Phone;"}');
SET client_min_messages = warning;
SELECT mdm.find_duplicates('"Odd ""Table""; x"');
RESET client_min_messages;
SELECT id_a, id_b FROM mdm.duplicate_pairs WHERE tbl = '"Odd ""Table""; x"'::regclass;
SELECT mdm.mark_distinct('"Odd ""Table""; x"', '00000000-0000-0000-0000-000000000002'::uuid, '00000000-0000-0000-0000-000000000001'::uuid);
SELECT id_a, id_b, status FROM mdm.duplicate_pairs WHERE tbl = '"Odd ""Table""; x"'::regclass;
CREATE TABLE text_keyed (code text PRIMARY KEY, name text);
SELECT mdm.register('text_keyed', '{"name": "name"}');
SELECT mdm.mark_duplicate('text_keyed', 'a', 'b');
INSERT INTO text_keyed VALUES ('a', '张伟'), ('b', 'Wei Zhang');
SELECT mdm.mark_duplicate('text_keyed', 'a', 'b');
SELECT id_a, id_b, status FROM mdm.duplicate_pairs WHERE tbl = 'text_keyed'::regclass;

-- Bad input.
\set VERBOSITY default
CREATE TABLE no_key (name text);
SELECT mdm.register('no_key', '{"name": "name"}');
CREATE TABLE two_keys (a int, b int, name text, PRIMARY KEY (a, b));
SELECT mdm.register('two_keys', '{"name": "name"}');
CREATE TABLE date_keyed (d date PRIMARY KEY, name text);
SELECT mdm.register('date_keyed', '{"name": "name"}');
SELECT mdm.register('text_keyed', '{"name": "nom"}');
SELECT mdm.register('text_keyed', '{"fax": "name"}');
SELECT mdm.register('text_keyed', '{"kind": "name"}');
SELECT mdm.register('text_keyed', '{"name": "name"}', '{"threshold": 1.5}');
SELECT mdm.register('text_keyed', '{"name": "name"}', '{"treshold": 0.5}');
SELECT mdm.register('text_keyed', '{"name": "name"}', '{"mode": "link"}');
SELECT mdm.register('text_keyed', '{"name": "name"}', '{"model": {"prior": 2}}');
CREATE TABLE typed (id int PRIMARY KEY, name text, phones text[], doc jsonb, seen date, n int);
SELECT mdm.register('typed', '{"name": "name", "phone": "phones"}');
SELECT mdm.register('typed', '{"name": "name", "email": "doc"}');
SELECT mdm.register('typed', '{"name": "name", "updated_at": "n"}');
SELECT mdm.register('typed', '{"name": "name", "phone": "n", "updated_at": "seen"}');
CREATE VIEW a_view AS SELECT * FROM typed;
SELECT mdm.register('a_view', '{"name": "name"}');
SELECT mdm.find_duplicates('no_key');
SELECT mdm.train('no_key');
SELECT mdm.mark_duplicate('no_key', 1, 2);
SELECT mdm.unregister('no_key');
SELECT mdm.find_duplicates(NULL);
\set VERBOSITY terse

-- Unregister and DROP TABLE clean up.
SELECT mdm.unregister('typed');
DROP TABLE text_keyed;
SELECT tbl FROM mdm.registration ORDER BY tbl::text;
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgname LIKE 'mdm_record_keys%' AND tgrelid = 'typed'::regclass;
