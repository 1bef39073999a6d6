-- Merging: CALL mdm.merge (locks, golden record under survivorship rules,
-- every referencing foreign key re-pointed, unique collisions journalled and
-- removed, losers deleted, journal), mdm.unmerge, mdm.resolve_id,
-- mdm.merge_history, and the errors a DBA can meet.

-- CONTEXT lines carry PL/pgSQL line numbers; the messages, DETAIL and HINT are what matter.
\set SHOW_CONTEXT never
CREATE SCHEMA billing;
CREATE TABLE m_customers (
    id         bigint PRIMARY KEY,
    region     text NOT NULL DEFAULT 'cn',
    name       text,
    phone      text,
    email      text,
    company    text,
    source     text,
    updated_at timestamptz,
    parent_id  bigint REFERENCES m_customers (id),
    UNIQUE (id, region)
);
CREATE INDEX ON m_customers (parent_id);
CREATE TABLE m_orders (
    order_id    int PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES m_customers ON DELETE CASCADE,
    amount      numeric
);
CREATE INDEX ON m_orders (customer_id);
-- m_contacts: a composite foreign key (customer and region), deferrable
CREATE TABLE m_contacts (
    contact_id  int PRIMARY KEY,
    customer_id bigint,
    region      text,
    note        text,
    FOREIGN KEY (customer_id, region) REFERENCES m_customers (id, region) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX ON m_contacts (customer_id, region);
-- m_customer_tags: a link table with a unique constraint, no primary key
CREATE TABLE m_customer_tags (
    customer_id bigint NOT NULL REFERENCES m_customers ON DELETE SET NULL,
    tag         text NOT NULL,
    UNIQUE (customer_id, tag)
);
-- invoices: in another schema, without an index on its foreign key
CREATE TABLE billing.invoices (
    invoice_no  text PRIMARY KEY,
    customer_id bigint REFERENCES m_customers,
    total       numeric
);

INSERT INTO m_customers (id, name, phone, email, company, source, updated_at, parent_id) VALUES
 (1, '张伟',   '+86 138 0013 8000', NULL,                    '北京华为技术有限公司', 'web',    '2026-01-01', NULL),
 (2, '張偉',   '13800138000',       'zhang.wei@example.com', NULL,                 'wechat', '2026-03-01', NULL),
 (3, 'Zhang Wei', NULL,             'ZHANG.WEI@example.com', 'Huawei Technologies Co., Ltd.', 'erp', '2026-02-01', 2),
 (4, '李娜',   '13912345678',       'li.na@example.cn',      '浦发银行',            'erp',    '2026-01-15', 1);
INSERT INTO m_orders VALUES (100, 1, 10), (101, 2, 20), (102, 3, 30), (103, 3, 31), (104, 4, 40);
INSERT INTO m_contacts VALUES (200, 2, 'cn', 'WeChat contact'), (201, 3, 'cn', 'trade fair'), (202, 4, 'cn', NULL);
INSERT INTO m_customer_tags VALUES (1, 'vip'), (2, 'vip'), (2, 'wechat'), (3, 'fair'), (4, 'vip');
INSERT INTO billing.invoices VALUES ('INV-1', 2, 99), ('INV-2', 3, 120), ('INV-3', NULL, 5);

-- Everything before, for the comparison after the undo.
CREATE TEMP VIEW table_hashes AS
SELECT 'm_customers' AS t, md5(string_agg(c::text, '|' ORDER BY c.id)) AS h FROM m_customers c
UNION ALL SELECT 'm_orders', md5(string_agg(o::text, '|' ORDER BY o.order_id)) FROM m_orders o
UNION ALL SELECT 'm_contacts', md5(string_agg(c::text, '|' ORDER BY c.contact_id)) FROM m_contacts c
UNION ALL SELECT 'm_customer_tags', md5(string_agg(g::text, '|' ORDER BY g.customer_id, g.tag)) FROM m_customer_tags g
UNION ALL SELECT 'invoices', md5(string_agg(i::text, '|' ORDER BY i.invoice_no)) FROM billing.invoices i;
CREATE TEMP TABLE snapshot AS SELECT * FROM table_hashes;

-- Bad input: not registered, then registered.
CALL mdm.merge('m_customers', 1, ARRAY[2, 3]);
SELECT mdm.register('m_customers', '{"name": "name", "phone": "phone", "email": "email", "company": "company",
                                   "source": "source", "updated_at": "updated_at"}');
CALL mdm.merge('m_customers', 1, ARRAY[1, 2]);
CALL mdm.merge('m_customers', 1, ARRAY[]::int[]);
CALL mdm.merge('m_customers', 1, ARRAY[2, 99]);
CALL mdm.merge('m_customers', 1, ARRAY[2], '{"columns": {"nickname": "longest"}}');
CALL mdm.merge('m_customers', 1, ARRAY[2], '{"columns": {"phone": "loudest"}}');
SELECT count(*) AS merges FROM mdm.merge;

-- The merge: 2 and 3 into 1. Rules: phone from the most recent record,
-- company from the ERP first, name the longest; the rest: the survivor's
-- value, its blanks filled from the losers in the order given.
CALL mdm.merge('m_customers', 1, ARRAY[2, 3],
               '{"columns": {"phone": "most_recent", "company": {"rule": "source_priority", "order": ["erp", "web"]},
                             "name": "longest"}}');
