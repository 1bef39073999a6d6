//! The similarity layer: string measures on characters (`strings.rs`), and
//! field-aware similarities built on the normalization layer (`fields.rs`),
//! with their SQL wrappers (`sql.rs`).

pub mod fields;
mod sql;
pub mod strings;
