//! Progress of long runs (find_duplicates, train, register, merge_all):
//! NOTICEs every `customer_mdm.progress_interval` seconds and the activity
//! line of `pg_stat_activity`, which the view `mdm.progress` reads.

use std::ffi::CString;
use std::time::{Duration, Instant};

use pgrx::prelude::*;
use pgrx::JsonB;
use serde_json::{json, Map, Value};

use crate::gucs;

/// What a running job's activity line in `pg_stat_activity` starts with;
/// the rest is its progress as JSON. `mdm._progress_of` (which the view
/// `mdm.progress` calls) reads it back.
pub const PROGRESS_PREFIX: &str = "customer_mdm progress ";

pub struct Progress {
    /// Seconds each finished phase took.
    phases: Vec<(&'static str, f64)>,
    command: &'static str,
    table: String,
    phase: &'static str,
    total: usize,
    started: Instant,
    phase_started: Instant,
    last_notice: Instant,
    last_activity: Instant,
    interval: Option<Duration>,
}

impl Progress {
    pub(crate) fn new(command: &'static str, table: &str) -> Progress {
        let now = Instant::now();

        Progress {
            phases: Vec::new(),
            command,
            table: table.to_string(),
            phase: "starting",
            total: 0,
            started: now,
            phase_started: now,
            last_notice: now,
            last_activity: now - Duration::from_secs(10),
            interval: gucs::progress_interval(),
        }
    }

    pub(crate) fn phase(&mut self, phase: &'static str, total: usize) {
        if self.phase != "starting" {
            self.phases
                .push((self.phase, self.phase_started.elapsed().as_secs_f64()));
        }
        self.phase = phase;
        self.total = total;
        self.phase_started = Instant::now();
        self.last_activity = self.phase_started - Duration::from_secs(10);
        self.tick(0);
    }

    fn report_activity(&self, text: &str) {
        if let Ok(c) = CString::new(text) {
            // SAFETY: pgstat_report_activity copies the string.
            unsafe {
                pg_sys::pgstat_report_activity(pg_sys::BackendState::STATE_RUNNING, c.as_ptr())
            };
        }
    }

    /// Called on the backend's thread during long work: honours query
    /// cancel, updates mdm.progress about every second and sends a NOTICE
    /// every `customer_mdm.progress_interval` seconds.
    pub(crate) fn tick(&mut self, done: usize) {
        pgrx::check_for_interrupts!();
        let now = Instant::now();
        let secs = now.duration_since(self.phase_started).as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        if now.duration_since(self.last_activity) >= Duration::from_secs(1) {
            self.last_activity = now;
            let line = json!({
                "command": self.command,
                "table": self.table,
                "phase": self.phase,
                "done": done,
                "total": self.total,
                "rate_per_second": rate.round(),
                "elapsed_seconds": (now.duration_since(self.started).as_secs_f64() * 10.0).round() / 10.0,
            });
            self.report_activity(&format!("{PROGRESS_PREFIX}{line}"));
        }
        if let Some(iv) = self.interval {
            if now.duration_since(self.last_notice) >= iv {
                self.last_notice = now;
                pgrx::notice!(
                    "{} {}: {} {}/{} ({:.0}%), {:.0} per second, {:.0} s elapsed",
                    self.command,
                    self.table,
                    self.phase,
                    done,
                    self.total,
                    if self.total > 0 {
                        100.0 * done as f64 / self.total as f64
                    } else {
                        100.0
                    },
                    rate,
                    now.duration_since(self.started).as_secs_f64()
                );
            }
        }
    }

    pub(crate) fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// The phases so far, with their seconds (the current one too).
    pub(crate) fn phase_seconds(&self) -> Value {
        let mut m = Map::new();
        let current = (self.phase, self.phase_started.elapsed().as_secs_f64());
        for (p, secs) in self.phases.iter().chain(std::iter::once(&current)) {
            m.insert((*p).to_string(), json!((secs * 1000.0).round() / 1000.0));
        }
        Value::Object(m)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Give pg_stat_activity its statement back.
        // SAFETY: debug_query_string is the statement being run (or null).
        unsafe {
            let q = pg_sys::debug_query_string;
            if !q.is_null() {
                pg_sys::pgstat_report_activity(pg_sys::BackendState::STATE_RUNNING, q);
            }
        }
    }
}

/// The progress in an activity line: the JSON after [`PROGRESS_PREFIX`], or
/// `None` for any other line.
pub fn progress_of(activity: &str) -> Option<Value> {
    let rest = activity.strip_prefix(PROGRESS_PREFIX)?;
    if !rest.starts_with('{') {
        return None;
    }
    serde_json::from_str(rest).ok()
}

/// `mdm._progress_of(activity)`: the progress a running job shows in its
/// activity line, NULL for any other line (the view `mdm.progress`).
#[pg_extern(immutable, strict, parallel_safe)]
fn _progress_of(activity: &str) -> Option<JsonB> {
    progress_of(activity).map(JsonB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_lines() {
        let line = format!(
            "{PROGRESS_PREFIX}{}",
            json!({"phase": "blocking", "done": 3})
        );
        assert_eq!(
            progress_of(&line),
            Some(json!({"phase": "blocking", "done": 3}))
        );
        assert_eq!(progress_of("SELECT 1"), None);
        assert_eq!(progress_of("customer_mdm progress x"), None);
        assert_eq!(progress_of("customer_mdm progress {broken"), None);
    }
}
