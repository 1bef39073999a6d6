//! A match model: plain jsonb, validated into [`Model`].
//!
//! ```json
//! {
//!   "name": "my model",
//!   "prior": 0.00001,
//!   "phone_region": "CN",
//!   "roles": {
//!     "name": {"levels": [
//!       {"label": "exact", "when": "exact", "m": 0.8, "u": 0.00001, "tf_adjust": true},
//!       {"label": "similar", "when": {"similarity": 0.9}, "m": 0.1, "u": 0.001},
//!       {"label": "different", "when": "else", "m": 0.1, "u": 0.999}
//!     ]}
//!   },
//!   "term_frequencies": {"name": {"王伟": 0.0002}}
//! }
//! ```
//!
//! Every key is checked; the first problem found is reported with the path
//! of its key (`roles.name.levels[1].m`), never with a panic.

use std::collections::HashMap;

use phonenumber::country::Id;
use serde_json::{Map, Value};

use crate::error::MdmError;
use crate::normalize::phone::parse_region;
use crate::record::roles::{prepare, Role, ROLES};

/// What a comparison level requires of a pair of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// Equal after normalization.
    Exact,
    /// `id_number`: equal, and a valid resident ID or credit code.
    ValidExact,
    /// `id_number`: two different valid numbers of the same kind.
    ValidConflict,
    /// `phone`: the same valid mobile number.
    MobileExact,
    /// Similarity at least this.
    Similarity(f64),
    /// `updated_at`: at most this many days apart.
    Days(f64),
    /// Any pair of values (the last level of every role).
    Else,
}

impl Condition {
    /// Conditions that mean "the same value", on which term frequencies act.
    pub fn is_exact(self) -> bool {
        matches!(
            self,
            Condition::Exact | Condition::ValidExact | Condition::MobileExact
        )
    }
}

/// One comparison level of a role.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub label: String,
    pub description: Option<String>,
    pub when: Condition,
    /// P(level | the records match).
    pub m: f64,
    /// P(level | the records do not match).
    pub u: f64,
    /// log2(m / u).
    pub weight: f64,
    /// Whether the term frequency of the agreeing value replaces `u`.
    pub tf_adjust: bool,
}

/// The levels of one role, tried in order; the last one is `else`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleModel {
    pub levels: Vec<Level>,
}

/// A validated match model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    /// Probability that two records taken at random are the same customer.
    pub prior: f64,
    /// log2(prior / (1 - prior)).
    pub prior_weight: f64,
    /// Region for phone numbers written without a country code.
    pub phone_region: Id,
    /// Indexed by [`Role::index`]; `None` for a role the model leaves out.
    pub roles: [Option<RoleModel>; ROLES],
    /// Indexed by [`Role::index`]: normalized value → relative frequency.
    pub term_frequencies: [HashMap<String, f64>; ROLES],
}

const TOP_KEYS: &[&str] = &[
    "name",
    "description",
    "prior",
    "phone_region",
    "roles",
    "term_frequencies",
    "training",
];
const ROLE_KEYS: &[&str] = &["description", "levels"];
const LEVEL_KEYS: &[&str] = &["label", "description", "when", "m", "u", "tf_adjust"];
/// Labels the output uses for roles without a level.
const RESERVED_LABELS: &[&str] = &["null", "not in model"];
/// More levels than this is a mistake, not a model.
const MAX_LEVELS: usize = 32;

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short rendering of an offending value for an error message.
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn object<'v>(
    v: &'v Value,
    key: &str,
    allowed: &[&str],
) -> Result<&'v Map<String, Value>, MdmError> {
    let map = v.as_object().ok_or_else(|| {
        MdmError::invalid_model(key, format!("must be an object, not {}", kind_of(v)))
    })?;
    if let Some(bad) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        let path = if key.is_empty() {
            bad.clone()
        } else {
            format!("{key}.{bad}")
        };
        return Err(MdmError::invalid_model(
            path,
            format!(
                "is not a known key here; the keys are {}",
                allowed.join(", ")
            ),
        ));
    }
    Ok(map)
}

fn text(v: &Value, key: &str) -> Result<String, MdmError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| MdmError::invalid_model(key, format!("must be a string, not {}", shown(v))))
}

