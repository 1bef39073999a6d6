-- Realtime duplicate detection: mdm.enable_realtime / mdm.disable_realtime,
-- the trigger flagging or blocking a typed-in duplicate, mdm.find_matches
-- (search before create), bulk loads, and the errors a DBA can meet.
-- (Concurrency: tests/isolation/specs/realtime_*.spec.)

CREATE TABLE contacts (
    id       bigint PRIMARY KEY,
    source   text,
    name     text,
    mobile   text,
    email    text,
    company  text,
    notes    text
);
INSERT INTO contacts VALUES
 (1, 'web',    '张伟',   '+86 138 0013 8000', 'zhang.wei@example.com', '北京华为技术有限公司', NULL),
 (2, 'erp',    '李娜',   '13912345678',       'li.na@example.cn',      '上海浦东发展银行',     NULL),
 (3, 'event',  'John Smith', '+44 20 7946 0958', 'john.smith@acme.example', 'Acme Ltd',        NULL);

-- Bad input first: the table is not registered yet.
SELECT mdm.enable_realtime('contacts');
SELECT mdm.disable_realtime('contacts');
SELECT * FROM mdm.find_matches('contacts', '{"name": "张伟"}');

SELECT mdm.register('contacts', '{"name": "name", "phone": "mobile", "email": "email",
                                  "company": "company", "source": "source"}');

SELECT mdm.enable_realtime('contacts', 'merge');
SELECT mdm.enable_realtime('contacts', 'flag', '{"flag_threshold": 1.5}');
SELECT mdm.enable_realtime('contacts', 'flag', '{"speed": "fast"}');
SELECT mdm.enable_realtime('contacts', 'block', '{"flag_threshold": 0.9, "block_threshold": 0.8}');
SELECT mdm.disable_realtime('contacts');   -- not on: a no-op with a NOTICE

-- 'flag': the row is stored; each match becomes a pending pair with its
-- explanation (and a NOTIFY on mdm_duplicates, shown in the isolation specs).
SELECT mdm.enable_realtime('contacts');
SELECT tbl, realtime FROM mdm.registration WHERE tbl = 'contacts'::regclass;
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
 WHERE tgrelid = 'contacts'::regclass AND NOT tgisinternal ORDER BY tgname;

INSERT INTO contacts VALUES (4, 'wechat', '張偉', '13800138000', NULL, '華為技術有限公司', 'typed in at a trade fair');
SELECT id_a, id_b, round(match_probability::numeric, 4) AS p, status,
       explanation -> 'roles' -> 'phone' ->> 'level' AS phone, explanation ->> 'explanation' AS why
  FROM mdm.duplicate_pairs WHERE tbl = 'contacts'::regclass ORDER BY id_a, id_b;

-- An unrelated customer flags nothing.
INSERT INTO contacts VALUES (5, 'web', '赵敏', '13700000001', 'zhao.min@example.com', NULL, NULL);
SELECT count(*) AS pairs FROM mdm.pair WHERE tbl = 'contacts'::regclass;

-- A multi-row INSERT: rows of the same statement see each other.
INSERT INTO contacts VALUES
 (6, 'event', '王芳', '13912340000', 'wangfang@example.com', NULL, NULL),
 (7, 'web',   '王芳', '139-1234-0000', 'WangFang@Example.com', NULL, NULL);
-- COPY works with the trigger on.
COPY contacts FROM STDIN;
8	erp	Li Na	0086 139 1234 5678	Li.Na@Example.cn	\N	\N
\.
SELECT id_a, id_b, round(match_probability::numeric, 4) AS p, status
  FROM mdm.duplicate_pairs WHERE tbl = 'contacts'::regclass ORDER BY id_a, id_b;

-- An UPDATE of a column the mapping does not use fires nothing; an UPDATE
-- that turns a record into a duplicate of another is caught.
UPDATE contacts SET notes = 'called back' WHERE id = 5;
UPDATE contacts SET name = 'SMITH, John', mobile = '+44 20 7946 0958', email = NULL WHERE id = 5;
SELECT id_a, id_b, round(match_probability::numeric, 4) AS p, status
  FROM mdm.duplicate_pairs WHERE tbl = 'contacts'::regclass AND '5' IN (id_a, id_b) ORDER BY id_a, id_b;

-- A pair someone marked distinct is not flagged again (the pair keeps the
-- probability it was flagged with; the new e-mail would change it).
SELECT mdm.mark_distinct('contacts', 3, 5);
UPDATE contacts SET email = 'john.smith@acme.example' WHERE id = 5;
SELECT id_a, id_b, round(match_probability::numeric, 4) AS p, status FROM mdm.duplicate_pairs
 WHERE tbl = 'contacts'::regclass AND '5' IN (id_a, id_b) ORDER BY id_a, id_b;

