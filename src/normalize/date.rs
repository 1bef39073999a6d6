//! Instants for the `updated_at` role: ISO 8601 dates and date-times as
//! PostgreSQL writes them in jsonb (`2026-11-22`, `2026-11-22T10:00:00`,
//! `2026-11-22 10:00:00.123+08`, `2026-11-22T02:00:00Z`), turned into days
//! since 1970-01-01 UTC. A time without an offset is taken as UTC.

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A cursor over the ASCII bytes of the text.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    /// Exactly `n` digits.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let end = self.i.checked_add(n)?;
        let part = self.s.get(self.i..end)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i = end;
        Some(part.iter().fold(0, |v, &c| v * 10 + i64::from(c - b'0')))
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i == self.s.len()
    }
}

/// Days since 1970-01-01 00:00 UTC, with the time of day as a fraction;
/// `None` when the text is not an ISO 8601 date or date-time.
pub fn parse_days(input: &str) -> Option<f64> {
    let mut c = Cursor {
        s: input.trim().as_bytes(),
        i: 0,
    };
    let y = c.digits(4)?;
    if !c.eat(b'-') {
        return None;
    }
    let m = c.digits(2)?;
    if !c.eat(b'-') {
        return None;
    }
    let d = c.digits(2)?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    let mut seconds = 0.0;
    if !c.done() {
        if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
            return None;
        }
        let h = c.digits(2)?;
        if !c.eat(b':') {
            return None;
        }
        let mi = c.digits(2)?;
        let mut s = 0.0;
        if c.eat(b':') {
            s = c.digits(2)? as f64;
            if c.eat(b'.') || c.eat(b',') {
                let start = c.i;
                let mut scale = 0.1;
                while let Some(digit) = c.peek().filter(u8::is_ascii_digit) {
                    s += f64::from(digit - b'0') * scale;
                    scale /= 10.0;
                    c.i += 1;
                }
                if c.i == start {
                    return None;
                }
            }
        }
        if h > 24 || mi > 59 || s >= 61.0 {
            return None;
        }
        seconds = (h * 3600 + mi * 60) as f64 + s;
        let utc = c.eat(b'Z') || c.eat(b'z');
        if let Some(sign) = c.peek().filter(|&b| !utc && (b == b'+' || b == b'-')) {
            c.i += 1;
            let oh = c.digits(2)?;
            c.eat(b':');
            let om = if c.done() { 0 } else { c.digits(2)? };
            if oh > 18 || om > 59 {
                return None;
            }
            let offset = (oh * 3600 + om * 60) as f64;
            seconds -= if sign == b'+' { offset } else { -offset };
        }
        if !c.done() {
            return None;
        }
    }
    Some(days_from_civil(y, m, d) as f64 + seconds / 86_400.0)
}

#[cfg(test)]
mod tests {
    use super::parse_days;
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        assert_eq!(parse_days("1970-01-01"), Some(0.0));
        assert_eq!(parse_days("2000-03-01"), Some(11_017.0));
        assert_eq!(parse_days("2026-11-22"), Some(20_779.0));
        assert_eq!(parse_days("1969-12-31"), Some(-1.0));
        assert_eq!(parse_days("2026-11-22T12:00:00"), Some(20_779.5));
        assert_eq!(
            parse_days("2026-11-22T10:00:00+08:00"),
            parse_days("2026-11-22 02:00:00Z")
        );
        assert_eq!(
            parse_days("2026-11-22 10:00:00.5+08"),
            parse_days("2026-11-22T02:00:00.5+00:00")
        );
        assert_eq!(
            parse_days("2026-11-22T00:00-0130"),
            Some(20_779.0 + 1.5 / 24.0)
        );
    }

    #[test]
    fn not_dates() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-29",
            "2026-11-22T",
            "2026-11-22T10",
            "2026-11-22 10:00 UTC",
            "22/11/2026",
            "2026-11-22T10:00:00.",
            "２０２６-11-22",
        ] {
            assert_eq!(parse_days(bad), None, "{bad}");
        }
        assert!(parse_days("2024-02-29").is_some());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_days(&s);
        }

        #[test]
        fn consecutive_days(y in 1i64..9999, m in 1i64..=12, d in 1i64..=27) {
            let a = parse_days(&format!("{y:04}-{m:02}-{d:02}")).unwrap_or(f64::NAN);
            let b = parse_days(&format!("{y:04}-{m:02}-{:02}", d + 1)).unwrap_or(f64::NAN);
            prop_assert_eq!(b - a, 1.0);
        }
    }
}
