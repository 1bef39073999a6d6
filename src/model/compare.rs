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

use super::facts::{facts, Facts};
use super::spec::{Condition, Level, Model};
use crate::record::roles::{Prepared, Role, ROLES};
use crate::record::{prepare_roles, PreparedRecord, Record};

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

/// Prepares every role of `r` that the model compares, with the model's
/// phone region.
pub fn prepare_record(model: &Model, r: &Record) -> PreparedRecord {
    prepare_roles(r, model.phone_region, |role| {
        model.roles[role.index()].is_some()
    })
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

#[cfg(test)]
mod tests {
    use super::super::spec::default_model;
    use super::*;
    use crate::error::MdmError;
    use proptest::prelude::*;
    use serde_json::json;
    use serde_json::Value;

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
