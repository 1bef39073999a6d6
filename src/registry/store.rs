//! The state of registered tables over SPI: the registration row, the rows
//! of a registered table as records, their blocking keys and the stored
//! pairs. Detection, realtime, merging and quality read and write them
//! through these functions.
//!
//! Dynamic SQL names the user's table through its regclass text (quoted by
//! PostgreSQL) and columns through `quote_identifier`; every value is bound
//! as a parameter.

use std::collections::{HashMap, HashSet};

use pgrx::datum::DatumWithOid;
use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, SpiClient};
use pgrx::JsonB;
use serde_json::Value;

use super::{mapped_columns, parse_fields, ColumnType, Registration, Res, DEFAULT_THRESHOLD};
use crate::error::MdmError;
use crate::gucs;
use crate::normalize::phone::DEFAULT_REGION;
use crate::pg::progress::Progress;
use crate::pg::{oid_arg, spi};
use crate::record::{record_from_columns, Record};

/// The table's name as `regclass` prints it (schema-qualified when not on
/// the search path, quoted when needed).
pub(crate) fn table_name(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<String> {
    let t = spi(c.select("SELECT $1::regclass::text", None, &[oid_arg(tbl)]))?;
    Ok(spi(t.first().get_one::<String>())?.unwrap_or_else(|| tbl.to_u32().to_string()))
}

/// Whether the table is registered.
pub(crate) fn is_registered(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<bool> {
    let t = spi(c.select(
        "SELECT count(*) FROM mdm.registration WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    Ok(spi(t.first().get_one::<i64>())?.unwrap_or(0) > 0)
}

pub(crate) fn load_registration(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<Registration> {
    let t = spi(c.select(
        // The key's type from the catalog (mdm._key_type), never the stored
        // text: it is pasted into SQL as a cast.
        "SELECT tbl::text, key_column, mdm._key_type(tbl, key_column), fields, options, threshold,
                max_block_size, model, last_run
           FROM mdm.registration WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    let mut rows = t.into_iter();
    let Some(row) = rows.next() else {
        return Err(MdmError::NotRegistered {
            table: table_name(c, tbl)?,
        });
    };
    let json =
        |i: usize| -> Res<Value> { Ok(spi(row.get::<JsonB>(i))?.map_or(Value::Null, |j| j.0)) };
    let options = json(5)?;
    Ok(Registration {
        tbl,
        name: spi(row.get::<String>(1))?.unwrap_or_default(),
        key_column: spi(row.get::<String>(2))?.unwrap_or_default(),
        key_type: match spi(row.get::<String>(3))? {
            Some(t) => t,
            None => {
                return Err(MdmError::UndefinedColumn {
                    table: table_name(c, tbl)?,
                    column: spi(row.get::<String>(2))?.unwrap_or_default(),
                    role: String::new(),
                })
            }
        },
        fields: parse_fields(&json(4)?)?,
        threshold: spi(row.get::<f64>(6))?.unwrap_or(DEFAULT_THRESHOLD),
        max_block: spi(row.get::<i32>(7))?
            .map(|m| m.max(2) as usize)
            .unwrap_or_else(gucs::max_block_size),
        link: options.get("mode").and_then(Value::as_str) == Some("link"),
        phone_region: options
            .get("phone_region")
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_REGION)
            .to_string(),
        model: spi(row.get::<JsonB>(8))?.map(|j| j.0),
        last_run: spi(row.get::<JsonB>(9))?.map(|j| j.0),
    })
}

/// Deletes the rows of `tbl` from the named state tables (names from
/// [`super::STATE_TABLES`]).
pub(crate) fn clear(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, tables: &[&str]) -> Res<()> {
    clear_all(c, &[tbl], tables.iter().copied())
}

/// Deletes the rows of every table in `tbls` from the named state tables.
pub(crate) fn clear_all<'a>(
    c: &mut SpiClient<'_>,
    tbls: &[pg_sys::Oid],
    tables: impl IntoIterator<Item = &'a str>,
) -> Res<()> {
    let oids: Vec<pg_sys::Oid> = tbls.to_vec();
    for t in tables {
        spi(c.update(
            format!(
                "DELETE FROM mdm.{} WHERE tbl = ANY ($1::oid[])",
                quote_identifier(t)
            )
            .as_str(),
            None,
            &[oids.clone().into()],
        ))?;
    }
    Ok(())
}

/// A column's type, `None` when the table has no such column.
pub(crate) fn column_type(
    c: &SpiClient<'_>,
    tbl: pg_sys::Oid,
    col: &str,
) -> Res<Option<ColumnType>> {
    let t = spi(c.select(
        "SELECT format_type(a.atttypid, a.atttypmod), t.typcategory::text,
                t.typelem <> 0 AND t.typlen = -1, t.typtype = 'c'
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = $1 AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped",
        None,
        &[oid_arg(tbl), col.into()],
    ))?;
    let Some(row) = t.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some(ColumnType {
        type_name: spi(row.get::<String>(1))?.unwrap_or_default(),
        category: spi(row.get::<String>(2))?.unwrap_or_default(),
        is_array: spi(row.get::<bool>(3))?.unwrap_or(false),
        is_composite: spi(row.get::<bool>(4))?.unwrap_or(false),
    }))
}

// ---------------------------------------------------------------------------
// Reading a registered table.

/// The SELECT list reading the key and the mapped columns: text and
/// varchar columns as they are, every other column as `to_jsonb(col) #>>
/// '{}'`, the text the key trigger sees in `to_jsonb(NEW)` (ISO 8601 for
/// timestamps).
pub(crate) fn select_list(
    reg: &Registration,
    text_columns: &HashSet<String>,
) -> (String, Vec<String>) {
    let cols = mapped_columns(&reg.fields);
    let mut list = format!("t.{}::text", quote_identifier(&reg.key_column));
    for c in &cols {
        if text_columns.contains(c) {
            list.push_str(&format!(", t.{}::text", quote_identifier(c)));
        } else {
            list.push_str(&format!(", to_jsonb(t.{}) #>> '{{}}'", quote_identifier(c)));
        }
    }
    (list, cols)
}

/// The mapped columns of type text or varchar.
pub(crate) fn text_columns(c: &SpiClient<'_>, reg: &Registration) -> Res<HashSet<String>> {
    let t = spi(c.select(
        "SELECT attname::text FROM pg_attribute
          WHERE attrelid = $1 AND attname = ANY ($2) AND attnum > 0 AND NOT attisdropped
            AND atttypid IN ('text'::regtype, 'varchar'::regtype)",
        None,
        &[oid_arg(reg.tbl), mapped_columns(&reg.fields).into()],
    ))?;
    let mut out = HashSet::new();
    for row in t {
        if let Some(n) = spi(row.get::<String>(1))? {
            out.insert(n);
        }
    }
    Ok(out)
}

/// Rows of a registered table as records.
#[derive(Default)]
pub(crate) struct Rows {
    pub ids: Vec<String>,
    pub records: Vec<Record>,
    pub sources: Vec<Option<String>>,
    /// The stored blocking keys of each row, when read with them (`None`
    /// for a row without stored keys: they are computed).
    pub keys: Vec<Option<Vec<String>>>,
}

impl Rows {
    /// The rows at `keep` (increasing indices), the others dropped.
    pub(crate) fn keep(mut self, keep: &[usize]) -> Rows {
        Rows {
            ids: keep
                .iter()
                .map(|&i| std::mem::take(&mut self.ids[i]))
                .collect(),
            records: keep
                .iter()
                .map(|&i| std::mem::take(&mut self.records[i]))
                .collect(),
            sources: keep.iter().map(|&i| self.sources[i].take()).collect(),
            keys: keep
                .iter()
                .map(|&i| self.keys.get_mut(i).and_then(Option::take))
                .collect(),
        }
    }
}

/// The record of one fetched row (the key, then the columns `cols`, as
/// [`select_list`] reads them): its id, record and source.
pub(crate) fn row_record(
    row: &pgrx::spi::SpiHeapTupleData<'_>,
    reg: &Registration,
    cols: &[String],
) -> Res<(String, Record, Option<String>)> {
    let id = spi(row.get::<String>(1))?.unwrap_or_default();
    let mut texts: HashMap<&str, Option<String>> = HashMap::with_capacity(cols.len());
    for (i, col) in cols.iter().enumerate() {
        texts.insert(col.as_str(), spi(row.get::<String>(i + 2))?);
    }
    let (r, source) = record_from_columns(&reg.fields, |col| texts.get(col).cloned().flatten());
    Ok((id, r, source))
}

/// Reads the rows of the table (`ids`: only those keys), `progress` ticking;
/// `with_keys`: with their stored blocking keys.
pub(crate) fn read_rows(
    c: &SpiClient<'_>,
    reg: &Registration,
    ids: Option<&[String]>,
    with_keys: bool,
    progress: &mut Progress,
) -> Res<Rows> {
    let (list, cols) = select_list(reg, &text_columns(c, reg)?);
    let key = quote_identifier(&reg.key_column);
    let (keys_list, keys_join) = if with_keys {
        (
            ", k.keys".to_string(),
            format!(" LEFT JOIN mdm.record_keys k ON k.tbl = $1 AND k.record_id = t.{key}::text"),
        )
    } else {
        (String::new(), String::new())
    };
    let query = match ids {
        None => format!("SELECT {list}{keys_list} FROM {} t{keys_join}", reg.name),
        Some(_) => format!(
            "SELECT {list}{keys_list} FROM {} t{keys_join} WHERE t.{key} = ANY($2::text[]::{}[])",
            reg.name, reg.key_type
        ),
    };
    let mut args: Vec<DatumWithOid> = vec![oid_arg(reg.tbl)];
    if let Some(ids) = ids {
        args.push(ids.to_vec().into());
    }
    let mut cursor = spi(c.try_open_cursor(query.as_str(), &args))?;
    let mut out = Rows::default();
    loop {
        let batch = spi(cursor.fetch(10_000))?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            let (id, r, source) = row_record(&row, reg, &cols)?;
            out.ids.push(id);
            out.records.push(r);
            out.sources.push(source);
            if with_keys {
                out.keys.push(spi(row.get::<Vec<String>>(cols.len() + 2))?);
            }
        }
        progress.tick(out.ids.len());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Keys and pairs.

/// Separates keys joined into one text (keys never hold it: control
/// characters do not survive normalization).
const KEY_SEPARATOR: &str = "\u{1f}";

/// Stores the blocking keys of many records (none stored before), 10,000
/// a statement.
pub(crate) fn insert_keys(
    c: &mut SpiClient<'_>,
    tbl: pg_sys::Oid,
    ids: &[String],
    keys: &[Vec<String>],
    progress: &mut Progress,
) -> Res<()> {
    progress.phase("storing keys", keys.len());
    let mut done = 0;
    for (ids, ks) in ids.chunks(10_000).zip(keys.chunks(10_000)) {
        let joined: Vec<String> = ks.iter().map(|k| k.join(KEY_SEPARATOR)).collect();
        spi(c.update(
            "INSERT INTO mdm.record_keys (tbl, record_id, keys)
             SELECT $1, i, string_to_array(k, $4) FROM unnest($2::text[], $3::text[]) AS u(i, k)",
            None,
            &[
                oid_arg(tbl),
                ids.to_vec().into(),
                joined.into(),
                KEY_SEPARATOR.into(),
            ],
        ))?;
        done += ids.len();
        progress.tick(done);
    }
    Ok(())
}

/// The statement storing pairs (a macro, so that [`PAIR_UPSERT`] can extend
/// the same text).
macro_rules! pair_insert {
    () => {
        "INSERT INTO mdm.pair AS x (tbl, id_a, id_b, match_probability, match_weight, explanation, found_at)
     SELECT $1, a, b, p, w, e::jsonb, now()
       FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[]) AS u(a, b, p, w, e)"
    };
}

/// Stores pairs: `$1` the table, `$2`…`$6` arrays of id_a, id_b,
/// probability, weight and explanation (jsonb text).
pub(crate) const PAIR_INSERT: &str = pair_insert!();

/// [`PAIR_INSERT`], a stored pair replaced (batch detection and the
/// realtime trigger both store pairs with it).
pub(crate) const PAIR_UPSERT: &str = concat!(
    pair_insert!(),
    " ON CONFLICT (tbl, id_a, id_b) DO UPDATE
                SET match_probability = excluded.match_probability, match_weight = excluded.match_weight,
                    explanation = excluded.explanation, found_at = excluded.found_at"
);

/// A pair to store: ids in byte order (`a < b`), probability, weight,
/// explanation (jsonb text).
pub(crate) struct PairRow {
    pub a: String,
    pub b: String,
    pub p: f64,
    pub w: f64,
    pub explanation: String,
}

/// Two ids in the order pairs are stored in (byte order).
pub(crate) fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x.as_bytes() <= y.as_bytes() {
        (x, y)
    } else {
        (y, x)
    }
}

/// The arguments of [`PAIR_INSERT`] / [`PAIR_UPSERT`] for some pairs.
pub(crate) fn pair_args<'a>(tbl: pg_sys::Oid, pairs: &[PairRow]) -> Vec<DatumWithOid<'a>> {
    let a: Vec<String> = pairs.iter().map(|f| f.a.clone()).collect();
    let b: Vec<String> = pairs.iter().map(|f| f.b.clone()).collect();
    let p: Vec<f64> = pairs.iter().map(|f| f.p).collect();
    let w: Vec<f64> = pairs.iter().map(|f| f.w).collect();
    let e: Vec<String> = pairs.iter().map(|f| f.explanation.clone()).collect();
    vec![
        oid_arg(tbl),
        a.into(),
        b.into(),
        p.into(),
        w.into(),
        e.into(),
    ]
}

/// Stores pairs, 5,000 a statement; `fresh`: the table has no pairs of
/// `tbl` (a full run deleted them), so no conflict check is needed.
pub(crate) fn store_pairs(
    c: &mut SpiClient<'_>,
    tbl: pg_sys::Oid,
    pairs: &[PairRow],
    fresh: bool,
) -> Res<()> {
    for chunk in pairs.chunks(5000) {
        spi(c.update(
            if fresh { PAIR_INSERT } else { PAIR_UPSERT },
            None,
            &pair_args(tbl, chunk),
        ))?;
    }
    Ok(())
}

/// The number of stored pairs of a table.
pub(crate) fn count_pairs(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<i64> {
    let t = spi(c.select(
        "SELECT count(*) FROM mdm.pair WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    Ok(spi(t.first().get_one::<i64>())?.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_byte_order_and_one_pair_statement() {
        assert_eq!(ordered("b", "a"), ("a", "b"));
        assert_eq!(ordered("10", "9"), ("10", "9"));
        assert!(PAIR_UPSERT.starts_with(PAIR_INSERT));
        assert!(PAIR_UPSERT.contains("ON CONFLICT (tbl, id_a, id_b)"));
    }
}
