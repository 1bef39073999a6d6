-- bench/peers/mdm_compare.sql: duplicate detection with customer_mdm's
-- functions in plain SQL, as a prototype of the batch detection to come
-- (issue 6): candidate pairs share a blocking key (mdm.name_keys, E.164
-- phone, mailbox key, normalized ID); keys held by more than :max_block
-- records are skipped, as blocking does; every candidate pair is scored by
-- mdm.compare under the built-in model and called a match at probability
-- >= 0.5. Reads rec_std; writes the predicted pairs to :out.
\i bench/peers/session.sql
DROP TABLE IF EXISTS mdm_rec, mdm_keys, mdm_cand;

CREATE TABLE mdm_rec AS
SELECT record_id, source_table,
       jsonb_build_object('name', name, 'company', company, 'phone', jsonb_build_array(phone, phone2),
                          'email', email, 'address', address, 'id_number', id_number, 'kind', kind) AS rec,
       mdm.name_keys(name) AS nk, mdm.normalize_phone(phone) AS p1, mdm.normalize_phone(phone2) AS p2,
       mdm.email_key(email) AS ek, mdm.normalize_id_number(id_number) AS idn
  FROM rec_std;

CREATE TABLE mdm_keys AS
SELECT record_id, k FROM mdm_rec, unnest(nk) k
UNION
SELECT record_id, 'p:' || p FROM mdm_rec, LATERAL (VALUES (p1), (p2)) v(p) WHERE p IS NOT NULL
UNION
SELECT record_id, 'e:' || ek FROM mdm_rec WHERE ek IS NOT NULL
UNION
SELECT record_id, 'i:' || idn FROM mdm_rec WHERE idn IS NOT NULL;
DELETE FROM mdm_keys WHERE k IN (SELECT k FROM mdm_keys GROUP BY k HAVING count(*) > :max_block);
CREATE INDEX ON mdm_keys (k);
ANALYZE mdm_keys;

CREATE TABLE mdm_cand AS
SELECT DISTINCT x.record_id AS l, y.record_id AS r
  FROM mdm_keys x JOIN mdm_keys y ON y.k = x.k AND x.record_id < y.record_id;
-- Statistics, or the planner may join the candidates by nested loop and run
-- mdm.compare on far more pairs than there are candidates.
ANALYZE mdm_rec;
ANALYZE mdm_cand;

\pset format csv
SELECT c.l, c.r
  FROM mdm_cand c
  JOIN mdm_rec x ON x.record_id = c.l
  JOIN mdm_rec y ON y.record_id = c.r
 WHERE (x.source_table = '' OR x.source_table <> y.source_table)
   AND (mdm.compare(x.rec, y.rec)->>'match_probability')::float8 >= 0.5
 ORDER BY 1, 2 \g :out
\pset format aligned

\i bench/peers/peak_memory.sql
