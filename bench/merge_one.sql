-- bench/merge_one.sql: one pgbench transaction of bench/merge.sh: the next
-- triple of bm_customer merged (3 records, their rows in five referencing
-- tables re-pointed).
SELECT nextval('bm_k') - 1 AS k \gset
CALL mdm.merge('bm_customer', :k * 3 + 1, ARRAY[:k * 3 + 2, :k * 3 + 3]);
