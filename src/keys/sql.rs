//! `mdm.blocking_keys` (the key trigger's keys of a record) and
//! `mdm._key_cap` (the cap of a block, for the view `mdm.blocking_stats`).

use pgrx::prelude::*;

use super::{keys_of, KeyKind};
use crate::error::OrRaise;
use crate::normalize::phone::parse_region;
use crate::pg::jsonb::JsonbRaw;
use crate::record::jsonb::record as read_record;

/// `mdm.blocking_keys(record, phone_region)`: the blocking keys of a
/// role → value record (see the keys module).
#[pg_extern(immutable, strict, parallel_safe)]
fn blocking_keys(record: JsonbRaw, phone_region: default!(&str, "'CN'")) -> Vec<String> {
    let region = parse_region(phone_region).or_raise();
    let r = record.with_bytes(|b| read_record("record", b)).or_raise();
    keys_of(&r, region)
}

/// `mdm._key_cap(key_kind, max_block_size, table_rows)`: the records a
/// block of keys of that kind (`p`, `n`, ...) may hold before batch
/// detection caps it, in a table of `table_rows` rows.
#[pg_extern(immutable, strict, parallel_safe)]
fn _key_cap(key_kind: &str, max_block_size: i32, table_rows: i64) -> i32 {
    let max_block = max_block_size.max(2) as usize;
    let rows = table_rows.max(0) as usize;
    let cap = KeyKind::from_tag(key_kind).map_or(max_block, |k| k.cap(max_block, rows));
    i32::try_from(cap).unwrap_or(i32::MAX)
}
