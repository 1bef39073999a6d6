-- Registered tables: the per-table state tables, the key triggers and the
-- cleanup of a dropped table (src/registry/). Loaded by extension_sql_file!;
-- @extschema@ is the extension's schema.
-- Registered tables (kept by pg_dump).
CREATE TABLE @extschema@.registration (
    tbl            regclass PRIMARY KEY,
    key_column     text NOT NULL,
    key_type       text NOT NULL,
    fields         jsonb NOT NULL,
    options        jsonb NOT NULL DEFAULT '{}',
    threshold      float8 NOT NULL CHECK (threshold BETWEEN 0 AND 1),
    max_block_size int CHECK (max_block_size >= 2),
    model          jsonb,
    model_source   text NOT NULL DEFAULT 'built-in' CHECK (model_source IN ('built-in', 'options', 'trained')),
    trained_at     timestamptz,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    configured_at  timestamptz NOT NULL DEFAULT now(),
    last_run       jsonb,
    realtime       jsonb
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.registration', '');
COMMENT ON TABLE @extschema@.registration IS
'One row per table registered with mdm.register: the primary key, the role -> columns mapping (fields), the options, the threshold, the model (NULL: the built-in one; model_source says where it came from), what the last mdm.find_duplicates run did (last_run) and the realtime settings of mdm.enable_realtime (realtime: action, flag_threshold, block_threshold, notify; NULL when off). Kept by pg_dump.';

-- Blocking keys, one row per record of a registered table.
CREATE TABLE @extschema@.record_keys (
    tbl       regclass NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    keys      text[] NOT NULL,
    PRIMARY KEY (tbl, record_id)
);
-- fastupdate off: with a pending list, every lookup (the realtime trigger,
-- an incremental find_duplicates) scans all pending entries; bulk loads are
-- no slower without it (measured: 1.44M rows either way).
CREATE INDEX record_keys_keys ON @extschema@.record_keys USING gin (keys) WITH (fastupdate = off);
COMMENT ON TABLE @extschema@.record_keys IS
'The blocking keys of every record of every registered table (mdm.blocking_keys of its mapped columns), kept current by the trigger mdm_record_keys. The GIN index on keys finds any record''s candidates: records sharing a key.';

-- Records inserted, changed or deleted since the last mdm.find_duplicates.
CREATE TABLE @extschema@.changed_record (
    tbl       regclass NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (tbl, record_id)
);
COMMENT ON TABLE @extschema@.changed_record IS
'Records of registered tables inserted, changed (in a mapped column) or deleted since the last mdm.find_duplicates, noted by the trigger mdm_record_keys: the next run compares only them (and their candidates) again.';

-- Pairs found by mdm.find_duplicates.
CREATE TABLE @extschema@.pair (
    tbl               regclass NOT NULL,
    id_a              text COLLATE "C" NOT NULL,
    id_b              text COLLATE "C" NOT NULL,
    match_probability float8 NOT NULL,
    match_weight      float8 NOT NULL,
    explanation       jsonb NOT NULL,
    found_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tbl, id_a, id_b),
    CHECK (id_a < id_b)
);
CREATE INDEX pair_id_b ON @extschema@.pair (tbl, id_b);
COMMENT ON TABLE @extschema@.pair IS
'Record pairs at or above their table''s threshold, as mdm.find_duplicates scored them (id_a < id_b in byte order). Read them through the view mdm.duplicate_pairs.';

-- Decisions (kept by pg_dump).
CREATE TABLE @extschema@.decision (
    tbl        regclass NOT NULL,
    id_a       text COLLATE "C" NOT NULL,
    id_b       text COLLATE "C" NOT NULL,
    decision   text NOT NULL CHECK (decision IN ('duplicate', 'distinct')),
    decided_by name NOT NULL DEFAULT current_user,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tbl, id_a, id_b),
    CHECK (id_a < id_b)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.decision', '');
COMMENT ON TABLE @extschema@.decision IS
'Decisions about record pairs: duplicate (a must-link, the pair is confirmed) or distinct (a cannot-link, the pair is rejected), with who decided and when. Clustering honours them. Kept by pg_dump.';

