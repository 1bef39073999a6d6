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
//! `u.rs` estimates u, `em.rs` m and the match share, `prior.rs` the
//! prior, `tf.rs` the term frequencies, `sample.rs` draws the sample and
//! the random pairs; this file writes the trained model.

mod em;
mod prior;
mod sample;
mod tf;
mod u;

pub use em::{combine_m, em, match_share, Session, SessionResult};
pub use prior::{prior, total_pairs};
pub use sample::{random_pairs, sample, Rng};
pub use tf::term_frequencies;
pub use u::estimate_u;

use serde_json::{json, Map, Value};

use crate::record::roles::{Role, ROLES};

/// A comparison vector: the level of each role (`None`: no data).
pub type Levels = [Option<u8>; ROLES];

/// Smallest m or u a trained level gets (a level never seen is rare, not
/// impossible).
pub(crate) const FLOOR: f64 = 1e-6;
pub(crate) const MAX_ITERATIONS: usize = 40;

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
    use crate::model::spec::{default_model, Model, DEFAULT_MODEL_JSON};
    use std::collections::HashMap;

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
