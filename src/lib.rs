//! customer_mdm: clean, deduplicate and merge CRM customer records inside
//! PostgreSQL. Every public SQL object lives in schema `mdm`.
//!
//! The pure logic lives in one module per concern (`normalize`, ...) and is
//! tested by plain `cargo test`; each concern's `sql.rs` holds its thin SQL
//! wrappers and their `COMMENT ON`s. This file holds the `#[pg_test]`s.

pub mod blocking;
pub mod detect;
pub mod error;
pub mod gucs;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod quality;
pub mod realtime;
pub mod similarity;

::pgrx::pg_module_magic!(name, version);

/// Runs when the library is loaded: registers the `customer_mdm.*` settings.
#[pgrx::pg_guard]
pub extern "C-unwind" fn _PG_init() {
    gucs::init();
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    fn one(sql: &str) -> Option<String> {
        Spi::get_one::<String>(sql).expect("SPI failed") // ok: test code
    }

    fn yes(sql: &str) -> bool {
        Spi::get_one::<bool>(sql).expect("SPI failed") == Some(true) // ok: test code
    }

    #[pg_test]
    fn normalize_text_through_sql() {
        assert_eq!(
            one("SELECT mdm.normalize_text('  ＨＥＬＬＯ　World\u{200B} ')").as_deref(),
            Some("hello world")
        );
        assert_eq!(one("SELECT mdm.normalize_text(' 　 ')"), None);
        assert_eq!(one("SELECT mdm.normalize_text(NULL)"), None);
    }

    #[pg_test]
    fn every_function_is_immutable_strict_parallel_safe_without_set_and_documented() {
        // mdm.compare is the one pure function that is not STRICT: a NULL
        // model means the default model (NULL records still give NULL).
        // The functions that read or write registered tables (and the
        // trigger functions) are volatile by nature; they are listed.
        let bad = one(
            "SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1)
               FROM pg_proc p
              WHERE p.pronamespace = 'mdm'::regnamespace
                AND p.proname NOT IN ('register', 'unregister', 'find_duplicates', 'train', '_decide',
                                      'mark_duplicate', 'mark_distinct', 'clear_decision',
                                      'record_keys_trigger', 'record_keys_truncate', 'drop_cleanup',
                                      'realtime_trigger', '_realtime_check', '_realtime_handled', 'enable_realtime',
                                      'disable_realtime', 'find_matches', 'merge', 'unmerge', 'resolve_id',
                                      '_merge_columns', '_golden_value', '_merge_fix_clusters', '_merge_row_match',
                                      '_merge_survivor', 'merge_cluster', 'merge_all', '_merge_progress',
                                      '_quality_rows', 'quality_report', 'quality_by_source', 'quality_summary',
                                      'snapshot_quality', 'quality_report_html', '_svg_bars', '_html', '_quality_summary')
                AND (p.provolatile <> 'i' OR p.proparallel <> 's'
                     OR (NOT p.proisstrict AND p.oid <> 'mdm.compare(jsonb, jsonb, jsonb)'::regprocedure)
                     OR p.proconfig IS NOT NULL OR obj_description(p.oid, 'pg_proc') IS NULL)",
        );
        // Those are documented and have no SET clause either.
        let undocumented = one(
            "SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1)
               FROM pg_proc p
              WHERE p.pronamespace = 'mdm'::regnamespace
                AND (obj_description(p.oid, 'pg_proc') IS NULL OR p.proconfig IS NOT NULL)",
        );
        assert_eq!(
            undocumented, None,
            "functions without a comment or with a SET clause"
        );
        let views = one("SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY 1)
               FROM pg_class c
              WHERE c.relnamespace = 'mdm'::regnamespace AND c.relkind IN ('r', 'v')
                AND obj_description(c.oid, 'pg_class') IS NULL");
        assert_eq!(views, None, "tables and views without a comment");
        assert_eq!(bad, None, "functions that break the rules");
        assert!(yes(
            "SELECT count(*) >= 29 FROM pg_proc WHERE pronamespace = 'mdm'::regnamespace"
        ));
        assert!(yes(
            "SELECT obj_description('mdm'::regnamespace, 'pg_namespace') IS NOT NULL"
        ));
    }

    #[pg_test]
    fn chinese_first_normalizers_through_sql() {
        assert_eq!(
            one("SELECT mdm.normalize_name('張 偉 先生')").as_deref(),
            Some("张伟")
        );
        assert_eq!(
            one("SELECT mdm.normalize_name('SMITH, John')").as_deref(),
            Some("john smith")
        );
        assert_eq!(
            one("SELECT mdm.normalize_phone('＋８６　１３８　００１３　８０００')").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            one("SELECT mdm.normalize_phone('010-12345678')").as_deref(),
            Some("+861012345678")
        );
        assert_eq!(
            one("SELECT mdm.normalize_phone('415.555.0132', 'US')").as_deref(),
            Some("+14155550132")
        );
        assert_eq!(
            one("SELECT mdm.phone_type('13800138000')").as_deref(),
            Some("mobile")
        );
        assert_eq!(one("SELECT mdm.normalize_phone('12345')"), None);
        assert_eq!(
            one("SELECT mdm.email_key(' Chen.Jing+events@GMAIL.com ')").as_deref(),
            Some("chenjing@gmail.com")
        );
        assert!(yes(
            "SELECT mdm.is_valid_cn_resident_id('11010519491231002x')"
        ));
        assert!(yes(
            "SELECT NOT mdm.is_valid_cn_resident_id('110105194912310021')"
        ));
        assert!(yes("SELECT mdm.is_valid_credit_code('91350100M000100Y43')"));
        assert!(yes("SELECT mdm.is_valid_cn_resident_id(NULL) IS NULL"));
        assert!(yes(
            "SELECT mdm.name_keys('张伟') && mdm.name_keys('Wei Zhang')
                AND mdm.name_keys('張偉') && mdm.name_keys('ZHANG Wei')"
        ));
        assert_eq!(
            one("SELECT mdm.ngram_fingerprint('Paris')").as_deref(),
            Some("arispari")
        );
    }

    #[pg_test]
    fn compare_through_sql() {
        assert!(yes(
            "SELECT (mdm.compare('{\"name\": \"張偉\", \"phone\": \"+86 138 0013 8000\"}',
                                 '{\"name\": \"张伟\", \"phone\": [\"13800138000\"]}')
                     ->>'match_probability')::float8 > 0.99"
        ));
        assert!(yes(
            "SELECT mdm.compare(NULL, '{}') IS NULL AND mdm.compare('{}', NULL) IS NULL"
        ));
        // NULL model = the default model; the default model round-trips.
        assert!(yes(
            "SELECT mdm.compare('{\"name\": \"王芳\"}', '{\"name\": \"王芳\"}', NULL)
                  = mdm.compare('{\"name\": \"王芳\"}', '{\"name\": \"王芳\"}', mdm.default_model())"
        ));
        // A model edited in SQL takes effect: a larger prior, a larger probability.
        assert!(yes(
            "SELECT (mdm.compare(a, a, jsonb_set(mdm.default_model(), '{prior}', '0.5'))->>'match_probability')::float8
                  > (mdm.compare(a, a)->>'match_probability')::float8
               FROM (SELECT '{\"name\": \"王芳\"}'::jsonb AS a) s"
        ));
    }

    /// `mdm.compare` writes numerics into its jsonb result itself; the bytes
    /// must be exactly PostgreSQL's.
    #[pg_test]
    fn short_numerics_are_postgres_numerics() {
        let cases: &[(i64, u8)] = &[
            (0, 0),
            (1, 0),
            (-1, 0),
            (9999, 0),
            (10000, 0),
            (123456789012345, 0),
            (i64::MAX, 0),
            (i64::MIN + 1, 0),
            (11895, 3),
            (-16610, 3),
            (5, 1),
            (-5, 2),
            (100, 2),
            (1, 7),
            (9998899, 7),
            (96789, 5),
            (476, 15),
            (999999996969727, 15),
            (1, 12),
            (123456789, 4),
            (-40933, 3),
            (10001, 4),
            (1, 15),
        ];
        for &(digits, scale) in cases {
            let words = crate::model::jsonb::short_numeric(digits, scale);
            // SAFETY: test code; both numerics are complete varlenas.
            let (ours, theirs) = unsafe {
                let pg = if scale == 0 {
                    pg_sys::int64_to_numeric(digits)
                } else {
                    pg_sys::int64_div_fast_to_numeric(digits, i32::from(scale))
                };
                let pg_len = pgrx::varsize_any(pg.cast());
                let our_len = pgrx::varsize_any(words.as_ptr().cast());
                assert!(our_len <= 32);
                (
                    std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), our_len).to_vec(),
                    std::slice::from_raw_parts(pg.cast::<u8>(), pg_len).to_vec(),
                )
            };
            assert_eq!(ours, theirs, "{digits} / 10^{scale}");
        }
    }

    /// Records are read from jsonb's binary form; they must read exactly as
    /// their JSON text does.
    #[pg_test]
    fn jsonb_records_read_like_their_text() {
        use crate::model::compare::Record;
        use crate::model::jsonb::JsonbRaw;
        use crate::model::jsonb_read;
        let many: String = (0..70)
            .map(|i| format!("\"k{i}\": \"{}\"", "值".repeat(i)))
            .collect::<Vec<_>>()
            .join(", ");
        let cases = [
            r#"{"name": "张伟", "phone": ["13800138000", 13912345678, null, "+86 10 1234 5678"], "fax": 1}"#.to_string(),
            r#"{"name": "O'Brien \"Jr\"\n", "email": null, "kind": "person", "updated_at": "2026-11-22T10:00:00+08:00"}"#.to_string(),
            r#"{"id_number": 110105194912310020, "company": "", "address": []}"#.to_string(),
            format!(r#"{{{many}, "name": "王芳", "email": ["a@b.cn", "c@d.cn"]}}"#),
            r#"{}"#.to_string(),
            r#"[]"#.to_string(),
            r#""张伟""#.to_string(),
            r#"{"name": true}"#.to_string(),
            r#"{"phone": [{"n": 1}]}"#.to_string(),
            r#"{"phone": [[1]]}"#.to_string(),
        ];
        // A jsonb value made by jsonb_in; palloc'd, it lives until the end
        // of the test's transaction.
        let jsonb = |text: &str| {
            let cstring = std::ffi::CString::new(text).expect("no NUL"); // ok: test code
                                                                         // SAFETY: test code; jsonb_in takes one cstring argument.
            let datum = unsafe {
                pgrx::direct_function_call_as_datum(
                    pg_sys::jsonb_in,
                    &[Some(pg_sys::Datum::from(cstring.as_ptr()))],
                )
            }
            .expect("jsonb_in returned NULL"); // ok: test code
            JsonbRaw::from_datum(datum)
        };
        for text in &cases {
            let raw = jsonb(text);
            let binary = raw.with_bytes(|b| jsonb_read::record("a", b));
            let value: serde_json::Value =
                serde_json::from_str(&raw.text()).expect("jsonb_out is JSON"); // ok: test code
            let via_text = Record::from_json("a", &value);
            // serde_json orders keys alphabetically, jsonb shorter first;
            // compare() sorts the unknown roles anyway.
            let sorted = |r: &Record| {
                let mut r = r.clone();
                r.unknown.sort();
                r
            };
            match (&binary, &via_text) {
                (Ok(x), Ok(y)) => {
                    assert_eq!(sorted(x), sorted(y), "{}", &text[..text.len().min(80)])
                }
                (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string(), "{text}"),
                _ => panic!("{text}: {binary:?} vs {via_text:?}"), // ok: test code
            }
        }
        // Numbers read as PostgreSQL prints them.
        for n in [
            "0",
            "-1",
            "1.50",
            "-0.001",
            "123456789012345678901234567890",
            "1e-20",
            "3.14159265358979323846",
            "-1e300",
            "1.5e-70",
        ] {
            let raw = jsonb(&format!(r#"{{"phone": {n}}}"#));
            let printed = raw.text();
            let want = printed
                .trim_start_matches(r#"{"phone": "#)
                .trim_end_matches('}')
                .to_string();
            let got = raw.with_bytes(|b| jsonb_read::record("a", b));
            assert_eq!(got.map(|r| r.values[2].clone()), Ok(vec![want]), "{n}");
        }
    }

    #[pg_test(error = "invalid match model at key \"roles.name.levels[1].m\"")]
    fn malformed_model_is_22023() {
        one("SELECT mdm.compare('{}', '{}',
                 jsonb_set(mdm.default_model(), '{roles,name,levels,1,m}', '\"high\"'))::text");
    }

    #[pg_test(error = "invalid value for role \"name\" in record \"b\"")]
    fn malformed_record_is_22023() {
        one("SELECT mdm.compare('{}', '{\"name\": {\"first\": \"Wei\"}}')::text");
    }

    #[pg_test(error = "invalid value for parameter \"default_region\"")]
    fn unknown_region_is_22023() {
        one("SELECT mdm.normalize_phone('13800138000', 'XX')");
    }

    #[pg_test(error = "invalid value for parameter \"n\"")]
    fn ngram_size_zero_is_22023() {
        one("SELECT mdm.ngram_fingerprint('Paris', 0)");
    }

    #[pg_test(error = "duplicate key value violates unique constraint \"signup_email_key\"")]
    fn normalize_email_backs_a_unique_expression_index() {
        Spi::run(
            "CREATE TABLE signup (email text);
             CREATE UNIQUE INDEX signup_email_key ON signup (mdm.normalize_email(email));
             INSERT INTO signup VALUES ('zhang.wei@example.com');",
        )
        .expect("setup failed"); // ok: test code

        // A full-width spelling of the same address must violate the index.
        let _ =
            Spi::run("INSERT INTO signup VALUES ('ＺＨＡＮＧ．ＷＥＩ＠ｅｘａｍｐｌｅ．ｃｏｍ')");
    }
}

/// Hooks that `cargo pgrx test` calls; required by pgrx's test framework.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
