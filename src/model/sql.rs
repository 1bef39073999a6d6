//! SQL wrappers of the match model: `mdm.compare` and `mdm.default_model`.

use std::cell::RefCell;
use std::rc::Rc;

use pgrx::prelude::*;

use super::compare::compare as compare_records;
use super::spec::{default_model as builtin, Model, DEFAULT_MODEL_JSON};
use crate::error::{MdmError, OrRaise};
use crate::pg::jsonb::{to_jsonb, JsonbDatum, JsonbRaw, JsonbText};
use crate::record::{jsonb as record_jsonb, Record};

thread_local! {
    /// The last model given to `mdm.compare`, by its jsonb bytes: a query
    /// passes the same model for every row, which is then validated once.
    static LAST_MODEL: RefCell<Option<(Vec<u8>, Rc<Model>)>> = const { RefCell::new(None) };
}

fn given_model(raw: &JsonbRaw) -> Result<Rc<Model>, MdmError> {
    LAST_MODEL.with(|cache| {
        if let Some((bytes, m)) = &*cache.borrow() {
            if raw.with_bytes(|b| b == bytes.as_slice()) {
                return Ok(Rc::clone(m));
            }
        }
        let m = Rc::new(Model::from_text(&raw.text())?);
        *cache.borrow_mut() = Some((raw.with_bytes(<[u8]>::to_vec), Rc::clone(&m)));
        Ok(m)
    })
}

fn record(param: &'static str, raw: &JsonbRaw) -> Result<Record, MdmError> {
    raw.with_bytes(|bytes| record_jsonb::record(param, bytes))
}

#[pg_extern(immutable, parallel_safe)]
fn compare(
    a: Option<JsonbRaw>,
    b: Option<JsonbRaw>,
    model: default!(Option<JsonbRaw>, "NULL"),
) -> Option<JsonbDatum> {
    let (a, b) = (a?, b?);
    let ra = record("a", &a).or_raise();
    let rb = record("b", &b).or_raise();
    Some(match model {
        None => to_jsonb(&compare_records(builtin().or_raise(), &ra, &rb).to_json()),
        Some(raw) => {
            let m = given_model(&raw).or_raise();
            to_jsonb(&compare_records(&m, &ra, &rb).to_json())
        }
    })
}

#[pg_extern(immutable, strict, parallel_safe)]
fn default_model() -> JsonbText {
    JsonbText(DEFAULT_MODEL_JSON.to_string())
}

extension_sql_file!(
    "../../sql/model.sql",
    name = "model_comments",
    requires = [compare, default_model]
);
