//! Realtime detection in SQL: the row trigger `mdm_realtime` (installed by
//! `mdm.enable_realtime`), `mdm.disable_realtime` and `mdm.find_matches`.
//!
//! On INSERT, and on an UPDATE of a mapped column, the trigger makes the
//! row's blocking keys, takes a transaction lock on each of them (not the
//! capped ones), looks the candidates up through the GIN index of
//! `mdm.record_keys` and scores them under the table's model. The locks
//! make it race-free: a second session writing a record with a shared key
//! waits until the first one commits or rolls back, and then (READ
//! COMMITTED: every query of the trigger takes a new snapshot) sees its
//! record. Under REPEATABLE READ or SERIALIZABLE a transaction cannot see
//! what committed after it started, so one that had to wait fails with
//! SQLSTATE 40001 and is retried, as PostgreSQL does for concurrent updates.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, OwnedPreparedStatement, SpiClient};
use pgrx::JsonB;
use pgrx::{PgBuiltInOids, PgOid};
use serde_json::{json, Value};

use super::{lock_keys, verdict, Settings, Verdict};
use crate::error::{MdmError, OrRaise};
use crate::gucs;
use crate::keys::record_keys;
use crate::model::compare::{compare_prepared, Comparison};
use crate::model::explain::explanation_json;
use crate::model::spec::Model;
use crate::pg::{oid_arg, spi, RegClass};
use crate::record::roles::Role;
use crate::record::{prepare_all, record_from_columns, PreparedRecord, Record};
use crate::registry::store::{
    load_registration, ordered, pair_args, row_record, select_list, table_name, text_columns,
    PairRow, PAIR_UPSERT,
};
use crate::registry::triggers::{
    drop_realtime_trigger, install_realtime_trigger, note_keys_stored,
};
use crate::registry::{Registration, Res};

/// The NOTIFY channel of flagged pairs.
const CHANNEL: &str = "mdm_duplicates";
/// `locktag_field4` of the trigger's locks: SQL advisory locks use 1 and 2,
/// so `pg_advisory_lock` callers never collide with them. In `pg_locks`
/// they are advisory locks with objsubid 19780 and objid the key's hash.
const LOCK_FIELD4: u16 = 0x4d44;

/// What the trigger needs of a table, parsed once per version of its
/// registration row (its xmin) and name (a renamed table is read under its
/// new name).
struct TableState {
    version: String,
    reg: Registration,
    model: Model,
    settings: Option<Settings>,
    region: phonenumber::country::Id,
    /// `SELECT … FROM tbl t WHERE key = ANY($1)` reading candidates.
    select: String,
    cols: Vec<String>,
}

thread_local! {
    static STATES: RefCell<HashMap<u32, Rc<TableState>>> = RefCell::new(HashMap::new());
    static PLANS: RefCell<HashMap<String, Rc<OwnedPreparedStatement>>> = RefCell::new(HashMap::new());
}

/// The statements the trigger runs on every row, prepared once per backend
/// (parsing and planning them each time cost about a third of a check).
fn plan(
    c: &SpiClient<'_>,
    query: &str,
    types: &[PgBuiltInOids],
    mutating: bool,
) -> Res<Rc<OwnedPreparedStatement>> {
    if let Some(p) = PLANS.with(|m| m.borrow().get(query).cloned()) {
        return Ok(p);
    }
    let types: Vec<PgOid> = types.iter().map(|t| PgOid::BuiltIn(*t)).collect();
    let prepared = if mutating {
        spi(c.prepare_mut(query, &types))?
    } else {
        spi(c.prepare(query, &types))?
    };
    let p = Rc::new(prepared.keep());
    PLANS.with(|m| m.borrow_mut().insert(query.to_string(), p.clone()));
    Ok(p)
}

const OIDOID: PgBuiltInOids = PgBuiltInOids::OIDOID;
const TEXTOID: PgBuiltInOids = PgBuiltInOids::TEXTOID;
const TEXTARRAYOID: PgBuiltInOids = PgBuiltInOids::TEXTARRAYOID;
const FLOAT8ARRAYOID: PgBuiltInOids = PgBuiltInOids::FLOAT8ARRAYOID;