/// A number in (0, 1] (`open_top`: in (0, 1)).
fn probability(v: &Value, key: &str, open_top: bool) -> Result<f64, MdmError> {
    let range = if open_top {
        "greater than 0 and less than 1"
    } else {
        "greater than 0 and at most 1"
    };
    match v.as_f64() {
        Some(x) if x > 0.0 && (x < 1.0 || (!open_top && x == 1.0)) => Ok(x),
        _ => Err(MdmError::invalid_model(
            key,
            format!("must be a number {range}, not {}", shown(v)),
        )),
    }
}

fn condition(v: &Value, key: &str, role: Role) -> Result<Condition, MdmError> {
    let only = |c: Condition, for_role: Role| {
        if role == for_role {
            Ok(c)
        } else {
            Err(MdmError::invalid_model(
                key,
                format!("{} applies to role {} only", shown(v), for_role.key()),
            ))
        }
    };
    match v {
        Value::String(s) => match s.as_str() {
            "exact" => Ok(Condition::Exact),
            "else" => Ok(Condition::Else),
            "valid_exact" => only(Condition::ValidExact, Role::IdNumber),
            "valid_conflict" => only(Condition::ValidConflict, Role::IdNumber),
            "mobile_exact" => only(Condition::MobileExact, Role::Phone),
            _ => Err(MdmError::invalid_model(
                key,
                format!(
                    "{} is not a condition; use \"exact\", \"else\", \"valid_exact\", \
                     \"valid_conflict\", \"mobile_exact\", {{\"similarity\": x}} or {{\"days\": x}}",
                    shown(v)
                ),
            )),
        },
        Value::Object(map) if map.len() == 1 => {
            let (name, x) = map.iter().next().map(|(k, x)| (k.as_str(), x)).unwrap_or(("", v));
            let path = format!("{key}.{name}");
            match name {
                "similarity" if role.has_similarity() => match x.as_f64() {
                    Some(t) if (0.0..=1.0).contains(&t) => Ok(Condition::Similarity(t)),
                    _ => Err(MdmError::invalid_model(
                        path,
                        format!("must be a number from 0 to 1, not {}", shown(x)),
                    )),
                },
                "similarity" => Err(MdmError::invalid_model(
                    path,
                    format!("role {} has no similarity; use \"exact\" or \"else\"", role.key()),
                )),
                "days" if role == Role::UpdatedAt => match x.as_f64() {
                    Some(t) if t >= 0.0 => Ok(Condition::Days(t)),
                    _ => Err(MdmError::invalid_model(
                        path,
                        format!("must be a number of days, 0 or more, not {}", shown(x)),
                    )),
                },
                "days" => only(Condition::Days(0.0), Role::UpdatedAt),
                _ => Err(MdmError::invalid_model(
                    path,
                    "is not a condition; use {\"similarity\": x} or {\"days\": x}",
                )),
            }
        }
        _ => Err(MdmError::invalid_model(
            key,
            format!(
                "must be a condition such as \"exact\" or {{\"similarity\": 0.9}}, not {}",
                shown(v)
            ),
        )),
    }
}

fn level(v: &Value, key: &str, role: Role) -> Result<Level, MdmError> {
    let map = object(v, key, LEVEL_KEYS)?;
    let get = |k: &str| {
        map.get(k)
            .ok_or_else(|| MdmError::invalid_model(format!("{key}.{k}"), "is missing"))
    };
    let label = text(get("label")?, &format!("{key}.label"))?;
    if label.trim().is_empty() || RESERVED_LABELS.contains(&label.as_str()) {
        return Err(MdmError::invalid_model(
            format!("{key}.label"),
            format!("{label:?} cannot be a label (empty, \"null\" and \"not in model\" are taken)"),
        ));
    }
    let description = match map.get("description") {
        None | Some(Value::Null) => None,
        Some(d) => Some(text(d, &format!("{key}.description"))?),
    };
    let when = condition(get("when")?, &format!("{key}.when"), role)?;
    let m = probability(get("m")?, &format!("{key}.m"), false)?;
    let u = probability(get("u")?, &format!("{key}.u"), false)?;
    let tf_adjust = match map.get("tf_adjust") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(MdmError::invalid_model(
                format!("{key}.tf_adjust"),
                format!("must be true or false, not {}", shown(other)),
            ))
        }
    };
    if tf_adjust && (!when.is_exact() || role == Role::UpdatedAt) {
        return Err(MdmError::invalid_model(
            format!("{key}.tf_adjust"),
            "term frequencies apply to levels of equal values only (\"exact\", \"valid_exact\", \"mobile_exact\")",
        ));
    }
    Ok(Level {
        label,
        description,
        when,
        m,
        u,
        weight: (m / u).log2(),
        tf_adjust,
    })
}

