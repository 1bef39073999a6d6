//! `mdm._quality_rows`: one scan of a registered table computes the figures
//! of every mapped column. The backend's thread reads batches of rows
//! (SPI) while worker threads measure the values (validators and
//! normalizers, `figures::measure`); the distinct counts are then made per
//! column on the workers.

use std::collections::HashMap;
use std::sync::Mutex;

use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, SpiClient};

use super::figures::{count, measure, validated, Counts, Item};
use crate::error::{MdmError, OrRaise};
use crate::gucs::workers;
use crate::pg::parallel::{map_chunks_sized, pipeline};
use crate::pg::progress::Progress;
use crate::pg::{oid_arg, spi, RegClass};
use crate::record::roles::Role;
use crate::record::SOURCE;
use crate::registry::store::load_registration;
use crate::registry::{Registration, Res};

/// Rows read from PostgreSQL at a time (one batch for the workers).
const BATCH: usize = 5_000;
/// Example record ids kept per column (first rows in scan order with the
/// value missing or invalid).
const EXAMPLES: usize = 5;

/// One mapped (role, column) and the index of its column in a row.
struct Entry {
    role: String,
    column: String,
    /// `None`: the source role.
    role_key: Option<Role>,
    col: usize,
}

struct Batch {
    ids: Vec<String>,
    groups: Vec<u32>,
    /// `values[column][row]`.
    values: Vec<Vec<Option<String>>>,
}

/// What the workers return per batch: per entry, its items and the ids of
/// its first problem rows.
type Measured = Vec<(Vec<Item>, Vec<String>)>;

/// One output row: (source, total, role, column, rows, filled, valid,
/// distinct, examples).
type Out = (
    Option<String>,
    bool,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    i64,
    Option<Vec<String>>,
);