-- 'block': a match at or above block_threshold fails the statement with
-- SQLSTATE 23505, naming the existing record; DETAIL has the explanation.
SELECT mdm.enable_realtime('contacts', 'block', '{"block_threshold": 0.99}');
INSERT INTO contacts VALUES (9, 'web', '张伟', '138 0013 8000', 'Zhang.Wei@example.com', NULL, NULL);
DO $$
BEGIN
    INSERT INTO contacts VALUES (9, 'web', '张伟', '138 0013 8000', 'Zhang.Wei@example.com', NULL, NULL);
EXCEPTION WHEN unique_violation THEN
    RAISE NOTICE 'blocked with SQLSTATE %', SQLSTATE;
END
$$;
SELECT count(*) AS rows_with_id_9 FROM contacts WHERE id = 9;
-- Below the block threshold the row goes in and is flagged.
INSERT INTO contacts VALUES (10, 'web', '张伟', NULL, NULL, '华为技术（北京）有限公司', NULL);
SELECT id_a, id_b, round(match_probability::numeric, 4) AS p, status
  FROM mdm.duplicate_pairs WHERE tbl = 'contacts'::regclass AND '10' IN (id_a, id_b) ORDER BY id_a, id_b;

-- Search before create: candidate uses the table's column names.
SELECT record_id, round(match_probability::numeric, 4) AS p, explanation ->> 'explanation' AS why
  FROM mdm.find_matches('contacts', '{"name": "Zhang Wei", "mobile": "13800138000"}') ORDER BY p DESC, record_id;
SELECT record_id FROM mdm.find_matches('contacts', '{"name": "Zhang Wei", "mobile": "13800138000"}', 1);
SELECT count(*) AS matches FROM mdm.find_matches('contacts', '{"name": "Nobody", "mobile": "13300000000"}');
-- A candidate with the id of an existing record does not match itself.
SELECT record_id FROM mdm.find_matches('contacts', '{"id": 1, "name": "张伟", "mobile": "13800138000"}') ORDER BY 1;
SELECT * FROM mdm.find_matches('contacts', '{"full_name": "张伟"}');
SELECT * FROM mdm.find_matches('contacts', '{"name": "张伟"}', 0);
SELECT * FROM mdm.find_matches('contacts', '["张伟"]');
SELECT count(*) FROM mdm.find_matches('contacts', NULL);

-- Bulk path: detection deferred for the session, then find_duplicates
-- compares what was loaded.
SET customer_mdm.realtime = off;
INSERT INTO contacts VALUES (11, 'import', '张伟', '+8613800138000', NULL, NULL, NULL);
RESET customer_mdm.realtime;
SELECT count(*) AS flagged_during_load FROM mdm.pair WHERE tbl = 'contacts'::regclass AND '11' IN (id_a, id_b);
SET client_min_messages = warning;  -- its NOTICE carries the run's seconds
SELECT mdm.find_duplicates('contacts') > 0 AS found;
RESET client_min_messages;
SELECT id_a, id_b, status FROM mdm.duplicate_pairs
 WHERE tbl = 'contacts'::regclass AND '11' IN (id_a, id_b) ORDER BY id_a, id_b;

-- A renamed table keeps working: the check reads it under its new name.
ALTER TABLE contacts RENAME TO clients;
INSERT INTO clients VALUES (13, 'web', 'Li Na', '+86 139 1234 5678', NULL, NULL, NULL);
ALTER TABLE clients RENAME TO contacts;

-- Registering again keeps realtime on (the trigger follows the new mapping).
SELECT mdm.register('contacts', '{"name": "name", "phone": "mobile", "email": "email", "source": "source"}');
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'contacts'::regclass AND tgname = 'mdm_realtime';

-- Off again: the trigger is gone and nothing is checked.
SELECT mdm.disable_realtime('contacts');
SELECT count(*) AS realtime_triggers FROM pg_trigger WHERE tgrelid = 'contacts'::regclass AND tgname = 'mdm_realtime';
INSERT INTO contacts VALUES (12, 'web', '张伟', '13800138000', NULL, NULL, NULL);
SELECT count(*) AS pairs_of_12 FROM mdm.pair WHERE tbl = 'contacts'::regclass AND '12' IN (id_a, id_b);

-- A text primary key works the same way; unregistering removes the trigger.
CREATE TABLE leads (lead_id text PRIMARY KEY, who text, tel text);
INSERT INTO leads VALUES ('L-1', '陈静', '13511112222');
SELECT mdm.register('leads', '{"name": "who", "phone": "tel"}');
SELECT mdm.enable_realtime('leads', 'block');
INSERT INTO leads VALUES ('L-2', '陳靜', '135 1111 2222');
SELECT * FROM leads ORDER BY lead_id;
SELECT mdm.unregister('leads');
SELECT count(*) AS realtime_triggers FROM pg_trigger WHERE tgrelid = 'leads'::regclass AND tgname = 'mdm_realtime';

DROP TABLE leads;
SELECT mdm.unregister('contacts');
DROP TABLE contacts;