fn role_model(v: &Value, key: &str, role: Role) -> Result<RoleModel, MdmError> {
    let map = object(v, key, ROLE_KEYS)?;
    if let Some(d) = map.get("description") {
        text(d, &format!("{key}.description"))?;
    }
    let levels_key = format!("{key}.levels");
    let list = map
        .get("levels")
        .ok_or_else(|| MdmError::invalid_model(&levels_key, "is missing"))?
        .as_array()
        .ok_or_else(|| MdmError::invalid_model(&levels_key, "must be an array of levels"))?;
    if list.is_empty() || list.len() > MAX_LEVELS {
        return Err(MdmError::invalid_model(
            &levels_key,
            format!("must hold 1 to {MAX_LEVELS} levels, not {}", list.len()),
        ));
    }
    let mut levels: Vec<Level> = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let key = format!("{levels_key}[{i}]");
        let l = level(v, &key, role)?;
        if levels.iter().any(|p| p.label == l.label) {
            return Err(MdmError::invalid_model(
                format!("{key}.label"),
                format!("{:?} is the label of an earlier level", l.label),
            ));
        }
        let last = i + 1 == list.len();
        if (l.when == Condition::Else) != last {
            return Err(MdmError::invalid_model(
                format!("{key}.when"),
                if last {
                    "the last level must be \"else\", so that every pair of values reaches a level"
                } else {
                    "only the last level can be \"else\""
                },
            ));
        }
        levels.push(l);
    }
    Ok(RoleModel { levels })
}

fn term_frequencies(v: &Value, region: Id) -> Result<[HashMap<String, f64>; ROLES], MdmError> {
    let key = "term_frequencies";
    let mut out: [HashMap<String, f64>; ROLES] = Default::default();
    let map = v.as_object().ok_or_else(|| {
        MdmError::invalid_model(key, format!("must be an object, not {}", kind_of(v)))
    })?;
    for (role_key, table) in map {
        let path = format!("{key}.{role_key}");
        let role = Role::from_key(role_key).filter(|&r| r != Role::UpdatedAt).ok_or_else(|| {
            MdmError::invalid_model(
                &path,
                "is not a role with term frequencies (name, company, phone, email, address, id_number, birth_date, kind)",
            )
        })?;
        let table = table.as_object().ok_or_else(|| {
            MdmError::invalid_model(&path, "must be an object of value -> relative frequency")
        })?;
        let target = &mut out[role.index()];
        target.reserve(table.len());
        for (value, freq) in table {
            let vpath = format!("{path}.{value}");
            let f = probability(freq, &vpath, false)?;
            let normalized = prepare(role, value, region)
                .map(|p| p.key().to_string())
                .ok_or_else(|| {
                    MdmError::invalid_model(
                        &vpath,
                        "is not a usable value of the role (nothing is left after normalization)",
                    )
                })?;
            // Spellings of one value (張偉, 张伟) add up.
            let e = target.entry(normalized).or_insert(0.0);
            *e = (*e + f).min(1.0);
        }
    }
    Ok(out)
}

