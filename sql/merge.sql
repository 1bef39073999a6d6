-- Merging: the journal tables, views and the PL/pgSQL of merge, unmerge, resolve_id (src/merge/mod.rs).
-- Loaded by extension_sql_file!; @extschema@ is the extension's schema.
-- The merge journal (kept by pg_dump): everything an undo needs.
CREATE TABLE @extschema@.merge (
    merge_id   bigserial PRIMARY KEY,
    tbl        regclass NOT NULL,
    key_column text NOT NULL,
    survivor   text COLLATE "C" NOT NULL,
    losers     text[] NOT NULL,
    before     jsonb NOT NULL,
    golden     jsonb NOT NULL,
    rules      jsonb,
    merged_by  name NOT NULL DEFAULT current_user,
    merged_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    undone_by  name,
    undone_at  timestamptz
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.merge', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.merge_merge_id_seq', '');
CREATE INDEX merge_tbl_survivor ON @extschema@.merge (tbl, survivor);
COMMENT ON TABLE @extschema@.merge IS
'The merge journal: one row per CALL mdm.merge, with the full before-image of the survivor and the losers (before: {"survivor": row, "losers": [rows]}), the survivor''s row after the merge (golden), the rules used, who merged and when, and who undid it and when (mdm.unmerge). Kept by pg_dump.';

CREATE TABLE @extschema@.merge_ref (
    merge_id   bigint NOT NULL REFERENCES @extschema@.merge ON DELETE CASCADE,
    ref_table  regclass NOT NULL,
    fk_name    name NOT NULL,
    action     text NOT NULL CHECK (action IN ('repointed', 'removed')),
    row_key    jsonb NOT NULL,
    old_values jsonb NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.merge_ref', '');
CREATE INDEX merge_ref_merge ON @extschema@.merge_ref (merge_id);
COMMENT ON TABLE @extschema@.merge_ref IS
'Every referencing row a merge touched: repointed (row_key: the row''s primary key after re-pointing, or the whole row when its table has none; old_values: the foreign-key columns before) or removed because re-pointing it would have broken a unique constraint (old_values: the whole row). Kept by pg_dump.';

CREATE TABLE @extschema@.merge_redirect (
    tbl      regclass NOT NULL,
    old_id   text COLLATE "C" NOT NULL,
    new_id   text COLLATE "C" NOT NULL,
    merge_id bigint NOT NULL REFERENCES @extschema@.merge ON DELETE CASCADE,
    PRIMARY KEY (tbl, old_id)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.merge_redirect', '');
COMMENT ON TABLE @extschema@.merge_redirect IS
'Ids merged away and the id they went to (mdm.resolve_id follows the chains). Kept by pg_dump.';

CREATE VIEW @extschema@.merge_history AS
SELECT m.merge_id, m.tbl, m.survivor, m.losers, m.merged_by, m.merged_at, m.undone_by, m.undone_at,
       m.rules,
       (SELECT count(*) FROM @extschema@.merge_ref r WHERE r.merge_id = m.merge_id AND r.action = 'repointed') AS rows_repointed,
       (SELECT count(*) FROM @extschema@.merge_ref r WHERE r.merge_id = m.merge_id AND r.action = 'removed') AS rows_removed,
       CASE WHEN m.undone_at IS NULL THEN 'merged' ELSE 'undone' END AS status
  FROM @extschema@.merge m;
COMMENT ON VIEW @extschema@.merge_history IS
'Past merges: table, survivor, losers, who merged and when, the rules, how many referencing rows were re-pointed or removed, and whether the merge was undone (by whom, when).';

-- The columns of a table a merge may write: not the key, not generated,
-- not an identity column, not a column another table references.
CREATE FUNCTION @extschema@._merge_columns(tbl regclass, key_column text) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}')
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname <> key_column AND a.attgenerated = '' AND a.attidentity = ''
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint f
                        WHERE f.contype = 'f' AND f.confrelid = tbl
                          AND (a.attnum = ANY (f.confkey) OR (f.conrelid = tbl AND a.attnum = ANY (f.conkey)))));
END
$$;
COMMENT ON FUNCTION @extschema@._merge_columns(regclass, text) IS
'Internal: the columns mdm.merge computes a golden value for (every column but the key, generated and identity columns, columns other tables reference, and the table''s own references to itself, which are re-pointed instead).';