/// The mapped (role, column) pairs in the order `jsonb_each` lists the
/// roles (shorter keys first) and the order of each role's columns; the
/// distinct columns to read; the source column.
fn entries(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<(Vec<Entry>, Vec<String>, Option<String>)> {
    let t = spi(c.select(
        "SELECT e.key, c #>> '{}'
           FROM mdm.registration g, jsonb_each(g.fields) WITH ORDINALITY AS e(key, value, ord),
                jsonb_array_elements(CASE jsonb_typeof(e.value) WHEN 'array' THEN e.value
                                          ELSE jsonb_build_array(e.value) END) WITH ORDINALITY AS c(c, o)
          WHERE g.tbl = $1
          ORDER BY e.ord, c.o",
        None,
        &[oid_arg(tbl)],
    ))?;
    let mut out = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    let mut source = None;
    for row in t {
        let role = spi(row.get::<String>(1))?.unwrap_or_default();
        let column = spi(row.get::<String>(2))?.unwrap_or_default();
        let col = match columns.iter().position(|x| *x == column) {
            Some(i) => i,
            None => {
                columns.push(column.clone());
                columns.len() - 1
            }
        };
        if role == SOURCE && source.is_none() {
            source = Some(column.clone());
        }
        out.push(Entry {
            role_key: Role::from_key(&role),
            role,
            column,
            col,
        });
    }
    Ok((out, columns, source))
}

/// The scan: the key, the columns, the source (or NULL when not by source).
fn scan_query(reg: &Registration, columns: &[String], source: Option<&String>) -> String {
    let mut list = format!("t.{}::text", quote_identifier(&reg.key_column));
    for col in columns {
        list.push_str(&format!(", t.{}::text", quote_identifier(col)));
    }
    match source {
        Some(s) => list.push_str(&format!(", t.{}::text", quote_identifier(s))),
        None => list.push_str(", NULL::text"),
    }
    format!("SELECT {list} FROM {} t", reg.name)
}

/// The groups of the rows read: the source values (by source) in order of
/// appearance, with their row counts.
#[derive(Default)]
struct Groups {
    group_of: HashMap<Option<String>, u32>,
    labels: Vec<Option<String>>,
    rows: Vec<u64>,
}

impl Groups {
    fn of(&mut self, src: Option<String>) -> u32 {
        let g = match self.group_of.get(&src) {
            Some(&g) => g,
            None => {
                let g = self.labels.len() as u32;
                self.group_of.insert(src.clone(), g);
                self.labels.push(src);
                self.rows.push(0);
                g
            }
        };
        self.rows[g as usize] += 1;
        g
    }
}

/// A batch of fetched rows as the workers take it.
fn batch_of(fetched: pgrx::spi::SpiTupleTable<'_>, ncols: usize, groups: &mut Groups) -> Batch {
    let mut b = Batch {
        ids: Vec::with_capacity(fetched.len()),
        groups: Vec::with_capacity(fetched.len()),
        values: vec![Vec::with_capacity(fetched.len()); ncols],
    };
    for row in fetched {
        b.ids
            .push(row.get::<String>(1).or_raise_spi().unwrap_or_default());
        for (i, v) in b.values.iter_mut().enumerate() {
            v.push(row.get::<String>(i + 2).or_raise_spi());
        }
        let src = row.get::<String>(ncols + 2).or_raise_spi();
        b.groups.push(groups.of(src));
    }
    b
}

/// The items of every entry of a batch, and the ids of its first problem
/// rows (a value missing or invalid), on a worker.
fn measure_batch(entries: &[Entry], b: &Batch, region: phonenumber::country::Id) -> Measured {
    entries
        .iter()
        .map(|e| {
            let vals = &b.values[e.col];
            let mut items = Vec::with_capacity(vals.len());
            let mut examples = Vec::new();
            for (r, v) in vals.iter().enumerate() {
                let problem = match v {
                    None => true,
                    Some(v) => {
                        let m = measure(e.role_key, v, region);
                        items.push(Item::new(b.groups[r], m));
                        !m.filled || (validated(e.role_key) && !m.valid)
                    }
                };
                if problem && examples.len() < EXAMPLES {
                    examples.push(b.ids[r].clone());
                }
            }
            (items, examples)
        })
        .collect()
}

/// Per entry its items and its first examples, and the groups of the rows.
type Scanned = (Vec<Vec<Item>>, Vec<Vec<String>>, Groups);

/// Reads the table batch by batch while the workers measure; per entry,
/// its items of every batch and its first examples.
fn scan(
    c: &SpiClient<'_>,
    query: &str,
    entries: &[Entry],
    ncols: usize,
    region: phonenumber::country::Id,
    progress: &mut Progress,
) -> Res<Scanned> {
    let mut cursor = spi(c.try_open_cursor(query, &[]))?;
    let mut groups = Groups::default();
    let (mut rows_read, mut finished) = (0usize, false);
    let mut next = || -> Option<Batch> {
        if finished {
            return None;
        }
        let fetched = cursor.fetch(BATCH as i64).or_raise_spi();
        if fetched.is_empty() {
            finished = true;
            return None;
        }
        let b = batch_of(fetched, ncols, &mut groups);
        rows_read += b.ids.len();
        progress.tick(rows_read);
        Some(b)
    };
    let measured: Vec<Measured> = pipeline(
        workers(),
        &mut next,
        |b: Batch| measure_batch(entries, &b, region),
        || {
            pgrx::check_for_interrupts!();
        },
    )
    .map_err(MdmError::Internal)?;
    drop(cursor);
    let mut examples: Vec<Vec<String>> = vec![Vec::new(); entries.len()];
    let mut item_lists: Vec<Vec<Item>> = vec![Vec::new(); entries.len()];
    for batch in measured {
        for (i, (items, ex)) in batch.into_iter().enumerate() {
            item_lists[i].extend(items);
            for id in ex {
                if examples[i].len() < EXAMPLES {
                    examples[i].push(id);
                }
            }
        }
    }
    Ok((item_lists, examples, groups))
}

/// Each entry's counts in total and per group, one entry per worker task.
fn count_entries(
    item_lists: Vec<Vec<Item>>,
    groups: usize,
    progress: &mut Progress,
) -> Res<Vec<(Counts, Vec<Counts>)>> {
    progress.phase("counting distinct values", item_lists.len());
    let n = item_lists.len();
    let per_entry: Vec<Mutex<Vec<Item>>> = item_lists.into_iter().map(Mutex::new).collect();
    map_chunks_sized(
        n,
        1,
        workers(),
        |range| {
            range
                .map(|i| {
                    let mut items = per_entry[i]
                        .lock()
                        .map(|mut v| std::mem::take(&mut *v))
                        .unwrap_or_default();
                    count(&mut items, groups)
                })
                .collect()
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)
}

fn out_row(
    source: Option<String>,
    total: bool,
    e: &Entry,
    rows: u64,
    c: &Counts,
    ex: Option<Vec<String>>,
) -> Out {
    (
        source,
        total,
        e.role.clone(),
        e.column.clone(),
        rows as i64,
        c.filled as i64,
        validated(e.role_key).then_some(c.valid as i64),
        c.distinct as i64,
        ex,
    )
}

fn quality_rows_impl(tbl: pg_sys::Oid, by_source: bool) -> Res<Vec<Out>> {
    Spi::connect(|c| -> Res<Vec<Out>> {
        let reg = load_registration(c, tbl)?;
        let region = reg.region()?;
        let (entries, columns, source_col) = entries(c, tbl)?;
        let mut progress = Progress::new("quality_report", &reg.name);
        let estimate = spi(c.select(
            "SELECT greatest(reltuples, 0)::int8 FROM pg_class WHERE oid = $1",
            None,
            &[oid_arg(tbl)],
        ))?;
        let estimate = spi(estimate.first().get_one::<i64>())?.unwrap_or(0).max(0) as usize;
        let query = scan_query(&reg, &columns, source_col.as_ref().filter(|_| by_source));
        progress.phase("measuring values", estimate);
        let (item_lists, mut examples, g) =
            scan(c, &query, &entries, columns.len(), region, &mut progress)?;
        let counted = count_entries(
            item_lists,
            if by_source { g.labels.len() } else { 0 },
            &mut progress,
        )?;
        let total_rows: u64 = g.rows.iter().sum();
        let mut out = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let ex = std::mem::take(&mut examples[i]);
            out.push(out_row(None, true, e, total_rows, &counted[i].0, Some(ex)));
        }
        if by_source {
            let mut order: Vec<usize> = (0..g.labels.len()).collect();
            order.sort_by(|&a, &b| g.labels[a].cmp(&g.labels[b]));
            for grp in order {
                for (i, e) in entries.iter().enumerate() {
                    let c = counted[i].1.get(grp).copied().unwrap_or_default();
                    out.push(out_row(
                        g.labels[grp].clone(),
                        false,
                        e,
                        g.rows[grp],
                        &c,
                        None,
                    ));
                }
            }
        }
        Ok(out)
    })
}

/// SPI results inside the reading closure: an error is raised at once (the
/// pipeline's queue closes while it unwinds).
trait OrRaiseSpi<T> {
    fn or_raise_spi(self) -> T;
}

impl<T> OrRaiseSpi<T> for Result<T, pgrx::spi::SpiError> {
    fn or_raise_spi(self) -> T {
        spi(self).or_raise()
    }
}

#[allow(clippy::type_complexity)]
#[pg_extern(stable, strict, parallel_restricted, name = "_quality_rows")]
fn quality_rows(
    tbl: RegClass,
    by_source: bool,
) -> TableIterator<
    'static,
    (
        name!(source, Option<String>),
        name!(total, bool),
        name!(role, String),
        name!(column_name, String),
        name!(rows, i64),
        name!(filled, i64),
        name!(valid, Option<i64>),
        name!(distinct_normalized, i64),
        name!(examples, Option<Vec<String>>),
    ),
> {
    TableIterator::new(quality_rows_impl(tbl.0, by_source).or_raise())
}
