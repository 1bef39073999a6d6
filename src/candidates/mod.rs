//! Candidate pairs: the records that share a blocking key (`keys`), with
//! oversized blocks capped, and an optional filter (the two sources of a
//! linkage, the changed records of an incremental run). Batch detection and
//! training score these pairs.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// The candidate pairs of a set of records.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Candidates {
    /// `(i, j)` with `i < j`, sorted, each once.
    pub pairs: Vec<(u32, u32)>,
    /// Keys shared by more than the cap: (key, number of records), largest
    /// first. Their records are compared through their other keys only.
    pub capped: Vec<(String, usize)>,
    /// Keys shared by at least two records (blocks that produced pairs).
    pub blocks: usize,
    /// The largest block that was not capped.
    pub largest_block: usize,
}

fn hash_key(k: &str) -> u64 {
    let mut h = DefaultHasher::new();
    k.hash(&mut h);
    h.finish()
}

/// Candidate pairs: records sharing at least one key. A key held by more
/// than `max_block` records makes no pairs (reported in `capped`): a very
/// common name or a switchboard number would otherwise make millions of
/// pairs; those records still meet through their other keys (phone,
/// e-mail, address prefix with initials), which sub-block them.
/// `keep(i, j)` filters pairs (two tables of a linkage, incremental runs).
#[cfg(test)]
pub fn candidate_pairs(
    keys: &[Vec<String>],
    max_block: usize,
    keep: impl Fn(u32, u32) -> bool,
) -> Candidates {
    candidate_pairs_capped(keys, |_| max_block, keep)
}

/// [`candidate_pairs`] with a cap per key.
pub fn candidate_pairs_capped(
    keys: &[Vec<String>],
    cap: impl Fn(&str) -> usize,
    keep: impl Fn(u32, u32) -> bool,
) -> Candidates {
    // (key hash, record, key position), sorted: blocks are runs of equal
    // hashes. A 64-bit collision can only add a pair, never lose one.
    let mut entries: Vec<(u64, u32, u16)> = Vec::with_capacity(keys.iter().map(Vec::len).sum());
    for (r, ks) in keys.iter().enumerate() {
        for (i, k) in ks.iter().enumerate().take(usize::from(u16::MAX)) {
            // Record counts are bounded by u32 (checked by the caller) and
            // key positions by the take above.
            entries.push((hash_key(k), r as u32, i as u16));
        }
    }
    entries.sort_unstable();
    let mut out = Candidates::default();
    let mut pairs: Vec<u64> = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let h = entries[start].0;
        let mut end = start + 1;
        while end < entries.len() && entries[end].0 == h {
            end += 1;
        }
        let block = &entries[start..end];
        let size = block.len();
        let (_, r0, i0) = block[0];
        let key = &keys[r0 as usize][usize::from(i0)];
        if size > cap(key) {
            out.capped.push((key.clone(), size));
        } else if size >= 2 {
            out.blocks += 1;
            out.largest_block = out.largest_block.max(size);
            for (x, a) in block.iter().enumerate() {
                for b in &block[x + 1..] {
                    let (i, j) = if a.1 < b.1 { (a.1, b.1) } else { (b.1, a.1) };
                    if i != j && keep(i, j) {
                        pairs.push((u64::from(i) << 32) | u64::from(j));
                    }
                }
            }
        }
        start = end;
    }
    pairs.sort_unstable();
    pairs.dedup();
    // The high and low halves of a u64 built just above.
    out.pairs = pairs
        .into_iter()
        .map(|p| ((p >> 32) as u32, p as u32))
        .collect();
    out.capped
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ks(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn pairs_share_a_key_once_each() {
        let keys = ks(&[&["p:1", "n:a"], &["p:1", "n:a"], &["n:a"], &["e:x"]]);
        let c = candidate_pairs(&keys, 10, |_, _| true);
        assert_eq!(c.pairs, vec![(0, 1), (0, 2), (1, 2)]);
        assert!(c.capped.is_empty());
        assert_eq!(c.blocks, 2);
        assert_eq!(c.largest_block, 3);
    }

    #[test]
    fn oversized_blocks_are_capped_and_reported() {
        let keys = ks(&[
            &["n:wang", "p:1"],
            &["n:wang", "p:1"],
            &["n:wang"],
            &["n:wang"],
        ]);
        let c = candidate_pairs(&keys, 3, |_, _| true);
        assert_eq!(c.pairs, vec![(0, 1)]);
        assert_eq!(c.capped, vec![("n:wang".to_string(), 4)]);
    }

    #[test]
    fn keep_filters_pairs() {
        let keys = ks(&[&["k"], &["k"], &["k"]]);
        let c = candidate_pairs(&keys, 10, |i, _| i == 0);
        assert_eq!(c.pairs, vec![(0, 1), (0, 2)]);
    }
}
