//! `mdm.train`: reads the table (a sample of a big one), compares its
//! candidate pairs and random pairs on the worker threads, and estimates
//! the model with `model::train` (u, m by EM, the prior, term frequencies).

use std::collections::HashMap;

use pgrx::prelude::*;
use pgrx::JsonB;
use serde_json::{json, Value};

use super::{prepare_rows, Res};
use crate::candidates::{candidate_pairs_capped, Candidates};
use crate::error::{MdmError, OrRaise};
use crate::gucs;
use crate::keys::shared_kinds;
use crate::model::compare::score;
use crate::model::spec::Model;
use crate::model::train::{self, Levels};
use crate::pg::parallel::map_chunks;
use crate::pg::progress::Progress;
use crate::pg::{oid_arg, spi, RegClass};
use crate::record::roles::Role;
use crate::record::PreparedRecord;
use crate::registry::store::{load_registration, read_rows, Rows};
use crate::registry::Registration;

/// Records training reads at most; bigger tables are sampled.
const TRAIN_RECORDS: usize = 300_000;
/// Random pairs for u.
const U_PAIRS: usize = 300_000;

/// What training compared.
struct Compared {
    /// The levels of each candidate pair, with the kinds of keys it shares
    /// (contact, name, other).
    levels: Vec<(Levels, (bool, bool, bool))>,
    candidates: usize,
    random_pairs: usize,
    random: HashMap<Levels, u64>,
}

