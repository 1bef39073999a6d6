//! The triggers on a registered table, and the handshake between them.
//!
//! - `mdm_record_keys` (row) and `mdm_record_keys_truncate` (statement),
//!   installed by `mdm.register`: they keep `mdm.record_keys` current
//!   (`mdm.record_keys_trigger()`, `mdm.record_keys_truncate()` in
//!   `sql/registry.sql`);
//! - `mdm_realtime`, installed by `mdm.enable_realtime`: the realtime check
//!   (`mdm.realtime_trigger()`, `sql/realtime.sql`). It fires first and
//!   stores the row's keys itself; it tells the key trigger so through
//!   [`note_keys_stored`], which `mdm._realtime_handled` reads once.

use std::cell::RefCell;

use pgrx::prelude::*;
use pgrx::spi::{quote_identifier, SpiClient};

use super::store::load_registration;
use super::{mapped_columns, Registration, Res};
use crate::pg::{oid_arg, spi};

/// The key triggers' names.
pub const KEY_TRIGGERS: [&str; 2] = ["mdm_record_keys", "mdm_record_keys_truncate"];
/// The realtime trigger's name.
pub const REALTIME_TRIGGER: &str = "mdm_realtime";

/// The names of the triggers of `tbl` among `names`.
fn existing(c: &SpiClient<'_>, tbl: pg_sys::Oid, names: &[&str]) -> Res<Vec<String>> {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let t = spi(c.select(
        "SELECT tgname::text FROM pg_trigger WHERE tgrelid = $1 AND tgname = ANY ($2)",
        None,
        &[oid_arg(tbl), names.into()],
    ))?;
    let mut out = Vec::new();
    for row in t {
        out.push(spi(row.get::<String>(1))?.unwrap_or_default());
    }
    Ok(out)
}

fn drop_triggers(c: &mut SpiClient<'_>, name: &str, triggers: &[String]) -> Res<()> {
    for n in triggers {
        spi(c.update(
            format!("DROP TRIGGER {} ON {name}", quote_identifier(n)).as_str(),
            None,
            &[],
        ))?;
    }
    Ok(())
}

/// Drops the key triggers of a table, those that exist.
pub(crate) fn drop_key_triggers(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, name: &str) -> Res<()> {
    let found = existing(c, tbl, &KEY_TRIGGERS)?;
    drop_triggers(c, name, &found)
}

/// (Re)creates the key triggers of a table.
pub(crate) fn install_key_triggers(c: &mut SpiClient<'_>, tbl: pg_sys::Oid, name: &str) -> Res<()> {
    drop_key_triggers(c, tbl, name)?;
    let [row, truncate] = KEY_TRIGGERS;
    for sql in [
        format!("CREATE TRIGGER {row} AFTER INSERT OR UPDATE OR DELETE ON {name} FOR EACH ROW EXECUTE FUNCTION mdm.record_keys_trigger()"),
        format!("CREATE TRIGGER {truncate} AFTER TRUNCATE ON {name} FOR EACH STATEMENT EXECUTE FUNCTION mdm.record_keys_truncate()"),
    ] {
        spi(c.update(sql.as_str(), None, &[]))?;
    }
    Ok(())
}

/// The mapped columns and the key column, quoted, for `UPDATE OF`.
fn watched_columns(reg: &Registration) -> String {
    let mut cols = vec![reg.key_column.clone()];
    for c in mapped_columns(&reg.fields) {
        if !cols.contains(&c) {
            cols.push(c);
        }
    }
    cols.iter()
        .map(quote_identifier)
        .collect::<Vec<_>>()
        .join(", ")
}

/// (Re)creates the realtime trigger of a table, for the columns now mapped.
pub(crate) fn install_realtime_trigger(c: &mut SpiClient<'_>, reg: &Registration) -> Res<()> {
    drop_realtime_trigger(c, reg.tbl, &reg.name)?;
    spi(c.update(
        format!(
            "CREATE TRIGGER {REALTIME_TRIGGER} AFTER INSERT OR UPDATE OF {} ON {} FOR EACH ROW EXECUTE FUNCTION mdm.realtime_trigger()",
            watched_columns(reg),
            reg.name
        )
        .as_str(),
        None,
        &[],
    ))?;
    Ok(())
}

/// After a (re-)registration: the realtime trigger again when realtime is
/// on, for the columns now mapped.
pub(crate) fn reinstall_realtime_if_enabled(c: &mut SpiClient<'_>, tbl: pg_sys::Oid) -> Res<()> {
    let t = spi(c.select(
        "SELECT realtime IS NOT NULL FROM mdm.registration WHERE tbl = $1",
        None,
        &[oid_arg(tbl)],
    ))?;
    let on = match t.into_iter().next() {
        Some(row) => spi(row.get::<bool>(1))?.unwrap_or(false),
        None => false,
    };
    if on {
        let reg = load_registration(c, tbl)?;
        install_realtime_trigger(c, &reg)?;
    }
    Ok(())
}

/// Drops the realtime trigger when it exists; whether it did.
pub(crate) fn drop_realtime_trigger(
    c: &mut SpiClient<'_>,
    tbl: pg_sys::Oid,
    name: &str,
) -> Res<bool> {
    let found = existing(c, tbl, &[REALTIME_TRIGGER])?;
    drop_triggers(c, name, &found)?;
    Ok(!found.is_empty())
}

thread_local! {
    /// The last row whose blocking keys the realtime check stored: (table,
    /// record id, transaction). The key trigger, which fires next for the
    /// same row, then has nothing to do.
    static HANDLED: RefCell<Option<(u32, String, u32)>> = const { RefCell::new(None) };
}

fn current_xid() -> u32 {
    // SAFETY: reads the backend's transaction state.
    unsafe { pg_sys::GetCurrentTransactionIdIfAny() }.into_inner()
}

/// The realtime check has stored the keys of this row (in this
/// transaction): the key trigger that fires next skips it.
pub(crate) fn note_keys_stored(tbl: pg_sys::Oid, id: &str) {
    HANDLED.with(|h| *h.borrow_mut() = Some((tbl.to_u32(), id.to_string(), current_xid())));
}

/// `mdm._realtime_handled(tbl, id)`: whether the realtime check has just
/// stored this row's keys (the key trigger asks, and the answer is given
/// once).
#[pg_extern(volatile, parallel_unsafe)]
fn _realtime_handled(tbl: pg_sys::Oid, record_id: &str) -> bool {
    HANDLED.with(|h| {
        let mut h = h.borrow_mut();
        let hit = matches!(&*h, Some((t, id, x)) if *t == tbl.to_u32() && id == record_id && *x == current_xid());
        if hit {
            *h = None;
        }
        hit
    })
}
