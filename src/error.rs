//! The one error type of the extension, and the one place that maps each
//! error to a SQLSTATE. Pure modules return `MdmError`; the SQL wrappers call
//! [`MdmError::raise`], which reports it through PostgreSQL's `ereport`.

use std::fmt;

/// Everything that can go wrong for a caller of an `mdm` function.
#[derive(Debug, Clone, PartialEq)]
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
    /// A match model (jsonb) that cannot be used: SQLSTATE 22023. `key` is
    /// the path of the offending key (`roles.name.levels[1].m`).
    InvalidModel { key: String, problem: String },
    /// A record given to `mdm.compare` that is not a role → value object:
    /// SQLSTATE 22023. `param` is the SQL parameter (`a` or `b`), `key` the
    /// role whose value is wrong (empty for the record itself).
    InvalidRecord {
        param: &'static str,
        key: String,
        problem: String,
    },
    /// A table that batch detection needs registered: SQLSTATE 55000
    /// object_not_in_prerequisite_state.
    NotRegistered { table: String },
    /// A table that cannot be registered as it is (no primary key, a
    /// composite key, a key of an unsupported type): SQLSTATE 55000, or
    /// 0A000 feature_not_supported for `unsupported`.
    CannotRegister {
        table: String,
        problem: String,
        hint: String,
        unsupported: bool,
    },
    /// A mapped column that does not exist: SQLSTATE 42703.
    UndefinedColumn {
        table: String,
        column: String,
        role: String,
    },
    /// A mapped column whose type cannot hold the role: SQLSTATE 42804
    /// datatype_mismatch.
    WrongColumnType {
        column: String,
        type_name: String,
        role: String,
        hint: String,
    },
    /// A record id that is not in the table: SQLSTATE 22023.
    UnknownRecord { table: String, id: String },
    /// A row the realtime trigger blocks: it matches an existing record at
    /// or above the block threshold. SQLSTATE 23505 unique_violation.
    DuplicateRecord {
        table: String,
        existing: String,
        probability: f64,
        explanation: String,
    },
    /// A REPEATABLE READ / SERIALIZABLE transaction whose realtime check
    /// waited for a concurrent write of a record with a shared blocking
    /// key, which its snapshot cannot see: SQLSTATE 40001.
    ConcurrentWrite { table: String },
    /// A bug: what should not happen, said plainly (SQLSTATE XX000).
    Internal(String),
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

    pub fn invalid_model(key: impl Into<String>, problem: impl Into<String>) -> Self {
        MdmError::InvalidModel {
            key: key.into(),
            problem: problem.into(),
        }
    }

    pub fn invalid_record(
        param: &'static str,
        key: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        MdmError::InvalidRecord {
            param,
            key: key.into(),
            problem: problem.into(),
        }
    }

    /// The one mapping of errors to SQLSTATEs: the PostgreSQL code and its
    /// five-character form.
    fn code(&self) -> (pgrx::PgSqlErrorCode, &'static str) {
        use pgrx::PgSqlErrorCode::*;
        match self {
            MdmError::InvalidParameter { .. }
            | MdmError::InvalidModel { .. }
            | MdmError::InvalidRecord { .. }
            | MdmError::UnknownRecord { .. } => (ERRCODE_INVALID_PARAMETER_VALUE, "22023"),
            MdmError::NotRegistered { .. }
            | MdmError::CannotRegister {
                unsupported: false, ..
            } => (ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "55000"),
            MdmError::CannotRegister { .. } => (ERRCODE_FEATURE_NOT_SUPPORTED, "0A000"),
            MdmError::UndefinedColumn { .. } => (ERRCODE_UNDEFINED_COLUMN, "42703"),
            MdmError::WrongColumnType { .. } => (ERRCODE_DATATYPE_MISMATCH, "42804"),
            MdmError::DuplicateRecord { .. } => (ERRCODE_UNIQUE_VIOLATION, "23505"),
            MdmError::ConcurrentWrite { .. } => (ERRCODE_T_R_SERIALIZATION_FAILURE, "40001"),
            MdmError::Internal(_) => (ERRCODE_INTERNAL_ERROR, "XX000"),
        }
    }

    /// The SQLSTATE this error is reported with.
    pub fn sqlstate(&self) -> &'static str {
        self.code().1
    }

    /// The DETAIL and HINT lines of the report.
    pub fn detail_and_hint(&self) -> (String, String) {
        match self {
            MdmError::InvalidParameter { name, value, hint } => (
                format!("The value given for {name} was {value:?}."),
                hint.clone(),
            ),
            MdmError::InvalidModel { key, problem } => (
                format!("Key \"{key}\": {problem}."),
                "A model is the jsonb of mdm.default_model() with your changes; start from it.".into(),
            ),
            MdmError::InvalidRecord { param, key, problem } => (
                if key.is_empty() {
                    format!("Record {param}: {problem}.")
                } else {
                    format!("Record {param}, role \"{key}\": {problem}.")
                },
                "A record is a jsonb object of role -> value, where a value is a string, a number, \
                 null, or an array of those (for example {\"name\": \"张伟\", \"phone\": [\"13800138000\"]})."
                    .into(),
            ),
            MdmError::NotRegistered { table } => (
                format!("Table {table} has no customer_mdm registration."),
                format!("Register it first: SELECT mdm.register('{table}', '{{\"name\": \"name\", \"phone\": \"phone\"}}');"),
            ),
            MdmError::CannotRegister { problem, hint, .. } => (format!("{problem}."), hint.clone()),
            MdmError::UndefinedColumn { table, column, role } if role.is_empty() => (
                format!("Table {table} has no column \"{column}\"."),
                "Use the table's column names.".into(),
            ),
            MdmError::UndefinedColumn { table, column, role } => (
                format!("Role \"{role}\" is mapped to column \"{column}\", which table {table} does not have."),
                "fields maps roles to existing columns, for example {\"name\": \"full_name\", \"phone\": [\"phone\", \"mobile\"]}.".into(),
            ),
            MdmError::WrongColumnType { column, type_name, role, hint } => (
                format!("Column \"{column}\" mapped to role \"{role}\" has type {type_name}."),
                hint.clone(),
            ),
            MdmError::UnknownRecord { table, id } => (
                format!("Table {table} has no row with primary key {id}."),
                "Pass primary-key values of existing rows.".into(),
            ),
            MdmError::DuplicateRecord { existing, explanation, .. } => (
                explanation.clone(),
                format!(
                    "The customer already exists as record {existing}: update that record instead. To store the row anyway, \
                     insert it with SET customer_mdm.realtime = off and record the decision with mdm.mark_distinct."
                ),
            ),
            MdmError::ConcurrentWrite { table } => (
                format!(
                    "A concurrent transaction wrote a record of {table} sharing a blocking key with this one, \
                     and this transaction's snapshot cannot see whether it is a duplicate."
                ),
                "Retry the transaction.".into(),
            ),
            MdmError::Internal(what) => (
                what.clone(),
                "This is a bug in customer_mdm; please report it with the statement that caused it.".into(),
            ),
        }
    }

    /// Reports the error to the client as an ERROR; never returns.
    pub fn raise(self) -> ! {
        use pgrx::pg_sys::panic::ErrorReport;
        use pgrx::PgLogLevel;
        let code = self.code().0;
        let (detail, hint) = self.detail_and_hint();
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
            MdmError::InvalidModel { key, .. } => {
                write!(f, "invalid match model at key \"{key}\"")
            }
            MdmError::InvalidRecord { param, key, .. } if key.is_empty() => {
                write!(f, "invalid record \"{param}\"")
            }
            MdmError::InvalidRecord { param, key, .. } => {
                write!(f, "invalid value for role \"{key}\" in record \"{param}\"")
            }
            MdmError::NotRegistered { table } => {
                write!(f, "table {table} is not registered with customer_mdm")
            }
            MdmError::CannotRegister { table, .. } => {
                write!(f, "table {table} cannot be registered")
            }
            MdmError::UndefinedColumn { table, column, .. } => {
                write!(f, "column \"{column}\" of table {table} does not exist")
            }
            MdmError::WrongColumnType {
                column,
                type_name,
                role,
                ..
            } => write!(
                f,
                "column \"{column}\" of type {type_name} cannot hold role \"{role}\""
            ),
            MdmError::UnknownRecord { table, id } => {
                write!(f, "no row of table {table} has primary key {id}")
            }
            MdmError::DuplicateRecord {
                table,
                existing,
                probability,
                ..
            } => write!(
                f,
                "duplicate customer: the row matches record {existing} of table {table} (match probability {probability:.3})"
            ),
            MdmError::ConcurrentWrite { .. } => write!(
                f,
                "could not serialize access due to a concurrent write of a possible duplicate"
            ),
            MdmError::Internal(what) => write!(f, "internal error in customer_mdm: {what}"),
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