/// The levels of the candidate pairs and of random pairs.
fn compare_pairs(
    model: &Model,
    reg: &Registration,
    rows: &Rows,
    prepared: &[PreparedRecord],
    keys: &[Vec<String>],
    table_rows: usize,
    progress: &mut Progress,
) -> Res<Compared> {
    let n = prepared.len();
    progress.phase("blocking", n);
    let (link, sources) = (reg.link, &rows.sources);
    let cands: Candidates = candidate_pairs_capped(
        keys,
        |k| reg.cap(k, table_rows),
        |i, j| !link || sources[i as usize] != sources[j as usize],
    );
    progress.phase("comparing candidate pairs", cands.pairs.len());
    let levels = map_chunks(
        cands.pairs.len(),
        gucs::workers(),
        |range| {
            range
                .map(|k| {
                    let (i, j) = cands.pairs[k];
                    let (i, j) = (i as usize, j as usize);
                    let (l, _) = score(model, &prepared[i], &prepared[j]);
                    (l, shared_kinds(&keys[i], &keys[j]))
                })
                .collect()
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)?;
    let random = train::random_pairs(n, U_PAIRS, |i, j| !link || sources[i] != sources[j]);
    progress.phase("comparing random pairs", random.len());
    let random_levels: Vec<Levels> = map_chunks(
        random.len(),
        gucs::workers(),
        |range| {
            range
                .map(|k| {
                    let (i, j) = random[k];
                    score(model, &prepared[i as usize], &prepared[j as usize]).0
                })
                .collect()
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)?;
    let mut hist: HashMap<Levels, u64> = HashMap::new();
    for l in random_levels {
        *hist.entry(l).or_default() += 1;
    }
    Ok(Compared {
        levels,
        candidates: cands.pairs.len(),
        random_pairs: random.len(),
        random: hist,
    })
}

/// The two EM sessions: pairs sharing a contact key estimate the other
/// roles, pairs sharing a name key the contact roles.
fn sessions(
    levels: &[(Levels, (bool, bool, bool))],
) -> (Vec<train::Session>, HashMap<Levels, u64>) {
    let mut sessions = vec![
        train::Session {
            name: "pairs sharing a phone, e-mail or ID".into(),
            ..Default::default()
        },
        train::Session {
            name: "pairs sharing a name key".into(),
            ..Default::default()
        },
    ];
    for r in [Role::Phone, Role::Email, Role::IdNumber] {
        sessions[0].excluded[r.index()] = true;
    }
    sessions[1].excluded[Role::Name.index()] = true;
    let mut all: HashMap<Levels, u64> = HashMap::new();
    for (l, (contact, name, _)) in levels {
        *all.entry(*l).or_default() += 1;
        if *contact {
            *sessions[0].patterns.entry(*l).or_default() += 1;
        }
        if *name {
            *sessions[1].patterns.entry(*l).or_default() += 1;
        }
    }
    (sessions, all)
}

/// The training report of the model.
fn report(
    reg: &Registration,
    results: &[train::SessionResult],
    (table_rows, n): (usize, usize),
    compared: &Compared,
    expected_matches: f64,
    progress: &Progress,
) -> Res<Value> {
    let sessions: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "session": r.name,
                "pairs": r.pairs,
                "match_share": r.lambda,
                "iterations": r.iterations,
                "roles_estimated": Role::ALL.iter().filter(|x| r.m[x.index()].is_some()).map(|x| x.key()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({
        "method": "unsupervised: u from random record pairs, m by expectation maximisation over blocked pairs (roles of a session's blocking keys left out), prior from the expected matches among candidate pairs, term frequencies counted in the table",
        "table": reg.name,
        "trained_at": spi(Spi::get_one::<String>("SELECT now()::text"))?,
        "table_rows": table_rows,
        "records_used": n,
        "random_pairs": compared.random_pairs,
        "candidate_pairs": compared.candidates,
        "expected_matches_among_candidates": expected_matches.round(),
        "sessions": sessions,
        "seconds": (progress.elapsed() * 10.0).round() / 10.0,
    }))
}

/// The table's rows, a sample of [`TRAIN_RECORDS`] when there are more;
/// refuses a table of fewer than two rows.
fn training_rows(
    c: &pgrx::spi::SpiClient<'_>,
    reg: &Registration,
    progress: &mut Progress,
) -> Res<(Rows, usize)> {
    let t = spi(c.select(
        "SELECT count(*) FROM mdm.record_keys WHERE tbl = $1",
        None,
        &[oid_arg(reg.tbl)],
    ))?;
    let total = spi(t.first().get_one::<i64>())?.unwrap_or(0).max(0) as usize;
    progress.phase("reading rows", total);
    let mut rows = read_rows(c, reg, None, true, progress)?;
    let table_rows = rows.ids.len();
    if table_rows > TRAIN_RECORDS {
        // A deterministic sample: enough for m, u and the frequencies
        // (pairs within the sample keep their share).
        rows = rows.keep(&train::sample(table_rows, TRAIN_RECORDS));
    }
    if rows.ids.len() < 2 {
        return Err(MdmError::invalid_parameter(
            "tbl",
            reg.name.clone(),
            "Training needs a table with at least two rows.",
        ));
    }
    Ok((rows, table_rows))
}

fn train_impl(tbl: pg_sys::Oid) -> Res<Value> {
    Spi::connect_mut(|c| -> Res<Value> {
        let reg = load_registration(c, tbl)?;
        let base_json = reg.model_json()?;
        let model = Model::from_json(&base_json)?;
        let mut progress = Progress::new("train", &reg.name);
        let (mut rows, table_rows) = training_rows(c, &reg, &mut progress)?;
        let n = rows.ids.len();
        let (prepared, keys) = prepare_rows(&mut rows, reg.region()?, &mut progress)?;
        let compared = compare_pairs(
            &model,
            &reg,
            &rows,
            &prepared,
            &keys,
            table_rows,
            &mut progress,
        )?;
        progress.phase("expectation maximisation", 0);
        let u = train::estimate_u(&model, &compared.random);
        let (sessions, all) = sessions(&compared.levels);
        let results: Vec<train::SessionResult> =
            sessions.iter().map(|s| train::em(&model, &u, s)).collect();
        let m = train::combine_m(&model, &results);
        let expected_matches = train::match_share(&m, &u, &all) * compared.levels.len() as f64;
        let total = train::total_pairs(n, reg.link.then_some(&rows.sources[..]));
        let prior = train::prior(expected_matches, total);
        let tf = train::term_frequencies(&prepared);
        let training = report(
            &reg,
            &results,
            (table_rows, n),
            &compared,
            expected_matches,
            &progress,
        )?;
        let trained = train::trained_json(&base_json, &m, &u, prior, tf, training);
        Model::from_json(&trained)?;
        spi(c.update(
            "UPDATE mdm.registration
                SET model = $2, model_source = 'trained', trained_at = now()
              WHERE tbl = $1",
            None,
            &[oid_arg(tbl), JsonB(trained.clone()).into()],
        ))?;
        pgrx::notice!(
            "train {}: {} records, {} candidate pairs, {} random pairs, prior {:.3e}; the model is stored and used by mdm.find_duplicates",
            reg.name,
            n,
            compared.candidates,
            compared.random_pairs,
            prior
        );
        Ok(trained)
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn train(tbl: RegClass) -> JsonB {
    JsonB(train_impl(tbl.0).or_raise())
}
