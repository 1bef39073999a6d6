//! The prior: the share of matches among all record pairs, from the
//! expected number of matches among the candidate pairs under the trained m
//! and u.

/// The number of record pairs that can match among `n` records: every pair,
/// or in link mode (`sources` given) only pairs of different sources.
pub fn total_pairs<S: Eq + std::hash::Hash>(n: usize, sources: Option<&[S]>) -> f64 {
    let all = n * n.saturating_sub(1) / 2;
    let Some(sources) = sources else {
        return all as f64;
    };
    let mut per: std::collections::HashMap<&S, usize> = std::collections::HashMap::new();
    for s in sources {
        *per.entry(s).or_default() += 1;
    }
    let same: usize = per.values().map(|c| c * (c - 1) / 2).sum();
    all.saturating_sub(same).max(1) as f64
}

/// The prior match probability of a pair: expected matches over all pairs,
/// kept within [1e-12, 0.5].
pub fn prior(expected_matches: f64, total_pairs: f64) -> f64 {
    (expected_matches / total_pairs).clamp(1e-12, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_prior() {
        assert_eq!(total_pairs::<u8>(4, None), 6.0);
        // Link mode: two of source a, two of b: 4 pairs across.
        let s = [Some("a"), Some("a"), Some("b"), None];
        assert_eq!(total_pairs(4, Some(&s[..])), 5.0);
        assert_eq!(total_pairs(2, Some(&[1, 1][..])), 1.0);
        assert_eq!(prior(10.0, 100.0), 0.1);
        assert_eq!(prior(0.0, 100.0), 1e-12);
        assert_eq!(prior(90.0, 100.0), 0.5);
    }
}
