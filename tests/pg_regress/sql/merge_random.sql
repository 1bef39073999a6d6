-- Randomized merges and unmerges (seeded: the same run every time): many
-- random merges, then their unmerges in reverse order, and again in random
-- order where allowed (an unmerge refused because a later merge took the
-- records in is retried after it), leave every table identical: the md5 of
-- each table's ordered rows before and after.
SET client_min_messages = warning;
SELECT setseed(0.42);
CREATE TABLE rc (id int PRIMARY KEY, name text, phone text, email text, parent_id int REFERENCES rc);
CREATE INDEX ON rc (parent_id);
CREATE TABLE ro (order_id int PRIMARY KEY, customer_id int NOT NULL REFERENCES rc, amount int);
CREATE INDEX ON ro (customer_id);
CREATE TABLE rl (customer_id int NOT NULL REFERENCES rc, tag text NOT NULL, UNIQUE (customer_id, tag));
INSERT INTO rc SELECT i, 'customer ' || (i % 17), '1380013' || lpad((i % 23)::text, 4, '0'),
                      CASE WHEN i % 3 = 0 THEN NULL ELSE 'c' || i || '@example.com' END, NULL
  FROM generate_series(1, 60) i;
UPDATE rc SET parent_id = 1 + (id * 7) % 60 WHERE id % 5 = 0;
INSERT INTO ro SELECT i, 1 + (i * 13) % 60, i FROM generate_series(1, 200) i;
INSERT INTO rl SELECT DISTINCT 1 + (i * 11) % 60, 'tag' || (i % 4) FROM generate_series(1, 150) i;
SELECT mdm.register('rc', '{"name": "name", "phone": "phone", "email": "email"}');

CREATE FUNCTION rhash() RETURNS text LANGUAGE sql AS $$
    SELECT md5(concat_ws('/',
        (SELECT string_agg(r::text, '|' ORDER BY r.id) FROM rc r),
        (SELECT string_agg(o::text, '|' ORDER BY o.order_id) FROM ro o),
        (SELECT string_agg(l::text, '|' ORDER BY l.customer_id, l.tag) FROM rl l),
        (SELECT string_agg(k.record_id || ':' || array_to_string(k.keys, ','), '|' ORDER BY k.record_id)
           FROM mdm.record_keys k WHERE k.tbl = 'rc'::regclass)))
$$;
CREATE TEMP TABLE before_hash AS SELECT rhash() AS h;

-- random_merges(n): n merges of a random survivor and 1 to 3 random losers.
CREATE FUNCTION random_merges(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    s int;
    l int[];
    done int := 0;
BEGIN
    FOR i IN 1..n LOOP
        SELECT id INTO s FROM rc ORDER BY random() LIMIT 1;
        SELECT array_agg(id) INTO l FROM (SELECT id FROM rc WHERE id <> s ORDER BY random() LIMIT 1 + floor(random() * 3)::int) x;
        CALL mdm.merge('rc', s, l, CASE WHEN random() < 0.5 THEN NULL ELSE '{"default": "longest"}' END::jsonb);
        done := done + 1;
    END LOOP;
    RETURN done;
END $$;

-- 1. Merges, then every unmerge in reverse order.
SELECT random_merges(25) AS merges;
SELECT count(*) AS customers_left FROM rc;
SELECT count(*) FILTER (WHERE mdm.unmerge(merge_id) IS NULL) AS unmerged
  FROM (SELECT merge_id FROM mdm.merge WHERE tbl = 'rc'::regclass AND undone_at IS NULL ORDER BY merge_id DESC) m;
SELECT rhash() = (SELECT h FROM before_hash) AS identical_after_reverse_order;

-- 2. Merges, then unmerges in random order: a refused one (a later merge
-- took its records, or a record its rows reference, away) waits for a later
-- round.
SELECT random_merges(25) AS merges;
SELECT count(*) AS customers_left FROM rc;
CREATE FUNCTION unmerge_randomly() RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    m bigint;
    refused int := 0;
    undone int := 0;
BEGIN
    LOOP
        SELECT merge_id INTO m FROM mdm.merge WHERE tbl = 'rc'::regclass AND undone_at IS NULL ORDER BY random() LIMIT 1;
        EXIT WHEN NOT FOUND;
        BEGIN
            PERFORM mdm.unmerge(m);
            undone := undone + 1;
        EXCEPTION WHEN object_not_in_prerequisite_state THEN
            refused := refused + 1;
        END;
    END LOOP;
    RETURN jsonb_build_object('undone', undone, 'refused_then_retried', refused > 0);
END $$;
SELECT unmerge_randomly();
SELECT rhash() = (SELECT h FROM before_hash) AS identical_after_random_order;
SELECT count(*) AS redirects_left FROM mdm.merge_redirect WHERE tbl = 'rc'::regclass;

SELECT mdm.unregister('rc');
DROP FUNCTION random_merges(int), unmerge_randomly(), rhash();
DROP TABLE rl, ro, rc;
