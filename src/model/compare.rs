//! `mdm.compare`: two records (role → value objects) scored under a match
//! model, Fellegi–Sunter style, with an explanation of every weight.
//!
//! For each role the model lists comparison levels in order; the pair of
//! values reaches the first level whose condition holds (with several
//! values on a side, the best pair counts). The level's match weight is
//! log2(m / u); on a level of equal values marked `tf_adjust`, a value found
//! in the model's term-frequency table uses its frequency in place of `u`,
//! so agreeing on a common name counts less than agreeing on a rare one.
//! The total weight is the prior's weight plus the roles' weights, and the
//! match probability is 2^w / (1 + 2^w).

use phonenumber::country::Id;
use serde_json::Value;

use super::json::Json;
use super::roles::{facts, prepare, Facts, Prepared, Role, ROLES};
use super::spec::{Condition, Level, Model};
use crate::error::MdmError;
use crate::normalize::company::has_legal_form;

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

/// What one role contributed.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'m> {
    /// The model has no levels for the role.
    NotInModel,
    /// A side has no usable value (weight 0).
    Null {
        a: Option<String>,
        b: Option<String>,
    },
    /// The pair reached a level.
    Level {
        level: &'m Level,
        a: String,
        b: String,
        /// Similarity of the pair (for `updated_at`: days apart).
        similarity: f64,
        /// The term frequency used in place of `u`, when there was one.
        tf: Option<f64>,
        weight: f64,
    },
}

impl Outcome<'_> {
    pub fn weight(&self) -> f64 {
        match self {
            Outcome::Level { weight, .. } => *weight,
            _ => 0.0,
        }
    }
}

/// The comparison of two records.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'m> {
    pub model: &'m Model,
    /// One outcome per role, in [`Role::ALL`] order.
    pub outcomes: Vec<(Role, Outcome<'m>)>,
    /// Values that normalize to nothing, per role (shown, otherwise ignored).
    pub unusable: Vec<(Role, Vec<String>)>,
    /// Keys of either record that are not roles, sorted, once each.
    pub unknown_roles: Vec<String>,
    pub match_weight: f64,
    pub match_probability: f64,
}

fn holds(when: Condition, f: &Facts) -> bool {
    match when {
        Condition::Exact => f.exact,
        Condition::ValidExact => f.exact && f.both_valid,
        Condition::ValidConflict => !f.exact && f.both_valid,
        Condition::MobileExact => f.exact && f.both_mobile,
        Condition::Similarity(t) => f.similarity >= t,
        Condition::Days(d) => f.days <= d,
        Condition::Else => true,
    }
}

/// 2^w / (1 + 2^w), computed without overflow.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// The level a pair of prepared value lists reaches for `role`: the index
/// of the level, the best pair for it and its facts, and the term frequency
/// used in place of `u`. `None` when the model leaves the role out, a side
/// has no value, or (for an invalid model) no level holds.
fn role_level<'a>(
    model: &Model,
    role: Role,
    a: &'a [Prepared],
    b: &'a [Prepared],
) -> Option<(usize, &'a Prepared, &'a Prepared, Facts, Option<f64>)> {
    let rm = model.roles[role.index()].as_ref()?;
    if a.is_empty() || b.is_empty() {
        return None;
    }
    // One pair, the common case: no list to build.
    let single;
    let many: Vec<(&Prepared, &Prepared, Facts)>;
    let pairs: &[(&Prepared, &Prepared, Facts)] = if a.len() == 1 && b.len() == 1 {
        single = [(&a[0], &b[0], facts(&a[0], &b[0]))];
        &single
    } else {
        many = a
            .iter()
            .flat_map(|x| b.iter().map(move |y| (x, y, facts(x, y))))
            .collect();
        &many
    };
    for (i, level) in rm.levels.iter().enumerate() {
        // The best pair for this level: the most similar one that reaches it.
        let best = pairs
            .iter()
            .filter(|(_, _, f)| holds(level.when, f))
            .max_by(|p, q| p.2.similarity.total_cmp(&q.2.similarity));
        let Some(&(x, y, f)) = best else { continue };
        let tf = if level.tf_adjust {
            let table = &model.term_frequencies[role.index()];
            if table.is_empty() {
                None
            } else {
                [x.key(), y.key()]
                    .iter()
                    .filter_map(|k| table.get(*k).copied())
                    .reduce(f64::max)
            }
        } else {
            None
        };
        return Some((i, x, y, f, tf));
    }
    None
}