/// The table's state and its current size (for the caps of weak keys).
fn table_state(c: &SpiClient<'_>, tbl: pg_sys::Oid) -> Res<(Rc<TableState>, usize)> {
    let q = plan(
        c,
        "SELECT r.xmin::text || ' ' || r.tbl::text,
                (SELECT greatest(c.reltuples, 0)::float8 FROM pg_class c WHERE c.oid = r.tbl)
           FROM mdm.registration r WHERE r.tbl = $1",
        &[OIDOID],
        false,
    )?;
    let t = spi(c.select(&*q, None, &[oid_arg(tbl)]))?;
    let Some(row) = t.into_iter().next() else {
        return Err(MdmError::NotRegistered {
            table: table_name(c, tbl)?,
        });
    };
    let version = spi(row.get::<String>(1))?.unwrap_or_default();
    let rows = spi(row.get::<f64>(2))?.unwrap_or(0.0) as usize;
    let cached = STATES.with(|s| s.borrow().get(&tbl.to_u32()).cloned());
    if let Some(st) = cached {
        if st.version == version {
            return Ok((st, rows));
        }
    }
    let reg = load_registration(c, tbl)?;
    let t = spi(c.select(
        "SELECT realtime FROM mdm.registration WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    let settings = match t.into_iter().next() {
        Some(row) => spi(row.get::<JsonB>(1))?.and_then(|j| Settings::from_json(&j.0)),
        None => None,
    };
    let (list, cols) = select_list(&reg, &text_columns(c, &reg)?);
    let select = format!(
        "SELECT {list} FROM {} t WHERE t.{} = ANY($1::text[]::{}[])",
        reg.name,
        quote_identifier(&reg.key_column),
        reg.key_type
    );
    let st = Rc::new(TableState {
        version,
        model: reg.model()?,
        region: reg.region()?,
        reg,
        settings,
        select,
        cols,
    });
    STATES.with(|s| s.borrow_mut().insert(tbl.to_u32(), st.clone()));
    Ok((st, rows))
}

/// A column's value in `to_jsonb(row)` as text (what the key trigger sees).
fn json_text(row: &Value, col: &str) -> Option<String> {
    match row.get(col)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The keys that are not capped for the table (capped keys make no
/// candidates in batch detection either).
fn uncapped(c: &SpiClient<'_>, tbl: pg_sys::Oid, keys: Vec<String>) -> Res<Vec<String>> {
    if keys.is_empty() {
        return Ok(keys);
    }
    let q = plan(
        c,
        "SELECT key FROM mdm.capped_key WHERE tbl = $1 AND key = ANY ($2)",
        &[OIDOID, TEXTARRAYOID],
        false,
    )?;
    let t = spi(c.select(&*q, None, &[oid_arg(tbl), keys.clone().into()]))?;
    let mut capped = HashSet::new();
    for row in t {
        if let Some(k) = spi(row.get::<String>(1))? {
            capped.insert(k);
        }
    }
    Ok(keys.into_iter().filter(|k| !capped.contains(k)).collect())
}

/// Takes the transaction lock of each key (sorted: no deadlock between two
/// single-row writes). Waiting means a concurrent transaction writes a
/// record with a shared key: under READ COMMITTED the queries that follow
/// see it once it commits; under REPEATABLE READ or SERIALIZABLE they never
/// would, so the statement fails with 40001 after the wait.
fn lock(st: &TableState, keys: &[String]) -> Res<()> {
    // SAFETY: plain reads of backend globals; LockAcquire reports errors
    // (deadlock, lock_timeout) through ereport, which pgrx turns into a
    // Rust panic that aborts the statement cleanly.
    let (db, snapshot_per_xact) = unsafe {
        (
            pg_sys::MyDatabaseId.to_u32(),
            pg_sys::XactIsoLevel >= pg_sys::XACT_REPEATABLE_READ as i32,
        )
    };
    let mut waited = false;
    for k in lock_keys(keys) {
        let tag = pg_sys::LOCKTAG {
            locktag_field1: db,
            locktag_field2: st.reg.tbl.to_u32(),
            locktag_field3: k,
            locktag_field4: LOCK_FIELD4,
            locktag_type: pg_sys::LockTagType::LOCKTAG_ADVISORY as u8,
            locktag_lockmethodid: pg_sys::USER_LOCKMETHOD as u8,
        };
        let mode = pg_sys::ExclusiveLock as pg_sys::LOCKMODE;
        // SAFETY: a valid tag; a transaction lock, released at its end.
        let got = unsafe { pg_sys::LockAcquire(&tag, mode, false, true) };
        if got == pg_sys::LockAcquireResult::LOCKACQUIRE_NOT_AVAIL {
            // SAFETY: as above, now waiting.
            unsafe { pg_sys::LockAcquire(&tag, mode, false, false) };
            waited = true;
        }
    }
    if waited && snapshot_per_xact {
        return Err(MdmError::ConcurrentWrite {
            table: st.reg.name.clone(),
        });
    }
    Ok(())
}

/// Runs `f` with sequential scans off, as a function's `SET enable_seqscan
/// = off` clause would: the GIN index on keys and the table's primary key
/// are always the plan. The planner otherwise picks a sequential scan of
/// `mdm.record_keys` for a table of some thousands of rows (milliseconds
/// per row checked). The setting is restored afterwards, and by the
/// transaction's abort on an error.
fn without_seqscan<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: the documented protocol of function SET clauses (fmgr.c):
    // a new GUC nest level, a saved setting, AtEOXact_GUC to pop it.
    let level = unsafe {
        let level = pg_sys::NewGUCNestLevel();
        pg_sys::set_config_option(
            c"enable_seqscan".as_ptr(),
            c"off".as_ptr(),
            pg_sys::GucContext::PGC_USERSET,
            pg_sys::GucSource::PGC_S_SESSION,
            pg_sys::GucAction::GUC_ACTION_SAVE,
            true,
            0,
            false,
        );
        level
    };
    let out = f();
    // SAFETY: pops the level pushed above.
    unsafe { pg_sys::AtEOXact_GUC(true, level) };
    out
}

/// A record of the table that shares a usable key with the one checked.
struct Candidate {
    id: String,
    prepared: PreparedRecord,
    source: Option<String>,
}

/// The candidates of a record with blocking keys `keys` (capped ones
/// removed): every other record sharing a key whose block is within the
/// table's cap, read from the table and prepared.
fn candidates(
    c: &SpiClient<'_>,
    st: &TableState,
    rows: usize,
    keys: &[String],
    exclude: Option<&str>,
) -> Res<Vec<Candidate>> {
    without_seqscan(|| candidates_indexed(c, st, rows, keys, exclude))
}

fn candidates_indexed(
    c: &SpiClient<'_>,
    st: &TableState,
    rows: usize,
    keys: &[String],
    exclude: Option<&str>,
) -> Res<Vec<Candidate>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    // The keys alone in the subquery: the plan is the GIN index on keys,
    // whatever the statistics say about tbl (after a bulk load they can be
    // stale, and the primary key on (tbl, record_id) would then read every
    // record of the table).
    let q = plan(
        c,
        "SELECT record_id, keys
           FROM (SELECT tbl, record_id, keys FROM mdm.record_keys WHERE keys && $2::text[] OFFSET 0) k
          WHERE tbl = $1 AND record_id IS DISTINCT FROM $3",
        &[OIDOID, TEXTARRAYOID, TEXTOID],
        false,
    )?;
    let t = spi(c.select(
        &*q,
        None,
        &[
            oid_arg(st.reg.tbl),
            keys.to_vec().into(),
            exclude.map(str::to_string).into(),
        ],
    ))?;
    let ours: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let mut block: HashMap<String, usize> = HashMap::new();
    for row in t {
        let id = spi(row.get::<String>(1))?.unwrap_or_default();
        let shared: Vec<String> = spi(row.get::<Vec<String>>(2))?
            .unwrap_or_default()
            .into_iter()
            .filter(|k| ours.contains(k.as_str()))
            .collect();
        for k in &shared {
            *block.entry(k.clone()).or_default() += 1;
        }
        found.push((id, shared));
    }
    // A block holds the record checked and those found with the key.
    let ids: Vec<String> = found
        .into_iter()
        .filter(|(_, shared)| {
            shared
                .iter()
                .any(|k| block.get(k).copied().unwrap_or(0) < st.reg.cap(k, rows))
        })
        .map(|(id, _)| id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = plan(c, &st.select, &[TEXTARRAYOID], false)?;
    let t = spi(c.select(&*q, None, &[ids.into()]))?;
    let mut out = Vec::new();
    for row in t {
        let (id, r, source) = row_record(&row, &st.reg, &st.cols)?;
        out.push(Candidate {
            id,
            prepared: prepare_all(&r, st.region),
            source,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The record of a row given as jsonb, and its source.
fn json_record(st: &TableState, row: &Value) -> (Record, Option<String>) {
    record_from_columns(&st.reg.fields, |col| json_text(row, col))
}

/// The ids among `others` that a cannot-link (mdm.mark_distinct) keeps
/// apart from `id`.
fn distinct_from(
    c: &SpiClient<'_>,
    tbl: pg_sys::Oid,
    id: &str,
    others: &[String],
) -> Res<HashSet<String>> {
    let mut out = HashSet::new();
    if others.is_empty() {
        return Ok(out);
    }
    let q = plan(
        c,
        "SELECT CASE WHEN id_a = $2 THEN id_b ELSE id_a END FROM mdm.decision
          WHERE tbl = $1 AND decision = 'distinct'
            AND ((id_a = $2 AND id_b = ANY ($3)) OR (id_b = $2 AND id_a = ANY ($3)))",
        &[OIDOID, TEXTOID, TEXTARRAYOID],
        false,
    )?;
    let t = spi(c.select(
        &*q,
        None,
        &[oid_arg(tbl), id.into(), others.to_vec().into()],
    ))?;
    for row in t {
        if let Some(o) = spi(row.get::<String>(1))? {
            out.insert(o);
        }
    }
    Ok(out)
}

/// Stores the row's blocking keys and notes it for the next
/// `find_duplicates`, as the key trigger would (it then skips the row).
fn store_keys(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, id: &str, keys: Vec<String>) -> Res<()> {
    let q = plan(
        c,
        "WITH k AS (INSERT INTO mdm.record_keys AS k (tbl, record_id, keys) VALUES ($1, $2, $3)
                    ON CONFLICT (tbl, record_id) DO UPDATE SET keys = excluded.keys)
         INSERT INTO mdm.changed_record VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[OIDOID, TEXTOID, TEXTARRAYOID],
        true,
    )?;
    spi(c.update(&*q, None, &[oid_arg(tbl), id.into(), keys.into()]))?;
    note_keys_stored(tbl, id);
    Ok(())
}

fn check_impl(tbl: pg_sys::Oid, new: &Value, old: Option<&Value>) -> Res<()> {
    if !gucs::realtime() {
        return Ok(());
    }
    Spi::connect_mut(|c| -> Res<()> {
        let (st, rows) = table_state(c, tbl)?;
        let Some(settings) = st.settings.clone() else {
            return Ok(());
        };
        let Some(id) = json_text(new, &st.reg.key_column) else {
            return Ok(());
        };
        let (rec, source) = json_record(&st, new);
        if let Some(old) = old {
            let same_id = json_text(old, &st.reg.key_column).as_deref() == Some(id.as_str());
            if same_id && json_record(&st, old) == (rec.clone(), source.clone()) {
                return Ok(()); // no mapped column changed
            }
        }
        let prepared = prepare_all(&rec, st.region);
        let all_keys = record_keys(&prepared, &rec.values[Role::Name.index()]);
        let keys = uncapped(c, tbl, all_keys.clone())?;
        lock(&st, &keys)?;
        let mut cands = candidates(c, &st, rows, &keys, Some(&id))?;
        if st.reg.link {
            cands.retain(|x| x.source != source);
        }
        let ids: Vec<String> = cands.iter().map(|x| x.id.clone()).collect();
        let apart = distinct_from(c, tbl, &id, &ids)?;
        cands.retain(|x| !apart.contains(&x.id));
        let scored: Vec<Comparison<'_>> = cands
            .iter()
            .map(|x| compare_prepared(&st.model, &prepared, &x.prepared))
            .collect();
        let p: Vec<f64> = scored.iter().map(|s| s.match_probability).collect();
        let v = verdict(&settings, &p);
        if !matches!(v, Verdict::Block(_)) {
            store_keys(c, tbl, &id, all_keys)?;
        }
        match v {
            Verdict::Block(i) => Err(MdmError::DuplicateRecord {
                table: st.reg.name.clone(),
                existing: cands[i].id.clone(),
                probability: p[i],
                explanation: scored[i].explanation(),
            }),
            Verdict::Flag(flagged) if flagged.is_empty() => Ok(()),
            Verdict::Flag(flagged) => flag(c, &st, &settings, &id, &cands, &scored, &flagged),
        }
    })
}

/// Stores the flagged pairs as pending and sends their NOTIFYs.
fn flag(
    c: &mut SpiClient<'_>,
    st: &TableState,
    settings: &Settings,
    id: &str,
    cands: &[Candidate],
    scored: &[Comparison<'_>],
    flagged: &[usize],
) -> Res<()> {
    let mut pairs = Vec::with_capacity(flagged.len());
    let mut notes = Vec::with_capacity(flagged.len());
    for &i in flagged {
        let (x, y) = ordered(id, &cands[i].id);
        let p = scored[i].match_probability;
        notes.push(
            json!({
                "table": st.reg.name,
                "id_a": x,
                "id_b": y,
                "record_id": id,
                "duplicate_of": cands[i].id,
                "match_probability": p,
            })
            .to_string(),
        );
        pairs.push(PairRow {
            a: x.to_string(),
            b: y.to_string(),
            p,
            w: scored[i].match_weight,
            explanation: explanation_json(&scored[i]),
        });
    }
    let q = plan(
        c,
        PAIR_UPSERT,
        &[
            OIDOID,
            TEXTARRAYOID,
            TEXTARRAYOID,
            FLOAT8ARRAYOID,
            FLOAT8ARRAYOID,
            TEXTARRAYOID,
        ],
        true,
    )?;
    spi(c.update(&*q, None, &pair_args(st.reg.tbl, &pairs)))?;
    if settings.notify {
        let q = plan(
            c,
            "SELECT pg_catalog.pg_notify($1, n) FROM unnest($2::text[]) AS n",
            &[TEXTOID, TEXTARRAYOID],
            true,
        )?;
        spi(c.update(&*q, None, &[CHANNEL.into(), notes.into()]))?;
    }
    Ok(())
}

/// Called by the trigger function `mdm.realtime_trigger()` with the row
/// (and the old row on UPDATE) as jsonb.
#[pg_extern(volatile, parallel_unsafe)]
fn _realtime_check(tbl: pg_sys::Oid, new_row: JsonB, old_row: Option<JsonB>) {
    check_impl(tbl, &new_row.0, old_row.as_ref().map(|j| &j.0)).or_raise()
}

fn enable_impl(tbl: pg_sys::Oid, action: &str, options: &Value) -> Res<()> {
    Spi::connect_mut(|c| -> Res<()> {
        let reg = load_registration(c, tbl)?;
        let settings = Settings::parse(action, options, reg.threshold)?;
        spi(c.update(
            "UPDATE mdm.registration SET realtime = $2, configured_at = now() WHERE tbl = $1",
            None,
            &[oid_arg(tbl), JsonB(settings.to_json()).into()],
        ))?;
        install_realtime_trigger(c, &reg)?;
        pgrx::notice!(
            "realtime duplicate detection on for {}: action {}, pairs flagged at match probability >= {}{}",
            reg.name,
            settings.action.name(),
            settings.flag_threshold,
            match settings.action {
                super::Action::Block => format!(", inserts blocked at >= {}", settings.block_threshold),
                super::Action::Flag => String::new(),
            }
        );
        Ok(())
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn enable_realtime(
    tbl: RegClass,
    action: default!(&str, "'flag'"),
    options: default!(JsonB, "'{}'"),
) {
    enable_impl(tbl.0, action, &options.0).or_raise()
}

fn disable_impl(tbl: pg_sys::Oid) -> Res<()> {
    Spi::connect_mut(|c| -> Res<()> {
        let name = table_name(c, tbl)?;
        let dropped = drop_realtime_trigger(c, tbl, &name)?;
        let t = spi(c.update(
            "UPDATE mdm.registration SET realtime = NULL, configured_at = now()
              WHERE tbl = $1 AND realtime IS NOT NULL RETURNING 1",
            None,
            &[oid_arg(tbl)],
        ))?;
        if dropped || !t.is_empty() {
            pgrx::notice!("realtime duplicate detection off for {name}");
        } else {
            pgrx::notice!("realtime duplicate detection was not on for {name}: nothing to do");
        }
        Ok(())
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn disable_realtime(tbl: RegClass) {
    disable_impl(tbl.0).or_raise()
}

type Match = (String, f64, JsonB);

fn find_matches_impl(tbl: pg_sys::Oid, candidate: &Value, max: i32) -> Res<Vec<Match>> {
    if max < 1 {
        return Err(MdmError::invalid_parameter(
            "max",
            max.to_string(),
            "max is the number of matches to return, at least 1.",
        ));
    }
    let Value::Object(fields) = candidate else {
        return Err(MdmError::invalid_parameter(
            "candidate",
            candidate.to_string(),
            "candidate is a jsonb object of column name -> value, for example {\"name\": \"张伟\", \"phone\": \"13800138000\"}.",
        ));
    };
    Spi::connect(|c| -> Res<Vec<Match>> {
        let (st, rows) = table_state(c, tbl)?;
        // Every key must be a column of the table.
        let names: Vec<String> = fields.keys().cloned().collect();
        let t = spi(c.select(
            "SELECT n FROM unnest($2::text[]) AS n
              WHERE NOT EXISTS (SELECT FROM pg_attribute
                                 WHERE attrelid = $1 AND attname = n AND attnum > 0 AND NOT attisdropped)
              ORDER BY 1 LIMIT 1",
            None,
            &[oid_arg(tbl), names.into()],
        ))?;
        if let Some(row) = t.into_iter().next() {
            return Err(MdmError::UndefinedColumn {
                table: st.reg.name.clone(),
                column: spi(row.get::<String>(1))?.unwrap_or_default(),
                role: String::new(),
            });
        }
        let (rec, source) = json_record(&st, candidate);
        let prepared = prepare_all(&rec, st.region);
        let keys = uncapped(
            c,
            tbl,
            record_keys(&prepared, &rec.values[Role::Name.index()]),
        )?;
        let own = json_text(candidate, &st.reg.key_column);
        let mut cands = candidates(c, &st, rows, &keys, own.as_deref())?;
        if st.reg.link {
            cands.retain(|x| x.source != source);
        }
        let mut out: Vec<Match> = Vec::new();
        let mut scored: Vec<(usize, Comparison<'_>)> = cands
            .iter()
            .enumerate()
            .map(|(i, x)| (i, compare_prepared(&st.model, &prepared, &x.prepared)))
            .filter(|(_, s)| s.match_probability >= st.reg.threshold)
            .collect();
        scored.sort_by(|(i, x), (j, y)| {
            y.match_probability
                .total_cmp(&x.match_probability)
                .then_with(|| cands[*i].id.cmp(&cands[*j].id))
        });
        for (i, s) in scored.into_iter().take(max as usize) {
            let e: Value = serde_json::from_str(&explanation_json(&s))
                .map_err(|e| MdmError::Internal(e.to_string()))?;
            out.push((cands[i].id.clone(), s.match_probability, JsonB(e)));
        }
        Ok(out)
    })
}

#[pg_extern(stable, parallel_restricted)]
fn find_matches(
    tbl: RegClass,
    candidate: JsonB,
    max: default!(i32, 10),
) -> TableIterator<
    'static,
    (
        name!(record_id, String),
        name!(match_probability, f64),
        name!(explanation, JsonB),
    ),
> {
    TableIterator::new(find_matches_impl(tbl.0, &candidate.0, max).or_raise())
}

extension_sql_file!(
    "../../sql/realtime.sql",
    name = "realtime_objects",
    requires = [
        "detect_objects",
        _realtime_check,
        enable_realtime,
        disable_realtime,
        find_matches
    ]
);
