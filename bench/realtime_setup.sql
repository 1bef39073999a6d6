-- bench/realtime_setup.sql: the table of bench/realtime.sh (every record but
-- the last :pool) and the pool of typed-in customers pgbench inserts.
\set ON_ERROR_STOP on
CREATE TABLE rt_customer (
    record_id text PRIMARY KEY, kind text, name text, company text, phone text, phone2 text,
    email text, address text, id_number text, source text);
CREATE TABLE rt_pool (n int PRIMARY KEY, kind text, name text, company text, phone text, phone2 text,
    email text, address text, id_number text, source text);
WITH r AS (SELECT row_number() OVER (ORDER BY record_id) AS i, count(*) OVER () AS total, * FROM rec)
INSERT INTO rt_customer
SELECT record_id, nullif(kind, ''), nullif(name, ''), nullif(company, ''), nullif(phone, ''), nullif(phone2, ''),
       nullif(email, ''), nullif(address, ''), nullif(id_number, ''), nullif(source, '')
  FROM r WHERE i <= total - :pool;
WITH r AS (SELECT row_number() OVER (ORDER BY record_id) AS i, count(*) OVER () AS total, * FROM rec)
INSERT INTO rt_pool
SELECT i - (total - :pool), nullif(kind, ''), nullif(name, ''), nullif(company, ''), nullif(phone, ''), nullif(phone2, ''),
       nullif(email, ''), nullif(address, ''), nullif(id_number, ''), nullif(source, '')
  FROM r WHERE i > total - :pool;
CREATE SEQUENCE rt_ids;
DROP TABLE rec;
ANALYZE rt_pool;
