//! Registered tables and batch detection in SQL: `mdm.register`,
//! `mdm.unregister`, `mdm.find_duplicates`, `mdm.train`, the decisions
//! (`mdm.mark_duplicate`, `mdm.mark_distinct`, `mdm.clear_decision`), the
//! pure helpers the key trigger uses (`mdm.role_record`,
//! `mdm.blocking_keys`), and the extension tables and views they share.
//!
//! Dynamic SQL names the user's table through its regclass text (quoted by
//! PostgreSQL) and columns through `quote_identifier`; every value is bound
//! as a parameter.

use std::collections::{HashMap, HashSet};
use std::ffi::CString;
use std::time::{Duration, Instant};

use pgrx::callconv::{Arg, ArgAbi};
use pgrx::datum::DatumWithOid;
use pgrx::nullable::Nullable;
use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, SpiClient};
use pgrx::JsonB;
use serde_json::{json, Map, Value};

use super::candidate_pairs_capped;
use super::cluster::{cluster, Edge};
use super::parallel::map_chunks;
use crate::blocking::{is_contact_key, is_weak_key, key_kind, record_keys};
use crate::error::{MdmError, OrRaise};
use crate::gucs;
use crate::model::compare::{compare_prepared, prepare_all, score, PreparedRecord, Record};
use crate::model::jsonb::JsonbRaw;
use crate::model::jsonb_read;
use crate::model::roles::Role;
use crate::model::spec::{default_model, Model, DEFAULT_MODEL_JSON};
use crate::model::train;
use crate::normalize::phone::parse_region;

/// A `regclass` argument: the table's oid.
#[derive(Debug, Clone, Copy)]
pub struct RegClass(pub pg_sys::Oid);

pgrx::impl_sql_translatable!(RegClass, "regclass");

impl FromDatum for RegClass {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _: pg_sys::Oid,
    ) -> Option<Self> {
        (!is_null).then(|| RegClass(pg_sys::Oid::from(datum.value() as u32)))
    }
}

// SAFETY: a regclass is an oid passed by value.
unsafe impl<'fcx> ArgAbi<'fcx> for RegClass {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        // SAFETY: pgrx calls this only for non-null arguments.
        match unsafe { arg.unbox_arg_using_from_datum() } {
            Some(v) => v,
            None => RegClass(pg_sys::InvalidOid),
        }
    }

    unsafe fn unbox_nullable_arg(arg: Arg<'_, 'fcx>) -> Nullable<Self> {
        // SAFETY: see the impl.
        unsafe { arg.unbox_arg_using_from_datum() }.into()
    }
}

pub(crate) type Res<T> = Result<T, MdmError>;

pub(crate) fn spi<T>(r: Result<T, pgrx::spi::SpiError>) -> Res<T> {
    r.map_err(|e| MdmError::Internal(format!("SPI: {e}")))
}

pub(crate) fn oid_arg<'a>(oid: pg_sys::Oid) -> DatumWithOid<'a> {
    oid.into()
}

/// The roles a table can map, and `source` (the channel a record came from).
const MAPPABLE: &[&str] = &[
    "name",
    "company",
    "phone",
    "email",
    "address",
    "id_number",
    "birth_date",
    "kind",
    "updated_at",
    "source",
];
const OPTION_KEYS: &[&str] = &[
    "threshold",
    "max_block_size",
    "model",
    "phone_region",
    "mode",
];
/// Primary-key types whose text form is the same in `::text` and in
/// `to_jsonb(row)` (the key trigger reads the latter).
const KEY_TYPES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "text",
    "character varying",
    "uuid",
];
const DEFAULT_THRESHOLD: f64 = 0.5;

/// A registered table, as `mdm.registration` holds it.
#[derive(Debug, Clone)]
pub(crate) struct Registration {
    pub tbl: pg_sys::Oid,
    pub name: String,
    pub key_column: String,
    pub key_type: String,
    /// Role (or `source`) → columns, in the order given.
    pub fields: Vec<(String, Vec<String>)>,
    pub threshold: f64,
    pub max_block: usize,
    pub link: bool,
    pub phone_region: String,
    pub model: Option<Value>,
    pub last_run: Option<Value>,
}

impl Registration {
    pub(crate) fn model(&self) -> Res<Model> {
        match &self.model {
            None => default_model().cloned(),
            Some(v) => Model::from_json(v),
        }
    }

    fn model_json(&self) -> Res<Value> {
        match &self.model {
            Some(v) => Ok(v.clone()),
            None => serde_json::from_str(DEFAULT_MODEL_JSON)
                .map_err(|e| MdmError::Internal(e.to_string())),
        }
    }

    /// The cap of a key's block: `max_block_size`, and a tenth of it (at
    /// least 3) for a weak key (a name alone, an address or a phone half
    /// with initials, an organisation's first word).
    ///
    /// The weak cap shrinks with the fourth root of the table's size above
    /// 100,000 rows (6 at 1M rows, at least 3): such a block of k records
    /// makes k(k-1)/2 pairs that are mostly namesakes, neighbours or
    /// colleagues, and a bigger table has more of them.
    pub(crate) fn cap(&self, key: &str, rows: usize) -> usize {
        if is_weak_key(key) {
            let scale = (100_000.0 / rows.max(1) as f64).powf(0.25).min(1.0);
            ((self.max_block as f64 / 10.0 * scale).round() as usize).max(3)
        } else {
            self.max_block
        }
    }

    /// What a full run depends on: a change means the stored pairs are stale.
    fn signature(&self) -> String {
        let m = self
            .model
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        format!(
            "{:x}",
            fxhash(&format!(
                "{m}|{}|{}|{}|{:?}",
                self.threshold, self.max_block, self.link, self.fields
            ))
        )
    }
}

fn fxhash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

