//! u (P(level | different customers)) from random record pairs: almost all
//! of them are different customers.

use std::collections::HashMap;

use super::{Levels, FLOOR};
use crate::model::spec::Model;
use crate::record::roles::{Role, ROLES};

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
