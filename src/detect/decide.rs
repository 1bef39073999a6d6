//! Decisions (`mdm._decide` behind `mdm.mark_duplicate`,
//! `mdm.mark_distinct`, `mdm.clear_decision`) and the clustering of a
//! table's stored pairs under them, which every run and every decision
//! ends with.

use std::collections::HashMap;

use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, SpiClient};

use super::Res;
use crate::cluster::{cluster, numbered, Clusters, Edge};
use crate::error::{MdmError, OrRaise};
use crate::pg::progress::Progress;
use crate::pg::{oid_arg, spi, RegClass};
use crate::registry::store::{clear, load_registration, ordered};
use crate::registry::Registration;

/// The records of a clustering by dense index, and its edges and links.
#[derive(Default)]
struct Graph {
    index: HashMap<String, u32>,
    ids: Vec<String>,
    edges: Vec<Edge>,
    must: Vec<(u32, u32)>,
    cannot: Vec<(u32, u32)>,
}

impl Graph {
    fn idx(&mut self, s: &str) -> u32 {
        if let Some(&n) = self.index.get(s) {
            return n;
        }
        let n = self.ids.len() as u32;
        self.index.insert(s.to_string(), n);
        self.ids.push(s.to_string());
        n
    }

    fn edge(&mut self, a: &str, b: &str, p: f64) {
        let (a, b) = (self.idx(a), self.idx(b));
        self.edges.push(Edge { a, b, p });
    }
}

/// The table's stored pairs at or above its threshold.
fn read_pairs(c: &SpiClient<'_>, reg: &Registration, g: &mut Graph) -> Res<()> {
    let t = spi(c.select(
        "SELECT p.id_a, p.id_b, p.match_probability FROM mdm.pair p
          WHERE p.tbl = $1 AND p.match_probability >= $2",
        None,
        &[oid_arg(reg.tbl), reg.threshold.into()],
    ))?;
    for row in t {
        let a = spi(row.get::<String>(1))?.unwrap_or_default();
        let b = spi(row.get::<String>(2))?.unwrap_or_default();
        let p = spi(row.get::<f64>(3))?.unwrap_or(0.0);
        g.edge(&a, &b, p);
    }
    Ok(())
}

/// The table's decisions as must-links and cannot-links.
fn read_decisions(c: &SpiClient<'_>, tbl: pg_sys::Oid, g: &mut Graph) -> Res<()> {
    let t = spi(c.select(
        "SELECT id_a, id_b, decision FROM mdm.decision WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    for row in t {
        let a = spi(row.get::<String>(1))?.unwrap_or_default();
        let b = spi(row.get::<String>(2))?.unwrap_or_default();
        let d = spi(row.get::<String>(3))?.unwrap_or_default();
        let link = (g.idx(&a), g.idx(&b));
        if d == "duplicate" {
            g.must.push(link);
        } else {
            g.cannot.push(link);
        }
    }
    Ok(())
}

/// The rows of `mdm.cluster`, as arrays for one INSERT.
#[derive(Default)]
struct ClusterRows {
    ids: Vec<i64>,
    sizes: Vec<i32>,
    weakest_a: Vec<Option<String>>,
    weakest_b: Vec<Option<String>>,
    weakest_p: Vec<Option<f64>>,
}

/// Replaces the table's clusters; returns (clusters, records in them).
fn store_clusters(
    c: &mut SpiClient<'_>,
    tbl: pg_sys::Oid,
    g: &Graph,
    cl: &Clusters,
) -> Res<(usize, usize)> {
    let clusters = numbered(cl, &g.ids);
    clear(c, tbl, &["cluster_member", "cluster"])?;
    let (mut m_ids, mut m_cluster) = (Vec::new(), Vec::new());
    let mut rows = ClusterRows::default();
    for (n, (root, m)) in clusters.iter().enumerate() {
        let id = n as i64 + 1;
        for &x in m {
            m_ids.push(g.ids[x as usize].clone());
            m_cluster.push(id);
        }
        let w = cl.weakest[*root as usize];
        let ends = w.map(|e| ordered(&g.ids[e.a as usize], &g.ids[e.b as usize]));
        rows.ids.push(id);
        rows.sizes.push(m.len() as i32);
        rows.weakest_a.push(ends.map(|(a, _)| a.to_string()));
        rows.weakest_b.push(ends.map(|(_, b)| b.to_string()));
        rows.weakest_p.push(w.map(|e| e.p));
    }
    let members = m_ids.len();
    spi(c.update(
        "INSERT INTO mdm.cluster_member (tbl, record_id, cluster_id)
         SELECT $1, r, k FROM unnest($2::text[], $3::bigint[]) AS u(r, k)",
        None,
        &[oid_arg(tbl), m_ids.into(), m_cluster.into()],
    ))?;
    spi(c.update(
        "INSERT INTO mdm.cluster (tbl, cluster_id, cluster_size, weakest_a, weakest_b, weakest_probability)
         SELECT $1, k, s, a, b, p FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[], $6::float8[]) AS u(k, s, a, b, p)",
        None,
        &[
            oid_arg(tbl),
            rows.ids.into(),
            rows.sizes.into(),
            rows.weakest_a.into(),
            rows.weakest_b.into(),
            rows.weakest_p.into(),
        ],
    ))?;
    Ok((clusters.len(), members))
}

