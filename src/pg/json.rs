//! A small JSON tree for results: built once, then either handed to
//! PostgreSQL as a jsonb datum without going through text (`jsonb.rs`), or
//! written as JSON text (unit tests, tools). Numbers carry the number of
//! decimals to keep, so both forms show the same digits.

use std::borrow::Cow;

/// A JSON value. Object keys are kept in the order given (jsonb sorts them).
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    /// A number rounded to at most `.1` decimals (trailing zeros dropped).
    Num(f64, u8),
    Str(Cow<'a, str>),
    Arr(Vec<Json<'a>>),
    Obj(Vec<(&'a str, Json<'a>)>),
}

impl<'a> Json<'a> {
    pub fn str(s: &'a str) -> Json<'a> {
        Json::Str(Cow::Borrowed(s))
    }

    pub fn string(s: String) -> Json<'a> {
        Json::Str(Cow::Owned(s))
    }

    /// The number as an integer and a scale (value = digits / 10^scale),
    /// with trailing zeros removed; `None` when it is not finite or does not
    /// fit in 18 digits.
    pub fn decimal(x: f64, decimals: u8) -> Option<(i64, u8)> {
        let scaled = (x * 10f64.powi(i32::from(decimals))).round();
        if !scaled.is_finite() || scaled.abs() >= 1e18 {
            return None;
        }
        // In range: checked just above.
        let mut digits = scaled as i64;
        let mut scale = decimals;
        while scale > 0 && digits % 10 == 0 {
            digits /= 10;
            scale -= 1;
        }
        Some((digits, scale))
    }

    /// JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(1024);
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Num(x, d) => match Json::decimal(*x, *d) {
                None => out.push_str("null"),
                Some((digits, scale)) => write_decimal(out, digits, scale),
            },
            Json::Str(s) => write_str(out, s),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_decimal(out: &mut String, digits: i64, scale: u8) {
    if digits < 0 {
        out.push('-');
    }
    let abs = digits.unsigned_abs().to_string();
    let scale = usize::from(scale);
    if scale == 0 {
        out.push_str(&abs);
    } else if abs.len() > scale {
        let (int, frac) = abs.split_at(abs.len() - scale);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - abs.len()));
        out.push_str(&abs);
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers() {
        let t = |x: f64, d: u8| Json::Num(x, d).to_text();
        assert_eq!(t(1.0, 4), "1");
        assert_eq!(t(0.0, 3), "0");
        assert_eq!(t(11.89512, 3), "11.895");
        assert_eq!(t(-16.6096, 3), "-16.61");
        assert_eq!(t(0.0000001, 12), "0.0000001");
        assert_eq!(t(0.9998899, 12), "0.9998899");
        assert_eq!(t(-0.0004, 3), "0");
        assert_eq!(t(-0.05, 3), "-0.05");
        assert_eq!(t(f64::NAN, 3), "null");
        assert_eq!(t(1e300, 3), "null");
    }

    #[test]
    fn nested() {
        let j = Json::Obj(vec![
            ("a", Json::Arr(vec![Json::str("x\"y"), Json::Null])),
            ("b", Json::Obj(vec![])),
        ]);
        assert_eq!(j.to_text(), r#"{"a":["x\"y",null],"b":{}}"#);
    }

    proptest! {
        #[test]
        fn text_is_json(s in "\\PC{0,20}|[\\x00-\\x1f\"\\\\]{0,5}", x in -1e6f64..1e6, d in 0u8..12) {
            let j = Json::Obj(vec![("k", Json::string(s.clone())), ("n", Json::Num(x, d))]);
            let v: serde_json::Value = serde_json::from_str(&j.to_text()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(v["k"].as_str(), Some(s.as_str()));
            let n = v["n"].as_f64().unwrap_or(f64::NAN);
            prop_assert!((n - x).abs() <= 0.5 * 10f64.powi(-i32::from(d)) + 1e-9 * x.abs());
        }
    }
}