-- The golden value of one column: the candidates (survivor first, then the
-- losers in the order given) as row images, the rule, the roles.
CREATE FUNCTION @extschema@._golden_value(images jsonb[], col text, rule jsonb, updated_col text, source_col text,
                                          tbl regclass)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    name text := coalesce(rule ->> 'rule', rule #>> '{}');
    ord int[];
    v jsonb;
    expr_result jsonb;
BEGIN
    IF rule ? 'expression' THEN
        -- A SQL expression over the candidate values: value (the column's
        -- type) and ord (1 = survivor), e.g. "max(value)", "string_agg(DISTINCT value, '; ')".
        EXECUTE format('SELECT to_jsonb((SELECT %s FROM (SELECT (pg_catalog.jsonb_populate_record(NULL::%s, i)).%I AS value, o AS ord
                                                        FROM unnest($1) WITH ORDINALITY AS u(i, o)) c))',
                       rule ->> 'expression', tbl, col)
           INTO expr_result USING images;
        RETURN coalesce(expr_result, 'null');
    END IF;
    CASE name
    WHEN 'survivor' THEN
        RETURN coalesce(images[1] -> col, 'null');
    WHEN 'first_non_null' THEN
        SELECT array_agg(o ORDER BY o) INTO ord FROM generate_subscripts(images, 1) o;
    WHEN 'longest' THEN
        SELECT array_agg(o ORDER BY length(images[o] ->> col) DESC NULLS LAST, o) INTO ord
          FROM generate_subscripts(images, 1) o;
    WHEN 'most_recent' THEN
        IF updated_col IS NULL THEN
            RAISE EXCEPTION 'rule most_recent needs the updated_at role mapped'
                USING ERRCODE = '22023', HINT = 'Map updated_at in mdm.register, or use another rule.';
        END IF;
        SELECT array_agg(o ORDER BY (images[o] ->> updated_col)::timestamptz DESC NULLS LAST, o) INTO ord
          FROM generate_subscripts(images, 1) o;
    WHEN 'most_complete' THEN
        SELECT array_agg(o ORDER BY (SELECT count(*) FROM jsonb_each(images[o]) e WHERE e.value <> 'null') DESC, o)
          INTO ord FROM generate_subscripts(images, 1) o;
    WHEN 'source_priority' THEN
        IF source_col IS NULL THEN
            RAISE EXCEPTION 'rule source_priority needs the source role mapped'
                USING ERRCODE = '22023', HINT = 'Map source in mdm.register, or use another rule.';
        END IF;
        IF jsonb_typeof(rule -> 'order') IS DISTINCT FROM 'array' THEN
            RAISE EXCEPTION 'rule source_priority needs an order'
                USING ERRCODE = '22023', HINT = 'For example {"rule": "source_priority", "order": ["erp", "web_form"]}.';
        END IF;
        SELECT array_agg(o ORDER BY coalesce((SELECT p.n FROM jsonb_array_elements_text(rule -> 'order') WITH ORDINALITY AS p(s, n)
                                               WHERE p.s = images[o] ->> source_col), 2147483647), o)
          INTO ord FROM generate_subscripts(images, 1) o;
    ELSE
        RAISE EXCEPTION 'unknown survivorship rule "%" for column "%"', name, col
            USING ERRCODE = '22023',
                  HINT = 'The rules are most_recent, most_complete, longest, source_priority (with an order), survivor, first_non_null, or {"expression": "SQL over value"}.';
    END CASE;
    FOREACH v IN ARRAY ARRAY(SELECT images[o] -> col FROM unnest(ord) o) LOOP
        IF v IS NOT NULL AND v <> 'null' THEN
            RETURN v;
        END IF;
    END LOOP;
    RETURN 'null';
END
$$;
COMMENT ON FUNCTION @extschema@._golden_value(jsonb[], text, jsonb, text, text, regclass) IS
'Internal: the value a survivorship rule picks for one column from the candidates'' row images (survivor first).';

-- The steps of mdm.merge, each a function of its own.

-- Locks the records (survivor first), failing at once if another
-- transaction holds one; their images in the order of ids.
CREATE FUNCTION @extschema@._merge_lock(tbl regclass, key_column text, key_type text, ids text[]) RETURNS jsonb[]
LANGUAGE plpgsql AS $$
DECLARE
    n_found int;
    images jsonb[];
    missing text[];
