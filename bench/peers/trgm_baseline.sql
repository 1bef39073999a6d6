-- bench/peers/trgm_baseline.sql: duplicate detection as a competent DBA
-- would write it today with PostgreSQL's own tools: lower()/regexp_replace
-- clean-up, pg_trgm (a GIN trigram index and the % operator) for candidate
-- names, exact keys for phone, e-mail and ID, fuzzystrmatch's levenshtein
-- for addresses. Reads rec_std; writes the predicted pairs to :out.
\i bench/peers/session.sql
DROP TABLE IF EXISTS trgm_norm, trgm_keys, trgm_cand;

CREATE TABLE trgm_norm AS
SELECT record_id, source_table,
       nullif(lower(regexp_replace(coalesce(name, ''), '[[:space:].·,]+', '', 'g')), '') AS n,
       nullif(right(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 11), '') AS p1,
       nullif(right(regexp_replace(coalesce(phone2, ''), '[^0-9]', '', 'g'), 11), '') AS p2,
       nullif(lower(btrim(coalesce(email, ''))), '') AS e,
       nullif(upper(regexp_replace(coalesce(id_number, ''), '[^0-9A-Za-z]', '', 'g')), '') AS i,
       nullif(lower(regexp_replace(coalesce(address, ''), '[[:space:],.]+', '', 'g')), '') AS a,
       nullif(lower(regexp_replace(coalesce(company, ''), '[[:space:],.()（）]+', '', 'g')), '') AS c
  FROM rec_std;
CREATE INDEX ON trgm_norm USING gin (n gin_trgm_ops);
ANALYZE trgm_norm;

-- Exact keys: phone (either column, last 11 digits, at least 7), e-mail, ID.
CREATE TABLE trgm_keys AS
SELECT record_id, 'p' || p AS k FROM trgm_norm, LATERAL (VALUES (p1), (p2)) v(p) WHERE length(p) >= 7
UNION
SELECT record_id, 'e' || e FROM trgm_norm WHERE e IS NOT NULL
UNION
SELECT record_id, 'i' || i FROM trgm_norm WHERE i IS NOT NULL;
CREATE INDEX ON trgm_keys (k);

-- Candidates: a shared key, or trigram-similar names (similarity >= 0.5).
SET pg_trgm.similarity_threshold = 0.5;
CREATE TABLE trgm_cand AS
SELECT DISTINCT x.record_id AS l, y.record_id AS r
  FROM trgm_keys x JOIN trgm_keys y ON y.k = x.k AND x.record_id < y.record_id
UNION
SELECT x.record_id, y.record_id
  FROM trgm_norm x JOIN trgm_norm y ON y.n % x.n AND x.record_id < y.record_id;
ANALYZE trgm_cand;

-- Decision: the same ID or e-mail; or a shared phone and similar names; or
-- similar names and the same company or an address a few edits away.
\pset format csv
SELECT c.l, c.r
  FROM trgm_cand c
  JOIN trgm_norm x ON x.record_id = c.l
  JOIN trgm_norm y ON y.record_id = c.r
 WHERE (x.source_table = '' OR x.source_table <> y.source_table)
   AND (x.i = y.i
        OR x.e = y.e
        OR ((x.p1 IN (y.p1, y.p2) OR x.p2 IN (y.p1, y.p2)) AND similarity(x.n, y.n) >= 0.5)
        OR (similarity(x.n, y.n) >= 0.7
            AND (x.c = y.c OR levenshtein(left(x.a, 255), left(y.a, 255)) <= 3)))
 ORDER BY 1, 2 \g :out
\pset format aligned
\i bench/peers/peak_memory.sql