impl Model {
    /// Validates a model given as JSON.
    pub fn from_json(v: &Value) -> Result<Model, MdmError> {
        let map = object(v, "", TOP_KEYS).map_err(|e| match e {
            MdmError::InvalidModel { key, problem } if key.is_empty() => {
                MdmError::invalid_model("(the model)", problem)
            }
            other => other,
        })?;
        let name = match map.get("name") {
            None => "unnamed model".to_string(),
            Some(n) => text(n, "name")?,
        };
        if let Some(d) = map.get("description") {
            text(d, "description")?;
        }
        let prior = probability(
            map.get("prior")
                .ok_or_else(|| MdmError::invalid_model("prior", "is missing"))?,
            "prior",
            true,
        )?;
        let phone_region = match map.get("phone_region") {
            None => crate::normalize::phone::DEFAULT_REGION_ID,
            Some(r) => {
                let code = text(r, "phone_region")?;
                parse_region(&code).map_err(|_| {
                    MdmError::invalid_model(
                        "phone_region",
                        format!("{code:?} is not an ISO 3166-1 alpha-2 region such as \"CN\""),
                    )
                })?
            }
        };
        let roles_value = map
            .get("roles")
            .ok_or_else(|| MdmError::invalid_model("roles", "is missing"))?;
        let roles_map = roles_value.as_object().ok_or_else(|| {
            MdmError::invalid_model(
                "roles",
                format!("must be an object, not {}", kind_of(roles_value)),
            )
        })?;
        let mut roles: [Option<RoleModel>; ROLES] = Default::default();
        for (k, v) in roles_map {
            let key = format!("roles.{k}");
            let role = Role::from_key(k).ok_or_else(|| {
                MdmError::invalid_model(
                    &key,
                    "is not a role; the roles are name, company, phone, email, address, id_number, birth_date, kind, updated_at",
                )
            })?;
            roles[role.index()] = Some(role_model(v, &key, role)?);
        }
        if roles.iter().all(Option::is_none) {
            return Err(MdmError::invalid_model(
                "roles",
                "must hold at least one role",
            ));
        }
        let term_frequencies = match map.get("term_frequencies") {
            None | Some(Value::Null) => Default::default(),
            Some(t) => term_frequencies(t, phone_region)?,
        };
        Ok(Model {
            name,
            prior,
            prior_weight: (prior / (1.0 - prior)).log2(),
            phone_region,
            roles,
            term_frequencies,
        })
    }

    /// Validates a model given as JSON text.
    pub fn from_text(text: &str) -> Result<Model, MdmError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| MdmError::invalid_model("(the model)", format!("is not JSON: {e}")))?;
        Model::from_json(&v)
    }
}

/// The built-in model, as jsonb text (`mdm.default_model()`).
pub const DEFAULT_MODEL_JSON: &str = include_str!("default_model.json");

