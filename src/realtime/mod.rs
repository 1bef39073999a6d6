//! Realtime duplicate detection, the pure part: the settings a table's
//! realtime trigger runs with, what it does with the scored candidates of a
//! new or changed row (flag them, or block the statement), and the lock keys
//! that make two concurrent inserts of the same customer meet.
//! `sql.rs` holds the trigger, `mdm.enable_realtime` / `mdm.disable_realtime`
//! and `mdm.find_matches`.

pub(crate) mod sql;

use serde_json::{json, Map, Value};

use crate::error::MdmError;

/// What the trigger does when a row matches an existing record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The row is stored; matches are stored as pending pairs and notified.
    Flag,
    /// A match at or above the block threshold fails the statement
    /// (SQLSTATE 23505); weaker matches are flagged.
    Block,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Flag => "flag",
            Action::Block => "block",
        }
    }
}

/// The realtime settings of a table, as `mdm.registration.realtime` holds
/// them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub action: Action,
    /// Candidates at or above this match probability are flagged.
    pub flag_threshold: f64,
    /// Under `block`, a candidate at or above this probability fails the
    /// statement.
    pub block_threshold: f64,
    /// Send a NOTIFY on channel `mdm_duplicates` for each flagged pair.
    pub notify: bool,
}

/// The block threshold when options do not give one: a near-certain match.
pub const DEFAULT_BLOCK_THRESHOLD: f64 = 0.95;

const OPTION_KEYS: &[&str] = &["flag_threshold", "block_threshold", "notify"];

fn probability_option(
    options: &Map<String, Value>,
    key: &'static str,
) -> Result<Option<f64>, MdmError> {
    match options.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(p) if (0.0..=1.0).contains(&p) => Ok(Some(p)),
            _ => Err(MdmError::invalid_parameter(
                "options",
                format!("{{\"{key}\": {v}}}"),
                format!("{key} is a match probability between 0 and 1."),
            )),
        },
    }
}

impl Settings {
    /// Parses `mdm.enable_realtime`'s action and options; `table_threshold`
    /// (the registration's) is the default flag threshold.
    pub fn parse(
        action: &str,
        options: &Value,
        table_threshold: f64,
    ) -> Result<Settings, MdmError> {
        let action = match action.trim().to_ascii_lowercase().as_str() {
            "flag" => Action::Flag,
            "block" => Action::Block,
            _ => {
                return Err(MdmError::invalid_parameter(
                    "action",
                    action,
                    "action is 'flag' (store the row, flag its matches as pending pairs) or 'block' \
                     (fail the statement with SQLSTATE 23505 when a match reaches block_threshold).",
                ))
            }
        };
        let empty = Map::new();
        let options = match options {
            Value::Object(m) => m,
            Value::Null => &empty,
            other => {
                return Err(MdmError::invalid_parameter(
                    "options",
                    other.to_string(),
                    "options is a jsonb object such as {\"flag_threshold\": 0.5, \"block_threshold\": 0.95, \"notify\": true}.",
                ))
            }
        };
        if let Some(k) = options.keys().find(|k| !OPTION_KEYS.contains(&k.as_str())) {
            return Err(MdmError::invalid_parameter(
                "options",
                Value::Object(options.clone()).to_string(),
                format!(
                    "Unknown option \"{k}\"; the options are {}.",
                    OPTION_KEYS.join(", ")
                ),
            ));
        }
        let flag_threshold =
            probability_option(options, "flag_threshold")?.unwrap_or(table_threshold);
        let block_threshold =
            probability_option(options, "block_threshold")?.unwrap_or(DEFAULT_BLOCK_THRESHOLD);
        if action == Action::Block && block_threshold < flag_threshold {
            return Err(MdmError::invalid_parameter(
                "options",
                Value::Object(options.clone()).to_string(),
                format!(
                    "block_threshold ({block_threshold}) is below flag_threshold ({flag_threshold}): \
                     a match strong enough to block is at least strong enough to flag."
                ),
            ));
        }
        let notify = match options.get("notify") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                return Err(MdmError::invalid_parameter(
                    "options",
                    format!("{{\"notify\": {v}}}"),
                    "notify is true or false.",
                ))
            }
        };
        Ok(Settings {
            action,
            flag_threshold,
            block_threshold,
            notify,
        })
    }

    /// The stored form (`mdm.registration.realtime`).
    pub fn to_json(&self) -> Value {
        json!({
            "action": self.action.name(),
            "flag_threshold": self.flag_threshold,
            "block_threshold": self.block_threshold,
            "notify": self.notify,
        })
    }

    /// Reads the stored form back; `None` when it is not one.
    pub fn from_json(v: &Value) -> Option<Settings> {
        let action = match v.get("action")?.as_str()? {
            "flag" => Action::Flag,
            "block" => Action::Block,
            _ => return None,
        };
        Some(Settings {
            action,
            flag_threshold: v.get("flag_threshold")?.as_f64()?,
            block_threshold: v.get("block_threshold")?.as_f64()?,
            notify: v.get("notify").and_then(Value::as_bool).unwrap_or(true),
        })
    }
}

