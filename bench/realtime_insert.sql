-- bench/realtime_insert.sql: one pgbench transaction of bench/realtime.sh,
-- a typed-in customer (a random row of the pool) inserted with a new id.
\set i random(1, :pool)
INSERT INTO rt_customer (record_id, kind, name, company, phone, phone2, email, address, id_number, source)
SELECT 'n' || nextval('rt_ids'), kind, name, company, phone, phone2, email, address, id_number, 'typed'
  FROM rt_pool WHERE n = :i;