fn compare_role<'m>(model: &'m Model, role: Role, a: &[Prepared], b: &[Prepared]) -> Outcome<'m> {
    let Some(rm) = &model.roles[role.index()] else {
        return Outcome::NotInModel;
    };
    match role_level(model, role, a, b) {
        Some((i, x, y, f, tf)) => {
            let level = &rm.levels[i];
            Outcome::Level {
                level,
                a: x.key().to_string(),
                b: y.key().to_string(),
                similarity: if role == Role::UpdatedAt {
                    f.days
                } else {
                    f.similarity
                },
                tf,
                weight: (level.m / tf.unwrap_or(level.u)).log2(),
            }
        }
        // No value on a side; for an invalid model without an "else" level,
        // a role without a level counts as no data rather than failing.
        None => Outcome::Null {
            a: a.first().map(|p| p.key().to_string()),
            b: b.first().map(|p| p.key().to_string()),
        },
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

/// Prepares every role of `r` that the model compares, with the model's
/// phone region.
pub fn prepare_record(model: &Model, r: &Record) -> PreparedRecord {
    prepare_roles(r, model.phone_region, |role| {
        model.roles[role.index()].is_some()
    })
}

/// Prepares every role of `r` (blocking keys use every role).
pub fn prepare_all(r: &Record, region: Id) -> PreparedRecord {
    prepare_roles(r, region, |_| true)
}

fn prepare_roles(r: &Record, region: Id, wanted: impl Fn(Role) -> bool) -> PreparedRecord {
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

/// The comparison levels of a pair, one per role in [`Role::ALL`] order
/// (`None`: no data or not in the model), and the total match weight: what
/// batch detection and training need, without the explanation.
pub fn score(model: &Model, a: &PreparedRecord, b: &PreparedRecord) -> ([Option<u8>; ROLES], f64) {
    let mut levels = [None; ROLES];
    let mut total = model.prior_weight;
    for role in Role::ALL {
        let i = role.index();
        if let Some((l, _, _, _, tf)) = role_level(model, role, &a.values[i], &b.values[i]) {
            if let Some(rm) = &model.roles[i] {
                let level = &rm.levels[l];
                total += match tf {
                    Some(tf) => (level.m / tf).log2(),
                    None => level.weight,
                };
                // Models have at most 32 levels (validated).
                levels[i] = Some(l as u8);
            }
        }
    }
    (levels, total)
}

/// Compares two records under `model`.
pub fn compare<'m>(model: &'m Model, a: &Record, b: &Record) -> Comparison<'m> {
    compare_prepared(model, &prepare_record(model, a), &prepare_record(model, b))
}

/// Compares two prepared records under `model`.
pub fn compare_prepared<'m>(
    model: &'m Model,
    a: &PreparedRecord,
    b: &PreparedRecord,
) -> Comparison<'m> {
    let mut outcomes = Vec::with_capacity(Role::ALL.len());
    let mut unusable = Vec::new();
    let mut total = model.prior_weight;
    for role in Role::ALL {
        let i = role.index();
        let outcome = if model.roles[i].is_some() {
            compare_role(model, role, &a.values[i], &b.values[i])
        } else {
            Outcome::NotInModel
        };
        total += outcome.weight();
        let dropped: Vec<String> = [a, b]
            .iter()
            .flat_map(|r| r.unusable.iter())
            .filter(|(r, _)| *r == role)
            .flat_map(|(_, d)| d.iter().cloned())
            .collect();
        if !dropped.is_empty() && model.roles[i].is_some() {
            unusable.push((role, dropped));
        }
        outcomes.push((role, outcome));
    }
    let mut unknown_roles: Vec<String> = a.unknown.iter().chain(&b.unknown).cloned().collect();
    unknown_roles.sort_unstable();
    unknown_roles.dedup();
    Comparison {
        model,
        outcomes,
        unusable,
        unknown_roles,
        match_weight: total,
        match_probability: probability(total),
    }
}