SELECT id, region, name, phone, email, company, source, updated_at, parent_id FROM m_customers ORDER BY id;
-- Every reference now points at the survivor; the colliding (2, 'vip') tag
-- was removed (1 has it already); the unindexed foreign key gave a WARNING.
SELECT * FROM m_orders ORDER BY order_id;
SELECT * FROM m_contacts ORDER BY contact_id;
SELECT * FROM m_customer_tags ORDER BY customer_id, tag;
SELECT * FROM billing.invoices ORDER BY invoice_no;
SELECT merge_id, tbl, survivor, losers, rows_repointed, rows_removed, status, merged_by = current_user AS by_me
  FROM mdm.merge_history ORDER BY merge_id;
SELECT ref_table, fk_name, action, row_key, old_values FROM mdm.merge_ref ORDER BY ref_table::text, fk_name, action, row_key::text;
SELECT jsonb_array_length(before -> 'losers') AS losers_kept, before -> 'survivor' ->> 'phone' AS survivor_phone_before
  FROM mdm.merge;
-- The losers' keys and pairs went with them; ids resolve to the survivor.
SELECT record_id FROM mdm.record_keys WHERE tbl = 'm_customers'::regclass ORDER BY 1;
SELECT mdm.resolve_id('m_customers', 2::bigint) AS two, mdm.resolve_id('m_customers', 3::bigint) AS three,
       mdm.resolve_id('m_customers', 4::bigint) AS four, pg_typeof(mdm.resolve_id('m_customers', 2::bigint)) AS type;

-- A chain: 1 into 4; 2 resolves through 1 to 4.
CALL mdm.merge('m_customers', 4, ARRAY[1]);
SELECT mdm.resolve_id('m_customers', 2::bigint) AS two;
-- Undo in the wrong order is refused; then in reverse order.
SELECT mdm.unmerge(1);
SELECT mdm.unmerge(2);
SELECT mdm.unmerge(2);
SELECT mdm.resolve_id('m_customers', 2::bigint) AS two;

-- A change since the merge blocks its undo, and the refusal changes nothing.
UPDATE m_customers SET email = 'changed@example.com' WHERE id = 1;
SELECT mdm.unmerge(1);
UPDATE m_customers SET email = 'zhang.wei@example.com' WHERE id = 1;
SELECT mdm.unmerge(1);
SELECT mdm.unmerge(99);

-- Everything is back: the same rows in every table.
SELECT s.t, s.h = n.h AS identical
  FROM snapshot s
  JOIN table_hashes n USING (t)
 ORDER BY s.t;
SELECT merge_id, status FROM mdm.merge_history ORDER BY merge_id;
SELECT record_id FROM mdm.record_keys WHERE tbl = 'm_customers'::regclass ORDER BY 1;

-- An SQL expression rule over the candidate values.
CALL mdm.merge('m_customers', 1, ARRAY[2, 3], '{"default": "survivor",
    "columns": {"email": {"expression": "string_agg(DISTINCT lower(value), '', '' ORDER BY lower(value))"}}}');
SELECT id, name, email FROM m_customers WHERE id = 1;
SELECT mdm.unmerge(3);

-- Batch merges of detected clusters.
SET client_min_messages = warning;  -- its NOTICE carries the run's seconds
SELECT mdm.find_duplicates('m_customers') AS pairs;
RESET client_min_messages;
SELECT cluster_id, string_agg(record_id, ', ' ORDER BY record_id) AS records
  FROM mdm.duplicate_clusters WHERE tbl = 'm_customers'::regclass GROUP BY 1 ORDER BY 1;
SELECT mdm.merge_all('m_customers', 1.5);
SELECT mdm.merge_cluster('m_customers', 999);
SELECT mdm.merge_cluster('m_customers', 1, '{"survivor": "tallest"}');
-- A cannot-link splits the cluster at once (mdm.mark_distinct re-clusters),
-- so merges never join a pair marked distinct; merge_cluster checks again.
SELECT mdm.mark_distinct('m_customers', 1, 3);
SELECT cluster_id, string_agg(record_id, ', ' ORDER BY record_id) AS records
  FROM mdm.duplicate_clusters WHERE tbl = 'm_customers'::regclass GROUP BY 1 ORDER BY 1;
SELECT mdm.clear_decision('m_customers', 1, 3);
SELECT mdm.merge_all('m_customers', 0.5, '{"survivor": "most_recent"}');
SELECT id, name, phone, email FROM m_customers ORDER BY id;
SELECT merge_id, survivor, losers, status FROM mdm.merge_history WHERE status = 'merged' ORDER BY merge_id;
SELECT mdm.unmerge(merge_id) FROM mdm.merge WHERE undone_at IS NULL ORDER BY merge_id DESC;
SELECT s.t, s.h = n.h AS identical
  FROM snapshot s
  JOIN table_hashes n USING (t)
 ORDER BY s.t;