BEGIN
    BEGIN
        EXECUTE format('SELECT count(*), array_agg(s.img ORDER BY array_position($1::text[], s.id))
                          FROM (SELECT t.%2$I::text AS id, to_jsonb(t) AS img FROM %1$s t
                                 WHERE t.%2$I = ANY ($1::text[]::%3$s[]) FOR UPDATE NOWAIT) s',
                       tbl, key_column, key_type)
           INTO n_found, images USING ids;
    EXCEPTION WHEN lock_not_available THEN
        RAISE EXCEPTION 'a record to merge is locked by another transaction (being merged or changed elsewhere)'
            USING ERRCODE = '55P03', DETAIL = format('Records %s of %s.', array_to_string(ids, ', '), tbl),
                  HINT = 'Retry once the other transaction has finished.';
    END;
    IF n_found < cardinality(ids) THEN
        EXECUTE format('SELECT array_agg(i) FROM unnest($1::text[]) i
                         WHERE NOT EXISTS (SELECT FROM %s t WHERE t.%I::text = i)', tbl, key_column)
           INTO missing USING ids;
        RAISE EXCEPTION 'no row of table % has primary key %', tbl, array_to_string(missing, ', ')
            USING ERRCODE = '22023', HINT = 'Pass primary-key values of existing rows.';
    END IF;
    RETURN images;
END
$$;
COMMENT ON FUNCTION @extschema@._merge_lock(regclass, text, text, text[]) IS
'Internal: locks the records of a merge (FOR UPDATE NOWAIT: 55P03 when another transaction holds one; 22023 naming the ids that are no row) and returns their images in the order given.';

-- The golden record: the survivor's image with every computed column set
-- by its rule.
CREATE FUNCTION @extschema@._merge_golden(tbl regclass, fields jsonb, cols text[], images jsonb[], rules jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    col text;
    updated_col text;
    source_col text;
    default_rule jsonb;
    golden_row jsonb := images[1];
BEGIN
    SELECT c #>> '{}' INTO updated_col FROM jsonb_array_elements(fields -> 'updated_at') c LIMIT 1;
    SELECT c #>> '{}' INTO source_col FROM jsonb_array_elements(fields -> 'source') c LIMIT 1;
    IF rules IS NOT NULL AND jsonb_typeof(rules) <> 'object' THEN
        RAISE EXCEPTION 'rules is not a jsonb object' USING ERRCODE = '22023',
            HINT = 'For example {"default": "first_non_null", "columns": {"phone": "most_recent", "company": {"rule": "source_priority", "order": ["erp"]}}}.';
    END IF;
    IF rules ? 'columns' THEN
        SELECT min(c) INTO col FROM jsonb_object_keys(rules -> 'columns') c WHERE c <> ALL (cols);
        IF col IS NOT NULL THEN
            RAISE EXCEPTION 'rules name column "%", which mdm.merge does not compute', col USING ERRCODE = '42703',
                HINT = 'Rules apply to the table''s columns other than the key, generated and identity columns and columns other tables reference.';
        END IF;
    END IF;
    default_rule := coalesce(rules -> 'default', '"first_non_null"');
    FOREACH col IN ARRAY cols LOOP
        golden_row := jsonb_set(golden_row, ARRAY[col],
                                @extschema@._golden_value(images, col, coalesce(rules -> 'columns' -> col, default_rule),
                                                          updated_col, source_col, tbl));
    END LOOP;
    RETURN golden_row;
END
$$;
COMMENT ON FUNCTION @extschema@._merge_golden(regclass, jsonb, text[], jsonb[], jsonb) IS
'Internal: the golden record of a merge: the survivor''s image with each computed column (cols, from mdm._merge_columns) set by its rule (rules -> columns -> col, else rules -> default, else first_non_null); refuses rules that are not an object (22023) or name a column it does not compute (42703).';

-- Row by row: each loser's referencing rows re-pointed; a row whose
-- re-pointing would break a unique constraint is journalled and removed.
CREATE FUNCTION @extschema@._merge_repoint_rows(tbl regclass, key_column text, ref_table regclass, conname name,
                                                fk_cols text[], ref_cols text[], row_key_expr text,
                                                ids text[], los text[], images jsonb[], fk_new jsonb, mid bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    loser text;
    old_vals jsonb;
    r record;
    k jsonb;
    cols_t text := (SELECT string_agg(format('t.%I', x), ', ') FROM unnest(fk_cols) x);
    cols text := (SELECT string_agg(format('%I', x), ', ') FROM unnest(fk_cols) x);
BEGIN
    FOREACH loser IN ARRAY los LOOP
        SELECT jsonb_object_agg(f, images[array_position(ids, loser)] -> rc) INTO old_vals
          FROM unnest(fk_cols, ref_cols) AS z(f, rc);
        FOR r IN EXECUTE format(
            'SELECT t.ctid AS tid, to_jsonb(t) AS img FROM %s t
              WHERE (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, $1)) %s FOR UPDATE',
            ref_table, cols_t, cols, ref_table,
            -- a loser pointing at a loser goes with it (its image is journalled)
            CASE WHEN ref_table = tbl THEN format('AND t.%I::text <> ALL ($2)', key_column) ELSE '' END)
            USING old_vals, los
        LOOP
            BEGIN
                EXECUTE format(
                    'UPDATE %s t SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, $1)) WHERE t.ctid = $2
                     RETURNING %s',
                    ref_table, cols, cols, ref_table, row_key_expr)
                   INTO k USING fk_new, r.tid;
                INSERT INTO @extschema@.merge_ref VALUES (mid, ref_table, conname, 'repointed', k, old_vals);
            EXCEPTION WHEN unique_violation OR exclusion_violation THEN
                EXECUTE format('DELETE FROM %s t WHERE t.ctid = $1', ref_table) USING r.tid;
                INSERT INTO @extschema@.merge_ref VALUES (mid, ref_table, conname, 'removed', r.img, r.img);
            END;
        END LOOP;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._merge_repoint_rows(regclass, text, regclass, name, text[], text[], text, text[], text[], jsonb[], jsonb, bigint) IS
'Internal: re-points the rows of one foreign key that reference the losers of a merge one by one, journalling each (mdm.merge_ref); a row whose re-pointing would break a unique constraint is journalled and removed.';

-- The losers' rows of a composite foreign key re-pointed and journalled,
-- one statement per loser.
CREATE FUNCTION @extschema@._merge_repoint_composite(tbl regclass, key_column text, ref_table regclass, conname name,
                                                     fk_cols text[], ref_cols text[], row_key_expr text,
                                                     ids text[], los text[], images jsonb[], fk_new jsonb, mid bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    loser text;
    old_vals jsonb;
BEGIN
    FOREACH loser IN ARRAY los LOOP
        SELECT jsonb_object_agg(f, images[array_position(ids, loser)] -> rc) INTO old_vals
          FROM unnest(fk_cols, ref_cols) AS z(f, rc);
        EXECUTE format(
            'WITH o AS (SELECT t.ctid AS tid FROM %1$s t
                         WHERE (%2$s) = (SELECT %3$s FROM jsonb_populate_record(NULL::%1$s, $1)) %4$s
                           FOR UPDATE),
                  u AS (UPDATE %1$s t SET (%3$s) = (SELECT %3$s FROM jsonb_populate_record(NULL::%1$s, $2))
                          FROM o WHERE t.ctid = o.tid
                        RETURNING %5$s AS k)
             INSERT INTO @extschema@.merge_ref SELECT $5, $6, $7, ''repointed'', u.k, $1 FROM u',
            ref_table,
            (SELECT string_agg(format('t.%I', x), ', ') FROM unnest(fk_cols) x),
            (SELECT string_agg(format('%I', x), ', ') FROM unnest(fk_cols) x),
            CASE WHEN ref_table = tbl THEN format('AND t.%I::text <> ALL ($4)', key_column) ELSE '' END,
            row_key_expr)
           USING old_vals, fk_new, NULL::text, los, mid, ref_table, conname;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._merge_repoint_composite(regclass, text, regclass, name, text[], text[], text, text[], text[], jsonb[], jsonb, bigint) IS
'Internal: re-points the rows of a composite foreign key that reference the losers of a merge, journalled in mdm.merge_ref, one statement per loser.';

-- Re-points every foreign key that references the table from the losers
-- to the survivor, journalled: one statement per foreign key (an index
-- lookup on it), row by row only after a unique collision.
CREATE FUNCTION @extschema@._merge_repoint(tbl regclass, key_column text, ids text[], los text[], images jsonb[], mid bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    fk record;
    fk_new jsonb;
    row_key_expr text;
BEGIN
    -- The foreign keys that reference the table (any schema, composite
    -- keys), with what re-pointing them needs.
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS ref_table,
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, o)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS fk_cols,
               ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, o)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols,
               ARRAY(SELECT a.attname::text FROM pg_catalog.pg_index i
                       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(n, o)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                      WHERE i.indrelid = c.conrelid AND i.indisprimary ORDER BY k.o) AS pk_cols,
               (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) AS fk_type,
               EXISTS (SELECT FROM pg_catalog.pg_index i
                        WHERE i.indrelid = c.conrelid AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                          AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey) AS indexed
          FROM pg_catalog.pg_constraint c
         WHERE c.contype = 'f' AND c.confrelid = tbl
         ORDER BY c.conrelid::regclass::text, c.conname
    LOOP
        IF NOT fk.indexed AND current_setting('mdm.merge_batch', true) IS DISTINCT FROM 'on' THEN
            RAISE WARNING 'foreign key % of % has no index on (%): every merge scans that table',
                fk.conname, fk.ref_table, array_to_string(fk.fk_cols, ', ')
                USING HINT = format('CREATE INDEX ON %s (%s);', fk.ref_table,
                                    (SELECT string_agg(format('%I', x), ', ') FROM unnest(fk.fk_cols) x));
        END IF;
        SELECT jsonb_object_agg(f, images[1] -> rc) INTO fk_new FROM unnest(fk.fk_cols, fk.ref_cols) AS z(f, rc);
        -- The key of a re-pointed row in the journal: its primary key (or
        -- the whole row when its table has none).
        row_key_expr := CASE WHEN cardinality(fk.pk_cols) > 0
                             THEN format('jsonb_build_object(%s)',
                                         (SELECT string_agg(format('%L, t.%I', x, x), ', ') FROM unnest(fk.pk_cols) x))
                             ELSE 'to_jsonb(t)' END;
        BEGIN
            IF cardinality(fk.fk_cols) = 1 THEN
                EXECUTE format(
                    'WITH o AS (SELECT t.ctid AS tid, t.%2$I AS old FROM %1$s t
                                 WHERE t.%2$I = ANY ($1::text[]::%3$s[]) %4$s FOR UPDATE),
                          u AS (UPDATE %1$s t SET %2$I = $2::%3$s FROM o WHERE t.ctid = o.tid
                                RETURNING %5$s AS k, jsonb_build_object(%2$L, o.old) AS old)
                     INSERT INTO @extschema@.merge_ref SELECT $5, $6, $7, ''repointed'', u.k, u.old FROM u',
                    fk.ref_table, fk.fk_cols[1], fk.fk_type,
                    CASE WHEN fk.ref_table = tbl THEN format('AND t.%I::text <> ALL ($4)', key_column) ELSE '' END,
                    row_key_expr)
                   USING ARRAY(SELECT images[array_position(ids, l)] ->> fk.ref_cols[1] FROM unnest(los) l),
                         images[1] ->> fk.ref_cols[1], NULL::text, los, mid, fk.ref_table, fk.conname;
            ELSE
                PERFORM @extschema@._merge_repoint_composite(tbl, key_column, fk.ref_table, fk.conname, fk.fk_cols,
                                                             fk.ref_cols, row_key_expr, ids, los, images, fk_new, mid);
            END IF;
            CONTINUE;
        EXCEPTION WHEN unique_violation OR exclusion_violation THEN
            NULL;  -- rolled back: row by row
        END;
        PERFORM @extschema@._merge_repoint_rows(tbl, key_column, fk.ref_table, fk.conname, fk.fk_cols, fk.ref_cols,
                                                row_key_expr, ids, los, images, fk_new, mid);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._merge_repoint(regclass, text, text[], text[], jsonb[], bigint) IS