/// Writes `x` with exactly `decimals` decimals (like `{:.N}`, `{:+.N}` when
/// `signed`) without the formatting machinery: the explanation is built for
/// every compared pair.
fn push_fixed(out: &mut String, x: f64, decimals: u8, signed: bool) {
    use std::fmt::Write;
    let scale = 10f64.powi(i32::from(decimals));
    let scaled = (x * scale).round();
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        let _ = write!(out, "{x}");
        return;
    }
    // In range: checked just above.
    let n = scaled as i64;
    if n < 0 {
        out.push('-');
    } else if signed {
        out.push('+');
    }
    let abs = n.unsigned_abs();
    let unit = 10u64.pow(u32::from(decimals));
    let _ = write!(out, "{}", abs / unit);
    if decimals > 0 {
        let frac = (abs % unit).to_string();
        out.push('.');
        out.extend(std::iter::repeat_n('0', usize::from(decimals) - frac.len()));
        out.push_str(&frac);
    }
}

/// A one-line verdict for a probability.
pub fn verdict(p: f64) -> &'static str {
    if p >= 0.99 {
        "same customer"
    } else if p >= 0.9 {
        "probably the same customer"
    } else if p >= 0.5 {
        "possibly the same customer"
    } else if p >= 0.01 {
        "probably different customers"
    } else {
        "different customers"
    }
}

