//! Data quality of a registered table: `mdm.quality_report`,
//! `mdm.quality_by_source`, `mdm.quality_summary`, `mdm.snapshot_quality`
//! and the view `mdm.quality_history`. Validity comes from the validators
//! (phone, e-mail, resident ID and credit code), distinct counts from the
//! normalizers (a phone written four ways counts once). The figures come
//! from one parallel scan in Rust (`scan.rs`, `mdm._quality_rows`, with the
//! plain-Rust rules in `figures.rs`); the reports over them are SQL and
//! PL/pgSQL.

use pgrx::prelude::*;

pub mod figures;
mod scan;

extension_sql_file!(
    "../../sql/quality.sql",
    name = "quality_objects",
    requires = [
        "merge_objects",
        "realtime_objects",
        scan::quality_rows,
        _mappable_roles
    ]
);
