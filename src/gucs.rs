//! The extension's settings (`customer_mdm.*`), registered when the library
//! is loaded. `SHOW customer_mdm.workers` lists the current value;
//! `SET` changes it for a session, `ALTER SYSTEM` / postgresql.conf for all.
//! The prefix `customer_mdm` is reserved: a setting of that prefix that is
//! not one of these (`SET customer_mdm.wrokers = 4`) is an error.
//!
//! The settings are read through the typed accessors below, which clamp
//! them to the range the code relies on.

use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::pg_sys;

/// Threads that prepare and score records in batch detection and training.
static WORKERS: GucSetting<i32> = GucSetting::<i32>::new(2);
/// Seconds between progress NOTICEs of long runs (0: none).
static PROGRESS_INTERVAL: GucSetting<i32> = GucSetting::<i32>::new(5);
/// Records a blocking key may hold before it is capped, for tables whose
/// options do not say.
static MAX_BLOCK_SIZE: GucSetting<i32> = GucSetting::<i32>::new(100);

/// Whether the realtime triggers (mdm.enable_realtime) check rows; off
/// defers detection in a session (a bulk load, then mdm.find_duplicates).
static REALTIME: GucSetting<bool> = GucSetting::<bool>::new(true);

/// Threads for pure computation in one backend (at least 1).
pub fn workers() -> usize {
    WORKERS.get().max(1) as usize
}

/// Seconds between progress NOTICEs; `None`: no NOTICEs.
pub fn progress_interval() -> Option<std::time::Duration> {
    let secs = PROGRESS_INTERVAL.get();
    (secs > 0).then(|| std::time::Duration::from_secs(secs as u64))
}

/// The default cap of a blocking key's block (at least 2).
pub fn max_block_size() -> usize {
    MAX_BLOCK_SIZE.get().max(2) as usize
}

/// Whether the realtime triggers check rows in this session.
pub fn realtime() -> bool {
    REALTIME.get()
}

/// Registers the settings and reserves their prefix.
pub fn init() {
    GucRegistry::define_bool_guc(
        c"customer_mdm.realtime",
        c"Whether the realtime duplicate triggers (mdm.enable_realtime) check the rows this session writes.",
        c"Turn it off for a bulk load with detection deferred (SET customer_mdm.realtime = off; COPY ...; RESET customer_mdm.realtime;), then run mdm.find_duplicates: it compares the rows loaded since its last run. Blocking keys stay current either way.",
        &REALTIME,
        GucContext::Userset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"customer_mdm.workers",
        c"Threads that prepare and score records in mdm.find_duplicates and mdm.train.",
        c"Each backend running batch detection uses this many threads for pure computation (no database access happens on them). Set it to the number of cores the job may use.",
        &WORKERS,
        1,
        64,
        GucContext::Userset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"customer_mdm.progress_interval",
        c"Seconds between the progress NOTICEs of mdm.find_duplicates and mdm.train (0: none).",
        c"Progress is also shown in the view mdm.progress, which other sessions can read.",
        &PROGRESS_INTERVAL,
        0,
        3600,
        GucContext::Userset,
        GucFlags::UNIT_S,
    );
    GucRegistry::define_int_guc(
        c"customer_mdm.max_block_size",
        c"Records a blocking key may hold before batch detection caps it (default for tables whose options do not set max_block_size).",
        c"A key shared by more records (a very common name, a switchboard number) makes no candidate pairs; its records still meet through their other keys. mdm.blocking_stats lists the capped keys.",
        &MAX_BLOCK_SIZE,
        2,
        100_000,
        GucContext::Userset,
        GucFlags::default(),
    );
    // SAFETY: called once from _PG_init, with a static C string.
    unsafe { pg_sys::MarkGUCPrefixReserved(c"customer_mdm".as_ptr()) };
}
