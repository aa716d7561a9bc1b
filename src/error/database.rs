//! Database errors as API errors: a missing row, a clash with a unique or
//! foreign key, a database that takes no writes.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::{ApiError, FieldError};

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => ApiError::NotFound("No record has this id or slug.".into()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let field = clashing_field(info.message(), info.constraint_name()).to_string();
                ApiError::Conflict(
                    format!("Another record already has this {field}."),
                    vec![FieldError::new(field, "is already taken")],
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                ApiError::Conflict("Other records still refer to this one.".into(), Vec::new())
            }
            // PostgreSQL holds no NUL in text, so a value with one (a path
            // segment, say) names no stored record; it refuses to compare it.
            DieselError::DatabaseError(_, info)
                if info.message().starts_with("invalid byte sequence")
                    && info.message().ends_with("0x00") =>
            {
                ApiError::NotFound("No record has this id or slug.".into())
            }
            // A standby (read-only) PostgreSQL server, after a failover say.
            DieselError::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, info) => {
                ApiError::Unwritable(info.message().to_string(), RETRY_WRITES_AFTER)
            }
            DieselError::DatabaseError(_, info) if unwritable(info.message()) => {
                ApiError::Unwritable(info.message().to_string(), RETRY_WRITES_AFTER)
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// The field a unique constraint keeps unique. SQLite names it in its
/// message ("UNIQUE constraint failed: partners.slug"); PostgreSQL names
/// the constraint (`partners_slug_key`, or an index of this schema's).
fn clashing_field<'a>(message: &'a str, constraint: Option<&'a str>) -> &'a str {
    match constraint {
        Some("partners_single_lead") => "role",
        Some("api_keys_live_name") => "name",
        Some(name) => name
            .strip_suffix("_key")
            .and_then(|n| n.rsplit('_').next())
            .unwrap_or("slug"),
        None => message.rsplit('.').next().unwrap_or("slug"),
    }
}

/// Seconds a client waits before trying a write again while the database
/// takes none.
pub const RETRY_WRITES_AFTER: u64 = 5;

/// Whether the store's `message` says the database cannot take writes
/// now: the disk is full, the file or its folder is read-only, or the disk
/// fails. (Diesel passes the message, not a code: for SQLite these are the
/// texts of SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR and
/// SQLITE_CANTOPEN; for PostgreSQL, a full disk as it reports one.)
pub fn unwritable(message: &str) -> bool {
    [
        "database or disk is full",
        "attempt to write a readonly database",
        "disk I/O error",
        "unable to open database file",
        "could not extend file",
        "No space left on device",
        "in a read-only transaction",
    ]
    .iter()
    .any(|m| message.contains(m))
}
