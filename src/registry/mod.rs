//! Registered tables: what `mdm.register` accepts and stores, and every
//! per-table state table of the extension.
//!
//! - this file: the pure part: parsing `fields` and `options`, the column
//!   types a role accepts, the registration as the other modules use it
//!   (its caps, its signature), and [`STATE_TABLES`], the one list of the
//!   tables that hold state about a registered table;
//! - `store.rs`: reading and writing that state over SPI (the
//!   registration, rows of the table, keys, pairs);
//! - `triggers.rs`: the key triggers and the realtime trigger on a
//!   registered table;
//! - `sql.rs`: `mdm.register`, `mdm.unregister`, `mdm.role_record` and
//!   `mdm._clear_state`.

pub mod sql;
pub mod store;
pub mod triggers;

use pgrx::pg_sys;
use serde_json::{json, Map, Value};
use siphasher::sip::SipHasher13;
use std::hash::Hasher;

use crate::error::MdmError;
use crate::keys;
use crate::model::spec::{default_model, Model, DEFAULT_MODEL_JSON};
use crate::normalize::phone::{parse_region, DEFAULT_REGION};
use crate::record::{mappable, roles::Role};

pub(crate) type Res<T> = Result<T, MdmError>;

/// The keys of `mdm.register`'s `options`.
pub const OPTION_KEYS: &[&str] = &[
    "threshold",
    "max_block_size",
    "model",
    "phone_region",
    "mode",
];
/// Primary-key types whose text form is the same in `::text` and in
/// `to_jsonb(row)` (the key trigger reads the latter).
pub const KEY_TYPES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "text",
    "character varying",
    "uuid",
];
/// The match probability at which pairs are stored, unless the options say.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// What state a table of the extension holds about a registered table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The registration itself.
    Registration,
    /// Derived from the rows: keys, changed records, pairs, clusters,
    /// capped keys. Found again by the next run.
    Derived,
    /// People's decisions about pairs.
    Decisions,
    /// The merge journal (before-images, re-pointed rows, redirects).
    MergeJournal,
    /// Dated quality summaries.
    QualitySnapshots,
}

/// What happened to a registered table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// TRUNCATE: the rows are gone, the registration and decisions stay.
    Truncate,
    /// `mdm.unregister`.
    Unregister,
    /// DROP TABLE.
    Drop,
}

impl Event {
    pub fn parse(name: &str) -> Option<Event> {
        match name {
            "truncate" => Some(Event::Truncate),
            "unregister" => Some(Event::Unregister),
            "drop" => Some(Event::Drop),
            _ => None,
        }
    }
}

impl Holds {
    /// Whether an event removes this state. The merge journal and the
    /// quality snapshots outlive the table (an undo, the trend).
    pub fn cleared_by(self, e: Event) -> bool {
        match self {
            Holds::Derived => true,
            Holds::Decisions | Holds::Registration => e != Event::Truncate,
            Holds::MergeJournal | Holds::QualitySnapshots => false,
        }
    }
}

/// A table of schema `mdm` with a `tbl regclass` column.
#[derive(Debug, Clone, Copy)]
pub struct StateTable {
    pub name: &'static str,
    pub holds: Holds,
}

/// Every table of the extension that holds state about registered tables
/// (every table of schema `mdm` with a `tbl` column: a pg_test checks it),
/// in the order they are cleared (the registration last). `merge_ref` has
/// no `tbl`: its rows go with their `merge` row (ON DELETE CASCADE).
pub const STATE_TABLES: &[StateTable] = &[
    StateTable {
        name: "record_keys",
        holds: Holds::Derived,
    },
    StateTable {
        name: "changed_record",
        holds: Holds::Derived,
    },
    StateTable {
        name: "pair",
        holds: Holds::Derived,
    },
    StateTable {
        name: "decision",
        holds: Holds::Decisions,
    },
    StateTable {
        name: "cluster_member",
        holds: Holds::Derived,
    },
    StateTable {
        name: "cluster",
        holds: Holds::Derived,
    },
    StateTable {
        name: "capped_key",
        holds: Holds::Derived,
    },
    StateTable {
        name: "merge_redirect",
        holds: Holds::MergeJournal,
    },
    StateTable {
        name: "merge",
        holds: Holds::MergeJournal,
    },
    StateTable {
        name: "quality_snapshot",
        holds: Holds::QualitySnapshots,
    },
    StateTable {
        name: "registration",
        holds: Holds::Registration,
    },
];

/// The state tables an event clears, in order.
pub fn cleared_by(e: Event) -> impl Iterator<Item = &'static str> {
    STATE_TABLES
        .iter()
        .filter(move |t| t.holds.cleared_by(e))
        .map(|t| t.name)
}

