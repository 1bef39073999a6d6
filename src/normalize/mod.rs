//! The normalization and validation layer: pure Rust functions behind the
//! `mdm.normalize_*`, `mdm.is_valid_*` and key functions, one file per family,
//! plus `sql.rs` with their SQL wrappers. Everything works on characters, never
//! on bytes; nothing here panics on any input.

pub mod address;
pub mod cjk;
pub mod company;
pub mod date;
pub mod email;
pub mod fingerprint;
pub mod ids;
pub mod keys;
pub mod name;
pub mod phone;
pub mod regions;
mod sql;
pub mod text;

pub use text::normalize_text;
