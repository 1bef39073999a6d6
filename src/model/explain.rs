//! Explanations of a comparison: the sentence a person reads, the full
//! result tree of `mdm.compare`, and the compact explanation stored with a
//! pair (the sentence, the model, each role's level and weight).

use super::compare::{Comparison, Outcome};
use super::spec::Level;
use crate::pg::json::Json;
use crate::record::roles::Role;

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
    #[cfg(test)]
    pub fn to_json_text(&self) -> String {
        self.to_json().to_text()
    }
}

/// The compact explanation stored with a pair: the sentence, the model,
/// and the level and weight of each role with data (mdm.compare on the two
/// rows gives every detail).
pub fn explanation_json(cmp: &Comparison<'_>) -> String {
    let roles: Vec<(&str, Json<'_>)> = cmp
        .outcomes
        .iter()
        .filter_map(|(role, o)| match o {
            Outcome::Level { level, weight, .. } => Some((
                role.key(),
                Json::Obj(vec![
                    ("level", Json::str(&level.label)),
                    ("weight", Json::Num(*weight, 3)),
                ]),
            )),
            _ => None,
        })
        .collect();
    Json::Obj(vec![
        ("explanation", Json::string(cmp.explanation())),
        ("model", Json::str(&cmp.model.name)),
        ("roles", Json::Obj(roles)),
    ])
    .to_text()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
