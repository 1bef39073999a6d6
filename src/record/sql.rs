//! `mdm._mappable_roles()`: the list of what `fields` can map, for the SQL
//! reports that list the unmapped ones.

use pgrx::prelude::*;

use super::mappable;

/// `mdm._mappable_roles()`: the roles, then `source` ([`mappable`]).
#[pg_extern(immutable, strict, parallel_safe)]
fn _mappable_roles() -> Vec<&'static str> {
    mappable().collect()
}
