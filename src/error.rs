//! The one error type of the extension, and the one place that maps each
//! error to a SQLSTATE. Pure modules return `MdmError`; the SQL wrappers call
//! [`MdmError::raise`], which reports it through PostgreSQL's `ereport`.

use std::fmt;

/// Everything that can go wrong for a caller of an `mdm` function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MdmError {
    /// A parameter (not the data being cleaned) has a value the function
    /// cannot work with: SQLSTATE 22023 invalid_parameter_value.
    InvalidParameter {
        /// The SQL name of the parameter.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// What would have been accepted.
        hint: String,
    },
}

impl MdmError {
    pub fn invalid_parameter(
        name: &'static str,
        value: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        MdmError::InvalidParameter {
            name,
            value: value.into(),
            hint: hint.into(),
        }
    }

    /// The SQLSTATE this error is reported with.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            MdmError::InvalidParameter { .. } => "22023",
        }
    }

    /// Reports the error to the client as an ERROR; never returns.
    pub fn raise(self) -> ! {
        use pgrx::pg_sys::panic::ErrorReport;
        use pgrx::{PgLogLevel, PgSqlErrorCode};
        let code = match self {
            MdmError::InvalidParameter { .. } => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        };
        let (detail, hint) = match &self {
            MdmError::InvalidParameter { name, value, hint } => (
                format!("The value given for {name} was {value:?}."),
                hint.clone(),
            ),
        };
        ErrorReport::new(code, self.to_string(), "customer_mdm")
            .set_detail(detail)
            .set_hint(hint)
            .report(PgLogLevel::ERROR);
        unreachable!("ereport(ERROR) does not return") // ok: ERROR never returns
    }
}

impl fmt::Display for MdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MdmError::InvalidParameter { name, .. } => {
                write!(f, "invalid value for parameter \"{name}\"")
            }
        }
    }
}

impl std::error::Error for MdmError {}

/// Unwraps a result in a SQL wrapper, raising the error as an ERROR.
pub trait OrRaise<T> {
    fn or_raise(self) -> T;
}

impl<T> OrRaise<T> for Result<T, MdmError> {
    fn or_raise(self) -> T {
        match self {
            Ok(v) => v,
            Err(e) => e.raise(),
        }
    }
}
