//! Training a match model on a table without labels, as Splink does:
//!
//! - **u** (P(level | different customers)) from the levels of record pairs
//!   drawn at random: almost all of them are different customers;
//! - **m** (P(level | same customer)) by expectation maximisation over
//!   blocked candidate pairs, in sessions: pairs that share a contact key
//!   (phone, e-mail, ID) estimate the other roles, pairs that share a name
//!   or address key estimate the contact roles. A role that decides which
//!   pairs a session sees would look like perfect evidence there, so a
//!   session leaves the roles of its keys out (Splink's blocking-rule
//!   sessions). u stays fixed, as in Splink. The starting model's m counts
//!   as 50 pseudo-matches (so little data moves it little), and levels
//!   that encode a rule (two different valid IDs of one kind) keep their m;
//! - **the prior** from the expected number of matches among all
//!   candidate pairs under the trained m and u;
//! - **term frequencies** of names and companies, counted by the caller.
//!
//! Levels come from [`super::compare::score`]: one `Option<u8>` per role.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::roles::{Role, ROLES};
use super::spec::{Condition, Model};

/// A comparison vector: the level of each role (`None`: no data).
pub type Levels = [Option<u8>; ROLES];

/// Smallest m or u a trained level gets (a level never seen is rare, not
/// impossible).
const FLOOR: f64 = 1e-6;
/// Expected matches a session needs before its m estimates count.
const MIN_MATCHES: f64 = 5.0;
const MAX_ITERATIONS: usize = 40;
/// Weight of the starting model's m in the M step, in matches.
const PSEUDO_MATCHES: f64 = 50.0;

/// Level counts per role: `counts[role][level]`.
fn level_counts(model: &Model, samples: &HashMap<Levels, u64>) -> [Vec<f64>; ROLES] {
    let mut counts: [Vec<f64>; ROLES] = Default::default();
    for role in Role::ALL {
        if let Some(rm) = &model.roles[role.index()] {
            counts[role.index()] = vec![0.0; rm.levels.len()];
        }
    }
    for (levels, &n) in samples {
        for (r, l) in levels.iter().enumerate() {
            if let Some(l) = l {
                if let Some(c) = counts[r].get_mut(usize::from(*l)) {
                    *c += n as f64;
                }
            }
        }
    }
    counts
}

