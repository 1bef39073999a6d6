-- Security, first part (issue 17): what the install and the stored state
-- can no longer be made to do.

-- 1. No SQL is built from stored text: a key type forged in
-- mdm.registration (pasted into casts before) has no effect; the type comes
-- from the catalog.
CREATE TABLE s_customers (id bigint PRIMARY KEY, full_name text, phone text);
CREATE TABLE s_calls (n int);
CREATE FUNCTION s_evil() RETURNS boolean LANGUAGE sql AS $$ INSERT INTO s_calls VALUES (1) RETURNING true $$;
SET client_min_messages = warning;
SELECT mdm.register('s_customers', '{"name": "full_name", "phone": "phone"}');
SELECT mdm.find_duplicates('s_customers');
UPDATE mdm.registration SET key_type = 'bigint[]) AND s_evil() AND 1 = ANY(ARRAY[1]::int'
 WHERE tbl = 's_customers'::regclass;
SELECT mdm._key_type('s_customers', 'id') AS key_type_from_the_catalog;
SELECT mdm.enable_realtime('s_customers');
INSERT INTO s_customers VALUES (1, '张伟', '13800138000'), (2, '張偉', '+86 138 0013 8000'), (3, '李娜', '13900000000');
SELECT mdm.find_duplicates('s_customers') AS pairs;                    -- incremental: reads the changed ids
SELECT record_id, round(match_probability::numeric, 4) AS p
  FROM mdm.find_matches('s_customers', '{"full_name": "张伟", "phone": "13800138000"}') ORDER BY 1;
SELECT mdm.mark_distinct('s_customers', 1, 3);
CALL mdm.merge('s_customers', 1, ARRAY[2]);
SELECT id, full_name FROM s_customers ORDER BY id;
SELECT count(*) AS evil_calls FROM s_calls;
-- A key column that no longer exists is an error naming it, not a guess.
UPDATE mdm.registration SET key_column = 'gone' WHERE tbl = 's_customers'::regclass;
SELECT mdm.find_duplicates('s_customers');
RESET client_min_messages;
-- Unregistering still works (it needs no key).
SELECT mdm.unregister('s_customers');
SELECT count(*) AS registrations_left FROM mdm.registration WHERE tbl = 's_customers'::regclass;
DROP TABLE s_customers, s_calls;
DROP FUNCTION s_evil();

-- 2. The event trigger never makes an unrelated DROP fail: a role without
-- any right on schema mdm drops its own table, index and column; the owner
-- of a registered table drops it and its registration goes with it.
CREATE ROLE s_app LOGIN;
GRANT CREATE ON SCHEMA public TO s_app;
CREATE TABLE s_owned (id bigint PRIMARY KEY, full_name text);
ALTER TABLE s_owned OWNER TO s_app;
SET client_min_messages = warning;
SELECT mdm.register('s_owned', '{"name": "full_name"}');
RESET client_min_messages;
SET ROLE s_app;
SELECT has_schema_privilege('mdm', 'USAGE') AS app_may_use_mdm;
CREATE TABLE s_app_table (x int, y int);
CREATE INDEX s_app_index ON s_app_table (x);
DROP INDEX s_app_index;
ALTER TABLE s_app_table DROP COLUMN y;
DROP TABLE s_app_table;
DROP TABLE s_owned;
RESET ROLE;
SELECT count(*) AS registrations_left FROM mdm.registration WHERE tbl::oid NOT IN (SELECT oid FROM pg_class);
REVOKE CREATE ON SCHEMA public FROM s_app;
DROP ROLE s_app;

-- 3. CREATE EXTENSION refuses a schema mdm that another role made first
-- (its owner could replace the extension's functions), and one that holds
-- objects; in a database of its own.
CREATE ROLE s_intruder LOGIN;
CREATE DATABASE s_install;
\set test_db :DBNAME
\c s_install
CREATE SCHEMA mdm AUTHORIZATION s_intruder;
CREATE EXTENSION customer_mdm;
SELECT count(*) AS objects_in_mdm FROM pg_class WHERE relnamespace = 'mdm'::regnamespace;
ALTER SCHEMA mdm OWNER TO CURRENT_USER;
CREATE FUNCTION mdm.normalize_text(t text) RETURNS text LANGUAGE sql AS 'SELECT t';
CREATE EXTENSION customer_mdm;
DROP FUNCTION mdm.normalize_text(text);
-- An empty schema a superuser made is fine, and so is none at all.
CREATE EXTENSION customer_mdm;
SELECT extname, extnamespace::regnamespace FROM pg_extension WHERE extname = 'customer_mdm';
DROP EXTENSION customer_mdm;
DROP SCHEMA mdm;
CREATE EXTENSION customer_mdm;
SELECT extname, extnamespace::regnamespace FROM pg_extension WHERE extname = 'customer_mdm';
\c :test_db
DROP DATABASE s_install;
DROP ROLE s_intruder;
