//! `mdm.register`, `mdm.unregister`, the pure `mdm.role_record` of the key
//! trigger, and `mdm._clear_state` (the truncate and drop triggers).

use pgrx::prelude::*;
use pgrx::spi::SpiClient;
use pgrx::JsonB;
use serde_json::{json, Map, Value};

use super::store::{
    clear, clear_all, column_type, insert_keys, is_registered, load_registration, read_rows,
    table_name,
};
use super::triggers::{
    drop_key_triggers, drop_realtime_trigger, install_key_triggers, reinstall_realtime_if_enabled,
};
use super::{
    check_column_type, cleared_by, fields_json, parse_fields, ColumnUse, Event, Fields, Options,
    Res, KEY_TYPES,
};
use crate::error::{MdmError, OrRaise};
use crate::keys::all_record_keys;
use crate::normalize::phone::parse_region;
use crate::pg::progress::Progress;
use crate::pg::{oid_arg, spi, RegClass};
use crate::record::{record_from_columns, roles::Role, SOURCE};

/// The single-column primary key of a table and its base type; refuses
/// what cannot be registered.
fn primary_key(c: &SpiClient<'_>, tbl: pg_sys::Oid, name: &str) -> Res<(String, String)> {
    let kind = spi(c.select(
        "SELECT relkind::text FROM pg_class WHERE oid = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    let relkind = spi(kind.first().get_one::<String>())?.unwrap_or_default();
    let refuse = |problem: String, hint: String, unsupported: bool| MdmError::CannotRegister {
        table: name.to_string(),
        problem,
        hint,
        unsupported,
    };
    if relkind != "r" && relkind != "p" {
        return Err(refuse(
            "It is not a table (views, materialized views and foreign tables have no primary key to track)".into(),
            "Register the table that holds the customer rows.".into(),
            false,
        ));
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
    match pk.as_slice() {
        [] => Err(refuse(
            "It has no primary key, so its rows cannot be told apart over time".into(),
            "Add one, for example: ALTER TABLE ... ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;".into(),
            false,
        )),
        [(col, ty, base)] if !KEY_TYPES.contains(&base.as_str()) => Err(refuse(
            format!("Its primary key \"{col}\" has type {ty}"),
            format!("Primary keys of type {} are supported.", KEY_TYPES.join(", ")),
            true,
        )),
        [(col, _, base)] => Ok((col.clone(), base.clone())),
        _ => Err(refuse(
            format!("Its primary key has {} columns", pk.len()),
            "Single-column primary keys are supported; add a surrogate key (bigint identity or uuid) and make it the primary key.".into(),
            true,
        )),
    }
}

/// Checks that every mapped column exists and has a type its role takes.
fn check_columns(c: &SpiClient<'_>, tbl: pg_sys::Oid, name: &str, fields: &Fields) -> Res<()> {
    for (role, cols) in fields {
        for col in cols {
            let t = column_type(c, tbl, col)?.ok_or_else(|| MdmError::UndefinedColumn {
                table: name.to_string(),
                column: col.clone(),
                role: role.clone(),
            })?;
            if check_column_type(role, col, &t)? == ColumnUse::Converted {
                pgrx::notice!(
                    "column \"{col}\" of type {} is converted to text for role \"{role}\"",
                    t.type_name
                );
            }
        }
    }
    Ok(())
}

/// What the table's registration was: (registered, same fields, trained).
fn previous(c: &SpiClient<'_>, tbl: pg_sys::Oid, fields: &Value) -> Res<(bool, bool, bool)> {
    let t = spi(c.select(
        "SELECT fields, model_source FROM mdm.registration WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    let Some(row) = t.into_iter().next() else {
        return Ok((false, false, false));
    };
    let same = spi(row.get::<JsonB>(1))?.map(|j| j.0).as_ref() == Some(fields);
    let trained = spi(row.get::<String>(2))?.as_deref() == Some("trained");
    Ok((true, same, trained))
}

/// Writes the registration row; a trained model is kept when
/// `keep_trained`.
fn upsert_registration(
    c: &mut SpiClient<'_>,
    tbl: pg_sys::Oid,
    key: (String, String),
    fields: Value,
    options: &Value,
    o: Options,
    keep_trained: bool,
) -> Res<()> {
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
            key.0.into(),
            key.1.into(),
            JsonB(fields).into(),
            JsonB(options.clone()).into(),
            o.threshold.into(),
            o.max_block.into(),
            o.model.map(JsonB).into(),
            keep_trained.into(),
        ],
    ))?;
    Ok(())
}

/// Computes and stores every row's keys (on the worker threads); returns
/// how many rows.
fn store_all_keys(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, name: &str, region: &str) -> Res<usize> {
    let reg = load_registration(c, tbl)?;
    let mut progress = Progress::new("register", name);
    progress.phase("reading rows", 0);
    let rows = read_rows(c, &reg, None, false, &mut progress)?;
    let keys = all_record_keys(&rows.records, parse_region(region)?, &mut progress)?;
    insert_keys(c, tbl, &rows.ids, &keys, &mut progress)?;
    Ok(rows.ids.len())
}

fn register_impl(tbl: pg_sys::Oid, fields: Value, options: Value) -> Res<()> {
    Spi::connect_mut(|c| -> Res<()> {
        let name = table_name(c, tbl)?;
        let key = primary_key(c, tbl, &name)?;
        let parsed = parse_fields(&fields)?;
        check_columns(c, tbl, &name, &parsed)?;
        let o = Options::parse(&options)?;
        if o.link && !parsed.iter().any(|(r, _)| r == SOURCE) {
            return Err(MdmError::invalid_parameter(
                "options",
                options.to_string(),
                "mode \"link\" compares records of different sources only: map a column to the source role.",
            ));
        }
        let fields_norm = fields_json(&parsed);
        let (was_registered, same_fields, trained) = previous(c, tbl, &fields_norm)?;
        // A trained model survives re-registration with the same fields
        // unless options give a model.
        let keep_trained = trained && same_fields && o.model.is_none();
        let region = o.region.clone();
        upsert_registration(c, tbl, key, fields_norm, &options, o, keep_trained)?;
        // The key triggers, then every row's keys.
        install_key_triggers(c, tbl, &name)?;
        reinstall_realtime_if_enabled(c, tbl)?;
        clear(c, tbl, &["record_keys"])?;
        if !same_fields {
            // Pairs and clusters were found with other columns.
            clear(c, tbl, &["pair", "cluster_member", "cluster", "capped_key"])?;
        }
        clear(c, tbl, &["changed_record"])?;
        let rows = store_all_keys(c, tbl, &name, &region)?;
        pgrx::notice!(
            "{} {name}: blocking keys of {rows} rows stored in mdm.record_keys and kept current by trigger mdm_record_keys",
            if was_registered { "re-registered" } else { "registered" },
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
        // Only that it is registered: a registration that no longer fits
        // the table (a key column gone) can still be removed.
        let name = table_name(c, tbl)?;
        if !is_registered(c, tbl)? {
            return Err(MdmError::NotRegistered { table: name });
        }
        drop_key_triggers(c, tbl, &name)?;
        drop_realtime_trigger(c, tbl, &name)?;
        clear_all(c, &[tbl], cleared_by(Event::Unregister))?;
        pgrx::notice!("unregistered {name}: its keys, pairs, clusters and decisions are removed");
        Ok(())
    })
}

#[pg_extern(volatile, parallel_unsafe)]
fn unregister(tbl: RegClass) {
    unregister_impl(tbl.0).or_raise()
}

/// `mdm._clear_state(tbls, event)`: removes what the extension keeps about
/// the tables when they are truncated (`truncate`) or dropped (`drop`), as
/// [`super::STATE_TABLES`] says.
#[pg_extern(volatile, parallel_unsafe)]
fn _clear_state(tbls: Vec<pg_sys::Oid>, event: &str) {
    let e = Event::parse(event)
        .filter(|e| *e != Event::Unregister)
        .ok_or_else(|| {
            MdmError::invalid_parameter("event", event, "The event is 'truncate' or 'drop'.")
        })
        .or_raise();
    Spi::connect_mut(|c| clear_all(c, &tbls, cleared_by(e))).or_raise()
}

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
        out.insert(SOURCE.into(), json!(s));
    }
    JsonB(Value::Object(out))
}

extension_sql_file!(
    "../../sql/registry.sql",
    name = "registry_objects",
    requires = [
        role_record,
        blocking_keys,
        register,
        unregister,
        _clear_state,
        _realtime_handled,
        _key_cap
    ]
);