/// The built-in model, validated once per process.
pub fn default_model() -> Result<&'static Model, MdmError> {
    static DEFAULT: std::sync::OnceLock<Result<Model, MdmError>> = std::sync::OnceLock::new();
    DEFAULT
        .get_or_init(|| Model::from_text(DEFAULT_MODEL_JSON))
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn err_key(v: Value) -> String {
        match Model::from_json(&v) {
            Err(MdmError::InvalidModel { key, .. }) => key,
            other => format!("no model error: {other:?}"),
        }
    }

    fn minimal() -> Value {
        json!({"prior": 0.001, "roles": {"name": {"levels": [
            {"label": "exact", "when": "exact", "m": 0.9, "u": 0.01, "tf_adjust": true},
            {"label": "different", "when": "else", "m": 0.1, "u": 0.99}
        ]}}})
    }

    #[test]
    fn default_model_is_valid() {
        let m = default_model().map_err(|e| e.to_string());
        let m = match m {
            Ok(m) => m,
            Err(e) => panic!("{e}"), // ok: test code
        };
        assert!(
            m.roles.iter().all(Option::is_some),
            "every role is modelled"
        );
        assert!(m.prior_weight < -10.0);
        assert!(!m.term_frequencies[Role::Name.index()].is_empty());
        // A traditional spelling in the table folds into the simplified one.
        assert!(m.term_frequencies[Role::Name.index()].contains_key("张伟"));
        // Pinyin spellings are normalized like names: 'Zhang Wei' → 'wei zhang'.
        assert!(m.term_frequencies[Role::Name.index()].contains_key("wei zhang"));
        for role in m.roles.iter().flatten() {
            for l in &role.levels {
                assert!(l.weight.is_finite());
            }
        }
    }

    #[test]
    fn minimal_model() {
        let m = Model::from_json(&minimal()).map_err(|e| e.to_string());
        assert!(m.is_ok(), "{m:?}");
    }

    #[test]
    fn errors_name_the_key() {
        let mut v = minimal();
        v["prior"] = json!(1.5);
        assert_eq!(err_key(v), "prior");
        let mut v = minimal();
        v["roles"]["name"]["levels"][1]["m"] = json!("abc");
        assert_eq!(err_key(v), "roles.name.levels[1].m");
        let mut v = minimal();
        v["roles"]["name"]["levels"][0]["u"] = json!(0);
        assert_eq!(err_key(v), "roles.name.levels[0].u");
        let mut v = minimal();
        v["prio"] = json!(0.1);
        assert_eq!(err_key(v), "prio");
        let mut v = minimal();
        v["roles"]["fax"] = json!({});
        assert_eq!(err_key(v), "roles.fax");
        let mut v = minimal();
        v["roles"]["name"]["levels"][1]["when"] = json!("exact");
        assert_eq!(err_key(v), "roles.name.levels[1].when");
        let mut v = minimal();
        v["roles"]["name"]["levels"][0]["when"] = json!({"similarity": 2});
        assert_eq!(err_key(v), "roles.name.levels[0].when.similarity");
        let mut v = minimal();
        v["roles"]["name"]["levels"][0]["when"] = json!("valid_exact");
        assert_eq!(err_key(v), "roles.name.levels[0].when");
        let mut v = minimal();
        v["roles"]["name"]["levels"][1]["tf_adjust"] = json!(true);
        assert_eq!(err_key(v), "roles.name.levels[1].tf_adjust");
        let mut v = minimal();
        v["roles"]["name"]["levels"][1]["label"] = json!("exact");
        assert_eq!(err_key(v), "roles.name.levels[1].label");
        let mut v = minimal();
        v["term_frequencies"] = json!({"name": {"王伟": 2}});
        assert_eq!(err_key(v), "term_frequencies.name.王伟");
        let mut v = minimal();
        v["term_frequencies"] = json!({"name": {"  ": 0.1}});
        assert_eq!(err_key(v), "term_frequencies.name.  ");
        let mut v = minimal();
        v["phone_region"] = json!("XX");
        assert_eq!(err_key(v), "phone_region");
        assert_eq!(err_key(json!([])), "(the model)");
        assert_eq!(err_key(json!({"prior": 0.1, "roles": {}})), "roles");
        assert!(matches!(
            Model::from_text("{"),
            Err(MdmError::InvalidModel { .. })
        ));
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-2.0f64..2.0).prop_map(Value::from),
            prop_oneof![
                Just("exact"),
                Just("else"),
                Just("valid_exact"),
                Just("mobile_exact"),
                Just("name"),
                Just("levels"),
                Just("x"),
                Just("张伟")
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("prior".to_string()),
                        Just("roles".to_string()),
                        Just("name".to_string()),
                        Just("phone".to_string()),
                        Just("levels".to_string()),
                        Just("label".to_string()),
                        Just("when".to_string()),
                        Just("m".to_string()),
                        Just("u".to_string()),
                        Just("similarity".to_string()),
                        Just("term_frequencies".to_string()),
                        Just("tf_adjust".to_string()),
                        Just("days".to_string())
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON at all gives a model or an error naming a key; never a panic.
        #[test]
        fn arbitrary_models_never_panic(v in arb_json()) {
            match Model::from_json(&v) {
                Ok(_) => {}
                Err(MdmError::InvalidModel { key, .. }) => prop_assert!(!key.is_empty()),
                Err(other) => prop_assert!(false, "{other:?}"),
            }
        }

        /// Valid variations of a model: random m, u and thresholds.
        #[test]
        fn random_probabilities_are_accepted(m in 0.0001f64..=1.0, u in 0.0001f64..=1.0, t in 0.0f64..=1.0) {
            let mut v = minimal();
            v["roles"]["name"]["levels"][0]["m"] = json!(m);
            v["roles"]["name"]["levels"][0]["u"] = json!(u);
            v["roles"]["name"]["levels"][0]["when"] = json!({"similarity": t});
            v["roles"]["name"]["levels"][0]["tf_adjust"] = json!(false);
            let model = Model::from_json(&v).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let w = model.roles[0].as_ref().map(|r| r.levels[0].weight).unwrap_or(f64::NAN);
            prop_assert!((w - (m / u).log2()).abs() < 1e-9);
        }
    }

    #[test]
    fn spellings_add_up() {
        let mut v = minimal();
        v["term_frequencies"] = json!({"name": {"王伟": 0.001, "王偉": 0.002}});
        let m = Model::from_json(&v).map_err(|e| e.to_string());
        let w = m.map(|m| m.term_frequencies[0].get("王伟").copied());
        assert_eq!(w, Ok(Some(0.003)));
    }
}
