//! A customer record as the matching layers see it: the raw values of each
//! role (`roles.rs` lists the roles and prepares one value for comparison),
//! the same record prepared (every value normalized once), and the record
//! of a row built from its mapped columns. `jsonb.rs` reads a record from
//! jsonb's binary form.

pub mod jsonb;
pub mod roles;
mod sql;

use phonenumber::country::Id;
use serde_json::Value;

use crate::error::MdmError;
use crate::normalize::company::has_legal_form;
use roles::{prepare, Prepared, Role, ROLES};

/// What `mdm.register`'s `fields` can map besides the roles: the channel a
/// record came from (used by link mode and the quality report per source).
pub const SOURCE: &str = "source";

/// Every key `fields` can map: the roles in [`Role::ALL`] order, then
/// [`SOURCE`].
pub fn mappable() -> impl Iterator<Item = &'static str> {
    Role::ALL
        .into_iter()
        .map(Role::key)
        .chain(std::iter::once(SOURCE))
}

/// A record: the raw values of each role, and the keys that are not roles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub values: [Vec<String>; ROLES],
    pub unknown: Vec<String>,
}

/// One value of a record as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// A string, or a number as text.
    Text(String),
    Null,
    /// Anything else, as shown in the error it causes.
    Other(String),
}

/// The error for a record that is not a role → value object.
pub fn not_an_object(param: &'static str, shown: &str) -> MdmError {
    MdmError::invalid_record(
        param,
        "",
        format!("must be a jsonb object of role -> value, not {shown}"),
    )
}

impl Record {
    /// Adds the value(s) of one key of a record: a role's values, or an
    /// unknown key (whose value is not looked at).
    pub fn add(
        &mut self,
        param: &'static str,
        key: &str,
        values: impl IntoIterator<Item = RawValue>,
    ) -> Result<(), MdmError> {
        let Some(role) = Role::from_key(key) else {
            self.unknown.push(key.to_string());
            return Ok(());
        };
        for v in values {
            match v {
                RawValue::Text(t) => self.values[role.index()].push(t),
                RawValue::Null => {}
                RawValue::Other(shown) => {
                    return Err(MdmError::invalid_record(
                        param,
                        key,
                        format!("a value must be a string, a number or null, not {shown}"),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Reads a record given as JSON; `param` names it in errors (`a`, `b`).
    pub fn from_json(param: &'static str, v: &Value) -> Result<Record, MdmError> {
        fn raw(v: &Value) -> RawValue {
            match v {
                Value::Null => RawValue::Null,
                Value::String(s) => RawValue::Text(s.clone()),
                Value::Number(n) => RawValue::Text(n.to_string()),
                other => RawValue::Other(short(other)),
            }
        }
        let map = v
            .as_object()
            .ok_or_else(|| not_an_object(param, &short(v)))?;
        let mut r = Record::default();
        for (key, value) in map {
            match value {
                Value::Array(items) => r.add(param, key, items.iter().map(raw))?,
                other => r.add(param, key, [raw(other)])?,
            }
        }
        Ok(r)
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

/// A record whose values are prepared for comparison: normalized once,
/// however many records it is compared with (batch detection compares each
/// record with all its candidates).
#[derive(Debug, Clone, Default)]
pub struct PreparedRecord {
    /// Indexed by [`Role::index`].
    pub values: [Vec<Prepared>; ROLES],
    /// Values that normalize to nothing, per role.
    pub unusable: Vec<(Role, Vec<String>)>,
    /// Keys that are not roles.
    pub unknown: Vec<String>,
}

/// Prepares every role of `r` (blocking keys use every role).
pub fn prepare_all(r: &Record, region: Id) -> PreparedRecord {
    prepare_roles(r, region, |_| true)
}

pub(crate) fn prepare_roles(
    r: &Record,
    region: Id,
    wanted: impl Fn(Role) -> bool,
) -> PreparedRecord {
    let mut out = PreparedRecord {
        unknown: r.unknown.clone(),
        ..Default::default()
    };
    for role in Role::ALL {
        if !wanted(role) {
            continue;
        }
        let mut dropped = Vec::new();
        for v in &r.values[role.index()] {
            match prepare(role, v, region) {
                Some(p) => out.values[role.index()].push(p),
                None => dropped.push(v.clone()),
            }
        }
        if !dropped.is_empty() {
            out.unusable.push((role, dropped));
        }
    }
    out
}

impl Record {
    /// Tells organisations from persons: when `kind` says company (or, with
    /// no kind, a name ends in a legal form such as 有限公司 or GmbH), the
    /// name is an organisation's name and is compared as a company.
    pub fn organise(&mut self) {
        let kinds: Vec<String> = self.values[Role::Kind.index()]
            .iter()
            .filter_map(|k| match prepare(Role::Kind, k, Id::CN) {
                Some(Prepared::Kind(k)) => Some(k),
                _ => None,
            })
            .collect();
        let company = kinds.iter().any(|k| k == "company");
        let person = kinds.iter().any(|k| k == "person");
        let names = std::mem::take(&mut self.values[Role::Name.index()]);
        for n in names {
            if company || (!person && has_legal_form(&n)) {
                if !self.values[Role::Company.index()].contains(&n) {
                    self.values[Role::Company.index()].push(n);
                }
            } else {
                self.values[Role::Name.index()].push(n);
            }
        }
    }
}

/// Builds a record from a row's column texts (in `fields` order), then
/// tells organisations from persons; also returns the row's source.
pub fn record_from_columns(
    fields: &[(String, Vec<String>)],
    mut value: impl FnMut(&str) -> Option<String>,
) -> (Record, Option<String>) {
    let mut r = Record::default();
    let mut source = None;
    for (role, cols) in fields {
        for col in cols {
            let Some(v) = value(col) else { continue };
            if role == SOURCE {
                source.get_or_insert(v);
            } else if let Some(role) = Role::from_key(role) {
                r.values[role.index()].push(v);
            }
        }
    }
    r.organise();
    (r, source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappable_lists_every_role_then_source() {
        let all: Vec<&str> = mappable().collect();
        assert_eq!(all.len(), ROLES + 1);
        assert_eq!(all[0], "name");
        assert_eq!(all.last(), Some(&SOURCE));
        assert!(all.contains(&"updated_at") && all.contains(&"id_number"));
    }

    #[test]
    fn columns_make_a_record_with_its_source() {
        let fields = vec![
            ("name".to_string(), vec!["n1".to_string(), "n2".to_string()]),
            ("source".to_string(), vec!["ch".to_string()]),
            ("phone".to_string(), vec!["p".to_string()]),
        ];
        let (r, source) = record_from_columns(&fields, |c| match c {
            "n1" => Some("张伟".into()),
            "n2" => Some("华为技术有限公司".into()),
            "ch" => Some("web".into()),
            _ => None,
        });
        assert_eq!(source.as_deref(), Some("web"));
        assert_eq!(r.values[Role::Name.index()], vec!["张伟".to_string()]);
        // A legal form makes a name an organisation's.
        assert_eq!(
            r.values[Role::Company.index()],
            vec!["华为技术有限公司".to_string()]
        );
        assert!(r.values[Role::Phone.index()].is_empty());
    }
}
