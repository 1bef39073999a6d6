-- bench/realtime_insert.sql: one pgbench transaction of bench/realtime.sh,
-- the next typed-in customer of the pool inserted with a new id (the pool
-- is used in turn, each customer once).
INSERT INTO rt_customer (record_id, kind, name, company, phone, phone2, email, address, id_number, source)
SELECT 'n' || id, kind, name, company, phone, phone2, email, address, id_number, 'typed'
  FROM (SELECT nextval('rt_ids') AS id) s
  JOIN rt_pool ON n = (s.id - 1) % :pool + 1;
