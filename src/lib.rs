//! customer_mdm: clean, deduplicate and merge CRM customer records inside
//! PostgreSQL. Every public SQL object lives in schema `mdm`.
//!
//! The modules are layers, each importing only those listed before it
//! (docs/architecture.md draws the data flow):
//!
//! `error`, `gucs` → `pg` (SPI helpers, jsonb, progress, worker threads) →
//! `normalize`, `similarity` → `record` (roles, records, prepared values) →
//! `keys` (blocking keys) → `candidates` (capped blocks) → `model` (spec,
//! compare, explain, train) → `cluster` → `registry` (registered tables and
//! their state) → `detect`, `realtime`, `merge`, `quality`.
//!
//! Pure logic is tested by plain `cargo test`; each module's `sql.rs` holds
//! its thin SQL functions, and the SQL objects (tables, views, PL/pgSQL,
//! comments) are in `sql/*.sql`, loaded with `extension_sql_file!`. This
//! file holds the `#[pg_test]`s.

pub mod error;
pub mod gucs;
pub mod pg;

pub mod normalize;
pub mod similarity;

pub mod record;

pub mod keys;

pub mod candidates;

pub mod model;

pub mod cluster;

pub mod registry;

pub mod detect;
pub mod merge;
pub mod quality;
pub mod realtime;

::pgrx::pg_module_magic!(name, version);

// The install script starts by refusing a schema mdm that another role made
// first (sql/bootstrap.sql).
::pgrx::extension_sql_file!("../sql/bootstrap.sql", name = "bootstrap", bootstrap);

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

    /// Every function, table and view of the schema is documented, and no
    /// pure (immutable) function carries a SET clause (the pg_regress
    /// `catalog` test lists each function's properties; this is the rule,
    /// without a list).
    #[pg_test]
    fn every_object_is_documented_and_no_pure_function_has_a_set_clause() {
        let functions = one(
            "SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1)
               FROM pg_proc p
              WHERE p.pronamespace = 'mdm'::regnamespace
                AND (obj_description(p.oid, 'pg_proc') IS NULL
                     OR (p.proconfig IS NOT NULL AND p.provolatile = 'i'))",
        );
        assert_eq!(
            functions, None,
            "functions without a comment, or pure ones with a SET clause"
        );
        let relations = one("SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY 1)
               FROM pg_class c
              WHERE c.relnamespace = 'mdm'::regnamespace AND c.relkind IN ('r', 'v')
                AND obj_description(c.oid, 'pg_class') IS NULL");
        assert_eq!(relations, None, "tables and views without a comment");
        assert!(yes(
            "SELECT obj_description('mdm'::regnamespace, 'pg_namespace') IS NOT NULL"
        ));
    }

    /// The prefix `customer_mdm` is reserved: a misspelt setting is an
    /// error, not a silent placeholder.
    #[pg_test(error = "invalid configuration parameter name \"customer_mdm.wrokers\"")]
    fn misspelt_setting_is_an_error() {
        assert_eq!(one("SHOW customer_mdm.workers").as_deref(), Some("2"));
        Spi::run("SET customer_mdm.wrokers = 4").expect("SET failed"); // ok: test code
    }

    /// The SQL signatures repeat the default phone region as a literal (a
    /// macro argument cannot name a constant): they must agree with it.
    #[pg_test]
    fn sql_default_regions_are_the_default_region() {
        let region = crate::normalize::phone::DEFAULT_REGION;
        let wrong = one(&format!(
            "SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1)
               FROM pg_proc p
              WHERE p.pronamespace = 'mdm'::regnamespace
                AND pg_get_function_arguments(p.oid) ~ '(region|phone_region) text DEFAULT'
                AND pg_get_function_arguments(p.oid) !~ 'DEFAULT ''{region}''::text'"
        ));
        assert_eq!(wrong, None, "defaults other than {region}");
        assert!(yes("SELECT count(*) >= 5 FROM pg_proc
              WHERE pronamespace = 'mdm'::regnamespace
                AND pg_get_function_arguments(oid) ~ 'region text DEFAULT'"));
    }

    /// `registry::STATE_TABLES` is the one list of the tables that hold
    /// state about a registered table: every table of the schema with a
    /// `tbl regclass` column is on it, and nothing else.
    #[pg_test]
    fn every_state_table_is_listed() {
        let listed: Vec<&str> = crate::registry::STATE_TABLES
            .iter()
            .map(|t| t.name)
            .collect();
        let mut listed_sorted = listed.clone();
        listed_sorted.sort_unstable();
        let in_schema = one(
            "SELECT string_agg(c.relname::text, ',' ORDER BY c.relname::text COLLATE \"C\")
               FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
              WHERE c.relnamespace = 'mdm'::regnamespace AND c.relkind = 'r'
                AND a.attname = 'tbl' AND a.atttypid = 'regclass'::regtype",
        );
        assert_eq!(in_schema.as_deref(), Some(listed_sorted.join(",").as_str()));
        assert_eq!(
            listed.last(),
            Some(&"registration"),
            "the registration goes last"
        );
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
            let words = crate::pg::jsonb::short_numeric(digits, scale);
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
        use crate::pg::jsonb::JsonbRaw;
        use crate::record::{jsonb as jsonb_read, Record};
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
}

/// The layers of the crate, checked: a module may import (through
/// `crate::`) only modules of a lower rank, so no two modules import each
/// other. The test reads the sources (test modules left out).
#[cfg(test)]
mod layering {
    /// Each module's rank; the four at the top share one (none of them may
    /// import another).
    const RANKS: &[(&str, u8)] = &[
        ("error", 0),
        ("gucs", 0),
        ("pg", 1),
        ("normalize", 2),
        ("similarity", 3),
        ("record", 4),
        ("keys", 5),
        ("candidates", 6),
        ("model", 7),
        ("cluster", 8),
        ("registry", 9),
        ("detect", 10),
        ("realtime", 10),
        ("merge", 10),
        ("quality", 10),
    ];

    fn rank(module: &str) -> Option<u8> {
        RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn imports_point_down_only() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let mut bad = Vec::new();
        let mut seen = 0;
        for f in &files {
            let rel = f.strip_prefix(&src).unwrap_or(f);
            let top = rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or("");
            let top = top.trim_end_matches(".rs");
            // A module's tests (a `tests.rs` of its own) may use anything.
            if top == "lib" || f.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let Some(own) = rank(top) else {
                bad.push(format!("{}: module {top} has no rank", rel.display()));
                continue;
            };
            seen += 1;
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
            for (i, _) in code.match_indices("crate::") {
                let used: String = code[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if used == top {
                    continue;
                }
                match rank(&used) {
                    Some(r) if r < own => {}
                    _ => bad.push(format!("{}: {top} imports crate::{used}", rel.display())),
                }
            }
        }
        assert!(seen > 40, "read {seen} files");
        assert!(bad.is_empty(), "imports that do not point down: {bad:#?}");
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