/// What the trigger does with a row's scored candidates.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Fail the statement: the candidate at this index matches at or above
    /// the block threshold (the best one).
    Block(usize),
    /// Store these candidates (indexes, best first) as pending pairs.
    Flag(Vec<usize>),
}

/// Decides on candidates scored with match probabilities `p` (NaN never
/// matches).
pub fn verdict(settings: &Settings, p: &[f64]) -> Verdict {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    if settings.action == Action::Block {
        if let Some(&best) = order.first() {
            if p[best] >= settings.block_threshold {
                return Verdict::Block(best);
            }
        }
    }
    Verdict::Flag(
        order
            .into_iter()
            .filter(|&i| p[i] >= settings.flag_threshold)
            .collect(),
    )
}

/// The 32-bit lock key of a blocking key (FNV-1a: the same in every
/// backend, so two sessions writing records with a shared key take the
/// same lock).
pub fn lock_key(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The lock keys of a row's blocking keys: sorted and unique, so that two
/// rows always take their common locks in the same order.
pub fn lock_keys<'a>(keys: impl IntoIterator<Item = &'a String>) -> Vec<u32> {
    let mut out: Vec<u32> = keys.into_iter().map(|k| lock_key(k)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn settings(action: Action) -> Settings {
        Settings {
            action,
            flag_threshold: 0.5,
            block_threshold: 0.9,
            notify: true,
        }
    }

    #[test]
    fn parse_defaults_and_round_trip() {
        let s = Settings::parse("flag", &json!({}), 0.6).unwrap(); // ok: test
        assert_eq!(s.action, Action::Flag);
        assert_eq!(s.flag_threshold, 0.6);
        assert_eq!(s.block_threshold, DEFAULT_BLOCK_THRESHOLD);
        assert!(s.notify);
        let b = Settings::parse(
            " Block ",
            &json!({"flag_threshold": 0.4, "block_threshold": 0.99, "notify": false}),
            0.5,
        )
        .unwrap(); // ok: test
        assert_eq!(b.action, Action::Block);
        assert_eq!(
            (b.flag_threshold, b.block_threshold, b.notify),
            (0.4, 0.99, false)
        );
        assert_eq!(Settings::from_json(&b.to_json()), Some(b));
        assert_eq!(Settings::from_json(&json!({"action": "x"})), None);
    }

    #[test]
    fn parse_refuses_bad_input_with_22023() {
        for (action, options) in [
            ("merge", json!({})),
            ("flag", json!({"flag_threshold": 1.5})),
            ("flag", json!({"block_threshold": -0.1})),
            ("flag", json!({"flag_threshold": "high"})),
            ("flag", json!({"speed": 1})),
            ("flag", json!({"notify": "yes"})),
            (
                "block",
                json!({"flag_threshold": 0.9, "block_threshold": 0.8}),
            ),
            ("flag", json!([1])),
        ] {
            let e = Settings::parse(action, &options, 0.5).unwrap_err(); // ok: test
            assert_eq!(e.sqlstate(), "22023", "{action} {options}");
        }
    }

    #[test]
    fn verdicts() {
        let p = [0.6, 0.95, 0.2, f64::NAN, 0.7];
        assert_eq!(
            verdict(&settings(Action::Flag), &p),
            Verdict::Flag(vec![1, 4, 0])
        );
        assert_eq!(verdict(&settings(Action::Block), &p), Verdict::Block(1));
        assert_eq!(
            verdict(&settings(Action::Block), &[0.6, 0.7]),
            Verdict::Flag(vec![1, 0])
        );
        assert_eq!(
            verdict(&settings(Action::Block), &[]),
            Verdict::Flag(vec![])
        );
    }

    #[test]
    fn lock_keys_are_stable_sorted_and_unique() {
        // FNV-1a test vectors.
        assert_eq!(lock_key(""), 0x811c_9dc5);
        assert_eq!(lock_key("a"), 0xe40c_292c);
        let keys: Vec<String> = ["p:+8613800138000", "e:zhangwei@163.com", "p:+8613800138000"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let l = lock_keys(&keys);
        assert_eq!(l.len(), 2);
        assert!(l[0] < l[1]);
    }

    proptest! {
        #[test]
        fn block_only_at_or_above_the_block_threshold(p in proptest::collection::vec(0.0f64..=1.0, 0..8)) {
            let s = settings(Action::Block);
            match verdict(&s, &p) {
                Verdict::Block(i) => {
                    prop_assert!(p[i] >= s.block_threshold);
                    prop_assert!(p.iter().all(|&q| q <= p[i]));
                }
                Verdict::Flag(idx) => {
                    prop_assert!(p.iter().all(|&q| q < s.block_threshold));
                    prop_assert_eq!(idx.len(), p.iter().filter(|&&q| q >= s.flag_threshold).count());
                }
            }
        }
    }
}