/// u per role and level from random pairs: the share of each level among
/// the pairs with data. A level no random pair reached keeps the smaller
/// of the model's u and half a pair in the sample.
pub fn estimate_u(model: &Model, random: &HashMap<Levels, u64>) -> [Vec<f64>; ROLES] {
    let counts = level_counts(model, random);
    let mut u: [Vec<f64>; ROLES] = Default::default();
    for role in Role::ALL {
        let Some(rm) = &model.roles[role.index()] else {
            continue;
        };
        let c = &counts[role.index()];
        let total: f64 = c.iter().sum();
        u[role.index()] = if total < 1.0 {
            rm.levels.iter().map(|l| l.u).collect()
        } else {
            let raw: Vec<f64> = c
                .iter()
                .zip(&rm.levels)
                .map(|(&n, l)| {
                    if n > 0.0 {
                        n / total
                    } else {
                        l.u.min(0.5 / total).max(FLOOR * FLOOR)
                    }
                })
                .collect();
            let s: f64 = raw.iter().sum();
            raw.into_iter().map(|x| x / s).collect()
        };
    }
    u
}

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
pub fn em(model: &Model, u: &[Vec<f64>; ROLES], session: &Session) -> SessionResult {
    let mut m: [Vec<f64>; ROLES] = Default::default();
    for role in Role::ALL {
        if let Some(rm) = &model.roles[role.index()] {
            m[role.index()] = rm.levels.iter().map(|l| l.m.max(FLOOR)).collect();
        }
    }
    let base_m = m.clone();
    let mut frozen: [Vec<bool>; ROLES] = Default::default();
    for role in Role::ALL {
        if let Some(rm) = &model.roles[role.index()] {
            frozen[role.index()] = rm
                .levels
                .iter()
                .map(|l| l.when == Condition::ValidConflict)
                .collect();
        }
    }
    let pairs: u64 = session.patterns.values().sum();
    let mut lambda = 0.3;
    let mut iterations = 0;
    let mut matches_per_role = [0.0f64; ROLES];
    for it in 0..MAX_ITERATIONS {
        iterations = it + 1;
        let mut num: [Vec<f64>; ROLES] = m.clone().map(|v| vec![0.0; v.len()]);
        let mut den = [0.0f64; ROLES];
        let mut expected = 0.0;
        for (levels, &n) in &session.patterns {
            let pm = lambda * likelihood(levels, &m, &session.excluded);
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
            // The model's m as PSEUDO_MATCHES pseudo-observations (a
            // Dirichlet prior): little data moves m little; levels that
            // encode a rule (two different valid IDs are two people) keep
            // their m.
            let prior_m = &base_m[r];
            let fresh: Vec<f64> = num[r]
                .iter()
                .zip(prior_m)
                .enumerate()
                .map(|(l, (x, m0))| {
                    if frozen[r].get(l).copied().unwrap_or(false) {
                        *m0
                    } else {
                        ((x + PSEUDO_MATCHES * m0) / (den[r] + PSEUDO_MATCHES)).max(FLOOR)
                    }
                })
                .collect();
            let s: f64 = fresh.iter().sum();
            for (old, new) in m[r].iter_mut().zip(fresh) {
                let new = new / s;
                change = change.max((new - *old).abs());
                *old = new;
            }
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

/// The trained model as jsonb: `base` (the model's JSON) with m, u, the
/// prior, term frequencies and a `training` report replaced.
pub fn trained_json(
    base: &Value,
    m: &[Vec<f64>; ROLES],
    u: &[Vec<f64>; ROLES],
    prior: f64,
    term_frequencies: Map<String, Value>,
    training: Value,
) -> Value {
    let mut out = base.clone();
    if let Some(roles) = out.get_mut("roles").and_then(Value::as_object_mut) {
        for (key, role) in roles.iter_mut() {
            let Some(r) = Role::from_key(key) else {
                continue;
            };
            let Some(levels) = role.get_mut("levels").and_then(Value::as_array_mut) else {
                continue;
            };
            for (l, level) in levels.iter_mut().enumerate() {
                if let (Some(mv), Some(uv)) = (m[r.index()].get(l), u[r.index()].get(l)) {
                    level["m"] = json!(round(*mv));
                    level["u"] = json!(round(*uv));
                }
            }
        }
    }
    out["prior"] = json!(round(prior.clamp(1e-12, 0.5)));
    out["term_frequencies"] = Value::Object(term_frequencies);
    out["training"] = training;
    if let Some(name) = base.get("name").and_then(Value::as_str) {
        out["name"] = json!(format!("{name}, trained"));
    }
    out
}

/// Nine significant digits: enough for any weight, short in jsonb.
fn round(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 9 - x.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec::{default_model, DEFAULT_MODEL_JSON};

    fn model() -> &'static Model {
        default_model().unwrap_or_else(|e| panic!("{e}")) // ok: test code
    }

    /// Simulated data: matches agree on the name (level 0) and the phone
    /// (level 0) 90% of the time, independently; non-matches never.
    fn simulated(matches: u64, others: u64) -> HashMap<Levels, u64> {
        let mut p: HashMap<Levels, u64> = HashMap::new();
        let mut add = |name: u8, phone: u8, n: u64| {
            let mut l: Levels = [None; ROLES];
            l[Role::Name.index()] = Some(name);
            l[Role::Phone.index()] = Some(phone);
            *p.entry(l).or_default() += n;
        };
        add(0, 0, matches * 81 / 100);
        add(0, 3, matches * 9 / 100);
        add(4, 0, matches * 9 / 100);
        add(4, 3, matches / 100);
        add(4, 3, others);
        p
    }

    #[test]
    fn em_recovers_m_and_the_match_share() {
        let mut random: HashMap<Levels, u64> = HashMap::new();
        let mut l: Levels = [None; ROLES];
        l[Role::Name.index()] = Some(4);
        l[Role::Phone.index()] = Some(3);
        random.insert(l, 99_990);
        l[Role::Name.index()] = Some(0);
        random.insert(l, 10);
        let u = estimate_u(model(), &random);
        assert!((u[Role::Name.index()][0] - 1e-4).abs() < 1e-6, "{:?}", u[0]);
        assert!(u[Role::Phone.index()][0] <= 0.5 / 100_000.0);
        let s = Session {
            name: "all".into(),
            patterns: simulated(10_000, 90_000),
            excluded: [false; ROLES],
        };
        let r = em(model(), &u, &s);
        let m_name = r.m[Role::Name.index()].clone().unwrap_or_default();
        assert!((m_name[0] - 0.9).abs() < 0.03, "{m_name:?}");
        assert!((r.lambda - 0.1).abs() < 0.02, "{}", r.lambda);
        let m = combine_m(model(), &[r]);
        let share = match_share(&m, &u, &s.patterns);
        assert!((share - 0.1).abs() < 0.02, "{share}");
    }

    #[test]
    fn excluded_roles_keep_the_model_m() {
        let mut excluded = [false; ROLES];
        excluded[Role::Name.index()] = true;
        let s = Session {
            name: "contact".into(),
            patterns: simulated(1000, 1000),
            excluded,
        };
        let u = estimate_u(model(), &HashMap::new());
        let r = em(model(), &u, &s);
        assert!(r.m[Role::Name.index()].is_none());
        let m = combine_m(model(), &[r]);
        let base: Vec<f64> = model().roles[0]
            .as_ref()
            .map(|rm| rm.levels.iter().map(|l| l.m).collect())
            .unwrap_or_default();
        assert_eq!(m[Role::Name.index()], base);
    }

    #[test]
    fn trained_json_is_a_valid_model() {
        let base: Value = serde_json::from_str(DEFAULT_MODEL_JSON).unwrap_or(Value::Null);
        let u = estimate_u(model(), &HashMap::new());
        let m = combine_m(model(), &[]);
        let mut tf = Map::new();
        tf.insert("name".into(), json!({"王伟": 0.01}));
        let v = trained_json(&base, &m, &u, 0.0001, tf, json!({"method": "test"}));
        let trained = Model::from_json(&v).unwrap_or_else(|e| panic!("{e}")); // ok: test code
        assert_eq!(trained.prior, 0.0001);
        assert!(trained.name.ends_with(", trained"));
        assert_eq!(round(0.123456789123), 0.123456789);
    }
}
