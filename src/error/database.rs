//! Database errors as API errors: a missing row, a clash with a unique or
//! foreign key, a database that takes no writes.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::{ApiError, FieldError};

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => ApiError::NotFound("No record has this id or slug.".into()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // SQLite says "UNIQUE constraint failed: partners.slug".
                let field = info
                    .message()
                    .rsplit('.')
                    .next()
                    .unwrap_or("slug")
                    .to_string();
                ApiError::Conflict(
                    format!("Another record already has this {field}."),
                    vec![FieldError::new(field, "is already taken")],
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                ApiError::Conflict("Other records still refer to this one.".into(), Vec::new())
            }
            DieselError::DatabaseError(_, info) if unwritable(info.message()) => {
                ApiError::Unwritable(info.message().to_string(), RETRY_WRITES_AFTER)
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// Seconds a client waits before trying a write again while the database
/// takes none.
pub const RETRY_WRITES_AFTER: u64 = 5;

/// Whether SQLite's `message` says the database cannot take writes now:
/// the disk is full, the file or its folder is read-only, or the disk
/// fails. (Diesel passes SQLite's message, not its code: these are the
/// texts of SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR and
/// SQLITE_CANTOPEN.)
pub fn unwritable(message: &str) -> bool {
    [
        "database or disk is full",
        "attempt to write a readonly database",
        "disk I/O error",
        "unable to open database file",
    ]
    .iter()
    .any(|m| message.contains(m))
}