'Internal: re-points every foreign key that references the table from the losers of a merge to its survivor, journalled in mdm.merge_ref (one WARNING per unindexed foreign key unless mdm.merge_batch is on).';

CREATE PROCEDURE @extschema@.merge(tbl regclass, survivor anyelement, losers anyarray, rules jsonb DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    reg record;
    surv text := survivor::text;
    los text[];
    ids text[];
    images jsonb[];
    golden_row jsonb;
    cols text[];
    mid bigint;
    clusters bigint[];
    rt_setting text;
BEGIN
    -- The key's type comes from the catalog, never from stored text.
    SELECT g.key_column, @extschema@._key_type(g.tbl, g.key_column) AS key_type, g.fields INTO reg
      FROM @extschema@.registration g WHERE g.tbl = merge.tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not registered with customer_mdm', tbl
            USING ERRCODE = '55000', HINT = format('Register it first: SELECT mdm.register(%L, ...);', tbl::text);
    END IF;
    IF survivor IS NULL THEN
        RAISE EXCEPTION 'survivor is NULL' USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(DISTINCT x::text) INTO los FROM unnest(losers) x WHERE x IS NOT NULL;
    IF los IS NULL THEN
        RAISE EXCEPTION 'losers is empty: nothing to merge into record %', surv
            USING ERRCODE = '22023', HINT = 'Pass the ids of the records to merge into the survivor, e.g. ARRAY[43, 44].';
    END IF;
    IF surv = ANY (los) THEN
        RAISE EXCEPTION 'record % is both the survivor and a loser', surv USING ERRCODE = '22023';
    END IF;
    -- Keep the losers in the order given (it is the order of first_non_null).
    SELECT array_agg(x ORDER BY min_o) INTO los
      FROM (SELECT x::text AS x, min(o) AS min_o FROM unnest(losers) WITH ORDINALITY AS u(x, o)
             WHERE x IS NOT NULL GROUP BY 1) s;
    ids := surv || los;
    -- 1. Lock the records, failing at once if another transaction holds one.
    images := @extschema@._merge_lock(tbl, reg.key_column, reg.key_type, ids);
    SELECT array_agg(DISTINCT m.cluster_id) INTO clusters FROM @extschema@.cluster_member m
     WHERE m.tbl = merge.tbl AND m.record_id = ANY (ids);
    -- 2. The before-images and the golden record.
    cols := @extschema@._merge_columns(tbl, reg.key_column);
    golden_row := @extschema@._merge_golden(tbl, reg.fields, cols, images, rules);
    INSERT INTO @extschema@.merge (tbl, key_column, survivor, losers, before, golden, rules)
    VALUES (tbl, reg.key_column, surv, los, jsonb_build_object('survivor', images[1], 'losers', to_jsonb(images[2:])),
            golden_row, rules)
    RETURNING merge_id INTO mid;
    -- The realtime trigger stays quiet during the merge (keys are still kept).
    rt_setting := current_setting('customer_mdm.realtime', true);
    PERFORM set_config('customer_mdm.realtime', 'off', true);
    -- 3. Re-point every foreign key that references the table.
    PERFORM @extschema@._merge_repoint(tbl, reg.key_column, ids, los, images, mid);
    -- 4. Delete the losers (the key trigger drops their keys and pairs).
    EXECUTE format('DELETE FROM %s t WHERE t.%I = ANY ($1::text[]::%s[])', tbl, reg.key_column, reg.key_type) USING los;
    -- The golden record.
    IF cardinality(cols) > 0 THEN
        EXECUTE format('UPDATE %s t SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, $1)) WHERE t.%I = $2::%s
                        RETURNING to_jsonb(t)',
                       tbl,
                       (SELECT string_agg(format('%I', x), ', ') FROM unnest(cols) x),
                       (SELECT string_agg(format('%I', x), ', ') FROM unnest(cols) x),
                       tbl, reg.key_column, reg.key_type)
           INTO golden_row USING golden_row, surv;
    ELSE
        EXECUTE format('SELECT to_jsonb(t) FROM %s t WHERE t.%I = $1::%s', tbl, reg.key_column, reg.key_type)
           INTO golden_row USING surv;
    END IF;
    UPDATE @extschema@.merge m SET golden = golden_row WHERE m.merge_id = mid;
    -- 5. Redirects, and clusters without the losers.
    INSERT INTO @extschema@.merge_redirect (tbl, old_id, new_id, merge_id)
    SELECT tbl, l, surv, mid FROM unnest(los) l
    ON CONFLICT ON CONSTRAINT merge_redirect_pkey DO UPDATE SET new_id = excluded.new_id, merge_id = excluded.merge_id;
    PERFORM @extschema@._merge_fix_clusters(tbl, clusters);
    PERFORM set_config('customer_mdm.realtime', coalesce(rt_setting, 'on'), true);
    IF current_setting('mdm.merge_batch', true) IS DISTINCT FROM 'on' THEN
        RAISE NOTICE 'merge %: % record(s) of % merged into %', mid, cardinality(los), tbl, surv;
    END IF;
END
$$;

CREATE FUNCTION @extschema@._merge_fix_clusters(tbl regclass, clusters bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF clusters IS NULL OR cardinality(clusters) = 0 THEN
        RETURN;
    END IF;
    UPDATE @extschema@.cluster c
       SET cluster_size = (SELECT count(*) FROM @extschema@.cluster_member m WHERE m.tbl = $1 AND m.cluster_id = c.cluster_id)
     WHERE c.tbl = $1 AND c.cluster_id = ANY ($2);
    DELETE FROM @extschema@.cluster_member m
     WHERE m.tbl = $1 AND m.cluster_id = ANY ($2)
       AND (SELECT count(*) FROM @extschema@.cluster_member o WHERE o.tbl = $1 AND o.cluster_id = m.cluster_id) < 2;
    DELETE FROM @extschema@.cluster c
     WHERE c.tbl = $1 AND c.cluster_id = ANY ($2)
       AND NOT EXISTS (SELECT FROM @extschema@.cluster_member m WHERE m.tbl = $1 AND m.cluster_id = c.cluster_id);
END
$$;
COMMENT ON FUNCTION @extschema@._merge_fix_clusters(regclass, bigint[]) IS
'Internal: after a merge or an unmerge, the sizes of the clusters it touched follow the members left, and those of fewer than two records go.';

-- A condition finding the row of table ref (alias t) that the jsonb
-- expression key identifies: by primary key when the table has one (an
-- index lookup), by all the columns key holds otherwise.
CREATE FUNCTION @extschema@._merge_row_match(ref regclass, key text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT format('(%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, %s))',
                       string_agg(format('t.%I', a.attname), ', ' ORDER BY k.o),
                       string_agg(format('%I', a.attname), ', ' ORDER BY k.o), ref, key)
           FROM pg_catalog.pg_index i
          CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(n, o)
           JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
          WHERE i.indrelid = ref AND i.indisprimary
         HAVING count(*) > 0),
        format('to_jsonb(t) @> %s', key))
$$;
COMMENT ON FUNCTION @extschema@._merge_row_match(regclass, text) IS
'Internal: the WHERE condition mdm.unmerge finds a journalled referencing row with (its primary key, or all its columns).';

-- What an undo needs to hold: no later merge of its records, nothing
-- changed since. Raises 55000 saying what does not hold.
CREATE FUNCTION @extschema@._unmerge_check(m @extschema@.merge) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    later bigint;
    cur jsonb;
    bad text;
    n bigint;
    ref record;
    touched text[];
BEGIN
    IF m.undone_at IS NOT NULL THEN
        RAISE EXCEPTION 'merge % was undone already', m.merge_id
            USING ERRCODE = '55000', HINT = 'mdm.merge_history shows who undid it and when.';
    END IF;
    -- A later merge that took in the survivor, a loser's id, or a record of
    -- the table this merge re-pointed (a reference to itself) must be
    -- undone first.
    touched := m.survivor || m.losers || ARRAY(SELECT r.row_key ->> m.key_column FROM @extschema@.merge_ref r
                                               WHERE r.merge_id = m.merge_id AND r.ref_table = m.tbl
                                                 AND r.row_key ? m.key_column);
    SELECT j.merge_id INTO later FROM @extschema@.merge j
     WHERE j.tbl = m.tbl AND j.merge_id > m.merge_id AND j.undone_at IS NULL
       AND (j.survivor = ANY (touched) OR j.losers && touched)
     ORDER BY j.merge_id DESC LIMIT 1;
    IF later IS NOT NULL THEN
        RAISE EXCEPTION 'cannot undo merge %: merge % involved its records afterwards', m.merge_id, later
            USING ERRCODE = '55000', HINT = format('Undo merge %s first.', later);
    END IF;
    -- Nothing may have changed since.
    EXECUTE format('SELECT to_jsonb(t) FROM %s t WHERE t.%I::text = $1', m.tbl, m.key_column) INTO cur USING m.survivor;
    IF cur IS DISTINCT FROM m.golden THEN
        RAISE EXCEPTION 'cannot undo merge %: record % of % changed since the merge', m.merge_id, m.survivor, m.tbl
            USING ERRCODE = '55000',
                  DETAIL = CASE WHEN cur IS NULL THEN 'The record was deleted.'
                           ELSE format('Columns changed: %s.', (SELECT string_agg(e.key, ', ' ORDER BY e.key) FROM jsonb_each(m.golden) e
                                                               WHERE cur -> e.key IS DISTINCT FROM e.value)) END;
    END IF;
    EXECUTE format('SELECT string_agg(t.%I::text, '', '') FROM %s t WHERE t.%I::text = ANY ($1)', m.key_column, m.tbl, m.key_column)
       INTO bad USING m.losers;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'cannot undo merge %: ids % of % exist again', m.merge_id, bad, m.tbl USING ERRCODE = '55000';
    END IF;
    FOR ref IN SELECT r.ref_table, r.fk_name, count(*) AS n FROM @extschema@.merge_ref r
                WHERE r.merge_id = m.merge_id AND r.action = 'repointed' GROUP BY 1, 2 ORDER BY 1, 2 LOOP
        -- Each re-pointed row, found by its key, still holds what the merge wrote.
        EXECUTE format('SELECT count(*) FROM @extschema@.merge_ref r
                         WHERE r.merge_id = $1 AND r.ref_table = $2 AND r.fk_name = $3 AND r.action = ''repointed''
                           AND EXISTS (SELECT FROM %s t WHERE %s AND to_jsonb(t) @> r.row_key)',
                       ref.ref_table, @extschema@._merge_row_match(ref.ref_table, 'r.row_key'))
           INTO n USING m.merge_id, ref.ref_table, ref.fk_name;
        IF n < ref.n THEN
            RAISE EXCEPTION 'cannot undo merge %: % of the % rows of % it re-pointed changed or went since', m.merge_id, ref.n - n, ref.n, ref.ref_table
                USING ERRCODE = '55000';
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._unmerge_check(@extschema@.merge) IS
'Internal: refuses (55000, saying why) to undo a merge that was undone, that a later merge involved, or whose survivor, losers'' ids or re-pointed rows changed since.';

-- Puts back what a merge changed: the losers, the survivor's values, the
-- re-pointed and the removed rows. All or nothing.
CREATE FUNCTION @extschema@._unmerge_restore(m @extschema@.merge) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cols text[];
    ins_cols text[];
    ref record;
    bad text;
BEGIN
    -- The losers come back with their ids and values.
    ins_cols := ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = m.tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                       ORDER BY a.attnum);
    -- One statement, so that losers referencing each other are all there
    -- when the foreign keys are checked.
    EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE
                    SELECT %s FROM jsonb_array_elements($1) AS i, jsonb_populate_record(NULL::%s, i) AS p',
                   m.tbl, (SELECT string_agg(format('%I', x), ', ') FROM unnest(ins_cols) x),
                   (SELECT string_agg(format('p.%I', x), ', ') FROM unnest(ins_cols) x), m.tbl)
       USING m.before -> 'losers';
    -- The survivor gets its values back.
    cols := @extschema@._merge_columns(m.tbl, m.key_column);
    IF cardinality(cols) > 0 THEN
        EXECUTE format('UPDATE %s t SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, $1)) WHERE t.%I::text = $2',
                       m.tbl, (SELECT string_agg(format('%I', x), ', ') FROM unnest(cols) x),
                       (SELECT string_agg(format('%I', x), ', ') FROM unnest(cols) x), m.tbl, m.key_column)
           USING m.before -> 'survivor', m.survivor;
    END IF;
    -- Referencing rows are re-pointed back, removed rows come back.
    FOR ref IN SELECT r.* FROM @extschema@.merge_ref r WHERE r.merge_id = m.merge_id AND r.action = 'repointed' LOOP
        EXECUTE format('UPDATE %s t SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, $1))
                         WHERE t.ctid = (SELECT t.ctid FROM %s t WHERE %s LIMIT 1)',
                       ref.ref_table,
                       (SELECT string_agg(format('%I', x), ', ') FROM jsonb_object_keys(ref.old_values) x),
                       (SELECT string_agg(format('%I', x), ', ') FROM jsonb_object_keys(ref.old_values) x),
                       ref.ref_table, ref.ref_table, @extschema@._merge_row_match(ref.ref_table, '$2'))
           USING ref.old_values, ref.row_key;
    END LOOP;
    FOR ref IN SELECT r.* FROM @extschema@.merge_ref r WHERE r.merge_id = m.merge_id AND r.action = 'removed' LOOP
        ins_cols := ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                           WHERE a.attrelid = ref.ref_table AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                           ORDER BY a.attnum);
        EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM jsonb_populate_record(NULL::%s, $1)',
                       ref.ref_table, (SELECT string_agg(format('%I', x), ', ') FROM unnest(ins_cols) x),
                       (SELECT string_agg(format('%I', x), ', ') FROM unnest(ins_cols) x), ref.ref_table)
           USING ref.old_values;
    END LOOP;
