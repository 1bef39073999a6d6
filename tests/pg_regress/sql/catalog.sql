-- Every function of the extension: the pure ones IMMUTABLE, STRICT,
-- PARALLEL SAFE (the one pure function that is not STRICT is mdm.compare:
-- its NULL model means the default model; a NULL record still gives NULL);
-- those that read or write tables (registration, detection, realtime,
-- merge) and the trigger functions VOLATILE or STABLE; none with a SET
-- clause; every one documented with COMMENT ON.
SELECT p.oid::regprocedure AS function,
       pg_get_function_result(p.oid) AS returns,
       p.provolatile AS vol, p.proisstrict AS strict, p.proparallel AS par,
       p.proconfig IS NULL AS no_set,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS documented
  FROM pg_proc p
 WHERE p.pronamespace = 'mdm'::regnamespace
 ORDER BY p.proname, p.oid::regprocedure::text;

-- the schema is documented too
SELECT obj_description('mdm'::regnamespace, 'pg_namespace') IS NOT NULL AS schema_documented;

-- parameters with defaults
SELECT p.proname, pg_get_function_arguments(p.oid) AS arguments
  FROM pg_proc p
 WHERE p.pronamespace = 'mdm'::regnamespace AND p.pronargdefaults > 0
 ORDER BY p.proname;

-- NULL in gives NULL out, for every function
SELECT mdm.normalize_text(NULL) IS NULL AS t, mdm.normalize_name(NULL) IS NULL AS n,
       mdm.normalize_company(NULL) IS NULL AS c, mdm.normalize_address(NULL) IS NULL AS a,
       mdm.normalize_phone(NULL) IS NULL AS p,
       mdm.normalize_phone('13800138000', NULL) IS NULL AS p_region,
       mdm.phone_type(NULL) IS NULL AS pt, mdm.is_valid_phone(NULL) IS NULL AS vp,
       mdm.normalize_email(NULL) IS NULL AS e, mdm.email_key(NULL) IS NULL AS ek,
       mdm.is_valid_email(NULL) IS NULL AS ve, mdm.fingerprint(NULL) IS NULL AS f,
       mdm.ngram_fingerprint(NULL) IS NULL AS nf, mdm.ngram_fingerprint('x', NULL) IS NULL AS nf_n,
       mdm.pinyin(NULL) IS NULL AS py, mdm.name_keys(NULL) IS NULL AS nk,
       mdm.normalize_id_number(NULL) IS NULL AS id, mdm.is_valid_cn_resident_id(NULL) IS NULL AS vid,
       mdm.is_valid_credit_code(NULL) IS NULL AS vcc,
       mdm.compare(NULL, '{}') IS NULL AND mdm.compare('{}', NULL) IS NULL AS cmp;

-- empty and whitespace-only text gives NULL (normalize_*) or false (is_valid_*)
SELECT format('%L', x) AS input,
       mdm.normalize_text(x) IS NULL AS t, mdm.normalize_name(x) IS NULL AS n,
       mdm.normalize_company(x) IS NULL AS c, mdm.normalize_address(x) IS NULL AS a,
       mdm.normalize_phone(x) IS NULL AS p,
       mdm.normalize_email(x) IS NULL AS e, mdm.fingerprint(x) IS NULL AS f,
       mdm.pinyin(x) IS NULL AS py, mdm.name_keys(x) IS NULL AS nk,
       mdm.normalize_id_number(x) IS NULL AS id,
       mdm.is_valid_phone(x) OR mdm.is_valid_email(x) OR mdm.is_valid_cn_resident_id(x)
         OR mdm.is_valid_credit_code(x) AS any_valid
  FROM (VALUES (''), (' '), (E'\t\n'), ('　')) AS t(x)
 ORDER BY length(x), x;

-- a 1 MB input returns (NULL or a value), never an error
SELECT length(mdm.normalize_text(repeat('张伟 ', 200000))) AS text_len,
       length(mdm.normalize_name(repeat('張偉', 300000))) AS name_len,
       mdm.normalize_phone(repeat('1', 1000000)) AS phone,
       mdm.normalize_email(repeat('a', 1000000) || '@example.com') AS email,
       length(mdm.normalize_address(repeat('北京市朝阳区建国路八十八号', 40000))) AS address_len,
       length(mdm.normalize_company(repeat('華為技術有限公司', 60000))) AS company_len,
       mdm.is_valid_credit_code(repeat('9', 1000000)) AS credit_code;

-- a record holding 1 MB values compares, never an error
SELECT c->'roles'->'name'->>'level' AS name_level, c->'roles'->'address'->>'level' AS address_level,
       (c->>'match_probability')::float8 < 0.5 AS unlikely
  FROM mdm.compare(jsonb_build_object('name', repeat('張偉', 300000), 'address', repeat('北京市朝阳区建国路八十八号', 40000),
                                      'phone', repeat('1', 1000000)),
                   '{"name": "张伟", "address": "北京市朝阳区建国路88号", "phone": "13800138000"}') c;
