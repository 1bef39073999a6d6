//! m (P(level | same customer)) by expectation maximisation over blocked
//! candidate pairs, in sessions that leave out the roles of their blocking
//! keys, and the share of matches among pairs under fixed m and u.

use std::collections::HashMap;

use super::{Levels, FLOOR, MAX_ITERATIONS};
use crate::model::spec::{Condition, Model};
use crate::record::roles::{Role, ROLES};

/// Expected matches a session needs before its m estimates count.
const MIN_MATCHES: f64 = 5.0;
/// Weight of the starting model's m in the M step, in matches.
const PSEUDO_MATCHES: f64 = 50.0;

/// One EM session: comparison vectors with their counts, and the roles it
/// leaves out.
#[derive(Debug, Default, Clone)]
pub struct Session {
    pub name: String,
    pub patterns: HashMap<Levels, u64>,
    pub excluded: [bool; ROLES],
}

/// What a session estimated.
#[derive(Debug, Clone)]
pub struct SessionResult {
    pub name: String,
    pub pairs: u64,
    /// Share of the session's pairs that are matches.
    pub lambda: f64,
    pub iterations: usize,
    /// m per role (`None`: left out or too few matches).
    pub m: [Option<Vec<f64>>; ROLES],
}

fn likelihood(levels: &Levels, probs: &[Vec<f64>; ROLES], excluded: &[bool; ROLES]) -> f64 {
    let mut p = 1.0;
    for (r, l) in levels.iter().enumerate() {
        if excluded[r] {
            continue;
        }
        if let Some(l) = l {
            if let Some(x) = probs[r].get(usize::from(*l)) {
                p *= x;
            }
        }
    }
    p
}

/// Expectation maximisation of m (u fixed) over one session.
/// The E step: expected matches per role and level (`num`), per role
/// (`den`) and in all, under the current m, u and share `lambda`.
fn expectation(
    session: &Session,
    m: &[Vec<f64>; ROLES],
    u: &[Vec<f64>; ROLES],
    lambda: f64,
) -> ([Vec<f64>; ROLES], [f64; ROLES], f64) {
    let mut num: [Vec<f64>; ROLES] = m.clone().map(|v| vec![0.0; v.len()]);
    let mut den = [0.0f64; ROLES];
    let mut expected = 0.0;
    for (levels, &n) in &session.patterns {
        let pm = lambda * likelihood(levels, m, &session.excluded);
        let pu = (1.0 - lambda) * likelihood(levels, u, &session.excluded);
        let post = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
        let w = post * n as f64;
        expected += w;
        for (r, l) in levels.iter().enumerate() {
            if session.excluded[r] {
                continue;
            }
            if let Some(l) = l {
                if let Some(x) = num[r].get_mut(usize::from(*l)) {
                    *x += w;
                    den[r] += w;
                }
            }
        }
    }
    (num, den, expected)
}

/// The M step for one role: the model's m as PSEUDO_MATCHES
/// pseudo-observations (a Dirichlet prior), so that little data moves m
/// little; levels that encode a rule (two different valid IDs are two
/// people) keep their m. Returns the largest change.
fn maximise(m: &mut [f64], num: &[f64], den: f64, base: &[f64], frozen: &[bool]) -> f64 {
    let fresh: Vec<f64> = num
        .iter()
        .zip(base)
        .enumerate()
        .map(|(l, (x, m0))| {
            if frozen.get(l).copied().unwrap_or(false) {
                *m0
            } else {
                ((x + PSEUDO_MATCHES * m0) / (den + PSEUDO_MATCHES)).max(FLOOR)
            }
        })
        .collect();
    let s: f64 = fresh.iter().sum();
    let mut change: f64 = 0.0;
    for (old, new) in m.iter_mut().zip(fresh) {
        let new = new / s;
        change = change.max((new - *old).abs());
        *old = new;
    }
    change
}

