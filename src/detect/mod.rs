//! Batch detection: `mdm.find_duplicates` (`sql.rs`), `mdm.train`
//! (`train.rs`) and the decisions with the clustering they trigger
//! (`decide.rs`).
//!
//! This file is the computing part, run on the worker threads with no
//! database access: preparing the records read from the table, scoring the
//! candidate pairs and explaining the accepted ones.

mod decide;
mod sql;
mod train;

use crate::error::MdmError;
use crate::gucs;
use crate::keys::record_keys;
use crate::model::compare::{compare_prepared, probability, score};
use crate::model::explain::explanation_json;
use crate::model::spec::Model;
use crate::pg::parallel::map_chunks;
use crate::pg::progress::Progress;
use crate::record::roles::Role;
use crate::record::{prepare_all, PreparedRecord};
use crate::registry::store::{ordered, PairRow, Rows};

type Res<T> = Result<T, MdmError>;

/// Prepared records and their blocking keys (the stored ones when the
/// rows were read with them), on the worker threads.
fn prepare_rows(
    rows: &mut Rows,
    region: phonenumber::country::Id,
    progress: &mut Progress,
) -> Res<(Vec<PreparedRecord>, Vec<Vec<String>>)> {
    progress.phase("preparing records", rows.records.len());
    let mut stored = std::mem::take(&mut rows.keys);
    let rows = &*rows;
    let stored_ref = &stored;
    let both: Vec<(PreparedRecord, Option<Vec<String>>)> = map_chunks(
        rows.records.len(),
        gucs::workers(),
        |range| {
            range
                .map(|i| {
                    let r = &rows.records[i];
                    let p = prepare_all(r, region);
                    let k = match stored_ref.get(i) {
                        Some(Some(_)) => None,
                        _ => Some(record_keys(&p, &r.values[Role::Name.index()])),
                    };
                    (p, k)
                })
                .collect()
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)?;
    let mut prepared = Vec::with_capacity(both.len());
    let mut keys = Vec::with_capacity(both.len());
    for (i, (p, computed)) in both.into_iter().enumerate() {
        prepared.push(p);
        keys.push(match computed {
            Some(k) => k,
            None => stored.get_mut(i).and_then(Option::take).unwrap_or_default(),
        });
    }
    Ok((prepared, keys))
}

/// Scores candidate pairs on the worker threads; returns the accepted ones
/// (index pair, probability) in candidate order.
fn score_pairs(
    model: &Model,
    prepared: &[PreparedRecord],
    pairs: &[(u32, u32)],
    threshold: f64,
    progress: &mut Progress,
) -> Res<Vec<(u32, u32, f64)>> {
    progress.phase("scoring candidate pairs", pairs.len());
    let per_chunk = map_chunks(
        pairs.len(),
        gucs::workers(),
        |range| {
            let mut out = Vec::new();
            for k in range {
                let (i, j) = pairs[k];
                let (_, w) = score(model, &prepared[i as usize], &prepared[j as usize]);
                let p = probability(w);
                if p >= threshold {
                    out.push((i, j, p));
                }
            }
            vec![out]
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)?;
    Ok(per_chunk.into_iter().flatten().collect())
}

/// The pairs to store of some accepted pairs, explained on the worker
/// threads and sorted by ids (so that the index inserts land near each
/// other); `done_before` items were done before (for progress).
fn explain_pairs(
    model: &Model,
    prepared: &[PreparedRecord],
    ids: &[String],
    batch: &[(u32, u32, f64)],
    done_before: usize,
    progress: &mut Progress,
) -> Res<Vec<PairRow>> {
    let mut found: Vec<PairRow> = map_chunks(
        batch.len(),
        gucs::workers(),
        |range| {
            range
                .map(|k| {
                    let (i, j, p) = batch[k];
                    let (i, j) = (i as usize, j as usize);
                    let cmp = compare_prepared(model, &prepared[i], &prepared[j]);
                    let (a, b) = ordered(&ids[i], &ids[j]);
                    PairRow {
                        a: a.to_string(),
                        b: b.to_string(),
                        p,
                        w: cmp.match_weight,
                        explanation: explanation_json(&cmp),
                    }
                })
                .collect()
        },
        |done| progress.tick(done_before + done),
    )
    .map_err(MdmError::Internal)?;
    found.sort_unstable_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    Ok(found)
}

/// Items of `all` before the sub-slice `part` (for progress).
fn progress_done<T>(all: &[T], part: &[T]) -> usize {
    (part.as_ptr() as usize - all.as_ptr() as usize) / std::mem::size_of::<T>().max(1)
}

/// Rounds seconds to milliseconds (for the run reports).
fn millis(secs: f64) -> f64 {
    (secs * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_of_a_sub_slice() {
        let all = [1u64, 2, 3, 4, 5];
        assert_eq!(progress_done(&all, &all[..]), 0);
        assert_eq!(progress_done(&all, &all[3..]), 3);
        assert_eq!(millis(1.23456), 1.235);
    }
}
