-- Realtime detection: the row trigger and the comments (src/realtime/).
-- Loaded by extension_sql_file!; @extschema@ is the extension's schema.
CREATE FUNCTION @extschema@.realtime_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM @extschema@._realtime_check(TG_RELID, to_jsonb(NEW), NULL);
    ELSE
        PERFORM @extschema@._realtime_check(TG_RELID, to_jsonb(NEW), to_jsonb(OLD));
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.realtime_trigger() IS
'Row trigger (mdm_realtime, installed by mdm.enable_realtime): on INSERT and on UPDATE of a mapped column, looks up the row''s candidates through the blocking keys, scores them under the table''s model, and flags (pending pairs in mdm.duplicate_pairs, NOTIFY mdm_duplicates) or blocks (SQLSTATE 23505) as the table''s realtime settings say. Does nothing while customer_mdm.realtime is off.';
COMMENT ON FUNCTION @extschema@._realtime_check(oid, jsonb, jsonb) IS
'Internal: the work of the realtime trigger for one row (new and old row as jsonb). Called by mdm.realtime_trigger().';
COMMENT ON FUNCTION @extschema@.enable_realtime(regclass, text, jsonb) IS
'Turns on realtime duplicate detection for a registered table: installs the row trigger mdm_realtime (INSERT, UPDATE of a mapped column). action flag: the row is stored and each candidate at or above flag_threshold (default: the table''s threshold) becomes a pending pair in mdm.duplicate_pairs, with a NOTIFY on channel mdm_duplicates (payload: table, id_a, id_b, record_id, duplicate_of, match_probability; notify: false turns it off). action block: a candidate at or above block_threshold (default 0.95) fails the statement with SQLSTATE 23505 naming the existing record, the explanation in DETAIL; weaker candidates are flagged. Race-free: writes of records sharing a blocking key wait for each other (transaction locks on the keys), unrelated writes do not. Calling it again changes the settings.';
COMMENT ON FUNCTION @extschema@.disable_realtime(regclass) IS
'Turns realtime duplicate detection off for a table: drops the trigger mdm_realtime and clears the settings. A NOTICE says so; on a table without it, it does nothing (with a NOTICE).';
COMMENT ON FUNCTION @extschema@.find_matches(regclass, jsonb, integer) IS
'Search before create: the existing records of a registered table that match a candidate record, given as jsonb with the table''s column names (for example {"name": "张伟", "mobile": "138 0013 8000"}). Candidates come from the blocking keys, are scored under the table''s model, and those at or above the table''s threshold are returned, most probable first (at most max), with the explanation. A key naming no column of the table raises 42703.';