EXCEPTION WHEN foreign_key_violation OR unique_violation OR exclusion_violation OR check_violation THEN
    -- The restored rows no longer fit: a record they reference was
    -- merged away (or deleted) since, or a row took a restored key.
    GET STACKED DIAGNOSTICS bad = MESSAGE_TEXT;
    RAISE EXCEPTION 'cannot undo merge %: the rows it would restore no longer fit', m.merge_id
        USING ERRCODE = '55000', DETAIL = bad,
              HINT = 'A record they reference was merged away or deleted since: undo that merge first (mdm.merge_history).';
END
$$;
COMMENT ON FUNCTION @extschema@._unmerge_restore(@extschema@.merge) IS
'Internal: restores what a merge changed (the losers with their ids, the survivor''s values, the re-pointed and the removed referencing rows), all or nothing; 55000 when the restored rows no longer fit.';

CREATE FUNCTION @extschema@.unmerge(merge_id bigint) RETURNS void
LANGUAGE plpgsql STRICT AS $$
DECLARE
    m @extschema@.merge;
    rt_setting text;
BEGIN
    SELECT * INTO m FROM @extschema@.merge j WHERE j.merge_id = unmerge.merge_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'merge % does not exist', merge_id USING ERRCODE = '22023', HINT = 'mdm.merge_history lists the merges.';
    END IF;
    PERFORM @extschema@._unmerge_check(m);
    rt_setting := current_setting('customer_mdm.realtime', true);
    PERFORM set_config('customer_mdm.realtime', 'off', true);
    PERFORM @extschema@._unmerge_restore(m);
    DELETE FROM @extschema@.merge_redirect d WHERE d.merge_id = m.merge_id;
    UPDATE @extschema@.merge j SET undone_by = current_user, undone_at = clock_timestamp() WHERE j.merge_id = m.merge_id;
    PERFORM @extschema@._merge_fix_clusters(m.tbl, ARRAY(SELECT c.cluster_id FROM @extschema@.cluster_member c
                                                           WHERE c.tbl = m.tbl AND c.record_id = m.survivor));
    PERFORM set_config('customer_mdm.realtime', coalesce(rt_setting, 'on'), true);
    RAISE NOTICE 'merge % undone: % record(s) of % restored', merge_id, cardinality(m.losers), m.tbl;
