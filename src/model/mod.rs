//! The match model: Fellegi–Sunter comparison of two customer records.
//!
//! - `spec.rs`: the model (plain jsonb) and its validation, the built-in
//!   default model (`default_model.json`);
//! - `facts.rs`: what comparing two prepared values establishes;
//! - `compare.rs`: the comparison (levels, weights, probability);
//! - `explain.rs`: the sentence, the result tree and the stored explanation;
//! - `train/`: estimating m, u, the prior and term frequencies;
//! - `sql.rs`: `mdm.compare` and `mdm.default_model`.

pub mod compare;
pub mod explain;
pub mod facts;
pub mod spec;
mod sql;
pub mod train;
