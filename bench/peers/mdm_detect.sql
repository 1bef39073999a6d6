-- bench/peers/mdm_detect.sql: customer_mdm's batch detection, as a DBA runs
-- it: the records (rec_std) in a table with a primary key, mdm.register,
-- mdm.train (unless :train is off), mdm.find_duplicates; the stored pairs
-- are the predictions. :options are the registration options (febrl4 sets
-- mode link: only pairs of different sources). Writes the pairs to :out and
-- each step's time to the log.
\i bench/peers/session.sql
\if :{?train}
\else
\set train on
\endif
\if :{?options}
\else
\set options '{}'
\endif
DROP TABLE IF EXISTS mdm_cust;
CREATE TABLE mdm_cust AS
SELECT record_id, nullif(source_table, '') AS source_table, kind, name, company, phone, phone2, email, address,
       id_number, birth_date
  FROM rec_std;
ALTER TABLE mdm_cust ADD PRIMARY KEY (record_id);
\timing on
SELECT mdm.register('mdm_cust',
                    '{"name": "name", "company": "company", "phone": ["phone", "phone2"], "email": "email",
                      "address": "address", "id_number": "id_number", "birth_date": "birth_date", "kind": "kind", "source": "source_table"}',
                    :'options');
\if :train
SELECT mdm.train('mdm_cust') -> 'training' AS training;
\endif
SELECT mdm.find_duplicates('mdm_cust') AS pairs_stored;
\timing off
SELECT last_run FROM mdm.registration WHERE tbl = 'mdm_cust'::regclass;

\pset format csv
SELECT id_a AS l, id_b AS r FROM mdm.pair WHERE tbl = 'mdm_cust'::regclass ORDER BY 1, 2 \g :out
\pset format aligned

\i bench/peers/peak_memory.sql