CREATE TABLE @extschema@.cluster_member (
    tbl        regclass NOT NULL,
    record_id  text COLLATE "C" NOT NULL,
    cluster_id bigint NOT NULL,
    PRIMARY KEY (tbl, record_id)
);
CREATE INDEX cluster_member_cluster ON @extschema@.cluster_member (tbl, cluster_id);
COMMENT ON TABLE @extschema@.cluster_member IS
'The cluster of every record that has duplicates (clusters of two or more records). Read it through mdm.duplicate_clusters.';

CREATE TABLE @extschema@.cluster (
    tbl                 regclass NOT NULL,
    cluster_id          bigint NOT NULL,
    cluster_size        int NOT NULL,
    weakest_a           text COLLATE "C",
    weakest_b           text COLLATE "C",
    weakest_probability float8,
    PRIMARY KEY (tbl, cluster_id)
);
COMMENT ON TABLE @extschema@.cluster IS
'One row per cluster: its size and its weakest link (the least probable pair that joined it; probability 1 for a pair marked duplicate). Cluster ids are numbered 1.. by smallest record id at each clustering.';

CREATE TABLE @extschema@.capped_key (
    tbl     regclass NOT NULL,
    key     text NOT NULL,
    records bigint NOT NULL,
    PRIMARY KEY (tbl, key)
);
COMMENT ON TABLE @extschema@.capped_key IS
'Blocking keys held by more records than the table''s max_block_size at the last mdm.find_duplicates: they make no candidate pairs (their records meet through their other keys).';

-- The type of a registered table's key column as the catalog says now
-- (dynamic SQL casts ids to it: it never comes from stored text); NULL when
-- the table has no such column.
CREATE FUNCTION @extschema@._key_type(tbl regclass, key_column text) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
    SELECT pg_catalog.format_type(a.atttypid, NULL)
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid OPERATOR(pg_catalog.=) $1
       AND a.attname OPERATOR(pg_catalog.=) $2::name
       AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
$$;
COMMENT ON FUNCTION @extschema@._key_type(regclass, text) IS
'Internal: the type of a table''s key column from the catalog (format_type), which dynamic SQL casts ids to; NULL when there is no such column. mdm.registration.key_type is only shown, never pasted into SQL.';

-- The key trigger.
CREATE FUNCTION @extschema@.record_keys_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    reg record;
    old_id text;
    new_id text;
    new_rec jsonb;
