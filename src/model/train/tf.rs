//! Term frequencies of names and companies: how often each normalized value
//! occurs among the records, so that agreeing on a common name counts less
//! than agreeing on a rare one.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::record::roles::Role;
use crate::record::PreparedRecord;

/// Term-frequency entries kept per role.
pub const TF_ENTRIES: usize = 2000;

/// The term-frequency tables of the model: for the name and the company
/// role, the values held by at least three records (their first value
/// counts), most frequent first, at most [`TF_ENTRIES`], each with its share
/// of the records that have a value.
pub fn term_frequencies(prepared: &[PreparedRecord]) -> Map<String, Value> {
    let mut tf = Map::new();
    for role in [Role::Name, Role::Company] {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut with_value = 0usize;
        for p in prepared {
            if let Some(v) = p.values[role.index()].first() {
                with_value += 1;
                *counts.entry(v.key()).or_default() += 1;
            }
        }
        let mut top: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n >= 3).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        top.truncate(TF_ENTRIES);
        let table: Map<String, Value> = top
            .into_iter()
            .map(|(k, c)| (k.to_string(), json!(c as f64 / with_value.max(1) as f64)))
            .collect();
        if !table.is_empty() {
            tf.insert(role.key().into(), Value::Object(table));
        }
    }
    tf
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{prepare_all, Record};
    use phonenumber::country::Id;

    #[test]
    fn frequent_values_only() {
        let rec = |n: &str| {
            let r = Record::from_json("a", &json!({"name": n})).unwrap_or_default();
            prepare_all(&r, Id::CN)
        };
        let mut all: Vec<PreparedRecord> = (0..3).map(|_| rec("张伟")).collect();
        all.extend((0..2).map(|_| rec("王芳")));
        all.push(rec("李娜"));
        let tf = term_frequencies(&all);
        assert_eq!(tf["name"], json!({"张伟": 0.5}));
        assert!(tf.get("company").is_none());
    }
}
