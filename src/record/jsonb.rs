//! A record read straight from jsonb's binary form (see
//! [`crate::pg::jsonb_read`]): `mdm.compare` and `mdm.blocking_keys` read
//! their records this way, without printing and parsing JSON text.

use super::{not_an_object, RawValue, Record};
use crate::error::MdmError;
use crate::pg::jsonb_read::{shown, Container, Scalar};

fn raw(s: Scalar) -> RawValue {
    match s {
        Scalar::String(v) => RawValue::Text(v.to_string()),
        Scalar::Number(n) => RawValue::Text(n),
        Scalar::Null => RawValue::Null,
        other => RawValue::Other(shown(&other)),
    }
}

/// Reads a record (role → value object) from the bytes of a jsonb value;
/// the same result as [`Record::from_json`] on its JSON text.
pub fn record(param: &'static str, bytes: &[u8]) -> Result<Record, MdmError> {
    let malformed = || MdmError::invalid_record(param, "", "is not a well-formed jsonb value");
    let root = Container::root(bytes);
    if !root.is_object() {
        return Err(not_an_object(param, &root.shown_root()));
    }
    let mut r = Record::default();
    for (key, value) in root.pairs().ok_or_else(malformed)? {
        match value {
            Scalar::Array(items) => r.add(
                param,
                key,
                items.elements().ok_or_else(malformed)?.into_iter().map(raw),
            )?,
            other => r.add(param, key, [raw(other)])?,
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::jsonb_read::{JB_FARRAY, JB_FOBJECT};
    use proptest::prelude::*;

    #[test]
    fn not_an_object() {
        assert!(record("a", &[]).is_err());
        assert!(record("a", &[1, 2]).is_err());
        // An empty array: header JB_FARRAY with no children.
        assert!(record("a", &JB_FARRAY.to_le_bytes()).is_err());
        // An empty object.
        assert_eq!(
            record("a", &JB_FOBJECT.to_le_bytes()).map(|r| r.unknown.len()),
            Ok(0)
        );
    }

    proptest! {
        #[test]
        fn garbage_never_panics(b in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = record("a", &b);
        }
    }
}
