//! Reading a record straight from jsonb's binary form (the on-disk format of
//! `src/include/utils/jsonb.h`, stable since PostgreSQL 9.4), without
//! printing it as JSON text and parsing that again: `mdm.compare` reads two
//! records per call.
//!
//! A container is a `u32` header (element count, object/array/scalar flags),
//! one `u32` JEntry per child (an object lists its keys, then its values),
//! then the children's data. A JEntry holds the child's type and either its
//! length or, every 32nd child, its end offset. Numerics and nested
//! containers start at the next 4-byte boundary of their offset.

const JB_CMASK: u32 = 0x0FFF_FFFF;
const JB_FSCALAR: u32 = 0x1000_0000;
pub(crate) const JB_FOBJECT: u32 = 0x2000_0000;
pub(crate) const JB_FARRAY: u32 = 0x4000_0000;

const JENTRY_OFFLENMASK: u32 = 0x0FFF_FFFF;
const JENTRY_TYPEMASK: u32 = 0x7000_0000;
const JENTRY_HAS_OFF: u32 = 0x8000_0000;
const JENTRY_ISSTRING: u32 = 0x0000_0000;
const JENTRY_ISNUMERIC: u32 = 0x1000_0000;
const JENTRY_ISBOOL_FALSE: u32 = 0x2000_0000;
const JENTRY_ISBOOL_TRUE: u32 = 0x3000_0000;
const JENTRY_ISNULL: u32 = 0x4000_0000;
const JENTRY_ISCONTAINER: u32 = 0x5000_0000;

/// A value read from a container.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    String(&'a str),
    Number(String),
    Bool(bool),
    Null,
    Array(Container<'a>),
    Object(Container<'a>),
}

/// A container: its bytes, starting at its header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Container<'a> {
    bytes: &'a [u8],
}

fn read_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn read_u16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn int_align(x: usize) -> usize {
    (x + 3) & !3
}

/// The text of a numeric (PostgreSQL's `numeric_out`): base-10000 digits,
/// a weight, a sign and a display scale, in the short or the long header
/// form. `None` for the special values (NaN, ±Infinity), which jsonb cannot
/// hold anyway, and for malformed bytes.
pub fn numeric_text(varlena: &[u8]) -> Option<String> {
    const SIGN_MASK: u16 = 0xC000;
    const NEG: u16 = 0x4000;
    const SHORT: u16 = 0x8000;
    const SPECIAL: u16 = 0xC000;
    // The varlena header: 4 bytes (len << 2) or 1 byte ((len << 1) | 1).
    let (len, hdr) = match varlena.first()? {
        b if b & 1 == 1 => (usize::from(b >> 1), 1),
        _ => ((read_u32(varlena, 0)? >> 2) as usize, 4),
    };
    let body = varlena.get(hdr..len)?;
    let n_header = read_u16(body, 0)?;
    let (negative, dscale, weight, digits_at) = match n_header & SIGN_MASK {
        SPECIAL => return None,
        SHORT => {
            let negative = n_header & 0x2000 != 0;
            let dscale = (n_header & 0x1F80) >> 7;
            let w = i32::from(n_header & 0x003F);
            let weight = if n_header & 0x0040 != 0 { w - 64 } else { w };
            (negative, usize::from(dscale), weight, 2)
        }
        sign => {
            let dscale = n_header & 0x3FFF;
            let weight = i32::from(read_u16(body, 2)? as i16);
            (sign == NEG, usize::from(dscale), weight, 4)
        }
    };
    let digits: Vec<u16> = body
        .get(digits_at..)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if digits.iter().any(|&d| d >= 10_000) || weight.abs() > 1000 || dscale > 1000 {
        return None;
    }
    // Digit i stands for 10000^(weight - i): integer groups are those with
    // weight - i >= 0.
    let group = |i: i32| -> u16 {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i))
            .copied()
            .unwrap_or(0)
    };
    let mut out = String::new();
    if negative && !digits.is_empty() {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        for i in 0..=weight {
            let d = group(i);
            if i == 0 {
                out.push_str(&d.to_string());
            } else {
                out.push_str(&format!("{d:04}"));
            }
        }
    }
    if dscale > 0 {
        out.push('.');
        let mut frac = String::with_capacity(dscale + 4);
        let mut i = weight + 1;
        while frac.len() < dscale {
            frac.push_str(&format!("{:04}", group(i)));
            i += 1;
        }
        frac.truncate(dscale);
        out.push_str(&frac);
    }
    Some(out)
}

