//! A bulk create: many records in one write, stored all together or not
//! at all, with every fault of every record reported at once.

use actix_web::HttpResponse;
use actix_web::web::Data;
use serde_json::{Map, Value};

use super::{Resource, insert_one};
use crate::auth::Writer;
use crate::auth::limit::WriteLimiter;
use crate::db::{Db, Dialect};
use crate::error::{ApiError, FieldError};
use crate::input::parse_object;

/// How many records of a bulk create count as one write against the
/// key's rate limit.
pub const RECORDS_PER_WRITE: usize = 100;

/// `POST /{collection}` with many records: all stored, in one transaction,
/// or none. 201 with the records in the order sent; on any fault a 422
/// naming each record at fault by its index, and nothing stored.
pub async fn create_many<R: Resource>(
    db: Data<Db>,
    Writer(caller): Writer,
    limiter: Data<WriteLimiter>,
    bodies: Vec<Map<String, Value>>,
) -> Result<HttpResponse, ApiError> {
    R::may_write_any(&caller)?;
    R::may_write(&caller, None)?;
    // The request took one write already.
    let writes = bodies.len().div_ceil(RECORDS_PER_WRITE).saturating_sub(1);
    limiter.check_n(caller.key_id, u32::try_from(writes).unwrap_or(u32::MAX))?;
    let mut faults = Faults::default();
    let mut inputs = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.into_iter().enumerate() {
        match parse_object::<R::Input>(body) {
            Ok(read) => inputs.push(Some(read)),
            Err(e) => {
                faults.add(i, e)?;
                inputs.push(None);
            }
        }
    }
    let created = db
        .write(move |c| {
            let mut created = Vec::with_capacity(inputs.len());
            for (i, read) in inputs.into_iter().enumerate() {
                let Some((input, problems)) = read else {
                    continue;
                };
                // No savepoint per record on SQLite: each fault is found
                // before the record's first statement, or by that statement
                // (a taken slug), which SQLite undoes alone; the next
                // records are still checked against what the earlier ones
                // stored, and any fault rolls the whole batch back. (A
                // savepoint each cost a third of the time: FTS5 flushes its
                // pending terms at every one.) PostgreSQL aborts the whole
                // transaction on a failed statement, so there each record
                // has a savepoint of its own.
                let inserted = match c.dialect() {
                    Dialect::Sqlite => insert_one::<R>(c, &caller, input, problems),
                    Dialect::Postgres => diesel::Connection::transaction(c, |c| {
                        insert_one::<R>(c, &caller, input, problems)
                    }),
                };
                match inserted {
                    Ok(record) => created.push(record),
                    Err(e) => faults.add(i, e)?,
                }
            }
            faults.into_result().map(|()| created)
        })
        .await?;
    // No ETag: an array of new records is no resource's representation.
    Ok(HttpResponse::Created().json(created))
}

/// What was wrong with the records of a bulk create, by index and field.
#[derive(Default)]
struct Faults {
    errors: Vec<FieldError>,
    /// Whether every fault is a clash with stored data (409) rather than
    /// a rule the record breaks (422).
    clashes_only: bool,
}

impl Faults {
    /// Adds the faults of the record at `index`. A refusal of the caller
    /// (403) or of the service stays what it is.
    fn add(&mut self, index: usize, error: ApiError) -> Result<(), ApiError> {
        let (detail, errors, clash) = match error {
            ApiError::Conflict(detail, errors) => (detail, errors, true),
            ApiError::BadRequest(detail, errors) => (detail, errors, false),
            ApiError::Unprocessable(errors) => (String::new(), errors, false),
            ApiError::Forbidden(detail) => {
                return Err(ApiError::Forbidden(format!("Record {index}: {detail}")));
            }
            other => return Err(other),
        };
        self.clashes_only = clash && (self.clashes_only || self.errors.is_empty());
        if errors.is_empty() {
            self.errors.push(FieldError::at(index, "", detail));
        }
        self.errors.extend(errors.into_iter().map(|e| FieldError {
            index: Some(index),
            ..e
        }));
        Ok(())
    }

    /// None: `Ok`. Else a 409 when each is a clash, a 422 otherwise, with
    /// every fault in record order.
    fn into_result(mut self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            return Ok(());
        }
        self.errors.sort_by_key(|fault| fault.index);
        let mut records: Vec<Option<usize>> = self.errors.iter().map(|e| e.index).collect();
        records.dedup();
        let count = records.len();
        Err(match self.clashes_only {
            true => ApiError::Conflict(
                format!("{count} of the records clash with stored ones or with each other."),
                self.errors,
            ),
            false => ApiError::Unprocessable(self.errors),
        })
    }
}
