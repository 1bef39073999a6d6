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
use crate::detect::parallel::{map_chunks_sized, pipeline};
use crate::detect::sql::{
    load_registration, oid_arg, region_of, spi, workers, Progress, RegClass, Res,
};
use crate::error::{MdmError, OrRaise};
use crate::model::roles::Role;

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
        if role == "source" && source.is_none() {
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

fn quality_rows_impl(tbl: pg_sys::Oid, by_source: bool) -> Res<Vec<Out>> {
    Spi::connect(|c| -> Res<Vec<Out>> {
        let reg = load_registration(c, tbl)?;
        let region = region_of(&reg)?;
        let (entries, columns, source_col) = entries(c, tbl)?;
        let mut progress = Progress::new("quality_report", &reg.name);
        let estimate = spi(c.select(
            "SELECT greatest(reltuples, 0)::int8 FROM pg_class WHERE oid = $1",
            None,
            &[oid_arg(tbl)],
        ))?;
        let estimate = spi(estimate.first().get_one::<i64>())?.unwrap_or(0).max(0) as usize;

        let mut list = format!("t.{}::text", quote_identifier(&reg.key_column));
        for col in &columns {
            list.push_str(&format!(", t.{}::text", quote_identifier(col)));
        }
        match (&source_col, by_source) {
            (Some(s), true) => list.push_str(&format!(", t.{}::text", quote_identifier(s))),
            _ => list.push_str(", NULL::text"),
        }
        let query = format!("SELECT {list} FROM {} t", reg.name);
        let mut cursor = spi(c.try_open_cursor(query.as_str(), &[]))?;

        // Groups: the source values (by_source) in order of appearance.
        let mut group_of: HashMap<Option<String>, u32> = HashMap::new();
        let mut labels: Vec<Option<String>> = Vec::new();
        let mut group_rows: Vec<u64> = Vec::new();
        let mut rows_read = 0usize;
        let mut finished = false;
        progress.phase("measuring values", estimate);
        let ncols = columns.len();
        let mut next = || -> Option<Batch> {
            if finished {
                return None;
            }
            let fetched = cursor.fetch(BATCH as i64).or_raise_spi();
            if fetched.is_empty() {
                finished = true;
                return None;
            }
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
                let g = match group_of.get(&src) {
                    Some(&g) => g,
                    None => {
                        let g = labels.len() as u32;
                        group_of.insert(src.clone(), g);
                        labels.push(src);
                        group_rows.push(0);
                        g
                    }
                };
                group_rows[g as usize] += 1;
                b.groups.push(g);
            }
            rows_read += b.ids.len();
            progress.tick(rows_read);
            Some(b)
        };
        let entries_ref = &entries;
        let measured: Vec<Measured> = pipeline(
            workers(),
            &mut next,
            |b: Batch| -> Measured {
                entries_ref
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
            },
            || {
                pgrx::check_for_interrupts!();
            },
        )
        .map_err(MdmError::Internal)?;
        drop(cursor);

        // Per entry: its items of every batch, its first examples.
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
        let per_entry: Vec<Mutex<Vec<Item>>> = item_lists.into_iter().map(Mutex::new).collect();

        progress.phase("counting distinct values", entries.len());
        let groups = if by_source { labels.len() } else { 0 };
        let counted: Vec<(Counts, Vec<Counts>)> = map_chunks_sized(
            entries.len(),
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
        .map_err(MdmError::Internal)?;

        let total_rows: u64 = group_rows.iter().sum();
        let mut out = Vec::new();
        let row = |source: Option<String>,
                   total: bool,
                   e: &Entry,
                   rows: u64,
                   c: &Counts,
                   ex: Option<Vec<String>>|
         -> Out {
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
        };
        for (i, e) in entries.iter().enumerate() {
            let ex = std::mem::take(&mut examples[i]);
            out.push(row(None, true, e, total_rows, &counted[i].0, Some(ex)));
        }
        if by_source {
            let mut order: Vec<usize> = (0..labels.len()).collect();
            order.sort_by(|&a, &b| labels[a].cmp(&labels[b]));
            for g in order {
                for (i, e) in entries.iter().enumerate() {
                    let c = counted[i].1.get(g).copied().unwrap_or_default();
                    out.push(row(labels[g].clone(), false, e, group_rows[g], &c, None));
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
