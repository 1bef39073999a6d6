-- What `make demo` shows, run by psql against the private demo cluster after
-- the extension is created and demo/customers.sql is loaded.
\set ON_ERROR_STOP on
\pset null '∅'
\pset footer off

\echo
\echo '== 1. The extension and its functions =='
SELECT e.extname AS extension, e.extversion AS version, n.nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'customer_mdm';

\x on
SELECT p.oid::regprocedure AS function,
       pg_get_function_result(p.oid) AS returns,
       concat_ws(' ', CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END,
                      CASE WHEN p.proisstrict THEN 'strict' END,
                      CASE p.proparallel WHEN 's' THEN 'parallel safe' WHEN 'r' THEN 'parallel restricted' ELSE 'parallel unsafe' END) AS properties,
       obj_description(p.oid, 'pg_proc') AS description
  FROM pg_proc p
 WHERE p.pronamespace = 'mdm'::regnamespace
 ORDER BY p.proname, p.oid::regprocedure::text;
\x off

\echo
\echo '== 2. The sample: 28 CRM customers from 5 channels, 16 real customers =='
SELECT count(*) AS rows, count(DISTINCT true_entity) AS real_customers,
       count(*) - count(DISTINCT true_entity) AS surplus_rows,
       string_agg(DISTINCT source, ', ' ORDER BY source) AS channels
  FROM public.crm_customer;

\echo
\echo '== 3. mdm.normalize_text on messy values (only rows it changes) =='
SELECT customer_id AS id, 'full_name' AS field, format('%L', full_name) AS before, format('%L', mdm.normalize_text(full_name)) AS after
  FROM public.crm_customer WHERE full_name IS DISTINCT FROM mdm.normalize_text(full_name)
UNION ALL
SELECT customer_id, 'email', format('%L', email), format('%L', mdm.normalize_text(email))
  FROM public.crm_customer WHERE email IS DISTINCT FROM mdm.normalize_text(email)
UNION ALL
SELECT customer_id, 'phone', format('%L', phone), format('%L', mdm.normalize_text(phone))
  FROM public.crm_customer WHERE phone IS DISTINCT FROM mdm.normalize_text(phone)
 ORDER BY field, id;

\echo
\echo '== 4. Duplicate e-mail addresses: raw equality against normalize_text =='
WITH pairs AS (
    SELECT a.customer_id AS a, b.customer_id AS b,
           a.true_entity = b.true_entity AS same_customer,
           a.email = b.email AS raw_equal,
           mdm.normalize_text(a.email) = mdm.normalize_text(b.email) AS normalized_equal
      FROM public.crm_customer a
      JOIN public.crm_customer b ON a.customer_id < b.customer_id
)
SELECT count(*) FILTER (WHERE same_customer) AS known_duplicate_pairs,
       count(*) FILTER (WHERE same_customer AND raw_equal) AS found_by_raw_email,
       count(*) FILTER (WHERE same_customer AND normalized_equal) AS found_by_normalize_text,
       count(*) FILTER (WHERE NOT same_customer AND normalized_equal) AS false_matches
  FROM pairs;

\echo
\echo '== 5. The groups normalize_text(email) already finds, with the ground truth =='
SELECT mdm.normalize_text(email) AS normalized_email,
       array_agg(customer_id ORDER BY customer_id) AS customer_ids,
       array_agg(DISTINCT true_entity) AS true_entities
  FROM public.crm_customer
 WHERE email IS NOT NULL
 GROUP BY 1
HAVING count(*) > 1
 ORDER BY 2;

\echo
\echo '== 6. It is immutable, so it can back a unique index that stops such duplicates =='
CREATE TEMP TABLE signup (email text);
CREATE UNIQUE INDEX signup_email_key ON signup (mdm.normalize_text(email));
INSERT INTO signup VALUES ('zhang.wei@example.com');
\echo 'Inserting the full-width spelling of the same address is refused (the ERROR below is expected):'
\set ON_ERROR_STOP off
INSERT INTO signup VALUES ('ＺＨＡＮＧ．ＷＥＩ＠ｅｘａｍｐｌｅ．ｃｏｍ ');
\set ON_ERROR_STOP on
SELECT email FROM signup ORDER BY email;
