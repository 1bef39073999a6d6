//! jsonb at the SQL boundary, without pgrx's `JsonB` (which turns every
//! value into text and parses it with serde, both ways):
//!
//! - `JsonbText`: a jsonb argument as its text;
//! - `JsonbRaw`: a jsonb argument as PostgreSQL passed it, so that
//!   `mdm.compare` finds an already validated model in its cache by its
//!   bytes, without printing or parsing it;
//! - `JsonbDatum`: a jsonb result built directly from a [`Json`] tree with
//!   PostgreSQL's `pushJsonbValue`, which skips printing JSON text and
//!   lexing it again in `jsonb_in` (most of the cost of a result).

use std::ffi::{CStr, CString};
use std::ptr;

use pgrx::callconv::{Arg, ArgAbi, BoxRet, FcInfo};
use pgrx::datum::Datum;
use pgrx::nullable::Nullable;
use pgrx::pg_sys;
use pgrx::{direct_function_call, direct_function_call_as_datum, FromDatum, IntoDatum};

use super::json::Json;

/// The text form of a `jsonb` value (as `jsonb_out` writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonbText(pub String);

pgrx::impl_sql_translatable!(JsonbText, "jsonb");

impl FromDatum for JsonbText {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _: pg_sys::Oid,
    ) -> Option<Self> {
        if is_null {
            return None;
        }
        // SAFETY: the caller (pgrx's argument unboxing) guarantees that a
        // non-null datum of this SQL type is a jsonb varlena; jsonb_out
        // returns a palloc'd, NUL-terminated C string, which is copied and
        // then freed, as is the detoasted copy when there is one.
        unsafe {
            let varlena = datum.cast_mut_ptr::<pg_sys::varlena>();
            let detoasted = pg_sys::pg_detoast_datum_packed(varlena);
            let cstr = direct_function_call::<&CStr>(pg_sys::jsonb_out, &[Some(detoasted.into())])?;
            let text = cstr.to_string_lossy().into_owned();
            pg_sys::pfree(cstr.as_ptr() as *mut std::ffi::c_void);
            if detoasted != varlena {
                pg_sys::pfree(detoasted.cast());
            }
            Some(JsonbText(text))
        }
    }
}

impl IntoDatum for JsonbText {
    fn into_datum(self) -> Option<pg_sys::Datum> {
        // JSON text written by serde_json never holds a NUL byte (it writes
        // U+0000 as the escape \u0000); jsonb_in reports what it rejects as
        // a PostgreSQL error.
        let cstring = CString::new(self.0.replace('\0', "")).ok()?;
        // SAFETY: jsonb_in takes one cstring argument, which lives until the
        // call returns; the result is a palloc'd jsonb in the current context.
        unsafe { direct_function_call_as_datum(pg_sys::jsonb_in, &[Some(cstring.as_ptr().into())]) }
    }

    fn type_oid() -> pg_sys::Oid {
        pg_sys::JSONBOID
    }
}

// SAFETY: the value is unboxed with its FromDatum implementation above, for
// arguments declared jsonb, like pgrx does for its own JsonB.
unsafe impl<'fcx> ArgAbi<'fcx> for JsonbText {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        // SAFETY: see the impl; pgrx calls this only for non-null arguments.
        match unsafe { arg.unbox_arg_using_from_datum() } {
            Some(v) => v,
            None => JsonbText("null".into()),
        }
    }

    unsafe fn unbox_nullable_arg(arg: Arg<'_, 'fcx>) -> Nullable<Self> {
        // SAFETY: see the impl.
        unsafe { arg.unbox_arg_using_from_datum() }.into()
    }
}

/// A jsonb argument as passed, valid for the duration of the call.
#[derive(Debug)]
pub struct JsonbRaw(pg_sys::Datum);

pgrx::impl_sql_translatable!(JsonbRaw, "jsonb");

impl FromDatum for JsonbRaw {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _: pg_sys::Oid,
    ) -> Option<Self> {
        (!is_null).then_some(JsonbRaw(datum))
    }
}