/// The starting m of every role (floored) and which levels stay fixed.
fn start(model: &Model) -> ([Vec<f64>; ROLES], [Vec<bool>; ROLES]) {
    let mut m: [Vec<f64>; ROLES] = Default::default();
    let mut frozen: [Vec<bool>; ROLES] = Default::default();
    for role in Role::ALL {
        if let Some(rm) = &model.roles[role.index()] {
            m[role.index()] = rm.levels.iter().map(|l| l.m.max(FLOOR)).collect();
            frozen[role.index()] = rm
                .levels
                .iter()
                .map(|l| l.when == Condition::ValidConflict)
                .collect();
        }
    }
    (m, frozen)
}

/// Expectation maximisation of m (u fixed) over one session.
pub fn em(model: &Model, u: &[Vec<f64>; ROLES], session: &Session) -> SessionResult {
    let (mut m, frozen) = start(model);
    let base_m = m.clone();
    let pairs: u64 = session.patterns.values().sum();
    let mut lambda = 0.3;
    let mut iterations = 0;
    let mut matches_per_role = [0.0f64; ROLES];
    for it in 0..MAX_ITERATIONS {
        iterations = it + 1;
        let (num, den, expected) = expectation(session, &m, u, lambda);
        let new_lambda = if pairs > 0 {
            (expected / pairs as f64).clamp(FLOOR, 1.0 - FLOOR)
        } else {
            lambda
        };
        let mut change: f64 = (new_lambda - lambda).abs();
        for r in 0..ROLES {
            if den[r] <= 0.0 || m[r].is_empty() {
                continue;
            }
            change = change.max(maximise(&mut m[r], &num[r], den[r], &base_m[r], &frozen[r]));
        }
        matches_per_role = den;
        lambda = new_lambda;
        if change < 1e-6 {
            break;
        }
    }
    let mut out: [Option<Vec<f64>>; ROLES] = Default::default();
    for r in 0..ROLES {
        if !session.excluded[r] && !m[r].is_empty() && matches_per_role[r] >= MIN_MATCHES {
            out[r] = Some(m[r].clone());
        }
    }
    SessionResult {
        name: session.name.clone(),
        pairs,
        lambda,
        iterations,
        m: out,
    }
}

/// m per role: the mean over the sessions that estimated it; the model's
/// own m where none did.
pub fn combine_m(model: &Model, results: &[SessionResult]) -> [Vec<f64>; ROLES] {
    let mut m: [Vec<f64>; ROLES] = Default::default();
    for role in Role::ALL {
        let r = role.index();
        let Some(rm) = &model.roles[r] else { continue };
        let estimates: Vec<&Vec<f64>> = results.iter().filter_map(|s| s.m[r].as_ref()).collect();
        m[r] = if estimates.is_empty() {
            rm.levels.iter().map(|l| l.m).collect()
        } else {
            let k = estimates.len() as f64;
            (0..rm.levels.len())
                .map(|l| estimates.iter().map(|e| e[l]).sum::<f64>() / k)
                .collect()
        };
    }
    m
}

/// The share of matches among `patterns` under fixed m and u (EM on the
/// prior alone).
pub fn match_share(
    m: &[Vec<f64>; ROLES],
    u: &[Vec<f64>; ROLES],
    patterns: &HashMap<Levels, u64>,
) -> f64 {
    let none = [false; ROLES];
    let pairs: u64 = patterns.values().sum();
    if pairs == 0 {
        return 0.0;
    }
    let mut lambda = 0.1;
    for _ in 0..MAX_ITERATIONS {
        let mut expected = 0.0;
        for (levels, &n) in patterns {
            let pm = lambda * likelihood(levels, m, &none);
            let pu = (1.0 - lambda) * likelihood(levels, u, &none);
            if pm + pu > 0.0 {
                expected += n as f64 * pm / (pm + pu);
            }
        }
        let new = (expected / pairs as f64).clamp(FLOOR, 1.0 - FLOOR);
        if (new - lambda).abs() < 1e-9 {
            return new;
        }
        lambda = new;
    }
    lambda
}
