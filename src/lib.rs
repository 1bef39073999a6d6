//! customer_mdm: clean, deduplicate and merge CRM customer records inside
//! PostgreSQL. Every public SQL object lives in schema `mdm`.
//!
//! The pure logic lives in one module per concern (`normalize`, ...) and is
//! tested by plain `cargo test`; this file holds the thin SQL wrappers.

use pgrx::prelude::*;

pub mod error;
pub mod normalize;

::pgrx::pg_module_magic!(name, version);

/// `mdm.normalize_text(text) → text`. See [`normalize::normalize_text`].
#[pg_extern(immutable, strict, parallel_safe)]
fn normalize_text(input: &str) -> Option<String> {
    normalize::normalize_text(input)
}

extension_sql!(
    r#"
COMMENT ON FUNCTION @extschema@.normalize_text(text) IS
'Normalizes free text for matching: Unicode NFKC (full-width to half-width, compatibility forms unfolded), lower case, whitespace trimmed and collapsed to one space (the ideographic space U+3000 included), zero-width, format and control characters removed. Returns NULL for NULL, empty or whitespace-only input. Immutable, so it can back expression indexes and generated columns.';
"#,
    name = "comment_normalize_text",
    requires = [normalize_text]
);

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    fn one(sql: &str) -> Option<String> {
        Spi::get_one::<String>(sql).expect("SPI failed") // ok: test code
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
    fn normalize_text_is_immutable_strict_parallel_safe_without_set() {
        let props = one(
            "SELECT concat_ws(',', provolatile, proisstrict, proparallel, proconfig IS NULL)
               FROM pg_proc WHERE oid = 'mdm.normalize_text(text)'::regprocedure",
        );
        assert_eq!(props.as_deref(), Some("i,t,s,t"));
    }

    #[pg_test]
    fn normalize_text_is_documented() {
        let comment =
            one("SELECT obj_description('mdm.normalize_text(text)'::regprocedure, 'pg_proc')");
        assert!(comment.is_some_and(|c| c.contains("NFKC")));
    }

    #[pg_test(error = "duplicate key value violates unique constraint \"signup_email_key\"")]
    fn normalize_text_backs_a_unique_expression_index() {
        Spi::run(
            "CREATE TABLE signup (email text);
             CREATE UNIQUE INDEX signup_email_key ON signup (mdm.normalize_text(email));
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