// SAFETY: as for JsonbText; the datum is only kept for the call.
unsafe impl<'fcx> ArgAbi<'fcx> for JsonbRaw {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        // SAFETY: pgrx calls this only for non-null arguments.
        match unsafe { arg.unbox_arg_using_from_datum() } {
            Some(v) => v,
            None => JsonbRaw(pg_sys::Datum::from(0usize)),
        }
    }

    unsafe fn unbox_nullable_arg(arg: Arg<'_, 'fcx>) -> Nullable<Self> {
        // SAFETY: see the impl.
        unsafe { arg.unbox_arg_using_from_datum() }.into()
    }
}

impl JsonbRaw {
    /// Wraps a jsonb datum the caller keeps alive (tests).
    #[cfg(any(test, feature = "pg_test"))]
    pub(crate) fn from_datum(datum: pg_sys::Datum) -> JsonbRaw {
        JsonbRaw(datum)
    }

    /// Calls `f` with the bytes of the jsonb value (its binary form,
    /// detoasted; the same value always gives the same bytes).
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        // SAFETY: the datum is a non-null jsonb argument of the running
        // call; the detoasted copy (when there is one) is freed after use.
        unsafe {
            let varlena = self.0.cast_mut_ptr::<pg_sys::varlena>();
            let detoasted = pg_sys::pg_detoast_datum_packed(varlena);
            let len = pgrx::varsize_any_exhdr(detoasted);
            let data = pgrx::vardata_any(detoasted).cast::<u8>();
            let out = f(std::slice::from_raw_parts(data, len));
            if detoasted != varlena {
                pg_sys::pfree(detoasted.cast());
            }
            out
        }
    }

    /// The JSON text of the value.
    pub fn text(&self) -> String {
        // SAFETY: as in with_bytes; JsonbText reads the same datum.
        unsafe { JsonbText::from_polymorphic_datum(self.0, false, pg_sys::JSONBOID) }
            .map(|t| t.0)
            .unwrap_or_default()
    }
}

// SAFETY: the datum returned is a jsonb built by jsonb_in.
unsafe impl BoxRet for JsonbText {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        match self.into_datum() {
            // SAFETY: a valid jsonb datum for a function returning jsonb.
            Some(datum) => unsafe { fcinfo.return_raw_datum(datum) },
            None => fcinfo.return_null(),
        }
    }
}

/// A jsonb value built in this call, returned as it is.
#[derive(Debug)]
pub struct JsonbDatum(pg_sys::Datum);

pgrx::impl_sql_translatable!(JsonbDatum, "jsonb");

// SAFETY: the datum is a jsonb built by JsonbValueToJsonb (or jsonb_in) in
// the current memory context, for a function declared to return jsonb.
unsafe impl BoxRet for JsonbDatum {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        // SAFETY: see the impl.
        unsafe { fcinfo.return_raw_datum(self.0) }
    }
}

fn jsonb_value(kind: pg_sys::jbvType::Type) -> pg_sys::JsonbValue {
    pg_sys::JsonbValue {
        type_: kind,
        val: pg_sys::JsonbValue__bindgen_ty_1 {
            string: pg_sys::JsonbValue__bindgen_ty_1__bindgen_ty_1 {
                len: 0,
                val: ptr::null_mut(),
            },
        },
    }
}