/// Clusters the table's stored pairs under its decisions and stores the
/// clusters; returns (clusters, records in them, refused joins).
/// `stored`: the table's pairs when the caller has them all in memory (a
/// full run), read from `mdm.pair` otherwise.
pub(super) fn recluster(
    c: &mut SpiClient<'_>,
    reg: &Registration,
    stored: Option<Vec<(&str, &str, f64)>>,
    progress: &mut Progress,
) -> Res<(usize, usize, usize)> {
    progress.phase("clustering", 0);
    let mut g = Graph::default();
    match stored {
        Some(pairs) => pairs.into_iter().for_each(|(a, b, p)| g.edge(a, b, p)),
        None => read_pairs(c, reg, &mut g)?,
    }
    read_decisions(c, reg.tbl, &mut g)?;
    let cl = cluster(g.ids.len(), &g.edges, &g.must, &g.cannot);
    let (clusters, members) = store_clusters(c, reg.tbl, &g, &cl)?;
    Ok((clusters, members, cl.refused))
}

/// Refuses an id that is no row of the table.
fn check_record(c: &SpiClient<'_>, reg: &Registration, id: &str) -> Res<()> {
    let t = spi(c.select(
        format!(
            "SELECT count(*) FROM {} t WHERE t.{} = $1::{}",
            reg.name,
            quote_identifier(&reg.key_column),
            reg.key_type
        )
        .as_str(),
        None,
        &[id.into()],
    ))?;
    if spi(t.first().get_one::<i64>())?.unwrap_or(0) == 0 {
        return Err(MdmError::UnknownRecord {
            table: reg.name.clone(),
            id: id.to_string(),
        });
    }
    Ok(())
}

fn decide_impl(tbl: pg_sys::Oid, a: &str, b: &str, decision: Option<&str>) -> Res<()> {
    Spi::connect_mut(|c| -> Res<()> {
        let reg = load_registration(c, tbl)?;
        if a == b {
            return Err(MdmError::invalid_parameter(
                "id_b",
                b,
                "A decision is about two different records.",
            ));
        }
        if decision.is_some() {
            check_record(c, &reg, a)?;
            check_record(c, &reg, b)?;
        }
        let (x, y) = ordered(a, b);
        match decision {
            Some(d) => spi(c.update(
                "INSERT INTO mdm.decision (tbl, id_a, id_b, decision)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tbl, id_a, id_b) DO UPDATE
                    SET decision = excluded.decision, decided_by = current_user, decided_at = now()",
                None,
                &[oid_arg(tbl), x.into(), y.into(), d.into()],
            ))?,
            None => spi(c.update(
                "DELETE FROM mdm.decision WHERE tbl = $1 AND id_a = $2 AND id_b = $3",
                None,
                &[oid_arg(tbl), x.into(), y.into()],
            ))?,
        };
        let mut progress = Progress::new("recluster", &reg.name);
        recluster(c, &reg, None, &mut progress)?;
        Ok(())
    })
}

/// `mdm._decide`: records a decision (`duplicate`, `distinct`) or clears
/// it (NULL), then re-clusters. The typed wrappers `mdm.mark_duplicate`,
/// `mdm.mark_distinct` and `mdm.clear_decision` take ids of any key type.
#[pg_extern(volatile, parallel_unsafe)]
fn _decide(tbl: Option<RegClass>, id_a: Option<&str>, id_b: Option<&str>, decision: Option<&str>) {
    // The public wrappers are STRICT; a direct call with NULLs is refused.
    let (Some(tbl), Some(a), Some(b)) = (tbl, id_a, id_b) else {
        MdmError::invalid_parameter(
            "tbl, id_a, id_b",
            "NULL",
            "Pass the table and the primary keys of two rows.",
        )
        .raise()
    };
    if let Some(d) = decision {
        if d != "duplicate" && d != "distinct" {
            MdmError::invalid_parameter("decision", d, "A decision is 'duplicate' or 'distinct'.")
                .raise();
        }
    }
    decide_impl(tbl.0, a, b, decision).or_raise()
}
