//! `mdm.find_duplicates`: a full run reads every row, an incremental run
//! (same settings as the last full run, few changes) the changed records
//! and the records sharing an uncapped key with them; then blocking,
//! scoring on the worker threads, storing the pairs explained, clustering,
//! and the run's report in `mdm.registration.last_run`.

use std::collections::HashSet;
use std::time::Instant;

use pgrx::prelude::*;
use pgrx::spi::SpiClient;
use pgrx::JsonB;
use serde_json::{json, Value};

use super::decide::recluster;
use super::{explain_pairs, millis, prepare_rows, progress_done, score_pairs, Res};
use crate::candidates::{candidate_pairs_capped, Candidates};
use crate::error::{MdmError, OrRaise};
use crate::gucs;
use crate::model::spec::Model;
use crate::pg::progress::Progress;
use crate::pg::{oid_arg, spi, RegClass};
use crate::record::PreparedRecord;
use crate::registry::store::{clear, count_pairs, load_registration, read_rows, store_pairs, Rows};
use crate::registry::Registration;

/// (records with keys, changed records) of a table.
fn counts(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<(i64, i64)> {
    let t = spi(c.select(
        "SELECT (SELECT count(*) FROM mdm.record_keys WHERE tbl = $1),
                (SELECT count(*) FROM mdm.changed_record WHERE tbl = $1)",
        None,
        &[oid_arg(tbl)],
    ))?;
    let (total, dirty) = spi(t.first().get_two::<i64, i64>())?;
    Ok((total.unwrap_or(0), dirty.unwrap_or(0)))
}

/// The changed records (`true`) and every record sharing an uncapped key
/// with one of them (`false`).
fn focus_ids(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<Vec<(String, bool)>> {
    let t = spi(c.select(
        "WITH d AS (SELECT k.record_id, k.keys
                      FROM mdm.changed_record c
                      JOIN mdm.record_keys k ON k.tbl = c.tbl AND k.record_id = c.record_id
                     WHERE c.tbl = $1),
              k AS (SELECT DISTINCT unnest(keys) AS key FROM d
                    EXCEPT SELECT key FROM mdm.capped_key WHERE tbl = $1)
         SELECT record_id, true FROM d
         UNION
         SELECT r.record_id, false FROM mdm.record_keys r
          WHERE r.tbl = $1 AND r.keys && (SELECT coalesce(array_agg(key), '{}') FROM k)
            AND NOT EXISTS (SELECT FROM mdm.changed_record c
                             WHERE c.tbl = $1 AND c.record_id = r.record_id)",
        None,
        &[oid_arg(tbl)],
    ))?;
    let mut out = Vec::new();
    for row in t {
        let id = spi(row.get::<String>(1))?.unwrap_or_default();
        out.push((id, spi(row.get::<bool>(2))?.unwrap_or(false)));
    }
    Ok(out)
}

/// An incremental run's rows and its focus (the indices of the changed
/// records); the stored pairs of changed (or deleted) records go, to be
/// found again.
fn read_incremental(
    c: &mut SpiClient<'_>,
    reg: &Registration,
    progress: &mut Progress,
) -> Res<(Rows, HashSet<u32>)> {
    let found = focus_ids(c, reg.tbl)?;
    let changed: HashSet<&str> = found
        .iter()
        .filter(|(_, ch)| *ch)
        .map(|(id, _)| id.as_str())
        .collect();
    let ids: Vec<String> = found.iter().map(|(id, _)| id.clone()).collect();
    let rows = read_rows(c, reg, Some(&ids), true, progress)?;
    let focus = rows
        .ids
        .iter()
        .enumerate()
        .filter(|(_, id)| changed.contains(id.as_str()))
        .map(|(i, _)| i as u32)
        .collect();
    for col in ["id_a", "id_b"] {
        spi(c.update(
            format!(
                "DELETE FROM mdm.pair p USING mdm.changed_record r
                  WHERE p.tbl = $1 AND r.tbl = $1 AND p.{col} = r.record_id"
            )
            .as_str(),
            None,
            &[oid_arg(reg.tbl)],
        ))?;
    }
    Ok((rows, focus))
}

/// The candidate pairs of a run: shared keys under the table's caps, only
/// pairs of different sources in link mode, only pairs touching the focus
/// in an incremental run.
fn candidates(
    reg: &Registration,
    keys: &[Vec<String>],
    sources: &[Option<String>],
    focus: Option<&HashSet<u32>>,
    table_rows: usize,
) -> Candidates {
    let link = reg.link;
    candidate_pairs_capped(
        keys,
        |k| reg.cap(k, table_rows),
        |i, j| {
            (!link || sources[i as usize] != sources[j as usize])
                && focus.is_none_or(|f| f.contains(&i) || f.contains(&j))
        },
    )
}

/// Explains and stores the accepted pairs, 50,000 at a time; returns the
/// seconds spent explaining and storing.
fn store_accepted(
    c: &mut SpiClient<'_>,
    tbl: pg_sys::Oid,
    (model, prepared, ids): (&Model, &[PreparedRecord], &[String]),
    accepted: &[(u32, u32, f64)],
    fresh: bool,
    progress: &mut Progress,
) -> Res<(f64, f64)> {
    progress.phase("explaining and storing pairs", accepted.len());
    let (mut explain_s, mut store_s) = (0.0, 0.0);
    for batch in accepted.chunks(50_000) {
        let t0 = Instant::now();
        let done_before = progress_done(accepted, batch);
        let found = explain_pairs(model, prepared, ids, batch, done_before, progress)?;
        let t1 = Instant::now();
        store_pairs(c, tbl, &found, fresh)?;
        explain_s += t1.duration_since(t0).as_secs_f64();
        store_s += t1.elapsed().as_secs_f64();
        progress.tick(done_before + batch.len());
    }
    Ok((explain_s, store_s))
}

/// Notes the keys the run capped (largest first).
fn store_capped(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, cands: &Candidates) -> Res<()> {
    let keys: Vec<String> = cands.capped.iter().map(|(k, _)| k.clone()).collect();
    let sizes: Vec<i64> = cands.capped.iter().map(|(_, n)| *n as i64).collect();
    spi(c.update(
        "INSERT INTO mdm.capped_key (tbl, key, records)
         SELECT $1, k, n FROM unnest($2::text[], $3::bigint[]) AS u(k, n)
         ON CONFLICT (tbl, key) DO UPDATE SET records = excluded.records",
        None,
        &[oid_arg(tbl), keys.into(), sizes.into()],
    ))?;
    Ok(())
}

/// What a run did, as `mdm.registration.last_run` keeps it.
struct Run {
    signature: String,
    full: bool,
    records_read: usize,
    changed: i64,
    accepted: usize,
    stored: i64,
    clusters: (usize, usize, usize),
    explain_store: (f64, f64),
}

fn run_report(
    reg: &Registration,
    run: &Run,
    cands: &Candidates,
    progress: &Progress,
    seconds: f64,
) -> Res<Value> {
    let (clusters, members, refused) = run.clusters;
    Ok(json!({
        "signature": run.signature,
        "mode": if run.full { "full" } else { "incremental" },
        "finished_at": spi(Spi::get_one::<String>("SELECT now()::text"))?,
        "records_read": run.records_read,
        "changed_records": run.changed,
        "candidate_pairs": cands.pairs.len(),
        "blocks": cands.blocks,
        "largest_block": cands.largest_block,
        "capped_keys": cands.capped.len(),
        "max_block_size": reg.max_block,
        "pairs_scored_at_or_above_threshold": run.accepted,
        "pairs_stored": run.stored,
        "clusters": clusters,
        "records_in_clusters": members,
        "joins_refused_by_decisions": refused,
        "threshold": reg.threshold,
        "workers": gucs::workers(),
        "seconds": seconds,
        "phase_seconds": progress.phase_seconds(),
        "explain_seconds": millis(run.explain_store.0),
        "store_seconds": millis(run.explain_store.1),
    }))
}

/// Stores the run's report and says what it did.
fn finish(
    c: &mut SpiClient<'_>,
    reg: &Registration,
    run: &Run,
    cands: &Candidates,
    progress: &Progress,
) -> Res<()> {
    let seconds = millis(progress.elapsed());
    let report = run_report(reg, run, cands, progress, seconds)?;
    spi(c.update(
        "UPDATE mdm.registration SET last_run = $2 WHERE tbl = $1",
        None,
        &[oid_arg(reg.tbl), JsonB(report).into()],
    ))?;
    pgrx::notice!(
        "find_duplicates {}: {} run over {} records, {} candidate pairs ({} capped keys), {} pairs at or above {}, {} clusters, {:.1} s",
        reg.name,
        if run.full { "full" } else { "incremental" },
        run.records_read,
        cands.pairs.len(),
        cands.capped.len(),
        run.accepted,
        reg.threshold,
        run.clusters.0,
        seconds
    );
    Ok(())
}

fn find_duplicates_impl(tbl: pg_sys::Oid) -> Res<i64> {
    Spi::connect_mut(|c| -> Res<i64> {
        let reg = load_registration(c, tbl)?;
        let model = reg.model()?;
        let mut progress = Progress::new("find_duplicates", &reg.name);
        let signature = reg.signature();
        let (total, dirty) = counts(c, tbl)?;
        let last = reg
            .last_run
            .as_ref()
            .and_then(|r| r.get("signature"))
            .and_then(Value::as_str);
        // Incremental when the settings are those of the last full run and
        // few records changed; otherwise everything again.
        let full = last != Some(signature.as_str()) || dirty * 4 > total.max(1);
        progress.phase("reading rows", total as usize);
        let (mut rows, focus) = if full {
            (read_rows(c, &reg, None, true, &mut progress)?, None)
        } else {
            let (rows, focus) = read_incremental(c, &reg, &mut progress)?;
            (rows, Some(focus))
        };
        if rows.ids.len() > u32::MAX as usize / 2 {
            return Err(MdmError::Internal("too many rows for one run".into()));
        }
        let (prepared, keys) = prepare_rows(&mut rows, reg.region()?, &mut progress)?;
        rows.records = Vec::new();
        progress.phase("blocking", prepared.len());
        let cands = candidates(
            &reg,
            &keys,
            &rows.sources,
            focus.as_ref(),
            total.max(0) as usize,
        );
        drop(keys);
        let accepted = score_pairs(
            &model,
            &prepared,
            &cands.pairs,
            reg.threshold,
            &mut progress,
        )?;
        if full {
            clear(c, tbl, &["pair", "capped_key"])?;
        }
        let explain_store = store_accepted(
            c,
            tbl,
            (&model, &prepared, &rows.ids),
            &accepted,
            full,
            &mut progress,
        )?;
        store_capped(c, tbl, &cands)?;
        clear(c, tbl, &["changed_record"])?;
        // A full run has every pair of the table in memory.
        let in_memory = full.then(|| {
            let id = |i: u32| rows.ids[i as usize].as_str();
            accepted
                .iter()
                .map(|&(i, j, p)| (id(i), id(j), p))
                .collect()
        });
        let clusters = recluster(c, &reg, in_memory, &mut progress)?;
        let run = Run {
            signature,
            full,
            records_read: rows.ids.len(),
            changed: if full { total } else { dirty },
            accepted: accepted.len(),
            stored: count_pairs(c, tbl)?,
            clusters,
            explain_store,
        };
        finish(c, &reg, &run, &cands, &progress)?;
        Ok(run.stored)
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn find_duplicates(tbl: RegClass) -> i64 {
    find_duplicates_impl(tbl.0).or_raise()
}

extension_sql_file!(
    "../../sql/detect.sql",
    name = "detect_objects",
    requires = [
        "registry_objects",
        find_duplicates,
        train,
        _decide,
        _progress_of
    ]
);