impl<'a> Container<'a> {
    /// The root container of a jsonb value (the bytes after the varlena
    /// header).
    pub fn root(bytes: &'a [u8]) -> Container<'a> {
        Container { bytes }
    }

    fn header(&self) -> Option<u32> {
        read_u32(self.bytes, 0)
    }

    pub fn is_object(&self) -> bool {
        self.header()
            .is_some_and(|h| h & JB_FOBJECT != 0 && h & JB_FSCALAR == 0)
    }

    fn count(&self) -> usize {
        self.header().map_or(0, |h| (h & JB_CMASK) as usize)
    }

    fn n_children(&self) -> usize {
        if self.header().is_some_and(|h| h & JB_FOBJECT != 0) {
            self.count() * 2
        } else {
            self.count()
        }
    }

    fn jentry(&self, i: usize) -> Option<u32> {
        read_u32(self.bytes, 4 + 4 * i)
    }

    /// Start of child `i`'s data relative to the data area.
    fn offset(&self, i: usize) -> Option<usize> {
        let mut off = 0usize;
        for j in (0..i).rev() {
            let e = self.jentry(j)?;
            off = off.checked_add((e & JENTRY_OFFLENMASK) as usize)?;
            if e & JENTRY_HAS_OFF != 0 {
                break;
            }
        }
        Some(off)
    }

    fn child(&self, i: usize) -> Option<Scalar<'a>> {
        let e = self.jentry(i)?;
        let data = 4 + 4 * self.n_children();
        let start = self.offset(i)?;
        let len = if e & JENTRY_HAS_OFF != 0 {
            ((e & JENTRY_OFFLENMASK) as usize).checked_sub(start)?
        } else {
            (e & JENTRY_OFFLENMASK) as usize
        };
        let at = |from: usize| -> Option<&'a [u8]> {
            let s = data.checked_add(from)?;
            let end = data.checked_add(start)?.checked_add(len)?;
            self.bytes.get(s..end)
        };
        Some(match e & JENTRY_TYPEMASK {
            JENTRY_ISSTRING => Scalar::String(std::str::from_utf8(at(start)?).ok()?),
            JENTRY_ISNUMERIC => Scalar::Number(numeric_text(at(int_align(start))?)?),
            JENTRY_ISBOOL_FALSE => Scalar::Bool(false),
            JENTRY_ISBOOL_TRUE => Scalar::Bool(true),
            JENTRY_ISNULL => Scalar::Null,
            JENTRY_ISCONTAINER => {
                let inner = Container {
                    bytes: at(int_align(start))?,
                };
                let h = inner.header()?;
                if h & JB_FARRAY != 0 {
                    Scalar::Array(inner)
                } else {
                    Scalar::Object(inner)
                }
            }
            _ => return None,
        })
    }

    /// The key → value pairs of an object, in storage order.
    pub fn pairs(&self) -> Option<Vec<(&'a str, Scalar<'a>)>> {
        let n = self.count();
        (0..n)
            .map(|i| match self.child(i)? {
                Scalar::String(k) => Some((k, self.child(n + i)?)),
                _ => None,
            })
            .collect()
    }

    /// The elements of an array.
    pub fn elements(&self) -> Option<Vec<Scalar<'a>>> {
        (0..self.count()).map(|i| self.child(i)).collect()
    }
}

/// How a scalar is shown in an error message.
pub fn shown(s: &Scalar) -> String {
    match s {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Array(_) => "an array".into(),
        Scalar::Object(_) => "an object".into(),
        Scalar::String(s) => format!("{s:?}"),
        Scalar::Number(n) => n.clone(),
        Scalar::Null => "null".into(),
    }
}

impl Container<'_> {
    /// What a root that is not an object holds, as an error shows it: the
    /// scalar itself, or "an array".
    pub fn shown_root(&self) -> String {
        match self.header() {
            Some(h) if h & JB_FSCALAR != 0 => self
                .elements()
                .and_then(|e| e.into_iter().next())
                .map_or_else(|| "a scalar".to_string(), |s| shown(&s)),
            _ => "an array".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::jsonb::short_numeric;
    use super::*;
    use proptest::prelude::*;

    fn bytes(words: [u32; 8]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    #[test]
    fn numerics() {
        let t = |d: i64, s: u8| numeric_text(&bytes(short_numeric(d, s)));
        assert_eq!(t(0, 0).as_deref(), Some("0"));
        assert_eq!(t(13800138000, 0).as_deref(), Some("13800138000"));
        assert_eq!(t(-5, 2).as_deref(), Some("-0.05"));
        assert_eq!(t(100, 2).as_deref(), Some("1.00"));
        assert_eq!(t(11895, 3).as_deref(), Some("11.895"));
        assert_eq!(t(1, 12).as_deref(), Some("0.000000000001"));
        assert_eq!(t(i64::MAX, 0).as_deref(), Some("9223372036854775807"));
        // Long form: 1234.5, weight 0 (two digits 1234, 5000), dscale 1.
        let long: Vec<u8> = [12u32 << 2]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .chain([1u8, 0, 0, 0, 0xD2, 0x04, 0x88, 0x13])
            .collect();
        assert_eq!(numeric_text(&long).as_deref(), Some("1234.5"));
        assert_eq!(numeric_text(&[]), None);
        assert_eq!(numeric_text(&[0xFF]), None);
    }

    proptest! {
        #[test]
        fn numerics_round_trip(d in any::<i64>(), s in 0u8..=18) {
            let text = numeric_text(&bytes(short_numeric(d, s)));
            let digits = d.unsigned_abs().to_string();
            let s = usize::from(s);
            let padded = format!("{digits:0>width$}", width = s + 1);
            let (int, frac) = padded.split_at(padded.len() - s);
            let sign = if d < 0 { "-" } else { "" };
            let want = if s == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") };
            prop_assert_eq!(text, Some(want));
        }

        #[test]
        fn garbage_never_panics(b in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = numeric_text(&b);
        }
    }
}
