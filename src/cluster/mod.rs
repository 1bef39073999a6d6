//! Clustering: connected components over accepted pairs, honouring
//! decisions. Must-links (pairs a person marked as duplicates) are joined
//! first, then accepted pairs from the most to the least probable; a join
//! that would put two cannot-linked records (pairs marked distinct) in one
//! cluster, directly or through others, is refused. So a cannot-link is
//! never broken, and the pairs it costs are the weakest ones. Each
//! cluster's weakest link is the least probable pair that joined it: the
//! bottleneck of its maximum spanning tree.

/// A pair of records (dense indices) with its match probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub p: f64,
}

/// The clusters of `n` records.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// For each record, its cluster's representative (itself when alone).
    pub root: Vec<u32>,
    /// For each representative of a cluster of two or more: the weakest
    /// edge that joined it (`p` = 1 for must-links).
    pub weakest: Vec<Option<Edge>>,
    /// Edges (must-links included) refused because of a cannot-link.
    pub refused: usize,
}

struct Dsu {
    parent: Vec<u32>,
    size: Vec<u32>,
    /// Per representative: the records it must never be joined with.
    cannot: Vec<Vec<u32>>,
    weakest: Vec<Option<Edge>>,
}

impl Dsu {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Joins the clusters of `e.a` and `e.b` unless a cannot-link forbids
    /// it; false when refused.
    fn join(&mut self, e: Edge) -> bool {
        let (ra, rb) = (self.find(e.a), self.find(e.b));
        if ra == rb {
            return true;
        }
        let forbidden: Vec<u32> = self.cannot[ra as usize].clone();
        if forbidden.into_iter().any(|c| self.find(c) == rb) {
            return false;
        }
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
        let moved = std::mem::take(&mut self.cannot[small as usize]);
        self.cannot[big as usize].extend(moved);
        let w = [
            self.weakest[ra as usize],
            self.weakest[rb as usize],
            Some(e),
        ]
        .into_iter()
        .flatten()
        .min_by(|x, y| x.p.total_cmp(&y.p));
        self.weakest[big as usize] = w;
        self.weakest[small as usize] = None;
        true
    }
}

/// Clusters `n` records over `edges` (accepted pairs), `must` links and
/// `cannot` links (pairs of record indices below `n`).
pub fn cluster(n: usize, edges: &[Edge], must: &[(u32, u32)], cannot: &[(u32, u32)]) -> Clusters {
    let mut d = Dsu {
        parent: (0..n as u32).collect(),
        size: vec![1; n],
        cannot: vec![Vec::new(); n],
        weakest: vec![None; n],
    };
    for &(a, b) in cannot {
        if a != b {
            d.cannot[a as usize].push(b);
            d.cannot[b as usize].push(a);
        }
    }
    let mut refused = 0;
    for &(a, b) in must {
        if !d.join(Edge { a, b, p: 1.0 }) {
            refused += 1;
        }
    }
    let mut sorted: Vec<Edge> = edges.to_vec();
    sorted.sort_by(|x, y| {
        y.p.total_cmp(&x.p)
            .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
    });
    for e in sorted {
        if !d.join(e) {
            refused += 1;
        }
    }
    let root: Vec<u32> = (0..n as u32).map(|x| d.find(x)).collect();
    Clusters {
        root,
        weakest: d.weakest,
        refused,
    }
}

/// The clusters of two or more records as (representative, members),
/// members in byte order of their ids and clusters in byte order of their
/// smallest member: cluster `n` (from 1) is the `n`-th of this list.
pub fn numbered(cl: &Clusters, ids: &[String]) -> Vec<(u32, Vec<u32>)> {
    let mut groups: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    for (x, &r) in cl.root.iter().enumerate() {
        groups.entry(r).or_default().push(x as u32);
    }
    let mut clusters: Vec<(u32, Vec<u32>)> =
        groups.into_iter().filter(|(_, m)| m.len() >= 2).collect();
    let id = |x: u32| ids[x as usize].as_bytes();
    for (_, m) in clusters.iter_mut() {
        m.sort_by(|x, y| id(*x).cmp(id(*y)));
    }
    clusters.sort_by(|x, y| id(x.1[0]).cmp(id(y.1[0])));
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn e(a: u32, b: u32, p: f64) -> Edge {
        Edge { a, b, p }
    }

    #[test]
    fn components_and_weakest_link() {
        let c = cluster(5, &[e(0, 1, 0.9), e(1, 2, 0.6), e(3, 4, 0.99)], &[], &[]);
        assert_eq!(c.root[0], c.root[2]);
        assert_ne!(c.root[0], c.root[3]);
        assert_eq!(c.weakest[c.root[0] as usize].map(|w| w.p), Some(0.6));
        assert_eq!(c.refused, 0);
    }

    #[test]
    fn cannot_link_holds_transitively_and_costs_the_weakest_pair() {
        // 0-1 strong, 1-2 weaker, but 0 and 2 are distinct: 1-2 is refused.
        let c = cluster(3, &[e(0, 1, 0.99), e(1, 2, 0.7)], &[], &[(0, 2)]);
        assert_eq!(c.root[0], c.root[1]);
        assert_ne!(c.root[1], c.root[2]);
        assert_eq!(c.refused, 1);
    }

    #[test]
    fn must_links_join_first() {
        let c = cluster(3, &[e(0, 2, 0.9)], &[(0, 1)], &[(1, 2)]);
        assert_eq!(c.root[0], c.root[1]);
        assert_ne!(c.root[0], c.root[2]);
        assert_eq!(c.refused, 1);
    }

    proptest! {
        #[test]
        fn no_cluster_holds_a_cannot_linked_pair(
            edges in proptest::collection::vec((0u32..12, 0u32..12, 0.0f64..1.0), 0..40),
            must in proptest::collection::vec((0u32..12, 0u32..12), 0..6),
            cannot in proptest::collection::vec((0u32..12, 0u32..12), 0..6),
        ) {
            let edges: Vec<Edge> = edges.into_iter().map(|(a, b, p)| e(a, b, p)).collect();
            let c = cluster(12, &edges, &must, &cannot);
            for (a, b) in cannot {
                if a != b {
                    prop_assert_ne!(c.root[a as usize], c.root[b as usize]);
                }
            }
            // Every accepted edge either joined or was refused.
            for x in &edges {
                if c.root[x.a as usize] != c.root[x.b as usize] {
                    prop_assert!(c.refused > 0);
                }
            }
        }
    }

    #[test]
    fn numbered_by_smallest_id() {
        let ids: Vec<String> = ["b", "a", "d", "c", "e"].map(String::from).to_vec();
        let edges = [
            Edge { a: 0, b: 2, p: 0.9 },
            Edge { a: 1, b: 3, p: 0.8 },
            Edge { a: 3, b: 4, p: 0.7 },
        ];
        let cl = cluster(5, &edges, &[], &[]);
        let n = numbered(&cl, &ids);
        let members: Vec<Vec<&str>> = n
            .iter()
            .map(|(_, m)| m.iter().map(|&x| ids[x as usize].as_str()).collect())
            .collect();
        assert_eq!(members, vec![vec!["a", "c", "e"], vec!["b", "d"]]);
    }
}
