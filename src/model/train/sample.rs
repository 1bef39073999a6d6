//! What training reads of a big table: a deterministic sample of records,
//! and random record pairs for u.

/// A small deterministic generator for the sample and the random pairs
/// (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// `k` of the indices `0..n`, drawn without replacement (a fixed seed: the
/// same table gives the same sample), in increasing order.
pub fn sample(n: usize, k: usize) -> Vec<usize> {
    let mut rng = Rng(42);
    let mut keep: Vec<usize> = (0..n).collect();
    for i in (1..keep.len()).rev() {
        keep.swap(i, rng.below(i + 1));
    }
    keep.truncate(k);
    keep.sort_unstable();
    keep
}

/// Up to `want` random pairs of distinct records among `n` (a fixed seed),
/// those that `keep` accepts.
pub fn random_pairs(n: usize, want: usize, keep: impl Fn(usize, usize) -> bool) -> Vec<(u32, u32)> {
    if n < 2 {
        return Vec::new();
    }
    let mut rng = Rng(7);
    let want = want.min(n * (n - 1) / 2);
    (0..want)
        .filter_map(|_| {
            let (i, j) = (rng.below(n), rng.below(n));
            (i != j && keep(i, j)).then_some((i as u32, j as u32))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_is_sorted_distinct_and_repeatable() {
        let s = sample(1000, 10);
        assert_eq!(s.len(), 10);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s, sample(1000, 10));
        assert_eq!(sample(5, 10), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn random_pairs_are_distinct_records() {
        let p = random_pairs(50, 200, |_, _| true);
        assert!(!p.is_empty() && p.len() <= 200);
        assert!(p.iter().all(|(i, j)| i != j && *i < 50 && *j < 50));
        assert!(random_pairs(50, 200, |i, _| i % 2 == 0)
            .iter()
            .all(|(i, _)| i % 2 == 0));
        assert!(random_pairs(1, 10, |_, _| true).is_empty());
        assert!(random_pairs(3, 100, |_, _| true).len() <= 3);
    }
}
