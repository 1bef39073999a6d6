//! The match model: Fellegi–Sunter comparison of two customer records.
//!
//! - `roles.rs`: the roles of a record, value preparation and pair facts;
//! - `spec.rs`: the model (plain jsonb) and its validation, the built-in
//!   default model (`default_model.json`);
//! - `compare.rs`: the comparison and its explanation;
//! - `date.rs`: ISO 8601 instants for `updated_at`;
//! - `json.rs`: the result tree; `jsonb.rs`: jsonb at the SQL boundary;
//!   `jsonb_read.rs`: records read from jsonb's binary form;
//! - `sql.rs`: `mdm.compare` and `mdm.default_model`.

pub mod compare;
pub mod date;
pub mod json;
pub(crate) mod jsonb;
pub mod jsonb_read;
pub mod roles;
pub mod spec;
mod sql;
pub mod train;
