//! Work on several cores inside one backend: pure Rust work (preparing
//! records, scoring pairs) is split into chunks that worker threads take in
//! turn, while the backend's own thread waits, checks for interrupts
//! (query cancel) and reports progress. Worker threads never call into
//! PostgreSQL, never allocate with palloc and block every signal, so the
//! backend's signal handlers only ever run on its own thread. A panic in a
//! worker is caught and returned as an error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Items per chunk a worker takes at a time.
pub const CHUNK: usize = 2048;

/// Blocks every signal in the calling thread.
fn block_signals() {
    // SAFETY: sigfillset and pthread_sigmask only touch the set we own and
    // the calling thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Sets the flag when dropped: if the waiting thread unwinds (a query
/// cancel raised while waiting), the workers stop at their next chunk.
struct CancelOnDrop<'a>(&'a AtomicBool);

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Maps `f` over `0..n` on `workers` threads, in chunks; returns the
/// results in order. `wait(done)` runs on the calling thread about every
/// 50 ms with the number of items done so far: it may check for
/// interrupts and report progress (if it unwinds, the workers stop).
/// `Err` carries the message of a worker's panic.
pub fn map_chunks<T, F, W>(n: usize, workers: usize, f: F, mut wait: W) -> Result<Vec<T>, String>
where
    T: Send,
    F: Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
    W: FnMut(usize),
{
    let chunks = n.div_ceil(CHUNK);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let cancel = AtomicBool::new(false);
    let results: Mutex<Vec<(usize, Vec<T>)>> = Mutex::new(Vec::with_capacity(chunks));
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let workers = workers.clamp(1, 64).min(chunks.max(1));
    std::thread::scope(|s| {
        let guard = CancelOnDrop(&cancel);
        for _ in 0..workers {
            s.spawn(|| {
                block_signals();
                loop {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        return;
                    }
                    let range = c * CHUNK..((c + 1) * CHUNK).min(n);
                    let len = range.len();
                    match catch_unwind(AssertUnwindSafe(|| f(range))) {
                        Ok(out) => {
                            if let Ok(mut r) = results.lock() {
                                r.push((c, out));
                            }
                            done.fetch_add(len, Ordering::Relaxed);
                        }
                        Err(e) => {
                            let msg = e
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_else(|| "a worker thread failed".into());
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(msg);
                            }
                            cancel.store(true, Ordering::Relaxed);
                            return;
                        }
                    }
                }
            });
        }
        loop {
            let d = done.load(Ordering::Relaxed);
            if d >= n || cancel.load(Ordering::Relaxed) {
                break;
            }
            wait(d);
            std::thread::sleep(Duration::from_millis(50));
        }
        drop(guard);
    });
    if let Some(msg) = failure.into_inner().ok().flatten() {
        return Err(msg);
    }
    let mut parts = results.into_inner().map_err(|e| e.to_string())?;
    parts.sort_unstable_by_key(|(c, _)| *c);
    Ok(parts.into_iter().flat_map(|(_, v)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        let n = CHUNK * 5 + 17;
        let out = map_chunks(n, 2, |r| r.map(|i| i * 2).collect(), |_| {});
        let v = out.unwrap_or_default();
        assert_eq!(v.len(), n);
        assert!(v.iter().enumerate().all(|(i, x)| *x == i * 2));
    }

    #[test]
    fn empty_input() {
        let out = map_chunks(0, 2, |r| r.collect::<Vec<_>>(), |_| {});
        assert_eq!(out, Ok(vec![]));
    }

    #[test]
    fn a_worker_panic_is_an_error() {
        let out = map_chunks(
            CHUNK * 3,
            2,
            |r| {
                if r.start == CHUNK {
                    panic!("boom"); // ok: the test checks the panic is caught
                }
                r.collect::<Vec<_>>()
            },
            |_| {},
        );
        assert_eq!(out, Err("boom".to_string()));
    }
}
