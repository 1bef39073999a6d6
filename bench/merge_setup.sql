-- bench/merge_setup.sql: the tables of bench/merge.sh.
--   bm_customer: :customers customers in triples of one person each
--     (registered); five referencing tables of :refrows rows each, on
--     indexed foreign keys, spread over the customers at random (seeded);
--   bm_batch: 30,000 customers in 10,000 triples with an orders table,
--     for merge_all.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT setseed(0.5);
CREATE TABLE bm_customer (id bigint PRIMARY KEY, name text, phone text, email text, city text, updated_at timestamptz);
INSERT INTO bm_customer
SELECT i, 'customer ' || ((i - 1) / 3), '138' || lpad(((i - 1) / 3)::text, 8, '0'),
       CASE WHEN i % 3 = 1 THEN NULL ELSE 'c' || ((i - 1) / 3) || '@example.com' END,
       (ARRAY['北京', '上海', '深圳'])[1 + i % 3], '2026-01-01'::timestamptz + (i % 1000) * interval '1 hour'
  FROM generate_series(1, :customers) i;
CREATE TABLE bm_order    (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES bm_customer, amount numeric);
CREATE TABLE bm_invoice  (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES bm_customer, total numeric);
CREATE TABLE bm_ticket   (id bigint PRIMARY KEY, customer_id bigint REFERENCES bm_customer, subject text);
CREATE TABLE bm_visit    (id bigint PRIMARY KEY, customer_id bigint REFERENCES bm_customer, at timestamptz);
CREATE TABLE bm_note     (id bigint PRIMARY KEY, customer_id bigint REFERENCES bm_customer, body text);
INSERT INTO bm_order   SELECT g, 1 + floor(random() * :customers)::bigint, g % 997 FROM generate_series(1, :refrows) g;
INSERT INTO bm_invoice SELECT g, 1 + floor(random() * :customers)::bigint, g % 991 FROM generate_series(1, :refrows) g;
INSERT INTO bm_ticket  SELECT g, 1 + floor(random() * :customers)::bigint, 'ticket' FROM generate_series(1, :refrows) g;
INSERT INTO bm_visit   SELECT g, 1 + floor(random() * :customers)::bigint, now() FROM generate_series(1, :refrows) g;
INSERT INTO bm_note    SELECT g, 1 + floor(random() * :customers)::bigint, 'note' FROM generate_series(1, :refrows) g;
CREATE INDEX ON bm_order (customer_id);
CREATE INDEX ON bm_invoice (customer_id);
CREATE INDEX ON bm_ticket (customer_id);
CREATE INDEX ON bm_visit (customer_id);
CREATE INDEX ON bm_note (customer_id);
SELECT mdm.register('bm_customer', '{"name": "name", "phone": "phone", "email": "email", "updated_at": "updated_at"}');
CREATE SEQUENCE bm_k;

CREATE TABLE bm_batch (id bigint PRIMARY KEY, name text, phone text, email text);
INSERT INTO bm_batch
SELECT i, 'batch customer ' || ((i - 1) / 3), '139' || lpad(((i - 1) / 3)::text, 8, '0'),
       'b' || ((i - 1) / 3) || '@example.com'
  FROM generate_series(1, 30000) i;
CREATE TABLE bm_batch_order (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES bm_batch);
INSERT INTO bm_batch_order SELECT g, 1 + (g - 1) % 30000 FROM generate_series(1, 60000) g;
CREATE INDEX ON bm_batch_order (customer_id);
SELECT mdm.register('bm_batch', '{"name": "name", "phone": "phone", "email": "email"}');
SELECT mdm.find_duplicates('bm_batch');
VACUUM ANALYZE;
