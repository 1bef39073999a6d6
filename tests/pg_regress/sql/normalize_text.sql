-- mdm.normalize_text: NFKC, lower case, whitespace trimmed and collapsed,
-- zero-width / format / control characters removed; NULL when nothing is left.

-- the declaration: immutable, strict, parallel safe, no SET clause, commented
SELECT p.oid::regprocedure AS function, p.provolatile, p.proisstrict, p.proparallel,
       p.proconfig, obj_description(p.oid, 'pg_proc') IS NOT NULL AS documented
  FROM pg_proc p
 WHERE p.oid = 'mdm.normalize_text(text)'::regprocedure;

-- behaviour, one row per case; `normalized` is shown quoted (%L)
SELECT n, what, format('%L', mdm.normalize_text(input)) AS normalized
  FROM (VALUES
    (1,  'plain ASCII',                   'Hello World'),
    (2,  'extra spaces',                  '  Hello   World  '),
    (3,  'tab, newline, CR LF',           E'\tTab\tand\nnewline\r\n'),
    (4,  'full-width Latin, U+3000',      'ＨＥＬＬＯ　Ｗｏｒｌｄ'),
    (5,  'full-width digits',             '１３８００１３８０００'),
    (6,  'full-width e-mail',             'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ'),
    (7,  'U+3000 around and inside CJK',  '　张　伟　'),
    (8,  'traditional CJK kept as is',    '華為技術（北京）有限公司'),
    (9,  'zero-width space U+200B',       U&'张\200B伟'),
    (10, 'BOM U+FEFF',                    U&'\FEFFACME Corp'),
    (11, 'soft hyphen U+00AD',            U&'co\00ADoperate'),
    (12, 'no-break space U+00A0',         U&'Zhang\00A0Wei'),
    (13, 'ligature, roman numeral, ㈱',   'ﬁle Ⅻ ㈱'),
    (14, 'half-width katakana',           'ｶﾀｶﾅ'),
    (15, 'umlaut',                        'MÜLLER GmbH'),
    (16, 'accent',                        'ÉCOLE Normale'),
    (17, 'phone with spaces',             ' +86 138 0013 8000 '),
    (18, 'control characters',            U&'a\0007b\007Fc'),
    (19, 'Greek capitals',                'ΣΊΣΥΦΟΣ')
  ) AS t(n, what, input)
 ORDER BY n;

-- nothing left: NULL, not ''
SELECT n, mdm.normalize_text(input) IS NULL AS is_null
  FROM (VALUES (1, NULL::text), (2, ''), (3, '   '), (4, E'\t\n'), (5, '　　'), (6, U&'\200B\FEFF'))
       AS t(n, input)
 ORDER BY n;

-- the same customer's e-mail from four channels reduces to one value
SELECT count(DISTINCT mdm.normalize_text(e)) AS distinct_values
  FROM (VALUES ('zhang.wei@example.com'), ('ZHANG.WEI@EXAMPLE.COM'),
               (' Zhang.Wei@Example.com '), ('ｚｈａｎｇ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ')) AS t(e);

-- idempotent
SELECT bool_and(mdm.normalize_text(mdm.normalize_text(x)) = mdm.normalize_text(x)) AS idempotent
  FROM (VALUES ('ＨＥＬＬＯ　Ｗｏｒｌｄ'), ('İstanbul'), ('ﬁle'), (U&'e\200B\0301')) AS t(x);

-- it can back an expression index, and the planner uses it
CREATE TABLE contact (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX contact_email_key ON contact (mdm.normalize_text(email));
INSERT INTO contact VALUES (1, 'zhang.wei@example.com'), (2, 'li.na@example.com');
INSERT INTO contact VALUES (3, 'ＺＨＡＮＧ．ＷＥＩ＠ｅｘａｍｐｌｅ．ｃｏｍ');
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM contact WHERE mdm.normalize_text(email) = mdm.normalize_text(' Li.Na@Example.com ');
SELECT id FROM contact WHERE mdm.normalize_text(email) = mdm.normalize_text(' Li.Na@Example.com ');
RESET enable_seqscan;

-- and a generated column
CREATE TABLE lead (raw_name text, name_norm text GENERATED ALWAYS AS (mdm.normalize_text(raw_name)) STORED);
INSERT INTO lead (raw_name) VALUES ('  ＺＨＡＮＧ　Wei '), (NULL), ('   ');
SELECT format('%L', raw_name) AS raw_name, format('%L', name_norm) AS name_norm
  FROM lead ORDER BY raw_name NULLS LAST;

-- it works inside parallel plans
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TABLE many AS SELECT g, 'ＩＤ　' || g AS s FROM generate_series(1, 5000) g;
ANALYZE many;
EXPLAIN (COSTS OFF)
SELECT count(*) FILTER (WHERE mdm.normalize_text(s) = 'id ' || g) AS normalized FROM many;
SELECT count(*) FILTER (WHERE mdm.normalize_text(s) = 'id ' || g) AS normalized FROM many;
RESET ALL;

DROP TABLE contact, lead, many;