/// PostgreSQL's numeric in its short on-disk form (numeric.c): a 4-byte
/// varlena header, a 16-bit header (short flag, sign, display scale,
/// weight), then base-10000 digits without leading or trailing zero digits.
/// `value = digits / 10^scale`; `scale` at most 63 and the weight within
/// -64..63, which any i64 with a scale up to 18 satisfies. Built here rather
/// than by int64_div_fast_to_numeric because a result holds dozens of
/// numbers and every call into PostgreSQL costs a setjmp guard.
pub(crate) fn short_numeric(digits: i64, scale: u8) -> [u32; 8] {
    const NBASE: u64 = 10_000;
    const SHORT: u16 = 0x8000;
    const SHORT_SIGN: u16 = 0x2000;
    const WEIGHT_SIGN: u16 = 0x0040;
    const WEIGHT_MASK: u16 = 0x003F;
    let scale = scale.min(18);
    // |digits| has at most 19 decimal digits: at most 5 base-10000 groups
    // before the decimal point and 5 after it (18 digits padded to 20).
    let abs = digits.unsigned_abs();
    let unit = 10u64.pow(u32::from(scale));
    let (mut int, frac) = (abs / unit, abs % unit);
    let mut groups = [0u16; 12];
    let mut int_rev = [0u16; 6];
    let mut n_int = 0;
    while int > 0 && n_int < int_rev.len() {
        int_rev[n_int] = (int % NBASE) as u16;
        int /= NBASE;
        n_int += 1;
    }
    for i in 0..n_int {
        groups[i] = int_rev[n_int - 1 - i];
    }
    // The fraction, padded on the right to a multiple of 4 decimal digits.
    let n_frac = usize::from(scale).div_ceil(4);
    let mut padded = u128::from(frac) * 10u128.pow((n_frac * 4 - usize::from(scale)) as u32);
    for i in (0..n_frac).rev() {
        groups[n_int + i] = (padded % u128::from(NBASE)) as u16;
        padded /= u128::from(NBASE);
    }
    let mut end = n_int + n_frac;
    let mut weight = n_int as i32 - 1;
    // Strip leading zero groups (each lowers the weight) and trailing ones.
    let mut start = 0;
    while start < end && groups[start] == 0 {
        start += 1;
        weight -= 1;
    }
    while end > start && groups[end - 1] == 0 {
        end -= 1;
    }
    if start == end {
        weight = 0;
    }
    let negative = digits < 0 && start < end;
    let header: u16 = SHORT
        | if negative { SHORT_SIGN } else { 0 }
        | (u16::from(scale) << 7)
        | if weight < 0 { WEIGHT_SIGN } else { 0 }
        | ((weight as u16) & WEIGHT_MASK);
    let len = 4 + 2 + 2 * (end - start);
    let mut bytes = [0u8; 32];
    // SET_VARSIZE for a 4-byte header on a little-endian machine: len << 2.
    bytes[..4].copy_from_slice(&((len as u32) << 2).to_le_bytes());
    bytes[4..6].copy_from_slice(&header.to_le_bytes());
    for (i, g) in groups[start..end].iter().enumerate() {
        bytes[6 + 2 * i..8 + 2 * i].copy_from_slice(&g.to_le_bytes());
    }
    // 4-byte aligned storage, as PostgreSQL expects of a varlena.
    let mut words = [0u32; 8];
    for (w, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
        *w = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    words
}

/// A scalar as a JsonbValue. Strings point into `j` and numerics into
/// `arena`, both of which must outlive the JsonbValueToJsonb call that
/// copies them.
fn scalar(j: &Json, arena: &mut Arena) -> pg_sys::JsonbValue {
    use pg_sys::jbvType::*;
    match j {
        Json::Str(s) => {
            let mut v = jsonb_value(jbvString);
            v.val.string = pg_sys::JsonbValue__bindgen_ty_1__bindgen_ty_1 {
                // A jsonb string holds less than 256 MB; ours are short.
                len: i32::try_from(s.len()).unwrap_or(0),
                val: s.as_ptr() as *mut std::ffi::c_char,
            };
            v
        }
        Json::Num(x, d) => match Json::decimal(*x, *d) {
            Some((digits, scale)) => {
                let mut v = jsonb_value(jbvNumeric);
                v.val.numeric = arena.numeric(short_numeric(digits, scale)).cast();
                v
            }
            None => jsonb_value(jbvNull),
        },
        _ => jsonb_value(jbvNull),
    }
}

/// Heap blocks that the JsonbValue tree points into; they stay in place
/// (a Vec's buffer does not move when the Vec itself is moved) until
/// JsonbValueToJsonb has copied the tree.
#[derive(Default)]
struct Arena {
    pairs: Vec<Vec<pg_sys::JsonbPair>>,
    elems: Vec<Vec<pg_sys::JsonbValue>>,
    /// Reserved up front for every number of the tree, so that pushing
    /// never moves the numerics already pointed to; past that capacity
    /// (never, when counted right) each numeric gets its own box.
    numerics: Vec<[u32; 8]>,
    // Boxed on purpose: a box keeps its address when the Vec grows.
    #[allow(clippy::vec_box)]
    overflow: Vec<Box<[u32; 8]>>,
}

impl Arena {
    fn for_tree(j: &Json) -> Arena {
        fn count(j: &Json) -> usize {
            match j {
                Json::Num(..) => 1,
                Json::Arr(items) => items.iter().map(count).sum(),
                Json::Obj(pairs) => pairs.iter().map(|(_, v)| count(v)).sum(),
                _ => 0,
            }
        }
        Arena {
            numerics: Vec::with_capacity(count(j)),
            ..Arena::default()
        }
    }

    /// Stores a numeric where it stays put; returns its address.
    fn numeric(&mut self, words: [u32; 8]) -> *mut u32 {
        if self.numerics.len() < self.numerics.capacity() {
            self.numerics.push(words);
            match self.numerics.last_mut() {
                Some(w) => w.as_mut_ptr(),
                None => ptr::null_mut(),
            }
        } else {
            let mut b = Box::new(words);
            let p = b.as_mut_ptr();
            self.overflow.push(b);
            p
        }
    }
}

/// jsonb's order of object keys: shorter first, then bytewise
/// (lengthCompareJsonbStringValue).
fn jsonb_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// The JsonbValue tree of `j`: objects and arrays in their in-memory form
/// (jbvObject with its pairs sorted and unique, as jsonb requires; jbvArray),
/// scalars as by [`scalar`].
fn tree(j: &Json, arena: &mut Arena) -> pg_sys::JsonbValue {
    use pg_sys::jbvType::*;
    match j {
        Json::Obj(pairs) => {
            let mut order: Vec<usize> = (0..pairs.len()).collect();
            // Stable: of equal keys the last one given wins, as in jsonb_in.
            order.sort_by(|&x, &y| jsonb_key_order(pairs[x].0, pairs[y].0));
            let mut out: Vec<pg_sys::JsonbPair> = Vec::with_capacity(order.len());
            for (i, &ix) in order.iter().enumerate() {
                let (k, v) = &pairs[ix];
                if order.get(i + 1).is_some_and(|&next| pairs[next].0 == *k) {
                    continue;
                }
                out.push(pg_sys::JsonbPair {
                    key: scalar(&Json::str(k), arena),
                    value: tree(v, arena),
                    order: u32::try_from(out.len()).unwrap_or(u32::MAX),
                });
            }
            let mut v = jsonb_value(jbvObject);
            v.val.object = pg_sys::JsonbValue__bindgen_ty_1__bindgen_ty_3 {
                nPairs: i32::try_from(out.len()).unwrap_or(0),
                pairs: out.as_mut_ptr(),
            };
            arena.pairs.push(out);
            v
        }
        Json::Arr(items) => {
            let mut out: Vec<pg_sys::JsonbValue> = items.iter().map(|i| tree(i, arena)).collect();
            let mut v = jsonb_value(jbvArray);
            v.val.array = pg_sys::JsonbValue__bindgen_ty_1__bindgen_ty_2 {
                nElems: i32::try_from(out.len()).unwrap_or(0),
                elems: out.as_mut_ptr(),
                rawScalar: false,
            };
            arena.elems.push(out);
            v
        }
        _ => scalar(j, arena),
    }
}

/// The jsonb form of `j`.
pub fn to_jsonb(j: &Json) -> JsonbDatum {
    if !matches!(j, Json::Obj(_) | Json::Arr(_)) {
        // A bare scalar takes jsonb's raw-scalar form; the text path knows it.
        let datum = JsonbText(j.to_text()).into_datum();
        return JsonbDatum(datum.unwrap_or(pg_sys::Datum::from(0usize)));
    }
    let mut arena = Arena::for_tree(j);
    let mut root = tree(j, &mut arena);
    // SAFETY: `root` is a complete jbvObject/jbvArray tree whose pairs are
    // sorted and unique; every pointer in it (pairs, elements, strings in
    // `j`, numerics palloc'd by `scalar`) is alive until this call returns,
    // and JsonbValueToJsonb copies it all into a new palloc'd jsonb.
    let jsonb = unsafe { pg_sys::JsonbValueToJsonb(&mut root) };
    drop(arena);
    JsonbDatum(pg_sys::Datum::from(jsonb))
}
