//! PostgreSQL helpers shared by every SQL-facing module: the `regclass`
//! argument type, SPI error mapping, jsonb read and written in its binary
//! form (`jsonb.rs`, `jsonb_read.rs`, with the result tree of `json.rs`),
//! progress reports (`progress.rs`) and the worker threads that pure
//! computation runs on (`parallel.rs`). Nothing here knows about customers.

pub mod json;
pub mod jsonb;
pub mod jsonb_read;
pub mod parallel;
pub mod progress;

use pgrx::callconv::{Arg, ArgAbi};
use pgrx::datum::DatumWithOid;
use pgrx::nullable::Nullable;
use pgrx::prelude::*;

use crate::error::MdmError;

/// A `regclass` argument: the table's oid.
#[derive(Debug, Clone, Copy)]
pub struct RegClass(pub pg_sys::Oid);

pgrx::impl_sql_translatable!(RegClass, "regclass");

impl FromDatum for RegClass {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _: pg_sys::Oid,
    ) -> Option<Self> {
        (!is_null).then(|| RegClass(pg_sys::Oid::from(datum.value() as u32)))
    }
}

// SAFETY: a regclass is an oid passed by value.
unsafe impl<'fcx> ArgAbi<'fcx> for RegClass {
    unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
        // SAFETY: pgrx calls this only for non-null arguments.
        match unsafe { arg.unbox_arg_using_from_datum() } {
            Some(v) => v,
            None => RegClass(pg_sys::InvalidOid),
        }
    }

    unsafe fn unbox_nullable_arg(arg: Arg<'_, 'fcx>) -> Nullable<Self> {
        // SAFETY: see the impl.
        unsafe { arg.unbox_arg_using_from_datum() }.into()
    }
}

pub(crate) type Res<T> = Result<T, MdmError>;

pub(crate) fn spi<T>(r: Result<T, pgrx::spi::SpiError>) -> Res<T> {
    r.map_err(|e| MdmError::Internal(format!("SPI: {e}")))
}

pub(crate) fn oid_arg<'a>(oid: pg_sys::Oid) -> DatumWithOid<'a> {
    oid.into()
}
