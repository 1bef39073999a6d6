//! Merging duplicate records: `CALL mdm.merge`, `mdm.unmerge`,
//! `mdm.resolve_id` and the journal they keep (`mdm.merge`,
//! `mdm.merge_ref`, `mdm.merge_redirect`, the view `mdm.merge_history`).
//!
//! Merging is catalog work and dynamic SQL over the caller's tables, so it
//! is written in PL/pgSQL (SECURITY INVOKER: the caller's rights apply to
//! every table it touches). Every identifier goes through `format('%I')`
//! or a `regclass` cast and every value is bound with `USING`.

use std::cell::RefCell;

use pgrx::prelude::*;

use crate::pg::progress::Progress;

thread_local! {
    static PROGRESS: RefCell<Option<Progress>> = const { RefCell::new(None) };
}

/// `mdm._merge_progress(tbl, done, total)`: progress of `mdm.merge_all`
/// (NOTICEs every `customer_mdm.progress_interval` seconds and the
/// `mdm.progress` view), as batch detection reports it. `done = 0` starts,
/// `done >= total` ends (the session's activity line is given back).
#[pg_extern(volatile, parallel_unsafe)]
fn _merge_progress(tbl: &str, done: i64, total: i64) {
    PROGRESS.with(|p| {
        let mut p = p.borrow_mut();
        if done <= 0 || p.is_none() {
            let mut n = Progress::new("merge_all", tbl);
            n.phase("merging clusters", total.max(0) as usize);
            *p = Some(n);
        }
        if done >= total {
            *p = None;
        } else if let Some(n) = p.as_mut() {
            n.tick(done.max(0) as usize);
        }
    });
}

extension_sql_file!(
    "../../sql/merge.sql",
    name = "merge_objects",
    requires = ["detect_objects", _merge_progress]
);