/// Role (or `source`) → columns, in the order given.
pub type Fields = Vec<(String, Vec<String>)>;

/// A registered table, as `mdm.registration` holds it.
#[derive(Debug, Clone)]
pub(crate) struct Registration {
    pub tbl: pg_sys::Oid,
    pub name: String,
    pub key_column: String,
    pub key_type: String,
    pub fields: Fields,
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

    /// The model as jsonb (the built-in one when the table has none).
    pub(crate) fn model_json(&self) -> Res<Value> {
        match &self.model {
            Some(v) => Ok(v.clone()),
            None => serde_json::from_str(DEFAULT_MODEL_JSON)
                .map_err(|e| MdmError::Internal(e.to_string())),
        }
    }

    pub(crate) fn region(&self) -> Res<phonenumber::country::Id> {
        parse_region(&self.phone_region)
    }

    /// The cap of a key's block in a table of `rows` rows (see
    /// [`keys::KeyKind::cap`]).
    pub(crate) fn cap(&self, key: &str, rows: usize) -> usize {
        keys::cap(key, self.max_block, rows)
    }

    /// What a full run depends on: a change means the stored pairs are
    /// stale. A SipHash with fixed keys, stable across Rust releases.
    pub(crate) fn signature(&self) -> String {
        let m = self
            .model
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        signature_of(&format!(
            "{m}|{}|{}|{}|{:?}",
            self.threshold, self.max_block, self.link, self.fields
        ))
    }
}

/// A stable 64-bit hash of a text, in hex.
pub fn signature_of(s: &str) -> String {
    let mut h = SipHasher13::new_with_keys(0, 0);
    h.write(s.as_bytes());
    format!("{:x}", h.finish())
}

/// `fields` as role → columns; errors name the offending role.
pub fn parse_fields(v: &Value) -> Res<Fields> {
    let bad = |why: String| {
        MdmError::invalid_parameter(
            "fields",
            v.to_string(),
            format!(
                "{why}. fields maps roles ({}) to a column name or an array of column names.",
                mappable().collect::<Vec<_>>().join(", ")
            ),
        )
    };
    let map = v
        .as_object()
        .ok_or_else(|| bad("fields must be a jsonb object".into()))?;
    let mut out = Vec::new();
    for (role, cols) in map {
        if !mappable().any(|m| m == role) {
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
    if !out
        .iter()
        .any(|(r, _)| Role::from_key(r).is_some_and(Role::identifies))
    {
        return Err(bad(
            "map at least one of name, company, phone, email, address, id_number".into(),
        ));
    }
    Ok(out)
}

/// `fields` as stored: every role → an array of columns.
pub fn fields_json(fields: &Fields) -> Value {
    let mut m = Map::new();
    for (role, cols) in fields {
        m.insert(role.clone(), json!(cols));
    }
    Value::Object(m)
}

/// The mapped columns, each once, in `fields` order.
pub fn mapped_columns(fields: &Fields) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for (_, cs) in fields {
        for c in cs {
            if !cols.contains(c) {
                cols.push(c.clone());
            }
        }
    }
    cols
}

/// `mdm.register`'s options, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub threshold: f64,
    /// `None`: `customer_mdm.max_block_size` applies.
    pub max_block: Option<i32>,
    pub model: Option<Value>,
    /// Upper case.
    pub region: String,
    pub link: bool,
}

impl Options {
    pub fn parse(options: &Value) -> Res<Options> {
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
        if let Some(k) = map.keys().find(|k| !OPTION_KEYS.contains(&k.as_str())) {
            return Err(bad(k, "is not an option"));
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
            None => DEFAULT_REGION.to_string(),
            Some(Value::String(r)) => {
                parse_region(r)?;
                r.to_uppercase()
            }
            Some(_) => return Err(bad("phone_region", "must be a region code such as \"CN\"")),
        };
        let link =
            match map.get("mode").map(|m| m.as_str()) {
                None | Some(Some("dedupe")) => false,
                Some(Some("link")) => true,
                _ => return Err(bad(
                    "mode",
                    "must be \"dedupe\" (every pair) or \"link\" (only pairs of different sources)",
                )),
            };
        Ok(Options {
            threshold,
            max_block,
            model,
            region,
            link,
        })
    }
}

/// A mapped column's type, as the catalog describes it.
pub struct ColumnType {
    pub type_name: String,
    /// `pg_type.typcategory`.
    pub category: String,
    pub is_array: bool,
    pub is_composite: bool,
}