impl Comparison<'_> {
    /// The sentence a person reads: verdict, evidence for and against with
    /// weights, roles without data, the prior and the total.
    pub fn explanation(&self) -> String {
        let mut levels: Vec<(Role, &Level, f64, bool)> = self
            .outcomes
            .iter()
            .filter_map(|(role, o)| match o {
                Outcome::Level {
                    level, weight, tf, ..
                } => Some((*role, *level, *weight, tf.is_some())),
                _ => None,
            })
            .collect();
        levels.sort_by(|x, y| y.2.abs().total_cmp(&x.2.abs()));
        let mut out = String::with_capacity(320);
        out.push_str(verdict(self.match_probability));
        out.push_str(" (match probability ");
        push_fixed(&mut out, self.match_probability, 6, false);
        out.push_str("): ");
        for (heading, positive) in [("for: ", true), ("; against: ", false)] {
            out.push_str(heading);
            let mut any = false;
            for (role, level, weight, tf) in &levels {
                // Weights that round to 0.0 are neither for nor against.
                if weight.abs() < 0.05 || (*weight > 0.0) != positive {
                    continue;
                }
                if any {
                    out.push_str(", ");
                }
                any = true;
                out.push_str(role.key());
                out.push(' ');
                out.push_str(&level.label);
                if *tf {
                    out.push_str(if *weight < level.weight {
                        " (common value)"
                    } else {
                        " (rare value)"
                    });
                }
                out.push(' ');
                push_fixed(&mut out, *weight, 1, true);
            }
            if !any {
                out.push_str("nothing");
            }
        }
        let mut first = true;
        for (role, o) in &self.outcomes {
            if matches!(o, Outcome::Null { .. }) {
                out.push_str(if first { "; no data: " } else { ", " });
                out.push_str(role.key());
                first = false;
            }
        }
        for (i, u) in self.unknown_roles.iter().enumerate() {
            out.push_str(if i == 0 {
                "; ignored unknown roles: "
            } else {
                ", "
            });
            out.push_str(u);
        }
        out.push_str("; prior ");
        push_fixed(&mut out, self.model.prior_weight, 1, true);
        out.push_str(", total ");
        push_fixed(&mut out, self.match_weight, 1, true);
        out
    }

    /// The result of `mdm.compare`: verdict, weights, explanation, and one
    /// object per role.
    pub fn to_json(&self) -> Json<'_> {
        let mut roles = Vec::with_capacity(self.outcomes.len());
        for (role, outcome) in &self.outcomes {
            let mut o: Vec<(&str, Json<'_>)> = Vec::with_capacity(10);
            match outcome {
                Outcome::NotInModel => {
                    o.push(("level", Json::str("not in model")));
                    o.push(("weight", Json::Num(0.0, 0)));
                }
                Outcome::Null { a, b } => {
                    o.push(("level", Json::str("null")));
                    o.push(("weight", Json::Num(0.0, 0)));
                    let missing = match (a, b) {
                        (Some(_), None) => "b",
                        (None, Some(_)) => "a",
                        _ => "both",
                    };
                    o.push(("missing", Json::str(missing)));
                    if let Some(a) = a {
                        o.push(("a", Json::str(a)));
                    }
                    if let Some(b) = b {
                        o.push(("b", Json::str(b)));
                    }
                }
                Outcome::Level {
                    level,
                    a,
                    b,
                    similarity,
                    tf,
                    weight,
                } => {
                    let measure = if *role == Role::UpdatedAt {
                        "days_apart"
                    } else {
                        "similarity"
                    };
                    o.push(("level", Json::str(&level.label)));
                    o.push(("a", Json::str(a)));
                    o.push(("b", Json::str(b)));
                    o.push((measure, Json::Num(*similarity, 4)));
                    o.push(("m", Json::Num(level.m, 12)));
                    o.push(("u", Json::Num(level.u, 12)));
                    o.push(("weight", Json::Num(*weight, 3)));
                    if let Some(tf) = tf {
                        o.push(("term_frequency", Json::Num(*tf, 12)));
                        o.push(("tf_adjustment", Json::Num((level.u / tf).log2(), 3)));
                    }
                }
            }
            if let Some((_, dropped)) = self.unusable.iter().find(|(r, _)| r == role) {
                o.push((
                    "unusable",
                    Json::Arr(dropped.iter().map(|d| Json::str(d)).collect()),
                ));
            }
            roles.push((role.key(), Json::Obj(o)));
        }
        Json::Obj(vec![
            ("match_probability", Json::Num(self.match_probability, 15)),
            ("match_weight", Json::Num(self.match_weight, 3)),
            ("prior_weight", Json::Num(self.model.prior_weight, 3)),
            ("model", Json::str(&self.model.name)),
            ("explanation", Json::string(self.explanation())),
            ("roles", Json::Obj(roles)),
            (
                "unknown_roles",
                Json::Arr(self.unknown_roles.iter().map(|u| Json::str(u)).collect()),
            ),
        ])
    }

    /// [`Comparison::to_json`] as JSON text.
    pub fn to_json_text(&self) -> String {
        self.to_json().to_text()
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::default_model;
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn model() -> &'static Model {
        match default_model() {
            Ok(m) => m,
            Err(e) => panic!("{e}"), // ok: test code
        }
    }

    fn rec(v: Value) -> Record {
        match Record::from_json("a", &v) {
            Ok(r) => r,
            Err(e) => panic!("{e}"), // ok: test code
        }
    }

    fn cmp(a: Value, b: Value) -> Value {
        let text = compare(model(), &rec(a), &rec(b)).to_json_text();
        match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => panic!("{e}: {text}"), // ok: test code
        }
    }

    fn level(out: &Value, role: &str) -> String {
        out["roles"][role]["level"]
            .as_str()
            .unwrap_or("?")
            .to_string()
    }

    fn p(out: &Value) -> f64 {
        out["match_probability"].as_f64().unwrap_or(-1.0)
    }

    #[test]
    fn matching_pair() {
        let out = cmp(
            json!({"name": "張偉", "company": "北京华为技术有限公司", "phone": "+86 138 0013 8000",
                   "email": "Zhang.Wei@Huawei.com", "id_number": "11010519491231002X", "kind": "person"}),
            json!({"name": "张伟", "company": "华为技术（北京）有限公司", "phone": ["010-12345678", "13800138000"],
                   "email": "zhang.wei@huawei.com", "id_number": "110105194912310020", "kind": "个人"}),
        );
        assert_eq!(level(&out, "name"), "exact");
        assert_eq!(level(&out, "company"), "exact");
        assert_eq!(level(&out, "phone"), "same mobile");
        assert_eq!(level(&out, "email"), "exact");
        assert_eq!(level(&out, "kind"), "same kind");
        assert_eq!(level(&out, "address"), "null");
        assert_eq!(out["roles"]["address"]["missing"], json!("both"));
        assert!(p(&out) > 0.999999, "{out}");
        // 张伟 is a common name: the term frequency lowers its weight.
        let w = out["roles"]["name"]["weight"].as_f64().unwrap_or(0.0);
        assert!(w < (0.8f64 / 0.00001).log2() && w > 0.0, "{w}");
        assert!(out["roles"]["name"]["term_frequency"].is_number());
        let e = out["explanation"].as_str().unwrap_or("");
        assert!(e.starts_with("same customer"), "{e}");
        assert!(e.contains("phone same mobile +"), "{e}");
        assert!(e.contains("(common value)"), "{e}");
    }

    #[test]
    fn id_typo_and_conflict() {
        // The id differs in its check character: not both valid.
        let out = cmp(
            json!({"name": "张伟", "id_number": "11010519491231002X"}),
            json!({"name": "张伟", "id_number": "110105194912310021"}),
        );
        assert_eq!(level(&out, "id_number"), "one character apart");
        let conflict = cmp(
            json!({"name": "王芳", "phone": "13800138000", "id_number": "11010519491231002X"}),
            json!({"name": "王芳", "phone": "13800138000", "id_number": "110101199003074477"}),
        );
        assert_eq!(
            level(&conflict, "id_number"),
            "conflicting valid ids",
            "{conflict}"
        );
        assert!(
            conflict["roles"]["id_number"]["weight"]
                .as_f64()
                .unwrap_or(0.0)
                < -19.0
        );
        // Strong evidence against: it outweighs a shared mobile and name.
        assert!(p(&conflict) < 0.5, "{conflict}");
    }

    #[test]
    fn non_matching_pair() {
        let out = cmp(
            json!({"name": "王芳", "company": "上海银行", "phone": "13912345678", "address": "上海市浦东新区陆家嘴环路1000号", "kind": "person"}),
            json!({"name": "王芳", "company": "深圳市腾讯计算机系统有限公司", "phone": "13800138000", "address": "深圳市南山区科技园", "kind": "person"}),
        );
        assert_eq!(level(&out, "name"), "exact");
        assert_eq!(level(&out, "phone"), "different");
        assert!(p(&out) < 0.01, "{out}");
        let e = out["explanation"].as_str().unwrap_or("");
        assert!(e.starts_with("different customers"), "{e}");
        assert!(e.contains("against: "), "{e}");
    }

    #[test]
    fn rare_name_weighs_more_than_common() {
        let common = cmp(json!({"name": "王伟"}), json!({"name": "王伟"}));
        let rare = cmp(json!({"name": "欧阳娜娜"}), json!({"name": "歐陽娜娜"}));
        let w = |o: &Value| o["roles"]["name"]["weight"].as_f64().unwrap_or(0.0);
        assert!(
            w(&rare) > w(&common) + 1.5,
            "{} vs {}",
            w(&rare),
            w(&common)
        );
    }

    #[test]
    fn missing_unknown_and_unusable() {
        let out = cmp(
            json!({"name": "Zhang Wei", "fax": "123", "phone": "n/a"}),
            json!({"name": "张伟", "wechat": "zw", "fax": "1", "phone": null}),
        );
        assert_eq!(out["unknown_roles"], json!(["fax", "wechat"]));
        assert_eq!(level(&out, "phone"), "null");
        assert_eq!(out["roles"]["phone"]["unusable"], json!(["n/a"]));
        assert_eq!(level(&out, "name"), "same reading");
        for role in [
            "company",
            "email",
            "address",
            "id_number",
            "kind",
            "updated_at",
        ] {
            assert_eq!(level(&out, role), "null");
            assert_eq!(out["roles"][role]["weight"], json!(0));
        }
        let e = out["explanation"].as_str().unwrap_or("");
        assert!(e.contains("ignored unknown roles: fax, wechat"), "{e}");
    }

    #[test]
    fn fixed_decimals() {
        let f = |x: f64, d: u8, signed: bool| {
            let mut s = String::new();
            push_fixed(&mut s, x, d, signed);
            s
        };
        assert_eq!(f(0.9999999969, 6, false), "1.000000");
        assert_eq!(f(0.000052, 6, false), "0.000052");
        assert_eq!(f(-16.6096, 1, true), "-16.6");
        assert_eq!(f(22.84, 1, true), "+22.8");
        assert_eq!(f(0.04, 1, true), "+0.0");
        assert_eq!(f(-0.04, 1, true), "+0.0");
        assert_eq!(f(5.0, 0, false), "5");
        for x in [-123.456, -0.06, 0.0, 0.05, 7.25, 1e6] {
            assert_eq!(
                f(x, 1, true),
                format!("{:+.1}", (x * 10.0f64).round() / 10.0),
                "{x}"
            );
        }
    }

    #[test]
    fn json_text_escapes() {
        let odd = "a\"b\\c\nd\u{1}e\u{7f}张";
        let out = cmp(json!({odd: odd, "name": odd}), json!({"name": "x"}));
        assert_eq!(out["unknown_roles"], json!([odd]));
        assert!(out["roles"]["name"]["a"].is_string(), "{out}");
    }

    #[test]
    fn bad_records() {
        for bad in [
            json!([1]),
            json!("x"),
            json!({"name": {"x": 1}}),
            json!({"phone": [[1]]}),
            json!({"kind": true}),
        ] {
            assert!(
                matches!(
                    Record::from_json("b", &bad),
                    Err(MdmError::InvalidRecord { param: "b", .. })
                ),
                "{bad}"
            );
        }
        let r = rec(json!({"phone": [13800138000u64, null, "010-1"], "id_number": 110105}));
        assert_eq!(r.values[Role::Phone.index()], vec!["13800138000", "010-1"]);
        assert_eq!(r.values[Role::IdNumber.index()], vec!["110105"]);
    }

    #[test]
    fn default_model_m_and_u_sum_to_one() {
        for rm in model().roles.iter().flatten() {
            let m: f64 = rm.levels.iter().map(|l| l.m).sum();
            let u: f64 = rm.levels.iter().map(|l| l.u).sum();
            assert!((m - 1.0).abs() < 1e-6 && (u - 1.0).abs() < 1e-6, "{m} {u}");
        }
    }

    fn arb_record() -> impl Strategy<Value = Value> {
        let v = prop_oneof![
            Just(Value::Null),
            "[张王李伟芳娜 a-zA-Z0-9@.+-]{0,14}".prop_map(Value::from),
            prop::collection::vec("[0-9 +-]{0,14}", 0..3).prop_map(|v| json!(v)),
        ];
        prop::collection::btree_map(
            prop_oneof![
                Just("name"),
                Just("company"),
                Just("phone"),
                Just("email"),
                Just("address"),
                Just("id_number"),
                Just("kind"),
                Just("updated_at"),
                Just("other")
            ],
            v,
            0..6,
        )
        .prop_map(|m| json!(m))
    }

    proptest! {
        #[test]
        fn symmetric_and_bounded(a in arb_record(), b in arb_record()) {
            let ab = compare(model(), &rec(a.clone()), &rec(b.clone()));
            let ba = compare(model(), &rec(b), &rec(a));
            prop_assert!((0.0..=1.0).contains(&ab.match_probability));
            prop_assert!((ab.match_weight - ba.match_weight).abs() < 1e-9);
            for ((r1, o1), (r2, o2)) in ab.outcomes.iter().zip(&ba.outcomes) {
                prop_assert_eq!(r1, r2);
                prop_assert!((o1.weight() - o2.weight()).abs() < 1e-9, "{:?} {:?}", o1, o2);
            }
        }
    }
}