-- A referencing table the caller may not update: the merge fails with a
-- permission error and changes nothing.
CREATE ROLE mdm_merger;
GRANT USAGE ON SCHEMA mdm, billing TO mdm_merger;
GRANT SELECT, INSERT, UPDATE, DELETE ON m_customers, m_orders, m_contacts, m_customer_tags TO mdm_merger;
GRANT SELECT ON billing.invoices TO mdm_merger;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA mdm TO mdm_merger;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA mdm TO mdm_merger;
SET ROLE mdm_merger;
CALL mdm.merge('m_customers', 1, ARRAY[2]);
RESET ROLE;
SELECT count(*) AS m_customers, (SELECT count(*) FROM mdm.merge WHERE undone_at IS NULL) AS open_merges FROM m_customers;

-- A uuid key works the same way.
CREATE TABLE u_cust (id uuid PRIMARY KEY, name text, phone text);
CREATE TABLE u_order (id int PRIMARY KEY, cust uuid REFERENCES u_cust);
CREATE INDEX ON u_order (cust);
INSERT INTO u_cust VALUES ('00000000-0000-4000-8000-000000000001', '陈静', NULL),
                          ('00000000-0000-4000-8000-000000000002', '陳靜', '13511112222');
INSERT INTO u_order VALUES (1, '00000000-0000-4000-8000-000000000002');
SELECT mdm.register('u_cust', '{"name": "name", "phone": "phone"}');
CALL mdm.merge('u_cust', '00000000-0000-4000-8000-000000000001'::uuid, ARRAY['00000000-0000-4000-8000-000000000002'::uuid]);
SELECT c.id, c.name, c.phone, o.id AS order_id FROM u_cust c LEFT JOIN u_order o ON o.cust = c.id ORDER BY 1;
SELECT mdm.resolve_id('u_cust', '00000000-0000-4000-8000-000000000002'::uuid) AS resolved;
SELECT mdm.unmerge(max(merge_id)) FROM mdm.merge;
SELECT c.id, c.name, c.phone, o.id AS order_id FROM u_cust c LEFT JOIN u_order o ON o.cust = c.id ORDER BY 1;
SELECT mdm.unregister('u_cust');
DROP TABLE u_order, u_cust;

-- Hostile names: quotes, spaces, capitals, dots and semicolons in schema,
-- table and column names; text keys.
CREATE SCHEMA "Sales; Dept.";
CREATE TABLE "Sales; Dept."."Cust ""VIP"".List" ("Cust Id" text PRIMARY KEY, "Full; Name" text, "E.Mail" text);
CREATE TABLE "Sales; Dept."."Order's; DROP TABLE x" ("No." int PRIMARY KEY,
    "Cust Id" text REFERENCES "Sales; Dept."."Cust ""VIP"".List");
CREATE INDEX ON "Sales; Dept."."Order's; DROP TABLE x" ("Cust Id");
INSERT INTO "Sales; Dept."."Cust ""VIP"".List" VALUES ('a''1', 'O''Brien; Pat', NULL), ('b"2', 'Pat O''Brien', 'pat@example.com');
INSERT INTO "Sales; Dept."."Order's; DROP TABLE x" VALUES (1, 'b"2');
SELECT mdm.register('"Sales; Dept."."Cust ""VIP"".List"', '{"name": "Full; Name", "email": "E.Mail"}');
CALL mdm.merge('"Sales; Dept."."Cust ""VIP"".List"', 'a''1'::text, ARRAY['b"2']);
SELECT * FROM "Sales; Dept."."Cust ""VIP"".List" ORDER BY 1;
SELECT * FROM "Sales; Dept."."Order's; DROP TABLE x" ORDER BY 1;
SELECT mdm.resolve_id('"Sales; Dept."."Cust ""VIP"".List"', 'b"2'::text) AS resolved;
SELECT mdm.unmerge(max(merge_id)) FROM mdm.merge;
SELECT * FROM "Sales; Dept."."Cust ""VIP"".List" ORDER BY 1;
SELECT * FROM "Sales; Dept."."Order's; DROP TABLE x" ORDER BY 1;
SELECT mdm.unregister('"Sales; Dept."."Cust ""VIP"".List"');
DROP SCHEMA "Sales; Dept." CASCADE;

SELECT mdm.unregister('m_customers');
DROP VIEW table_hashes;
DROP TABLE billing.invoices, m_customer_tags, m_contacts, m_orders, m_customers;
DROP SCHEMA billing;
REVOKE ALL ON ALL TABLES IN SCHEMA mdm FROM mdm_merger;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA mdm FROM mdm_merger;
REVOKE ALL ON SCHEMA mdm FROM mdm_merger;
DROP ROLE mdm_merger;