/// What a column of a type is to a role.
#[derive(Debug, PartialEq)]
pub enum ColumnUse {
    /// Read as it is (a string type; a date or timestamp for updated_at).
    AsIs,
    /// Converted to text (a NOTICE says so).
    Converted,
}

/// Checks a mapped column's type: text types are read as they are, other
/// scalar types are converted to text, arrays, composites, json and binary
/// types are refused.
pub fn check_column_type(role: &str, col: &str, t: &ColumnType) -> Res<ColumnUse> {
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
    if role == Role::UpdatedAt.key() {
        if !matches!(t.category.as_str(), "D" | "S") {
            return refuse("updated_at takes a date, a timestamp or ISO 8601 text.");
        }
        return Ok(ColumnUse::AsIs);
    }
    Ok(if t.category == "S" {
        ColumnUse::AsIs
    } else {
        ColumnUse::Converted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_and_refuse() {
        let f = parse_fields(
            &json!({"name": "full_name", "phone": ["mobile", "office"], "source": "src"}),
        );
        let f = f.unwrap_or_default();
        assert_eq!(f.len(), 3);
        assert_eq!(
            mapped_columns(&f),
            vec!["full_name", "mobile", "office", "src"]
        );
        assert_eq!(fields_json(&f)["name"], json!(["full_name"]));
        for bad in [
            json!([]),
            json!({"fax": "f"}),
            json!({"name": 1}),
            json!({"name": []}),
            json!({"name": [""]}),
            json!({"name": [1]}),
            json!({"kind": "k", "source": "s"}),
        ] {
            assert!(parse_fields(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn options_defaults_and_checks() {
        let o = Options::parse(&json!({}));
        assert_eq!(
            o.ok(),
            Some(Options {
                threshold: DEFAULT_THRESHOLD,
                max_block: None,
                model: None,
                region: DEFAULT_REGION.into(),
                link: false
            })
        );
        let o = Options::parse(
            &json!({"threshold": 0.8, "max_block_size": 50, "phone_region": "us", "mode": "link"}),
        );
        let o = o.ok();
        assert_eq!(
            o.as_ref().map(|o| (o.threshold, o.max_block, o.link)),
            Some((0.8, Some(50), true))
        );
        assert_eq!(o.map(|o| o.region), Some("US".to_string()));
        for bad in [
            json!([]),
            json!({"thresold": 1}),
            json!({"threshold": 2}),
            json!({"max_block_size": 1}),
            json!({"phone_region": "XX"}),
            json!({"phone_region": 1}),
            json!({"mode": "merge"}),
        ] {
            assert!(Options::parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn column_types() {
        let t = |name: &str, cat: &str, arr: bool| ColumnType {
            type_name: name.into(),
            category: cat.into(),
            is_array: arr,
            is_composite: false,
        };
        assert_eq!(
            check_column_type("name", "n", &t("text", "S", false)).ok(),
            Some(ColumnUse::AsIs)
        );
        assert_eq!(
            check_column_type("phone", "p", &t("bigint", "N", false)).ok(),
            Some(ColumnUse::Converted)
        );
        assert_eq!(
            check_column_type("updated_at", "u", &t("date", "D", false)).ok(),
            Some(ColumnUse::AsIs)
        );
        assert!(check_column_type("updated_at", "u", &t("integer", "N", false)).is_err());
        assert!(check_column_type("phone", "p", &t("text[]", "A", true)).is_err());
        assert!(check_column_type("name", "n", &t("jsonb", "U", false)).is_err());
    }

    #[test]
    fn state_tables_per_event() {
        let t: Vec<&str> = cleared_by(Event::Truncate).collect();
        assert_eq!(
            t,
            [
                "record_keys",
                "changed_record",
                "pair",
                "cluster_member",
                "cluster",
                "capped_key"
            ]
        );
        let u: Vec<&str> = cleared_by(Event::Unregister).collect();
        assert_eq!(
            u,
            [
                "record_keys",
                "changed_record",
                "pair",
                "decision",
                "cluster_member",
                "cluster",
                "capped_key",
                "registration"
            ]
        );
        assert_eq!(u, cleared_by(Event::Drop).collect::<Vec<_>>());
        assert_eq!(Event::parse("drop"), Some(Event::Drop));
        assert_eq!(Event::parse("x"), None);
    }

    #[test]
    fn signatures_are_stable() {
        // SipHash-1-3 with fixed keys: the same text gives the same
        // signature in every build and Rust release (the stored last_run
        // signatures stay valid). Pinned.
        assert_eq!(signature_of("customer_mdm"), "f353be8f59b53403");
        assert_ne!(signature_of("abc"), signature_of("abd"));
    }
}
