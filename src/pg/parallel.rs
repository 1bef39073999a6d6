//! Work on several cores inside one backend: pure Rust work (preparing
//! records, scoring pairs) is split into chunks that worker threads take in
//! turn, while the backend's own thread waits, checks for interrupts
//! (query cancel) and reports progress. Worker threads never call into
//! PostgreSQL, never allocate with palloc and block every signal, so the
//! backend's signal handlers only ever run on its own thread. A panic in a
//! worker is caught and returned as an error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::TrySendError;
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
pub fn map_chunks<T, F, W>(n: usize, workers: usize, f: F, wait: W) -> Result<Vec<T>, String>
where
    T: Send,
    F: Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
    W: FnMut(usize),
{
    map_chunks_sized(n, CHUNK, workers, f, wait)
}

/// `map_chunks` with chunks of `chunk` items (1 for a few large items).
pub fn map_chunks_sized<T, F, W>(
    n: usize,
    chunk: usize,
    workers: usize,
    f: F,
    mut wait: W,
) -> Result<Vec<T>, String>
where
    T: Send,
    F: Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
    W: FnMut(usize),
{
    let chunk = chunk.max(1);
    let chunks = n.div_ceil(chunk);
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
                    let range = c * chunk..((c + 1) * chunk).min(n);
                    let len = range.len();
                    match catch_unwind(AssertUnwindSafe(|| f(range))) {
                        Ok(out) => {
                            if let Ok(mut r) = results.lock() {
                                r.push((c, out));
                            }
                            done.fetch_add(len, Ordering::Relaxed);
                        }
                        Err(e) => {
                            let msg = panic_message(e.as_ref());
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

/// Runs `f` on `workers` threads over the batches `next` produces on the
/// calling thread, so that reading (SPI, on the backend's thread) and
/// computing overlap; returns the results in batch order. At most two
/// batches per worker wait in the queue; while it is full, `wait` runs on
/// the calling thread about every 10 ms (it may check for interrupts).
/// `next` and `wait` may unwind (an ERROR or a query cancel): the queue
/// closes and the workers stop. After a worker's panic no more batches are
/// read and `Err` carries its message.
pub fn pipeline<B, T, N, F, W>(
    workers: usize,
    mut next: N,
    f: F,
    mut wait: W,
) -> Result<Vec<T>, String>
where
    B: Send,
    T: Send,
    N: FnMut() -> Option<B>,
    F: Fn(B) -> T + Sync,
    W: FnMut(),
{
    let workers = workers.clamp(1, 64);
    let results: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::new());
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let failed = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, B)>(workers * 2);
    let rx = Mutex::new(rx);
    std::thread::scope(|s| {
        // Owned by this closure: dropped when it returns or unwinds, which
        // ends the workers' loops before the scope joins them.
        let tx = tx;
        for _ in 0..workers {
            s.spawn(|| {
                block_signals();
                loop {
                    let msg = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, batch)) = msg else { return };
                    if failed.load(Ordering::Relaxed) {
                        continue; // drain the queue so that the reader never blocks
                    }
                    match catch_unwind(AssertUnwindSafe(|| f(batch))) {
                        Ok(out) => {
                            if let Ok(mut r) = results.lock() {
                                r.push((seq, out));
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(panic_message(e.as_ref()));
                            }
                            failed.store(true, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
        let mut seq = 0;
        'reading: while !failed.load(Ordering::Relaxed) {
            let Some(batch) = next() else { break };
            let mut item = (seq, batch);
            loop {
                match tx.try_send(item) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) => {
                        if failed.load(Ordering::Relaxed) {
                            break 'reading;
                        }
                        item = back;
                        wait();
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(TrySendError::Disconnected(_)) => break 'reading,
                }
            }
            seq += 1;
        }
    });
    if let Some(msg) = failure.into_inner().ok().flatten() {
        return Err(msg);
    }
    let mut parts = results.into_inner().map_err(|e| e.to_string())?;
    parts.sort_unstable_by_key(|(c, _)| *c);
    Ok(parts.into_iter().map(|(_, v)| v).collect())
}

/// The message of a caught panic.
fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a worker thread failed".into())
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

    #[test]
    fn pipeline_keeps_batch_order() {
        let mut next = 0..100usize;
        let out = pipeline(2, || next.next(), |b| b * 3, || {});
        assert_eq!(out, Ok((0..100).map(|b| b * 3).collect::<Vec<_>>()));
    }

    #[test]
    fn pipeline_with_no_batches() {
        let out = pipeline(2, || None::<usize>, |b| b, || {});
        assert_eq!(out, Ok(vec![]));
    }

    #[test]
    fn pipeline_worker_panic_stops_reading() {
        let mut read = 0usize;
        let out = pipeline(
            2,
            || {
                read += 1;
                (read <= 10_000).then_some(read)
            },
            |b| {
                if b == 3 {
                    panic!("bad batch"); // ok: the test checks the panic is caught
                }
                // slow enough that reading all 10,000 batches would take 20 s
                std::thread::sleep(std::time::Duration::from_millis(2));
                b
            },
            || {},
        );
        assert_eq!(out, Err("bad batch".to_string()));
        assert!(read < 10_000, "reading went on after the failure: {read}");
    }
}