END
$$;

CREATE FUNCTION @extschema@.resolve_id(tbl regclass, id anyelement) RETURNS anyelement
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    cur text := id::text;
    nxt text;
    hops int := 0;
    out_id alias for $0;
BEGIN
    LOOP
        SELECT d.new_id INTO nxt FROM @extschema@.merge_redirect d WHERE d.tbl = resolve_id.tbl AND d.old_id = cur;
        EXIT WHEN NOT FOUND OR hops > 1000;
        cur := nxt;
        hops := hops + 1;
    END LOOP;
    EXECUTE format('SELECT $1::%s', pg_typeof(id)) INTO out_id USING cur;
    RETURN out_id;
END
$$;

-- The survivor of a set of records under a documented rule.
CREATE FUNCTION @extschema@._merge_survivor(tbl regclass, ids text[], how text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    reg record;
    updated_col text;
    chosen text;
BEGIN
    SELECT g.key_column, @extschema@._key_type(g.tbl, g.key_column) AS key_type, g.fields INTO reg
      FROM @extschema@.registration g WHERE g.tbl = _merge_survivor.tbl;
    SELECT c #>> '{}' INTO updated_col FROM jsonb_array_elements(reg.fields -> 'updated_at') c LIMIT 1;
    IF how = 'most_recent' AND updated_col IS NULL THEN
        RAISE EXCEPTION 'survivor rule most_recent needs the updated_at role mapped' USING ERRCODE = '22023';
    END IF;
    IF how NOT IN ('oldest_id', 'most_complete', 'most_recent') THEN
        RAISE EXCEPTION 'unknown survivor rule "%"', how USING ERRCODE = '22023',
            HINT = 'The survivor rules are oldest_id (the default: the smallest id), most_complete (the most filled columns), most_recent (the latest updated_at).';
    END IF;
    EXECUTE format('SELECT t.%I::text FROM %s t WHERE t.%I = ANY ($1::text[]::%s[]) ORDER BY %s t.%I LIMIT 1',
                   reg.key_column, tbl, reg.key_column, reg.key_type,
                   CASE how WHEN 'most_complete' THEN '(SELECT count(*) FROM jsonb_each(to_jsonb(t)) e WHERE e.value <> ''null'') DESC,'
                            WHEN 'most_recent' THEN format('(to_jsonb(t) ->> %L)::timestamptz DESC NULLS LAST,', updated_col)
                            ELSE '' END,
                   reg.key_column)
       INTO chosen USING ids;
    RETURN chosen;
END
$$;
COMMENT ON FUNCTION @extschema@._merge_survivor(regclass, text[], text) IS
'Internal: the survivor among records: oldest_id (the smallest id), most_complete or most_recent (ties: the smallest id).';

CREATE FUNCTION @extschema@.merge_cluster(tbl regclass, cluster_id bigint, rules jsonb DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    members text[];
    surv text;
    apart record;
BEGIN
    SELECT array_agg(m.record_id ORDER BY m.record_id) INTO members FROM @extschema@.cluster_member m
     WHERE m.tbl = merge_cluster.tbl AND m.cluster_id = merge_cluster.cluster_id;
    IF coalesce(cardinality(members), 0) < 2 THEN
        RAISE EXCEPTION 'table % has no cluster %', tbl, cluster_id
            USING ERRCODE = '22023', HINT = 'mdm.duplicate_clusters lists the clusters (run mdm.find_duplicates first).';
    END IF;
    SELECT d.id_a, d.id_b INTO apart FROM @extschema@.decision d
     WHERE d.tbl = merge_cluster.tbl AND d.decision = 'distinct' AND d.id_a = ANY (members) AND d.id_b = ANY (members) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cluster % of % holds a cannot-link (% and % were marked distinct)', cluster_id, tbl, apart.id_a, apart.id_b
            USING ERRCODE = '55000', HINT = 'Merge its records with CALL mdm.merge, leaving the distinct pair apart.';
    END IF;
    surv := @extschema@._merge_survivor(tbl, members, coalesce(rules ->> 'survivor', 'oldest_id'));
    CALL @extschema@.merge(tbl, surv, array_remove(members, surv), rules);
    RETURN currval(pg_get_serial_sequence('@extschema@.merge', 'merge_id'));
END
$$;

CREATE FUNCTION @extschema@.merge_all(tbl regclass, min_probability float8, rules jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c record;
    total bigint;
    done bigint := 0;
    merged bigint := 0;
    records bigint := 0;
    cannot bigint := 0;
    locked bigint := 0;
    batch text;
    fk record;
BEGIN
    IF min_probability IS NULL OR min_probability < 0 OR min_probability > 1 OR min_probability <> min_probability THEN
        RAISE EXCEPTION 'invalid value for parameter "min_probability"' USING ERRCODE = '22023',
            DETAIL = format('The value given was %s.', min_probability), HINT = 'min_probability is a match probability between 0 and 1.';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.registration g WHERE g.tbl = merge_all.tbl) THEN
        RAISE EXCEPTION 'table % is not registered with customer_mdm', tbl
            USING ERRCODE = '55000', HINT = format('Register it first: SELECT mdm.register(%L, ...);', tbl::text);
    END IF;
    -- One warning per unindexed foreign key, not one per merge.
    FOR fk IN SELECT c2.conname, c2.conrelid::regclass AS ref_table FROM pg_catalog.pg_constraint c2
               WHERE c2.contype = 'f' AND c2.confrelid = tbl
                 AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i
                                  WHERE i.indrelid = c2.conrelid AND (i.indkey::int2[])[0:cardinality(c2.conkey) - 1] @> c2.conkey
                                    AND (i.indkey::int2[])[0:cardinality(c2.conkey) - 1] <@ c2.conkey)
               ORDER BY 2, 1 LOOP
        RAISE WARNING 'foreign key % of % has no index: every merge scans that table', fk.conname, fk.ref_table;
    END LOOP;
    SELECT count(*) INTO total FROM @extschema@.cluster k
     WHERE k.tbl = merge_all.tbl AND coalesce(k.weakest_probability, 1) >= min_probability;
    batch := current_setting('mdm.merge_batch', true);
    PERFORM set_config('mdm.merge_batch', 'on', true);
    PERFORM @extschema@._merge_progress(tbl::text, 0, total);
    FOR c IN SELECT k.cluster_id, k.cluster_size FROM @extschema@.cluster k
              WHERE k.tbl = merge_all.tbl AND coalesce(k.weakest_probability, 1) >= min_probability
              ORDER BY k.cluster_id LOOP
        done := done + 1;
        BEGIN
            PERFORM @extschema@.merge_cluster(tbl, c.cluster_id, rules);
            merged := merged + 1;
            records := records + c.cluster_size;
        EXCEPTION
            WHEN object_not_in_prerequisite_state THEN cannot := cannot + 1;
            WHEN lock_not_available THEN locked := locked + 1;
        END;
        PERFORM @extschema@._merge_progress(tbl::text, done, total);
    END LOOP;
    PERFORM @extschema@._merge_progress(tbl::text, total, total);
    PERFORM set_config('mdm.merge_batch', coalesce(batch, ''), true);
    RAISE NOTICE 'merge_all %: % of % clusters merged (% records), % skipped for a cannot-link, % skipped for a lock',
        tbl, merged, total, records, cannot, locked;
    RETURN jsonb_build_object('clusters', total, 'merged', merged, 'records_merged', records,
                              'skipped_cannot_link', cannot, 'skipped_locked', locked);
END
$$;

COMMENT ON FUNCTION @extschema@.merge_cluster(regclass, bigint, jsonb) IS
'Merges one detected cluster (mdm.duplicate_clusters) with CALL mdm.merge: the survivor is chosen by rules ->> ''survivor'': oldest_id (default: the smallest id), most_complete (the most filled columns) or most_recent (the latest updated_at); the other rules are mdm.merge''s. A cluster holding a cannot-link is refused (55000). Returns the merge id.';
COMMENT ON FUNCTION @extschema@.merge_all(regclass, double precision, jsonb) IS
'Merges every detected cluster whose weakest link is at least min_probability (0..1), each as mdm.merge_cluster does, skipping clusters that hold a cannot-link or whose records are locked elsewhere. Reports progress (NOTICE, mdm.progress); one WARNING per unindexed referencing foreign key. Returns {clusters, merged, records_merged, skipped_cannot_link, skipped_locked}.';

COMMENT ON PROCEDURE @extschema@.merge(regclass, anyelement, anyarray, jsonb) IS
'Merges losers into survivor in one transaction: locks the records (NOWAIT: a record locked elsewhere fails at once with 55P03), computes the golden record column by column under the rules (default first_non_null: the survivor''s value, its blanks filled from the losers in the order given; per column or as default: most_recent (updated_at role), most_complete, longest, source_priority with {"order": [...]}, survivor, first_non_null, or {"expression": "SQL over value and ord"}), re-points every foreign key that references the table (any schema, composite keys; a row whose re-pointing would break a unique constraint is journalled and removed), deletes the losers and journals everything an undo needs (mdm.merge, mdm.merge_ref). Runs with the caller''s rights. Ids take the table''s key type: CALL mdm.merge(''customers'', 42, ARRAY[43, 44]).';
COMMENT ON FUNCTION @extschema@._merge_progress(text, bigint, bigint) IS
'Internal: progress reports of mdm.merge_all (NOTICE and mdm.progress).';
COMMENT ON FUNCTION @extschema@.unmerge(bigint) IS
'Undoes a merge: the losers come back with their ids and values, the survivor gets its prior values, re-pointed rows point back and removed rows come back. Refuses (55000, saying why) when the survivor, a re-pointed row or a loser''s id changed since, or when a later merge involved the records (undo that one first). All or nothing.';
COMMENT ON FUNCTION @extschema@.resolve_id(regclass, anyelement) IS
'The surviving id of an id that was merged away, following chains of merges (the id itself when it was never merged away), in the id''s own type.';