BEGIN
    SELECT r.key_column, r.fields, r.options ->> 'phone_region' AS region
      INTO reg FROM @extschema@.registration r WHERE r.tbl = TG_RELID;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_id := to_jsonb(OLD) ->> reg.key_column;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_id := to_jsonb(NEW) ->> reg.key_column;
        -- The realtime trigger (mdm_realtime, which fires first) has stored
        -- the row's keys already.
        IF @extschema@._realtime_handled(TG_RELID, new_id) AND (TG_OP = 'INSERT' OR old_id = new_id) THEN
            RETURN NULL;
        END IF;
        new_rec := @extschema@.role_record(reg.fields, to_jsonb(NEW));
        IF TG_OP = 'UPDATE' AND old_id = new_id
           AND new_rec = @extschema@.role_record(reg.fields, to_jsonb(OLD)) THEN
            RETURN NULL;  -- no mapped column changed
        END IF;
    END IF;
    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM new_id THEN
        DELETE FROM @extschema@.record_keys WHERE tbl = TG_RELID AND record_id = old_id;
        DELETE FROM @extschema@.pair WHERE tbl = TG_RELID AND (id_a = old_id OR id_b = old_id);
        DELETE FROM @extschema@.cluster_member WHERE tbl = TG_RELID AND record_id = old_id;
    END IF;
    IF new_id IS NOT NULL THEN
        INSERT INTO @extschema@.record_keys AS k (tbl, record_id, keys)
        -- Without a phone_region option, blocking_keys' own default region.
        VALUES (TG_RELID, new_id, CASE WHEN reg.region IS NULL THEN @extschema@.blocking_keys(new_rec)
                                       ELSE @extschema@.blocking_keys(new_rec, reg.region) END)
        ON CONFLICT (tbl, record_id) DO UPDATE SET keys = excluded.keys;
        INSERT INTO @extschema@.changed_record VALUES (TG_RELID, new_id) ON CONFLICT DO NOTHING;
    END IF;
    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM new_id THEN
        INSERT INTO @extschema@.changed_record VALUES (TG_RELID, old_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.record_keys_trigger() IS
'Row trigger (mdm_record_keys, installed by mdm.register): keeps mdm.record_keys current on INSERT, UPDATE of a mapped column and DELETE, and marks changed records for the next mdm.find_duplicates; a deleted record''s pairs go with it.';

CREATE FUNCTION @extschema@.record_keys_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- What goes is listed once, in Rust (registry::STATE_TABLES).
    PERFORM @extschema@._clear_state(ARRAY[TG_RELID], 'truncate');
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.record_keys_truncate() IS
'Statement trigger (mdm_record_keys_truncate, installed by mdm.register): TRUNCATE of a registered table removes its keys, pairs and clusters (decisions stay).';

-- A dropped table takes its registration with it.
-- It runs as the extension's owner with a fixed search_path, so that a role
-- without rights on schema mdm can drop its own objects, and it returns at
-- once when no registered table is among the dropped objects.
CREATE FUNCTION @extschema@.drop_cleanup() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    gone oid[];
BEGIN
    SELECT pg_catalog.array_agg(d.objid) INTO gone
      FROM pg_catalog.pg_event_trigger_dropped_objects() d
     WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
       AND EXISTS (SELECT FROM @extschema@.registration r WHERE r.tbl::pg_catalog.oid OPERATOR(pg_catalog.=) d.objid);
    IF gone IS NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@._clear_state(gone, 'drop');
END
$$;
COMMENT ON FUNCTION @extschema@.drop_cleanup() IS
'Event trigger function (mdm_drop_cleanup): DROP TABLE of a registered table removes its registration, keys, pairs, clusters and decisions. Runs as the extension''s owner with search_path pg_catalog, pg_temp, and does nothing when no registered table is dropped (a DROP by a role without rights on schema mdm never fails because of it).';
CREATE EVENT TRIGGER mdm_drop_cleanup ON sql_drop EXECUTE FUNCTION @extschema@.drop_cleanup();

COMMENT ON FUNCTION @extschema@.register(regclass, jsonb, jsonb) IS
'Registers a customer table: fields maps roles (name, company, phone, email, address, id_number, birth_date, kind, updated_at, source) to a column or an array of columns; options: threshold (match probability at which pairs are stored, 0..1, default 0.5), max_block_size, model (a match model; default: the built-in one or the table''s trained one), phone_region (default CN), mode (dedupe, or link: only pairs of different sources). The table needs a single-column primary key (integer, numeric, text, varchar or uuid). Stores every row''s blocking keys in mdm.record_keys and installs the trigger that keeps them current. Registering again updates the configuration.';
COMMENT ON FUNCTION @extschema@.unregister(regclass) IS
'Removes a table''s registration, its key trigger, keys, pairs, clusters and decisions.';
COMMENT ON FUNCTION @extschema@.role_record(jsonb, jsonb) IS
'The role -> value record of a row given as to_jsonb(row), under a fields mapping as mdm.register takes it; an organisation''s name (kind company, or a legal form such as 有限公司 when there is no kind) is moved to the company role. Pure; used by the key trigger.';
COMMENT ON FUNCTION @extschema@.blocking_keys(jsonb, text) IS
'The blocking keys of a role -> value record: p: phone (E.164), e: e-mail mailbox key, i: ID number, k: a half of the ID, q: a half of the phone with the name''s initials, n:/t:/j:/dm: name keys (normalized, pinyin readings, Double Metaphone), c: an organisation''s core name or a person''s employer with initials, o: an organisation''s first word, a: the address''s first or last 12 characters with the initials, b: birth date with an initial. Two records are compared in batch detection when they share one (blocks of weak kinds are capped lower).';
COMMENT ON FUNCTION @extschema@._clear_state(oid[], text) IS
'Internal: removes what customer_mdm keeps about the tables when they are truncated (''truncate'': keys, pairs, clusters; decisions stay) or dropped (''drop'': also the registration and decisions). Called by the key trigger mdm_record_keys_truncate and the event trigger mdm_drop_cleanup.';
COMMENT ON FUNCTION @extschema@._realtime_handled(oid, text) IS
'Internal: whether the realtime check has just stored the blocking keys of this row (the key trigger then skips it). Answers true once.';
COMMENT ON FUNCTION @extschema@._key_cap(text, integer, bigint) IS
'Internal: the records a block of keys of a kind (p, e, i, k, n, t, j, dm, c, o, a, q, b) may hold before batch detection caps it, for a max_block_size and a table of so many rows (mdm.blocking_stats).';