pub(crate) fn table_name(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<String> {
    let t = spi(c.select("SELECT $1::regclass::text", None, &[oid_arg(tbl)]))?;
    Ok(spi(t.first().get_one::<String>())?.unwrap_or_else(|| tbl.to_u32().to_string()))
}

pub(crate) fn load_registration(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<Registration> {
    let t = spi(c.select(
        "SELECT tbl::text, key_column, key_type, fields, options, threshold, max_block_size,
                model, last_run
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
    let fields_v = spi(row.get::<JsonB>(4))?
        .map(|j| j.0)
        .unwrap_or(Value::Null);
    let options = spi(row.get::<JsonB>(5))?
        .map(|j| j.0)
        .unwrap_or(Value::Null);
    let fields = parse_fields(&fields_v)?;
    Ok(Registration {
        tbl,
        name: spi(row.get::<String>(1))?.unwrap_or_default(),
        key_column: spi(row.get::<String>(2))?.unwrap_or_default(),
        key_type: spi(row.get::<String>(3))?.unwrap_or_default(),
        fields,
        threshold: spi(row.get::<f64>(6))?.unwrap_or(DEFAULT_THRESHOLD),
        max_block: spi(row.get::<i32>(7))?
            .map(|m| m.max(2) as usize)
            .unwrap_or_else(|| gucs::MAX_BLOCK_SIZE.get().max(2) as usize),
        link: options.get("mode").and_then(Value::as_str) == Some("link"),
        phone_region: options
            .get("phone_region")
            .and_then(Value::as_str)
            .unwrap_or("CN")
            .to_string(),
        model: spi(row.get::<JsonB>(8))?.map(|j| j.0),
        last_run: spi(row.get::<JsonB>(9))?.map(|j| j.0),
    })
}

/// `fields` as role → columns; errors name the offending role.
fn parse_fields(v: &Value) -> Res<Vec<(String, Vec<String>)>> {
    let bad = |why: String| {
        MdmError::invalid_parameter(
            "fields",
            v.to_string(),
            format!(
                "{why}. fields maps roles ({}) to a column name or an array of column names.",
                MAPPABLE.join(", ")
            ),
        )
    };
    let map = v
        .as_object()
        .ok_or_else(|| bad("fields must be a jsonb object".into()))?;
    let mut out = Vec::new();
    for (role, cols) in map {
        if !MAPPABLE.contains(&role.as_str()) {
            return Err(bad(format!("\"{role}\" is not a role")));
        }
        let list: Vec<String> = match cols {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .map(|c| {
                    c.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| bad(format!("role \"{role}\" lists {c}, not a column name")))
                })
                .collect::<Res<_>>()?,
            other => {
                return Err(bad(format!(
                    "role \"{role}\" maps to {other}, not a column name"
                )))
            }
        };
        if list.is_empty() || list.iter().any(|c| c.is_empty()) {
            return Err(bad(format!("role \"{role}\" maps to no column")));
        }
        out.push((role.clone(), list));
    }
    if !out.iter().any(|(r, _)| {
        matches!(
            r.as_str(),
            "name" | "company" | "phone" | "email" | "address" | "id_number"
        )
    }) {
        return Err(bad(
            "map at least one of name, company, phone, email, address, id_number".into(),
        ));
    }
    Ok(out)
}

/// Builds a record from a row's column texts (in `fields` order), then
/// tells organisations from persons.
pub(crate) fn record_from_columns<'a>(
    fields: &[(String, Vec<String>)],
    mut value: impl FnMut(&str) -> Option<String>,
) -> (Record, Option<String>) {
    let mut r = Record::default();
    let mut source = None;
    for (role, cols) in fields {
        for col in cols {
            let Some(v) = value(col) else { continue };
            if role == "source" {
                source.get_or_insert(v);
            } else if let Some(role) = Role::from_key(role) {
                r.values[role.index()].push(v);
            }
        }
    }
    r.organise();
    (r, source)
}

// ---------------------------------------------------------------------------
// Progress: NOTICEs and the activity line of pg_stat_activity (mdm.progress).

const PROGRESS_PREFIX: &str = "customer_mdm progress ";

pub(crate) struct Progress {
    /// Seconds each finished phase took.
    phases: Vec<(&'static str, f64)>,
    command: &'static str,
    table: String,
    phase: &'static str,
    total: usize,
    started: Instant,
    phase_started: Instant,
    last_notice: Instant,
    last_activity: Instant,
    interval: Option<Duration>,
}

impl Progress {
    pub(crate) fn new(command: &'static str, table: &str) -> Progress {
        let now = Instant::now();
        let secs = gucs::PROGRESS_INTERVAL.get();
        Progress {
            phases: Vec::new(),
            command,
            table: table.to_string(),
            phase: "starting",
            total: 0,
            started: now,
            phase_started: now,
            last_notice: now,
            last_activity: now - Duration::from_secs(10),
            interval: (secs > 0).then(|| Duration::from_secs(secs as u64)),
        }
    }

    pub(crate) fn phase(&mut self, phase: &'static str, total: usize) {
        if self.phase != "starting" {
            self.phases
                .push((self.phase, self.phase_started.elapsed().as_secs_f64()));
        }
        self.phase = phase;
        self.total = total;
        self.phase_started = Instant::now();
        self.last_activity = self.phase_started - Duration::from_secs(10);
        self.tick(0);
    }

    fn report_activity(&self, text: &str) {
        if let Ok(c) = CString::new(text) {
            // SAFETY: pgstat_report_activity copies the string.
            unsafe {
                pg_sys::pgstat_report_activity(pg_sys::BackendState::STATE_RUNNING, c.as_ptr())
            };
        }
    }

    /// Called on the backend's thread during long work: honours query
    /// cancel, updates mdm.progress about every second and sends a NOTICE
    /// every `customer_mdm.progress_interval` seconds.
    pub(crate) fn tick(&mut self, done: usize) {
        pgrx::check_for_interrupts!();
        let now = Instant::now();
        let secs = now.duration_since(self.phase_started).as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        if now.duration_since(self.last_activity) >= Duration::from_secs(1) {
            self.last_activity = now;
            let line = json!({
                "command": self.command,
                "table": self.table,
                "phase": self.phase,
                "done": done,
                "total": self.total,
                "rate_per_second": rate.round(),
                "elapsed_seconds": (now.duration_since(self.started).as_secs_f64() * 10.0).round() / 10.0,
            });
            self.report_activity(&format!("{PROGRESS_PREFIX}{line}"));
        }
        if let Some(iv) = self.interval {
            if now.duration_since(self.last_notice) >= iv {
                self.last_notice = now;
                pgrx::notice!(
                    "{} {}: {} {}/{} ({:.0}%), {:.0} per second, {:.0} s elapsed",
                    self.command,
                    self.table,
                    self.phase,
                    done,
                    self.total,
                    if self.total > 0 {
                        100.0 * done as f64 / self.total as f64
                    } else {
                        100.0
                    },
                    rate,
                    now.duration_since(self.started).as_secs_f64()
                );
            }
        }
    }

    fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// The phases so far, with their seconds (the current one too).
    fn phase_seconds(&self) -> Value {
        let mut m = Map::new();
        let current = (self.phase, self.phase_started.elapsed().as_secs_f64());
        for (p, secs) in self.phases.iter().chain(std::iter::once(&current)) {
            m.insert((*p).to_string(), json!((secs * 1000.0).round() / 1000.0));
        }
        Value::Object(m)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Give pg_stat_activity its statement back.
        // SAFETY: debug_query_string is the statement being run (or null).
        unsafe {
            let q = pg_sys::debug_query_string;
            if !q.is_null() {
                pg_sys::pgstat_report_activity(pg_sys::BackendState::STATE_RUNNING, q);
            }
        }
    }
}

pub(crate) fn workers() -> usize {
    gucs::WORKERS.get().max(1) as usize
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
    let mut cols: Vec<String> = Vec::new();
    for (_, cs) in &reg.fields {
        for c in cs {
            if !cols.contains(c) {
                cols.push(c.clone());
            }
        }
    }
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
    let cols: Vec<String> = reg
        .fields
        .iter()
        .flat_map(|(_, cs)| cs.iter().cloned())
        .collect();
    let t = spi(c.select(
        "SELECT attname::text FROM pg_attribute
          WHERE attrelid = $1 AND attname = ANY ($2) AND attnum > 0 AND NOT attisdropped
            AND atttypid IN ('text'::regtype, 'varchar'::regtype)",
        None,
        &[oid_arg(reg.tbl), cols.into()],
    ))?;
    let mut out = HashSet::new();
    for row in t {
        if let Some(n) = spi(row.get::<String>(1))? {
            out.insert(n);
        }
    }
    Ok(out)
}

struct Rows {
    ids: Vec<String>,
    records: Vec<Record>,
    sources: Vec<Option<String>>,
    /// The stored blocking keys of each row, when read with them (`None`
    /// for a row without stored keys: they are computed).
    keys: Vec<Option<Vec<String>>>,
}

/// Reads the rows of the table (`ids`: only those keys), `progress` ticking.
fn read_rows(
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
    let mut out = Rows {
        ids: Vec::new(),
        records: Vec::new(),
        sources: Vec::new(),
        keys: Vec::new(),
    };
    loop {
        let batch = spi(cursor.fetch(10_000))?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            let id = spi(row.get::<String>(1))?.unwrap_or_default();
            let mut texts: HashMap<&str, Option<String>> = HashMap::with_capacity(cols.len());
            for (i, col) in cols.iter().enumerate() {
                texts.insert(col.as_str(), spi(row.get::<String>(i + 2))?);
            }
            let (r, source) =
                record_from_columns(&reg.fields, |col| texts.get(col).cloned().flatten());
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

/// Prepared records and their blocking keys (the stored ones when the
/// rows were read with them), on the worker threads.
fn prepare_rows(
    rows: &mut Rows,
    region: phonenumber::country::Id,
    progress: &mut Progress,
) -> Res<(Vec<PreparedRecord>, Vec<Vec<String>>)> {
    progress.phase("preparing records", rows.records.len());
    let mut stored = std::mem::take(&mut rows.keys);
    let rows = &*rows;
    let stored_ref = &stored;
    let both: Vec<(PreparedRecord, Option<Vec<String>>)> = map_chunks(
        rows.records.len(),
        workers(),
        |range| {
            range
                .map(|i| {
                    let r = &rows.records[i];
                    let p = prepare_all(r, region);
                    let k = match stored_ref.get(i) {
                        Some(Some(_)) => None,
                        _ => Some(record_keys(&p, &r.values[Role::Name.index()])),
                    };
                    (p, k)
                })
                .collect()
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)?;
    let mut prepared = Vec::with_capacity(both.len());
    let mut keys = Vec::with_capacity(both.len());
    for (i, (p, computed)) in both.into_iter().enumerate() {
        prepared.push(p);
        keys.push(match computed {
            Some(k) => k,
            None => stored.get_mut(i).and_then(Option::take).unwrap_or_default(),
        });
    }
    Ok((prepared, keys))
}

/// Separates keys joined into one text (keys never hold it: control
/// characters do not survive normalization).
const KEY_SEPARATOR: &str = "\u{1f}";

/// The blocking keys of every row, on the worker threads (the prepared
/// records are dropped as soon as their keys are made).
fn row_keys(
    rows: &Rows,
    region: phonenumber::country::Id,
    progress: &mut Progress,
) -> Res<Vec<Vec<String>>> {
    progress.phase("making blocking keys", rows.records.len());
    map_chunks(
        rows.records.len(),
        workers(),
        |range| {
            range
                .map(|i| {
                    let r = &rows.records[i];
                    record_keys(&prepare_all(r, region), &r.values[Role::Name.index()])
                })
                .collect()
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)
}

pub(crate) fn region_of(reg: &Registration) -> Res<phonenumber::country::Id> {
    parse_region(&reg.phone_region)
}

// ---------------------------------------------------------------------------
// mdm.register / mdm.unregister

struct ColumnType {
    type_name: String,
    category: String,
    is_array: bool,
    is_composite: bool,
}

fn column_type(c: &SpiClient<'_>, tbl: pg_sys::Oid, col: &str) -> Res<Option<ColumnType>> {
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

/// Checks a mapped column's type: text types are read as they are, other
/// scalar types are converted to text (a NOTICE says so), arrays,
/// composites, json and binary types are refused.
fn check_column_type(role: &str, col: &str, t: &ColumnType) -> Res<()> {
    let refuse = |hint: &str| {
        Err(MdmError::WrongColumnType {
            column: col.to_string(),
            type_name: t.type_name.clone(),
            role: role.to_string(),
            hint: hint.to_string(),
        })
    };
    if t.is_array || t.is_composite {
        return refuse("Map a column of a scalar type (text, varchar, a number, a date); for several values, map several columns to the role.");
    }
    if matches!(t.type_name.as_str(), "json" | "jsonb" | "bytea" | "xml") {
        return refuse("Map a text column, or a view column that extracts the text.");
    }
    // S: string types, D: date/time.
    if role == "updated_at" {
        if !matches!(t.category.as_str(), "D" | "S") {
            return refuse("updated_at takes a date, a timestamp or ISO 8601 text.");
        }
        return Ok(());
    }
    if t.category != "S" {
        pgrx::notice!(
            "column \"{col}\" of type {} is converted to text for role \"{role}\"",
            t.type_name
        );
    }
    Ok(())
}

fn parse_options(options: &Value) -> Res<(f64, Option<i32>, Option<Value>, String, bool)> {
    let bad = |key: &str, why: &str| {
        MdmError::invalid_parameter(
            "options",
            options.to_string(),
            format!(
                "options.{key}: {why}. The options are {}.",
                OPTION_KEYS.join(", ")
            ),
        )
    };
    let map = options
        .as_object()
        .ok_or_else(|| bad("(all)", "options must be a jsonb object"))?;
    for k in map.keys() {
        if !OPTION_KEYS.contains(&k.as_str()) {
            return Err(bad(k, "is not an option"));
        }
    }
    let threshold = match map.get("threshold") {
        None => DEFAULT_THRESHOLD,
        Some(v) => match v.as_f64() {
            Some(t) if (0.0..=1.0).contains(&t) => t,
            _ => {
                return Err(MdmError::invalid_parameter(
                    "options.threshold",
                    v.to_string(),
                    "The threshold is a match probability between 0 and 1 (pairs at or above it are stored), for example 0.5.",
                ))
            }
        },
    };
    let max_block = match map.get("max_block_size") {
        None => None,
        Some(v) => match v.as_i64() {
            Some(n) if (2..=100_000).contains(&n) => Some(n as i32),
            _ => return Err(bad("max_block_size", "must be an integer from 2 to 100000")),
        },
    };
    let model = match map.get("model") {
        None | Some(Value::Null) => None,
        Some(m) => {
            Model::from_json(m)?;
            Some(m.clone())
        }
    };
    let region = match map.get("phone_region") {
        None => "CN".to_string(),
        Some(Value::String(r)) => {
            parse_region(r)?;
            r.to_uppercase()
        }
        Some(_) => return Err(bad("phone_region", "must be a region code such as \"CN\"")),
    };
    let link = match map.get("mode").map(|m| m.as_str()) {
        None | Some(Some("dedupe")) => false,
        Some(Some("link")) => true,
        _ => {
            return Err(bad(
                "mode",
                "must be \"dedupe\" (every pair) or \"link\" (only pairs of different sources)",
            ))
        }
    };
    Ok((threshold, max_block, model, region, link))
}

/// Deletes the rows of `tbl` from extension tables.
fn clear(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, tables: &[&str]) -> Res<()> {
    for t in tables {
        spi(c.update(
            format!("DELETE FROM mdm.{t} WHERE tbl = $1").as_str(),
            None,
            &[oid_arg(tbl)],
        ))?;
    }
    Ok(())
}

/// Drops the key triggers of a table, those that exist.
pub(crate) fn drop_key_triggers(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, name: &str) -> Res<()> {
    let t = spi(c.select(
        "SELECT tgname::text FROM pg_trigger
          WHERE tgrelid = $1 AND tgname IN ('mdm_record_keys', 'mdm_record_keys_truncate')",
        None,
        &[oid_arg(tbl)],
    ))?;
    let mut names = Vec::new();
    for row in t {
        names.push(spi(row.get::<String>(1))?.unwrap_or_default());
    }
    for n in names {
        spi(c.update(
            format!("DROP TRIGGER {} ON {name}", quote_identifier(&n)).as_str(),
            None,
            &[],
        ))?;
    }
    Ok(())
}

fn register_impl(tbl: pg_sys::Oid, fields: Value, options: Value) -> Res<()> {
    Spi::connect_mut(|c| -> Res<()> {
        let name = table_name(c, tbl)?;
        let kind = spi(c.select(
            "SELECT relkind::text FROM pg_class WHERE oid = $1",
            None,
            &[oid_arg(tbl)],
        ))?;
        let relkind = spi(kind.first().get_one::<String>())?.unwrap_or_default();
        if relkind != "r" && relkind != "p" {
            return Err(MdmError::CannotRegister {
                table: name,
                problem: "It is not a table (views, materialized views and foreign tables have no primary key to track)".into(),
                hint: "Register the table that holds the customer rows.".into(),
                unsupported: false,
            });
        }
        let pk = spi(c.select(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), format_type(a.atttypid, NULL)
               FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
              WHERE i.indrelid = $1 AND i.indisprimary",
            None,
            &[oid_arg(tbl)],
        ))?;
        let pk: Vec<(String, String, String)> = pk
            .into_iter()
            .map(|r| {
                Ok((
                    spi(r.get::<String>(1))?.unwrap_or_default(),
                    spi(r.get::<String>(2))?.unwrap_or_default(),
                    spi(r.get::<String>(3))?.unwrap_or_default(),
                ))
            })
            .collect::<Res<_>>()?;
        let (key_column, key_type) = match pk.as_slice() {
            [] => {
                return Err(MdmError::CannotRegister {
                    table: name,
                    problem: "It has no primary key, so its rows cannot be told apart over time".into(),
                    hint: "Add one, for example: ALTER TABLE ... ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;".into(),
                    unsupported: false,
                })
            }
            [(col, ty, base)] => {
                if !KEY_TYPES.contains(&base.as_str()) {
                    return Err(MdmError::CannotRegister {
                        table: name,
                        problem: format!("Its primary key \"{col}\" has type {ty}"),
                        hint: format!("Primary keys of type {} are supported.", KEY_TYPES.join(", ")),
                        unsupported: true,
                    });
                }
                (col.clone(), base.clone())
            }
            _ => {
                return Err(MdmError::CannotRegister {
                    table: name,
                    problem: format!("Its primary key has {} columns", pk.len()),
                    hint: "Single-column primary keys are supported; add a surrogate key (bigint identity or uuid) and make it the primary key.".into(),
                    unsupported: true,
                })
            }
        };
        let parsed = parse_fields(&fields)?;
        for (role, cols) in &parsed {
            for col in cols {
                let t = column_type(c, tbl, col)?.ok_or_else(|| MdmError::UndefinedColumn {
                    table: name.clone(),
                    column: col.clone(),
                    role: role.clone(),
                })?;
                check_column_type(role, col, &t)?;
            }
        }
        let (threshold, max_block, model, region, link) = parse_options(&options)?;
        if link && !parsed.iter().any(|(r, _)| r == "source") {
            return Err(MdmError::invalid_parameter(
                "options",
                options.to_string(),
                "mode \"link\" compares records of different sources only: map a column to the source role.",
            ));
        }
        // Normalized fields: every role → array of columns.
        let mut fmap = Map::new();
        for (role, cols) in &parsed {
            fmap.insert(role.clone(), json!(cols));
        }
        let fields_norm = Value::Object(fmap);
        let previous = spi(c.select(
            "SELECT fields, model_source FROM mdm.registration WHERE tbl = $1",
            None,
            &[oid_arg(tbl)],
        ))?;
        let mut was_registered = false;
        let mut same_fields = false;
        let mut trained = false;
        if let Some(row) = previous.into_iter().next() {
            was_registered = true;
            same_fields = spi(row.get::<JsonB>(1))?.map(|j| j.0) == Some(fields_norm.clone());
            trained = spi(row.get::<String>(2))?.as_deref() == Some("trained");
        }
        // A trained model survives re-registration with the same fields
        // unless options give a model.
        let keep_trained = trained && same_fields && model.is_none();
        spi(c.update(
            "INSERT INTO mdm.registration AS r
                    (tbl, key_column, key_type, fields, options, threshold, max_block_size, model,
                     model_source, registered_at, configured_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8 IS NULL THEN 'built-in' ELSE 'options' END, now(), now())
             ON CONFLICT (tbl) DO UPDATE
                SET key_column = excluded.key_column, key_type = excluded.key_type,
                    fields = excluded.fields, options = excluded.options,
                    threshold = excluded.threshold, max_block_size = excluded.max_block_size,
                    model = CASE WHEN $9 THEN r.model ELSE excluded.model END,
                    model_source = CASE WHEN $9 THEN r.model_source ELSE excluded.model_source END,
                    trained_at = CASE WHEN $9 THEN r.trained_at END,
                    configured_at = now(), last_run = NULL",
            None,
            &[
                oid_arg(tbl),
                key_column.clone().into(),
                key_type.into(),
                JsonB(fields_norm.clone()).into(),
                JsonB(options.clone()).into(),
                threshold.into(),
                max_block.into(),
                model.map(JsonB).into(),
                keep_trained.into(),
            ],
        ))?;
        // The key trigger, then every row's keys.
        drop_key_triggers(c, tbl, &name)?;
        for sql in [
            format!("CREATE TRIGGER mdm_record_keys AFTER INSERT OR UPDATE OR DELETE ON {name} FOR EACH ROW EXECUTE FUNCTION mdm.record_keys_trigger()"),
            format!("CREATE TRIGGER mdm_record_keys_truncate AFTER TRUNCATE ON {name} FOR EACH STATEMENT EXECUTE FUNCTION mdm.record_keys_truncate()"),
        ] {
            spi(c.update(sql.as_str(), None, &[]))?;
        }
        crate::realtime::sql::reinstall_if_enabled(c, tbl)?;
        clear(c, tbl, &["record_keys"])?;
        if !same_fields {
            // Pairs and clusters were found with other columns.
            clear(c, tbl, &["pair", "cluster_member", "cluster", "capped_key"])?;
        }
        clear(c, tbl, &["changed_record"])?;
        // Every row's keys, computed on the worker threads.
        let reg = load_registration(c, tbl)?;
        let mut progress = Progress::new("register", &name);
        progress.phase("reading rows", 0);
        let rows = read_rows(c, &reg, None, false, &mut progress)?;
        let keys = row_keys(&rows, parse_region(&region)?, &mut progress)?;
        progress.phase("storing keys", keys.len());
        let mut done = 0;
        for (ids, ks) in rows.ids.chunks(10_000).zip(keys.chunks(10_000)) {
            let joined: Vec<String> = ks.iter().map(|k| k.join(KEY_SEPARATOR)).collect();
            spi(c.update(
                "INSERT INTO mdm.record_keys (tbl, record_id, keys)
                 SELECT $1, i, string_to_array(k, $4) FROM unnest($2::text[], $3::text[]) AS u(i, k)",
                None,
                &[oid_arg(tbl), ids.to_vec().into(), joined.into(), KEY_SEPARATOR.into()],
            ))?;
            done += ids.len();
            progress.tick(done);
        }
        let inserted = rows.ids;
        pgrx::notice!(
            "{} {name}: blocking keys of {} rows stored in mdm.record_keys and kept current by trigger mdm_record_keys",
            if was_registered { "re-registered" } else { "registered" },
            inserted.len()
        );
        Ok(())
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn register(tbl: RegClass, fields: JsonB, options: default!(JsonB, "'{}'")) {
    register_impl(tbl.0, fields.0, options.0).or_raise()
}

fn unregister_impl(tbl: pg_sys::Oid) -> Res<()> {
    Spi::connect_mut(|c| -> Res<()> {
        let reg = load_registration(c, tbl)?;
        drop_key_triggers(c, tbl, &reg.name)?;
        crate::realtime::sql::drop_trigger(c, tbl, &reg.name)?;
        clear(
            c,
            tbl,
            &[
                "record_keys",
                "changed_record",
                "pair",
                "decision",
                "cluster_member",
                "cluster",
                "capped_key",
                "registration",
            ],
        )?;
        pgrx::notice!(
            "unregistered {}: its keys, pairs, clusters and decisions are removed",
            reg.name
        );
        Ok(())
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn unregister(tbl: RegClass) {
    unregister_impl(tbl.0).or_raise()
}

// ---------------------------------------------------------------------------
// The pure helpers of the key trigger.

/// `mdm.role_record(fields, row)`: the role → values record of a row given
/// as `to_jsonb(row)`, under a `fields` mapping (organisations told apart).
#[pg_extern(immutable, strict, parallel_safe)]
fn role_record(fields: JsonB, row: JsonB) -> JsonB {
    let parsed = parse_fields(&fields.0).or_raise();
    let (r, source) = record_from_columns(&parsed, |col| match row.0.get(col) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    });
    let mut out = Map::new();
    for role in Role::ALL {
        let vals = &r.values[role.index()];
        match vals.len() {
            0 => {}
            1 => {
                out.insert(role.key().into(), json!(vals[0]));
            }
            _ => {
                out.insert(role.key().into(), json!(vals));
            }
        }
    }
    if let Some(s) = source {
        out.insert("source".into(), json!(s));
    }
    JsonB(Value::Object(out))
}

/// `mdm.blocking_keys(record, phone_region)`: the blocking keys of a
/// role → value record (see the blocking module).
#[pg_extern(immutable, strict, parallel_safe)]
fn blocking_keys(record: JsonbRaw, phone_region: default!(&str, "'CN'")) -> Vec<String> {
    let region = parse_region(phone_region).or_raise();
    let r = record
        .with_bytes(|b| jsonb_read::record("record", b))
        .or_raise();
    let p = prepare_all(&r, region);
    record_keys(&p, &r.values[Role::Name.index()])
}

// ---------------------------------------------------------------------------
// mdm.find_duplicates

/// A stored pair: ids in byte order (`id_a < id_b`), probability, weight,
/// explanation (jsonb text).
struct Found {
    a: String,
    b: String,
    p: f64,
    w: f64,
    explanation: String,
}

/// The compact explanation stored with a pair: the sentence, the model,
/// and the level and weight of each role with data (mdm.compare on the two
/// rows gives every detail).
pub(crate) fn explanation_json(cmp: &crate::model::compare::Comparison<'_>) -> String {
    use crate::model::compare::Outcome;
    use crate::model::json::Json;
    let roles: Vec<(&str, Json<'_>)> = cmp
        .outcomes
        .iter()
        .filter_map(|(role, o)| match o {
            Outcome::Level { level, weight, .. } => Some((
                role.key(),
                Json::Obj(vec![
                    ("level", Json::str(&level.label)),
                    ("weight", Json::Num(*weight, 3)),
                ]),
            )),
            _ => None,
        })
        .collect();
    Json::Obj(vec![
        ("explanation", Json::string(cmp.explanation())),
        ("model", Json::str(&cmp.model.name)),
        ("roles", Json::Obj(roles)),
    ])
    .to_text()
}

pub(crate) fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x.as_bytes() <= y.as_bytes() {
        (x, y)
    } else {
        (y, x)
    }
}

/// Scores candidate pairs on the worker threads; returns the accepted ones
/// (index pair, probability) in candidate order.
fn score_pairs(
    model: &Model,
    prepared: &[PreparedRecord],
    pairs: &[(u32, u32)],
    threshold: f64,
    progress: &mut Progress,
) -> Res<Vec<(u32, u32, f64)>> {
    progress.phase("scoring candidate pairs", pairs.len());
    let per_chunk = map_chunks(
        pairs.len(),
        workers(),
        |range| {
            let mut out = Vec::new();
            for k in range {
                let (i, j) = pairs[k];
                let (_, w) = score(model, &prepared[i as usize], &prepared[j as usize]);
                let p = crate::model::compare::probability(w);
                if p >= threshold {
                    out.push((i, j, p));
                }
            }
            vec![out]
        },
        |done| progress.tick(done),
    )
    .map_err(MdmError::Internal)?;
    Ok(per_chunk.into_iter().flatten().collect())
}

/// Stores pairs; `fresh`: the table has no pairs of `tbl` (a full run
/// deleted them), so no conflict check is needed.
fn store_pairs(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, found: Vec<Found>, fresh: bool) -> Res<()> {
    for chunk in found.chunks(5000) {
        let a: Vec<String> = chunk.iter().map(|f| f.a.clone()).collect();
        let b: Vec<String> = chunk.iter().map(|f| f.b.clone()).collect();
        let p: Vec<f64> = chunk.iter().map(|f| f.p).collect();
        let w: Vec<f64> = chunk.iter().map(|f| f.w).collect();
        let e: Vec<String> = chunk.iter().map(|f| f.explanation.clone()).collect();
        let insert = "INSERT INTO mdm.pair AS x (tbl, id_a, id_b, match_probability, match_weight, explanation, found_at)
             SELECT $1, a, b, p, w, e::jsonb, now()
               FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[]) AS u(a, b, p, w, e)";
        let upsert = format!(
            "{insert} ON CONFLICT (tbl, id_a, id_b) DO UPDATE
                SET match_probability = excluded.match_probability, match_weight = excluded.match_weight,
                    explanation = excluded.explanation, found_at = excluded.found_at"
        );
        spi(c.update(
            if fresh { insert } else { upsert.as_str() },
            None,
            &[
                oid_arg(tbl),
                a.into(),
                b.into(),
                p.into(),
                w.into(),
                e.into(),
            ],
        ))?;
    }
    Ok(())
}

/// Clusters the table's stored pairs under its decisions and stores the
/// clusters; returns (clusters, records in them, refused joins).
/// `stored`: the table's pairs when the caller has them all in memory (a
/// full run), read from `mdm.pair` otherwise.
fn recluster(
    c: &mut SpiClient<'_>,
    reg: &Registration,
    stored: Option<Vec<(&str, &str, f64)>>,
    progress: &mut Progress,
) -> Res<(usize, usize, usize)> {
    progress.phase("clustering", 0);
    let tbl = reg.tbl;
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut idx = |s: String, names: &mut Vec<String>| -> u32 {
        let n = index.len() as u32;
        *index.entry(s.clone()).or_insert_with(|| {
            names.push(s);
            n
        })
    };
    let mut edges = Vec::new();
    match stored {
        Some(pairs) => {
            for (a, b, p) in pairs {
                let (a, b) = (
                    idx(a.to_string(), &mut names),
                    idx(b.to_string(), &mut names),
                );
                edges.push(Edge { a, b, p });
            }
        }
        None => {
            let t = spi(c.select(
                "SELECT p.id_a, p.id_b, p.match_probability FROM mdm.pair p
                  WHERE p.tbl = $1 AND p.match_probability >= $2",
                None,
                &[oid_arg(tbl), reg.threshold.into()],
            ))?;
            for row in t {
                let a = spi(row.get::<String>(1))?.unwrap_or_default();
                let b = spi(row.get::<String>(2))?.unwrap_or_default();
                let p = spi(row.get::<f64>(3))?.unwrap_or(0.0);
                let (a, b) = (idx(a, &mut names), idx(b, &mut names));
                edges.push(Edge { a, b, p });
            }
        }
    }
    let mut must = Vec::new();
    let mut cannot = Vec::new();
    let t = spi(c.select(
        "SELECT id_a, id_b, decision FROM mdm.decision WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    for row in t {
        let a = spi(row.get::<String>(1))?.unwrap_or_default();
        let b = spi(row.get::<String>(2))?.unwrap_or_default();
        let d = spi(row.get::<String>(3))?.unwrap_or_default();
        let (a, b) = (idx(a, &mut names), idx(b, &mut names));
        if d == "duplicate" {
            must.push((a, b));
        } else {
            cannot.push((a, b));
        }
    }
    let cl = cluster(names.len(), &edges, &must, &cannot);
    // Clusters of two or more, numbered by their smallest record id.
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for (x, &r) in cl.root.iter().enumerate() {
        groups.entry(r).or_default().push(x as u32);
    }
    let mut clusters: Vec<(u32, Vec<u32>)> =
        groups.into_iter().filter(|(_, m)| m.len() >= 2).collect();
    for (_, m) in clusters.iter_mut() {
        m.sort_by(|x, y| {
            names[*x as usize]
                .as_bytes()
                .cmp(names[*y as usize].as_bytes())
        });
    }
    clusters.sort_by(|x, y| {
        names[x.1[0] as usize]
            .as_bytes()
            .cmp(names[y.1[0] as usize].as_bytes())
    });
    clear(c, tbl, &["cluster_member", "cluster"])?;
    let mut m_ids = Vec::new();
    let mut m_cluster = Vec::new();
    let mut c_ids: Vec<i64> = Vec::new();
    let mut c_size: Vec<i32> = Vec::new();
    let mut c_wa: Vec<Option<String>> = Vec::new();
    let mut c_wb: Vec<Option<String>> = Vec::new();
    let mut c_wp: Vec<Option<f64>> = Vec::new();
    let mut members = 0;
    for (n, (root, m)) in clusters.iter().enumerate() {
        let id = n as i64 + 1;
        members += m.len();
        for &x in m {
            m_ids.push(names[x as usize].clone());
            m_cluster.push(id);
        }
        let w = cl.weakest[*root as usize];
        c_ids.push(id);
        c_size.push(m.len() as i32);
        let (wa, wb) = match w {
            Some(e) => {
                let (a, b) = ordered(&names[e.a as usize], &names[e.b as usize]);
                (Some(a.to_string()), Some(b.to_string()))
            }
            None => (None, None),
        };
        c_wa.push(wa);
        c_wb.push(wb);
        c_wp.push(w.map(|e| e.p));
    }
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
        &[oid_arg(tbl), c_ids.into(), c_size.into(), c_wa.into(), c_wb.into(), c_wp.into()],
    ))?;
    Ok((clusters.len(), members, cl.refused))
}

/// Items of `all` before the sub-slice `part` (for progress).
fn progress_done<T>(all: &[T], part: &[T]) -> usize {
    (part.as_ptr() as usize - all.as_ptr() as usize) / std::mem::size_of::<T>().max(1)
}

fn count_pairs(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<i64> {
    let t = spi(c.select(
        "SELECT count(*) FROM mdm.pair WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    Ok(spi(t.first().get_one::<i64>())?.unwrap_or(0))
}

fn find_duplicates_impl(tbl: pg_sys::Oid) -> Res<i64> {
    Spi::connect_mut(|c| -> Res<i64> {
        let reg = load_registration(c, tbl)?;
        let model = reg.model()?;
        let region = region_of(&reg)?;
        let mut progress = Progress::new("find_duplicates", &reg.name);
        let sig = reg.signature();
        let t = spi(c.select(
            "SELECT (SELECT count(*) FROM mdm.record_keys WHERE tbl = $1),
                    (SELECT count(*) FROM mdm.changed_record WHERE tbl = $1)",
            None,
            &[oid_arg(tbl)],
        ))?;
        let (total, dirty) = spi(t.first().get_two::<i64, i64>())?;
        let (total, dirty) = (total.unwrap_or(0), dirty.unwrap_or(0));
        let table_rows = total.max(0) as usize;
        let last_sig = reg
            .last_run
            .as_ref()
            .and_then(|r| r.get("signature"))
            .and_then(Value::as_str);
        // Incremental when the settings are those of the last full run and
        // few records changed; otherwise everything again.
        let full = last_sig != Some(sig.as_str()) || dirty * 4 > total.max(1);
        progress.phase("reading rows", total as usize);
        let (mut rows, focus): (Rows, Option<HashSet<u32>>) = if full {
            (read_rows(c, &reg, None, true, &mut progress)?, None)
        } else {
            // The changed records and every record sharing an uncapped key.
            let t = spi(c.select(
                "WITH d AS (SELECT k.record_id, k.keys
                              FROM mdm.changed_record c
                              JOIN mdm.record_keys k ON k.tbl = c.tbl AND k.record_id = c.record_id
                             WHERE c.tbl = $1),
                      k AS (SELECT DISTINCT unnest(keys) AS key FROM d
                            EXCEPT SELECT key FROM mdm.capped_key WHERE tbl = $1)
                 SELECT record_id, true FROM d
                 UNION
                 SELECT r.record_id, false FROM mdm.record_keys r
                  WHERE r.tbl = $1 AND r.keys && (SELECT coalesce(array_agg(key), '{}') FROM k)
                    AND NOT EXISTS (SELECT FROM mdm.changed_record c
                                     WHERE c.tbl = $1 AND c.record_id = r.record_id)",
                None,
                &[oid_arg(tbl)],
            ))?;
            let mut ids = Vec::new();
            let mut changed = HashSet::new();
            for row in t {
                let id = spi(row.get::<String>(1))?.unwrap_or_default();
                if spi(row.get::<bool>(2))?.unwrap_or(false) {
                    changed.insert(id.clone());
                }
                ids.push(id);
            }
            let rows = read_rows(c, &reg, Some(&ids), true, &mut progress)?;
            let focus = rows
                .ids
                .iter()
                .enumerate()
                .filter(|(_, id)| changed.contains(*id))
                .map(|(i, _)| i as u32)
                .collect();
            // Pairs of changed (or deleted) records are found again.
            for col in ["id_a", "id_b"] {
                spi(c.update(
                    format!(
                        "DELETE FROM mdm.pair p USING mdm.changed_record r
                          WHERE p.tbl = $1 AND r.tbl = $1 AND p.{col} = r.record_id"
                    )
                    .as_str(),
                    None,
                    &[oid_arg(tbl)],
                ))?;
            }
            (rows, Some(focus))
        };
        if rows.ids.len() > u32::MAX as usize / 2 {
            return Err(MdmError::Internal("too many rows for one run".into()));
        }
        let (prepared, keys) = prepare_rows(&mut rows, region, &mut progress)?;
        rows.records = Vec::new();
        progress.phase("blocking", prepared.len());
        let link = reg.link;
        let sources = &rows.sources;
        let cands = candidate_pairs_capped(
            &keys,
            |k| reg.cap(k, table_rows),
            |i, j| {
                (!link || sources[i as usize] != sources[j as usize])
                    && focus
                        .as_ref()
                        .is_none_or(|f| f.contains(&i) || f.contains(&j))
            },
        );
        drop(keys);
        let accepted = score_pairs(
            &model,
            &prepared,
            &cands.pairs,
            reg.threshold,
            &mut progress,
        )?;
        if full {
            clear(c, tbl, &["pair", "capped_key"])?;
        }
        // Explained and stored a chunk at a time.
        progress.phase("explaining and storing pairs", accepted.len());
        let stored_now = accepted.len();
        let (mut explain_s, mut store_s) = (0.0, 0.0);
        for batch in accepted.chunks(50_000) {
            let t0 = Instant::now();
            let done_before = progress_done(&accepted, batch);
            let mut found: Vec<Found> = map_chunks(
                batch.len(),
                workers(),
                |range| {
                    range
                        .map(|k| {
                            let (i, j, p) = batch[k];
                            let (i, j) = (i as usize, j as usize);
                            let cmp = compare_prepared(&model, &prepared[i], &prepared[j]);
                            let (a, b) = ordered(&rows.ids[i], &rows.ids[j]);
                            Found {
                                a: a.to_string(),
                                b: b.to_string(),
                                p,
                                w: cmp.match_weight,
                                explanation: explanation_json(&cmp),
                            }
                        })
                        .collect()
                },
                |done| progress.tick(done_before + done),
            )
            .map_err(MdmError::Internal)?;
            // In key order, so that the index inserts land near each other.
            found.sort_unstable_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
            let t1 = Instant::now();
            store_pairs(c, tbl, found, full)?;
            explain_s += t1.duration_since(t0).as_secs_f64();
            store_s += t1.elapsed().as_secs_f64();
            progress.tick(done_before + batch.len());
        }
        let capped_keys: Vec<String> = cands.capped.iter().map(|(k, _)| k.clone()).collect();
        let capped_sizes: Vec<i64> = cands.capped.iter().map(|(_, n)| *n as i64).collect();
        spi(c.update(
            "INSERT INTO mdm.capped_key (tbl, key, records)
             SELECT $1, k, n FROM unnest($2::text[], $3::bigint[]) AS u(k, n)
             ON CONFLICT (tbl, key) DO UPDATE SET records = excluded.records",
            None,
            &[oid_arg(tbl), capped_keys.into(), capped_sizes.into()],
        ))?;
        clear(c, tbl, &["changed_record"])?;
        // A full run has every pair of the table in memory.
        let in_memory = full.then(|| {
            accepted
                .iter()
                .map(|&(i, j, p)| {
                    (
                        rows.ids[i as usize].as_str(),
                        rows.ids[j as usize].as_str(),
                        p,
                    )
                })
                .collect()
        });
        let (clusters, members, refused) = recluster(c, &reg, in_memory, &mut progress)?;
        let stored = count_pairs(c, tbl)?;
        let seconds = (progress.elapsed() * 1000.0).round() / 1000.0;
        let run = json!({
            "signature": sig,
            "mode": if full { "full" } else { "incremental" },
            "finished_at": spi(Spi::get_one::<String>("SELECT now()::text"))?,
            "records_read": rows.ids.len(),
            "changed_records": if full { total } else { dirty },
            "candidate_pairs": cands.pairs.len(),
            "blocks": cands.blocks,
            "largest_block": cands.largest_block,
            "capped_keys": cands.capped.len(),
            "max_block_size": reg.max_block,
            "pairs_scored_at_or_above_threshold": stored_now,
            "pairs_stored": stored,
            "clusters": clusters,
            "records_in_clusters": members,
            "joins_refused_by_decisions": refused,
            "threshold": reg.threshold,
            "workers": workers(),
            "seconds": seconds,
            "phase_seconds": progress.phase_seconds(),
            "explain_seconds": (explain_s * 1000.0f64).round() / 1000.0,
            "store_seconds": (store_s * 1000.0f64).round() / 1000.0,
        });
        spi(c.update(
            "UPDATE mdm.registration SET last_run = $2 WHERE tbl = $1",
            None,
            &[oid_arg(tbl), JsonB(run).into()],
        ))?;
        pgrx::notice!(
            "find_duplicates {}: {} run over {} records, {} candidate pairs ({} capped keys), {} pairs at or above {}, {} clusters, {:.1} s",
            reg.name,
            if full { "full" } else { "incremental" },
            rows.ids.len(),
            cands.pairs.len(),
            cands.capped.len(),
            stored_now,
            reg.threshold,
            clusters,
            seconds
        );
        Ok(stored)
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn find_duplicates(tbl: RegClass) -> i64 {
    find_duplicates_impl(tbl.0).or_raise()
}

// ---------------------------------------------------------------------------
// mdm.train

/// Records training reads at most; bigger tables are sampled.
const TRAIN_RECORDS: usize = 300_000;
/// Random pairs for u.
const U_PAIRS: usize = 300_000;
/// Term-frequency entries kept per role.
const TF_ENTRIES: usize = 2000;

fn shared_kinds(a: &[String], b: &[String]) -> (bool, bool, bool) {
    // (contact key, name key, other key) shared.
    let (mut i, mut j) = (0, 0);
    let (mut contact, mut name, mut other) = (false, false, false);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if is_contact_key(&a[i]) {
                    contact = true;
                } else if matches!(key_kind(&a[i]), "n" | "t" | "j" | "dm") {
                    name = true;
                } else {
                    other = true;
                }
                i += 1;
                j += 1;
            }
        }
    }
    (contact, name, other)
}

/// A small deterministic generator for the random pairs (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn train_impl(tbl: pg_sys::Oid) -> Res<Value> {
    Spi::connect_mut(|c| -> Res<Value> {
        let reg = load_registration(c, tbl)?;
        let base_json = reg.model_json()?;
        let model = Model::from_json(&base_json)?;
        let region = region_of(&reg)?;
        let mut progress = Progress::new("train", &reg.name);
        let t = spi(c.select(
            "SELECT count(*) FROM mdm.record_keys WHERE tbl = $1",
            None,
            &[oid_arg(tbl)],
        ))?;
        let total = spi(t.first().get_one::<i64>())?.unwrap_or(0).max(0) as usize;
        progress.phase("reading rows", total);
        let mut rows = read_rows(c, &reg, None, true, &mut progress)?;
        let table_rows = rows.ids.len();
        if rows.ids.len() > TRAIN_RECORDS {
            // A deterministic sample: every k-th row is enough for m, u and
            // the frequencies (pairs within the sample keep their share).
            let mut rng = Rng(42);
            let mut keep: Vec<usize> = (0..rows.ids.len()).collect();
            for i in (1..keep.len()).rev() {
                keep.swap(i, rng.below(i + 1));
            }
            keep.truncate(TRAIN_RECORDS);
            keep.sort_unstable();
            rows = Rows {
                ids: keep
                    .iter()
                    .map(|&i| std::mem::take(&mut rows.ids[i]))
                    .collect(),
                records: keep
                    .iter()
                    .map(|&i| std::mem::take(&mut rows.records[i]))
                    .collect(),
                sources: keep.iter().map(|&i| rows.sources[i].take()).collect(),
                keys: keep
                    .iter()
                    .map(|&i| rows.keys.get_mut(i).and_then(Option::take))
                    .collect(),
            };
        }
        let n = rows.ids.len();
        if n < 2 {
            return Err(MdmError::invalid_parameter(
                "tbl",
                reg.name.clone(),
                "Training needs a table with at least two rows.",
            ));
        }
        let (prepared, keys) = prepare_rows(&mut rows, region, &mut progress)?;
        progress.phase("blocking", n);
        let link = reg.link;
        let sources = &rows.sources;
        let cands = candidate_pairs_capped(
            &keys,
            |k| reg.cap(k, table_rows),
            |i, j| !link || sources[i as usize] != sources[j as usize],
        );
        // Levels of every candidate pair, with the kinds of keys it shares.
        progress.phase("comparing candidate pairs", cands.pairs.len());
        let levels = map_chunks(
            cands.pairs.len(),
            workers(),
            |range| {
                range
                    .map(|k| {
                        let (i, j) = cands.pairs[k];
                        let (i, j) = (i as usize, j as usize);
                        let (l, _) = score(&model, &prepared[i], &prepared[j]);
                        (l, shared_kinds(&keys[i], &keys[j]))
                    })
                    .collect()
            },
            |done| progress.tick(done),
        )
        .map_err(MdmError::Internal)?;
        // Random pairs for u.
        let mut rng = Rng(7);
        let want = U_PAIRS.min(n * (n - 1) / 2);
        let random: Vec<(u32, u32)> = (0..want)
            .filter_map(|_| {
                let (i, j) = (rng.below(n), rng.below(n));
                (i != j && (!link || sources[i] != sources[j])).then_some((i as u32, j as u32))
            })
            .collect();
        progress.phase("comparing random pairs", random.len());
        let random_levels = map_chunks(
            random.len(),
            workers(),
            |range| {
                range
                    .map(|k| {
                        let (i, j) = random[k];
                        score(&model, &prepared[i as usize], &prepared[j as usize]).0
                    })
                    .collect()
            },
            |done| progress.tick(done),
        )
        .map_err(MdmError::Internal)?;
        progress.phase("expectation maximisation", 0);
        let mut random_hist: HashMap<train::Levels, u64> = HashMap::new();
        for l in random_levels {
            *random_hist.entry(l).or_default() += 1;
        }
        let u = train::estimate_u(&model, &random_hist);
        let mut sessions = vec![
            train::Session {
                name: "pairs sharing a phone, e-mail or ID".into(),
                ..Default::default()
            },
            train::Session {
                name: "pairs sharing a name key".into(),
                ..Default::default()
            },
        ];
        for r in [Role::Phone, Role::Email, Role::IdNumber] {
            sessions[0].excluded[r.index()] = true;
        }
        sessions[1].excluded[Role::Name.index()] = true;
        let mut all: HashMap<train::Levels, u64> = HashMap::new();
        for (l, (contact, name, _)) in &levels {
            *all.entry(*l).or_default() += 1;
            if *contact {
                *sessions[0].patterns.entry(*l).or_default() += 1;
            }
            if *name {
                *sessions[1].patterns.entry(*l).or_default() += 1;
            }
        }
        let results: Vec<train::SessionResult> =
            sessions.iter().map(|s| train::em(&model, &u, s)).collect();
        let m = train::combine_m(&model, &results);
        let share = train::match_share(&m, &u, &all);
        let total_pairs = if link {
            let mut per: HashMap<&Option<String>, usize> = HashMap::new();
            for s in sources.iter() {
                *per.entry(s).or_default() += 1;
            }
            let k: usize = per.values().map(|c| c * (c - 1) / 2).sum();
            (n * (n - 1) / 2 - k).max(1)
        } else {
            n * (n - 1) / 2
        } as f64;
        let expected_matches = share * levels.len() as f64;
        let prior = (expected_matches / total_pairs).clamp(1e-12, 0.5);
        // Term frequencies of names and companies, over the records.
        let mut tf = Map::new();
        for role in [Role::Name, Role::Company] {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            let mut with_value = 0usize;
            for p in &prepared {
                let vals = &p.values[role.index()];
                if let Some(v) = vals.first() {
                    with_value += 1;
                    *counts.entry(v.key()).or_default() += 1;
                }
            }
            let mut top: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n >= 3).collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            top.truncate(TF_ENTRIES);
            let table: Map<String, Value> = top
                .into_iter()
                .map(|(k, c)| (k.to_string(), json!(c as f64 / with_value.max(1) as f64)))
                .collect();
            if !table.is_empty() {
                tf.insert(role.key().into(), Value::Object(table));
            }
        }
        let session_report: Vec<Value> = results
            .iter()
            .map(|r| {
                json!({
                    "session": r.name,
                    "pairs": r.pairs,
                    "match_share": r.lambda,
                    "iterations": r.iterations,
                    "roles_estimated": Role::ALL.iter().filter(|x| r.m[x.index()].is_some()).map(|x| x.key()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let training = json!({
            "method": "unsupervised: u from random record pairs, m by expectation maximisation over blocked pairs (roles of a session's blocking keys left out), prior from the expected matches among candidate pairs, term frequencies counted in the table",
            "table": reg.name,
            "trained_at": spi(Spi::get_one::<String>("SELECT now()::text"))?,
            "table_rows": table_rows,
            "records_used": n,
            "random_pairs": random.len(),
            "candidate_pairs": cands.pairs.len(),
            "expected_matches_among_candidates": expected_matches.round(),
            "sessions": session_report,
            "seconds": (progress.elapsed() * 10.0).round() / 10.0,
        });
        let trained = train::trained_json(&base_json, &m, &u, prior, tf, training);
        Model::from_json(&trained)?;
        spi(c.update(
            "UPDATE mdm.registration
                SET model = $2, model_source = 'trained', trained_at = now()
              WHERE tbl = $1",
            None,
            &[oid_arg(tbl), JsonB(trained.clone()).into()],
        ))?;
        pgrx::notice!(
            "train {}: {} records, {} candidate pairs, {} random pairs, prior {:.3e}; the model is stored and used by mdm.find_duplicates",
            reg.name,
            n,
            cands.pairs.len(),
            random.len(),
            prior
        );
        Ok(trained)
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn train(tbl: RegClass) -> JsonB {
    JsonB(train_impl(tbl.0).or_raise())
}

// ---------------------------------------------------------------------------
// Decisions

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
            for id in [a, b] {
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
            }
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

extension_sql!(
    r#"
-- Registered tables (kept by pg_dump).
CREATE TABLE @extschema@.registration (
    tbl            regclass PRIMARY KEY,
    key_column     text NOT NULL,
    key_type       text NOT NULL,
    fields         jsonb NOT NULL,
    options        jsonb NOT NULL DEFAULT '{}',
    threshold      float8 NOT NULL CHECK (threshold BETWEEN 0 AND 1),
    max_block_size int CHECK (max_block_size >= 2),
    model          jsonb,
    model_source   text NOT NULL DEFAULT 'built-in' CHECK (model_source IN ('built-in', 'options', 'trained')),
    trained_at     timestamptz,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    configured_at  timestamptz NOT NULL DEFAULT now(),
    last_run       jsonb,
    realtime       jsonb
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.registration', '');
COMMENT ON TABLE @extschema@.registration IS
'One row per table registered with mdm.register: the primary key, the role -> columns mapping (fields), the options, the threshold, the model (NULL: the built-in one; model_source says where it came from), what the last mdm.find_duplicates run did (last_run) and the realtime settings of mdm.enable_realtime (realtime: action, flag_threshold, block_threshold, notify; NULL when off). Kept by pg_dump.';

-- Blocking keys, one row per record of a registered table.
CREATE TABLE @extschema@.record_keys (
    tbl       regclass NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    keys      text[] NOT NULL,
    PRIMARY KEY (tbl, record_id)
);
-- fastupdate off: with a pending list, every lookup (the realtime trigger,
-- an incremental find_duplicates) scans all pending entries; bulk loads are
-- no slower without it (measured: 1.44M rows either way).
CREATE INDEX record_keys_keys ON @extschema@.record_keys USING gin (keys) WITH (fastupdate = off);
COMMENT ON TABLE @extschema@.record_keys IS
'The blocking keys of every record of every registered table (mdm.blocking_keys of its mapped columns), kept current by the trigger mdm_record_keys. The GIN index on keys finds any record''s candidates: records sharing a key.';

-- Records inserted, changed or deleted since the last mdm.find_duplicates.
CREATE TABLE @extschema@.changed_record (
    tbl       regclass NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (tbl, record_id)
);
COMMENT ON TABLE @extschema@.changed_record IS
'Records of registered tables inserted, changed (in a mapped column) or deleted since the last mdm.find_duplicates, noted by the trigger mdm_record_keys: the next run compares only them (and their candidates) again.';

-- Pairs found by mdm.find_duplicates.
CREATE TABLE @extschema@.pair (
    tbl               regclass NOT NULL,
    id_a              text COLLATE "C" NOT NULL,
    id_b              text COLLATE "C" NOT NULL,
    match_probability float8 NOT NULL,
    match_weight      float8 NOT NULL,
    explanation       jsonb NOT NULL,
    found_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tbl, id_a, id_b),
    CHECK (id_a < id_b)
);
CREATE INDEX pair_id_b ON @extschema@.pair (tbl, id_b);
COMMENT ON TABLE @extschema@.pair IS
'Record pairs at or above their table''s threshold, as mdm.find_duplicates scored them (id_a < id_b in byte order). Read them through the view mdm.duplicate_pairs.';

-- Decisions (kept by pg_dump).
CREATE TABLE @extschema@.decision (
    tbl        regclass NOT NULL,
    id_a       text COLLATE "C" NOT NULL,
    id_b       text COLLATE "C" NOT NULL,
    decision   text NOT NULL CHECK (decision IN ('duplicate', 'distinct')),
    decided_by name NOT NULL DEFAULT current_user,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tbl, id_a, id_b),
    CHECK (id_a < id_b)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.decision', '');
COMMENT ON TABLE @extschema@.decision IS
'Decisions about record pairs: duplicate (a must-link, the pair is confirmed) or distinct (a cannot-link, the pair is rejected), with who decided and when. Clustering honours them. Kept by pg_dump.';

CREATE TABLE @extschema@.cluster_member (
    tbl        regclass NOT NULL,
    record_id  text COLLATE "C" NOT NULL,
    cluster_id bigint NOT NULL,
    PRIMARY KEY (tbl, record_id)
);
CREATE INDEX cluster_member_cluster ON @extschema@.cluster_member (tbl, cluster_id);
COMMENT ON TABLE @extschema@.cluster_member IS
'The cluster of every record that has duplicates (clusters of two or more records). Read it through mdm.duplicate_clusters.';

CREATE TABLE @extschema@.cluster (
    tbl                 regclass NOT NULL,
    cluster_id          bigint NOT NULL,
    cluster_size        int NOT NULL,
    weakest_a           text COLLATE "C",
    weakest_b           text COLLATE "C",
    weakest_probability float8,
    PRIMARY KEY (tbl, cluster_id)
);
COMMENT ON TABLE @extschema@.cluster IS
'One row per cluster: its size and its weakest link (the least probable pair that joined it; probability 1 for a pair marked duplicate). Cluster ids are numbered 1.. by smallest record id at each clustering.';

CREATE TABLE @extschema@.capped_key (
    tbl     regclass NOT NULL,
    key     text NOT NULL,
    records bigint NOT NULL,
    PRIMARY KEY (tbl, key)
);
COMMENT ON TABLE @extschema@.capped_key IS
'Blocking keys held by more records than the table''s max_block_size at the last mdm.find_duplicates: they make no candidate pairs (their records meet through their other keys).';

-- The key trigger.
CREATE FUNCTION @extschema@.record_keys_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    reg record;
    old_id text;
    new_id text;
    new_rec jsonb;
BEGIN
    SELECT r.key_column, r.fields, coalesce(r.options ->> 'phone_region', 'CN') AS region
      INTO reg FROM @extschema@.registration r WHERE r.tbl = TG_RELID;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_id := to_jsonb(OLD) ->> reg.key_column;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_id := to_jsonb(NEW) ->> reg.key_column;
        -- The realtime trigger (mdm_realtime, which fires first) has stored
        -- the row's keys already.
        IF @extschema@._realtime_handled(TG_RELID, new_id) AND (TG_OP = 'INSERT' OR old_id = new_id) THEN
            RETURN NULL;
        END IF;
        new_rec := @extschema@.role_record(reg.fields, to_jsonb(NEW));
        IF TG_OP = 'UPDATE' AND old_id = new_id
           AND new_rec = @extschema@.role_record(reg.fields, to_jsonb(OLD)) THEN
            RETURN NULL;  -- no mapped column changed
        END IF;
    END IF;
    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM new_id THEN
        DELETE FROM @extschema@.record_keys WHERE tbl = TG_RELID AND record_id = old_id;
        DELETE FROM @extschema@.pair WHERE tbl = TG_RELID AND (id_a = old_id OR id_b = old_id);
        DELETE FROM @extschema@.cluster_member WHERE tbl = TG_RELID AND record_id = old_id;
    END IF;
    IF new_id IS NOT NULL THEN
        INSERT INTO @extschema@.record_keys AS k (tbl, record_id, keys)
        VALUES (TG_RELID, new_id, @extschema@.blocking_keys(new_rec, reg.region))
        ON CONFLICT (tbl, record_id) DO UPDATE SET keys = excluded.keys;
        INSERT INTO @extschema@.changed_record VALUES (TG_RELID, new_id) ON CONFLICT DO NOTHING;
    END IF;
    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM new_id THEN
        INSERT INTO @extschema@.changed_record VALUES (TG_RELID, old_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.record_keys_trigger() IS
'Row trigger (mdm_record_keys, installed by mdm.register): keeps mdm.record_keys current on INSERT, UPDATE of a mapped column and DELETE, and marks changed records for the next mdm.find_duplicates; a deleted record''s pairs go with it.';

CREATE FUNCTION @extschema@.record_keys_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM @extschema@.record_keys WHERE tbl = TG_RELID;
    DELETE FROM @extschema@.changed_record WHERE tbl = TG_RELID;
    DELETE FROM @extschema@.pair WHERE tbl = TG_RELID;
    DELETE FROM @extschema@.cluster_member WHERE tbl = TG_RELID;
    DELETE FROM @extschema@.cluster WHERE tbl = TG_RELID;
    DELETE FROM @extschema@.capped_key WHERE tbl = TG_RELID;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.record_keys_truncate() IS
'Statement trigger (mdm_record_keys_truncate, installed by mdm.register): TRUNCATE of a registered table removes its keys, pairs and clusters (decisions stay).';

-- A dropped table takes its registration with it.
CREATE FUNCTION @extschema@.drop_cleanup() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
    gone oid[];
BEGIN
    SELECT array_agg(objid) INTO gone FROM pg_event_trigger_dropped_objects() WHERE classid = 'pg_class'::regclass;
    IF gone IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM @extschema@.record_keys WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.changed_record WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.pair WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.decision WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.cluster_member WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.cluster WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.capped_key WHERE tbl = ANY (gone);
    DELETE FROM @extschema@.registration WHERE tbl = ANY (gone);
END
$$;
COMMENT ON FUNCTION @extschema@.drop_cleanup() IS
'Event trigger function (mdm_drop_cleanup): DROP TABLE of a registered table removes its registration, keys, pairs, clusters and decisions.';
CREATE EVENT TRIGGER mdm_drop_cleanup ON sql_drop EXECUTE FUNCTION @extschema@.drop_cleanup();

-- Decisions with ids of the table's key type.
CREATE FUNCTION @extschema@.mark_duplicate(tbl regclass, id_a anyelement, id_b anyelement) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a::text, id_b::text, 'duplicate') $$;
COMMENT ON FUNCTION @extschema@.mark_duplicate(regclass, anyelement, anyelement) IS
'Records that two rows of a registered table are the same customer (a must-link: the pair becomes confirmed and clustering always joins them), then re-clusters. Ids are primary-key values (bigint, uuid, text ...). Undo with mdm.clear_decision.';
CREATE FUNCTION @extschema@.mark_distinct(tbl regclass, id_a anyelement, id_b anyelement) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a::text, id_b::text, 'distinct') $$;
COMMENT ON FUNCTION @extschema@.mark_distinct(regclass, anyelement, anyelement) IS
'Records that two rows of a registered table are different customers (a cannot-link: the pair becomes rejected and no cluster ever holds both, directly or through other records), then re-clusters. Undo with mdm.clear_decision.';
CREATE FUNCTION @extschema@.clear_decision(tbl regclass, id_a anyelement, id_b anyelement) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a::text, id_b::text, NULL) $$;
COMMENT ON FUNCTION @extschema@.clear_decision(regclass, anyelement, anyelement) IS
'Removes the decision about a pair: a confirmed or rejected pair becomes pending again; re-clusters.';

-- Ids written as plain literals ('C-1001') resolve to these.
CREATE FUNCTION @extschema@.mark_duplicate(tbl regclass, id_a text, id_b text) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a, id_b, 'duplicate') $$;
COMMENT ON FUNCTION @extschema@.mark_duplicate(regclass, text, text) IS
'mdm.mark_duplicate for ids given as text (quoted literals): records a must-link between two rows of a registered table and re-clusters.';
CREATE FUNCTION @extschema@.mark_distinct(tbl regclass, id_a text, id_b text) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a, id_b, 'distinct') $$;
COMMENT ON FUNCTION @extschema@.mark_distinct(regclass, text, text) IS
'mdm.mark_distinct for ids given as text (quoted literals): records a cannot-link between two rows of a registered table and re-clusters.';
CREATE FUNCTION @extschema@.clear_decision(tbl regclass, id_a text, id_b text) RETURNS void
LANGUAGE sql STRICT AS $$ SELECT @extschema@._decide(tbl, id_a, id_b, NULL) $$;
COMMENT ON FUNCTION @extschema@.clear_decision(regclass, text, text) IS
'mdm.clear_decision for ids given as text (quoted literals): the pair becomes pending again; re-clusters.';

-- Views for analysts.
CREATE VIEW @extschema@.duplicate_pairs AS
SELECT p.tbl, p.id_a, p.id_b, p.match_probability, p.match_weight, p.explanation,
       CASE d.decision WHEN 'duplicate' THEN 'confirmed' WHEN 'distinct' THEN 'rejected' ELSE 'pending' END AS status,
       p.found_at, d.decided_by, d.decided_at
  FROM @extschema@.pair p
  LEFT JOIN @extschema@.decision d USING (tbl, id_a, id_b)
UNION ALL
SELECT d.tbl, d.id_a, d.id_b, NULL, NULL, NULL,
       CASE d.decision WHEN 'duplicate' THEN 'confirmed' ELSE 'rejected' END,
       NULL, d.decided_by, d.decided_at
  FROM @extschema@.decision d
 WHERE NOT EXISTS (SELECT FROM @extschema@.pair p WHERE (p.tbl, p.id_a, p.id_b) = (d.tbl, d.id_a, d.id_b));
COMMENT ON VIEW @extschema@.duplicate_pairs IS
'Duplicate pairs of registered tables: the pairs mdm.find_duplicates stored (at or above the table''s threshold) with their match probability, match weight and explanation (sentence, and each role''s level, weight and compared values), and the pairs someone decided about. status: pending (no decision), confirmed (mdm.mark_duplicate) or rejected (mdm.mark_distinct).';

CREATE VIEW @extschema@.duplicate_clusters AS
SELECT m.tbl, m.cluster_id, m.record_id, c.cluster_size,
       c.weakest_a, c.weakest_b, c.weakest_probability
  FROM @extschema@.cluster_member m
  JOIN @extschema@.cluster c USING (tbl, cluster_id);
COMMENT ON VIEW @extschema@.duplicate_clusters IS
'Clusters of duplicate records (connected components over the pairs at or above the threshold, joined by must-links, never holding a cannot-linked pair): one row per record, with the cluster''s size and its weakest link (the least probable pair that joined it).';

CREATE VIEW @extschema@.blocking_stats AS
WITH k AS (
    SELECT r.tbl, key, split_part(key, ':', 1) AS key_kind, count(*) AS records
      FROM @extschema@.record_keys r, unnest(r.keys) AS key
     GROUP BY r.tbl, key
), c AS (
    SELECT k.*, CASE WHEN k.key_kind IN ('n', 't', 'j', 'dm', 'a', 'q', 'o')
                     THEN greatest(round(b.max_block / 10.0 * least(1.0, power(100000.0 / greatest(b.n, 1), 0.25)))::int, 3)
                     ELSE b.max_block END AS cap
      FROM k JOIN (SELECT g.tbl, coalesce(g.max_block_size, current_setting('customer_mdm.max_block_size', true)::int, 100) AS max_block,
                          (SELECT count(*) FROM @extschema@.record_keys r WHERE r.tbl = g.tbl) AS n
                     FROM @extschema@.registration g) b USING (tbl)
)
SELECT tbl, key_kind, count(*) AS keys,
       count(*) FILTER (WHERE records >= 2) AS blocks,
       max(records) AS largest_block,
       round(avg(records) FILTER (WHERE records >= 2), 2) AS mean_block,
       min(cap) AS cap,
       coalesce(sum(records * (records - 1) / 2) FILTER (WHERE records <= cap), 0) AS pairs_in_blocks,
       count(*) FILTER (WHERE records > cap) AS capped_blocks,
       coalesce(sum(records) FILTER (WHERE records > cap), 0) AS records_in_capped_blocks
  FROM c
 GROUP BY tbl, key_kind;
COMMENT ON VIEW @extschema@.blocking_stats IS
'Blocking keys per table and kind (p phone, e e-mail, i ID, k ID half, n/t/j/dm name alone, c company, o organisation first word, a address prefix or end with initials, q phone half with initials, b birth date with an initial), computed from mdm.record_keys now: distinct keys, blocks (keys shared by two or more records), the largest block, the mean block, the cap (max_block_size; for the weak kinds n, t, j, dm, a, q, o a tenth of it, shrinking with the fourth root of the table size above 100,000 rows (6 at 1M), at least 3), the pairs the uncapped blocks make, and the capped blocks (more records than the cap: they make no pairs; their records meet through their other keys). mdm.capped_key lists the capped keys of the last run.';

CREATE VIEW @extschema@.progress AS
SELECT a.pid, a.usename, a.datname,
       p ->> 'command' AS command, p ->> 'table' AS tbl, p ->> 'phase' AS phase,
       (p ->> 'done')::bigint AS done, (p ->> 'total')::bigint AS total,
       round(100.0 * (p ->> 'done')::numeric / nullif((p ->> 'total')::numeric, 0), 1) AS percent,
       (p ->> 'rate_per_second')::float8 AS rate_per_second,
       (p ->> 'elapsed_seconds')::float8 AS elapsed_seconds
  FROM (SELECT s.pid, s.usename, s.datname,
               CASE WHEN s.query LIKE 'customer\_mdm progress {%' THEN substr(s.query, 23)::jsonb END AS p
          FROM pg_catalog.pg_stat_activity s) a
 WHERE a.p IS NOT NULL;
COMMENT ON VIEW @extschema@.progress IS
'Long customer_mdm runs (mdm.find_duplicates, mdm.train) in progress in any session: command, table, phase, items done of total, rate and elapsed seconds. Read from pg_stat_activity, where a running job shows its progress in place of its statement.';

COMMENT ON FUNCTION @extschema@.register(regclass, jsonb, jsonb) IS
'Registers a customer table: fields maps roles (name, company, phone, email, address, id_number, birth_date, kind, updated_at, source) to a column or an array of columns; options: threshold (match probability at which pairs are stored, 0..1, default 0.5), max_block_size, model (a match model; default: the built-in one or the table''s trained one), phone_region (default CN), mode (dedupe, or link: only pairs of different sources). The table needs a single-column primary key (integer, numeric, text, varchar or uuid). Stores every row''s blocking keys in mdm.record_keys and installs the trigger that keeps them current. Registering again updates the configuration.';
COMMENT ON FUNCTION @extschema@.unregister(regclass) IS
'Removes a table''s registration, its key trigger, keys, pairs, clusters and decisions.';
COMMENT ON FUNCTION @extschema@.find_duplicates(regclass) IS
'Batch duplicate detection on a registered table: candidate pairs from shared blocking keys (oversized blocks capped), scored under the table''s model on customer_mdm.workers threads, pairs at or above the threshold stored (mdm.duplicate_pairs), records clustered under the decisions (mdm.duplicate_clusters). A second run with unchanged settings only compares the records changed since. Reports progress (NOTICE, mdm.progress). Returns the number of pairs stored for the table.';
COMMENT ON FUNCTION @extschema@.train(regclass) IS
'Trains the table''s match model without labels (as Splink does): u from random record pairs, m by expectation maximisation over blocked pairs, the prior from the expected matches, term frequencies of names and companies. Stores the model for mdm.find_duplicates and returns it (the training key reports what was done).';
COMMENT ON FUNCTION @extschema@._decide(regclass, text, text, text) IS
'Internal: records (duplicate, distinct) or clears (NULL) a decision about two records given as text, then re-clusters. Call mdm.mark_duplicate, mdm.mark_distinct or mdm.clear_decision.';
COMMENT ON FUNCTION @extschema@.role_record(jsonb, jsonb) IS
'The role -> value record of a row given as to_jsonb(row), under a fields mapping as mdm.register takes it; an organisation''s name (kind company, or a legal form such as 有限公司 when there is no kind) is moved to the company role. Pure; used by the key trigger.';
COMMENT ON FUNCTION @extschema@.blocking_keys(jsonb, text) IS
'The blocking keys of a role -> value record: p: phone (E.164), e: e-mail mailbox key, i: ID number, k: a half of the ID, q: a half of the phone with the name''s initials, n:/t:/j:/dm: name keys (normalized, pinyin readings, Double Metaphone), c: an organisation''s core name or a person''s employer with initials, o: an organisation''s first word, a: the address''s first or last 12 characters with the initials, b: birth date with an initial. Two records are compared in batch detection when they share one (blocks of weak kinds are capped lower).';
"#,
    name = "detect_objects",
    requires = [
        role_record,
        blocking_keys,
        register,
        unregister,
        find_duplicates,
        train,
        _decide
    ]
);
