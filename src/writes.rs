//! The three write scripts every resource shares: create, save (PUT and
//! PATCH alike) and remove. Each reads top to bottom as one transaction on
//! the writer: find, authorize, form, precondition, query, audit. What
//! differs per resource (its rules, its queries) is its [`Resource`] impl,
//! in `<resource>/record.rs`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use diesel::{QueryResult, SqliteConnection};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::audit::{self, Audited};
use crate::auth::limit::WriteLimiter;
use crate::auth::{Caller, Drafts, Writer};
use crate::body::JsonObject;
use crate::db::Db;
use crate::error::{ApiError, FieldError};
use crate::http::{API_PREFIX, Key, Precondition, or_404, written_response};
use crate::input::{Problems, merge_patch, parse_object, writable_fields};
use crate::relations::relation_ids;

/// What the write scripts need to know of a resource.
pub trait Resource: Audited + Send + Sized + 'static {
    /// The collection's path under the API prefix (`"partners"`).
    const PATH: &'static str;
    /// What one record is called in messages (`"partner"`).
    const NAME: &'static str;
    /// The body as read, every field optional, and what it makes.
    type Input: RecordInput<Self>;

    /// The record with this id or slug (a plain query: `NotFound` when none).
    fn find(conn: &mut SqliteConnection, key: &Key) -> QueryResult<Self>;
    /// Whether a caller that sees `drafts` sees the record. One it does not
    /// (a draft its partner does not propose) is a 404 to it, as if it did
    /// not exist, never a 403 that would tell it does.
    fn shown(_record: &Self, _drafts: Drafts) -> bool {
        true
    }
    /// Whether `caller` may write records of this kind at all: checked
    /// first, before the body is read or the record looked up (a key that
    /// may write no thematic area learns nothing of which ones exist).
    fn may_write_any(_caller: &Caller) -> Result<(), ApiError> {
        Ok(())
    }
    /// Whether `caller` may read this record's history.
    fn may_read_history(caller: &Caller, record: &Self) -> Result<(), ApiError> {
        Self::may_write(caller, Some(record))
    }
    /// Whether `caller` may write this record (`None`: a new one), before
    /// its body is read.
    fn may_write(caller: &Caller, current: Option<&Self>) -> Result<(), ApiError>;
    /// Whether `caller` may make `current` (`None`: nothing yet) into `form`.
    fn may_make(
        _caller: &Caller,
        _current: Option<&Self>,
        _form: &Form<Self>,
    ) -> Result<(), ApiError> {
        Ok(())
    }
    /// Whether `caller` may delete the record.
    fn may_delete(caller: &Caller, current: &Self) -> Result<(), ApiError> {
        Self::may_write(caller, Some(current))
    }
    /// A 409 when `form` clashes with other records (`id`: the record
    /// being replaced).
    fn clashes(
        _conn: &mut SqliteConnection,
        _form: &Form<Self>,
        _id: Option<i32>,
    ) -> Result<(), ApiError> {
        Ok(())
    }
    /// A 409 while other records still need this one.
    fn needed(_conn: &mut SqliteConnection, _current: &Self) -> Result<(), ApiError> {
        Ok(())
    }
    /// Inserts the record; its id.
    fn insert(conn: &mut SqliteConnection, form: Form<Self>) -> QueryResult<i32>;
    /// Replaces the record's writable fields (and links).
    fn update(conn: &mut SqliteConnection, id: i32, form: Form<Self>) -> QueryResult<()>;
    /// Deletes the record (and its own links).
    fn delete(conn: &mut SqliteConnection, id: i32) -> QueryResult<()>;
}

/// What the body of a write to `R` makes once every rule holds.
pub type Form<R> = <<R as Resource>::Input as RecordInput<R>>::Form;

/// A resource's body as read, every field optional: what it makes once its
/// rules hold, and how a merge patch is read into one.
pub trait RecordInput<R: Serialize>: DeserializeOwned + Send + Sized + 'static {
    /// What the body makes once every rule holds.
    type Form: Send + 'static;
    /// The record's relations as it shows them (`"partners"`, summaries)
    /// and the id fields that write them (`"partner_ids"`).
    const RELATIONS: &'static [(&'static str, &'static str)] = &[];

    /// Checks every rule at once (for a replace, against `current`), the
    /// related ids included. `problems` holds what parsing already found
    /// wrong (unknown fields).
    fn form(
        self,
        conn: &mut SqliteConnection,
        problems: Problems,
        current: Option<&R>,
    ) -> Result<Self::Form, ApiError>;

    /// RFC 7396: `patch` applied to `current`'s writable fields, read back
    /// as a body.
    fn merged(current: &R, patch: Map<String, Value>) -> Result<(Self, Problems), ApiError> {
        let mut target = writable_fields(current)?;
        for (shown, written) in Self::RELATIONS {
            relation_ids(&mut target, shown, written);
        }
        merge_patch(&mut target, patch);
        parse_object(target)
    }
}

/// The four plain queries of a [`Resource`] impl, taken from the
/// resource's model module (`find`, `insert`, `update`, `delete`).
#[macro_export]
macro_rules! plain_queries {
    ($model:ident) => {
        fn find(
            conn: &mut diesel::SqliteConnection,
            key: &$crate::http::Key,
        ) -> diesel::QueryResult<Self> {
            $model::find(conn, key)
        }

        fn insert(
            conn: &mut diesel::SqliteConnection,
            form: $crate::writes::Form<Self>,
        ) -> diesel::QueryResult<i32> {
            $model::insert(conn, form)
        }

        fn update(
            conn: &mut diesel::SqliteConnection,
            id: i32,
            form: $crate::writes::Form<Self>,
        ) -> diesel::QueryResult<()> {
            $model::update(conn, id, form)
        }

        fn delete(conn: &mut diesel::SqliteConnection, id: i32) -> diesel::QueryResult<()> {
            $model::delete(conn, id)
        }
    };
}

/// The record `key` names, or a 404 that quotes `key`.
pub fn found<R: Resource>(conn: &mut SqliteConnection, key: &Key) -> Result<R, ApiError> {
    or_404(R::find(conn, key), R::NAME, key)
}

/// As [`found`], for a caller that sees `drafts`: a record it may not see
/// is not found.
pub fn visible<R: Resource>(
    conn: &mut SqliteConnection,
    key: &Key,
    drafts: Drafts,
) -> Result<R, ApiError> {
    let record: R = found(conn, key)?;
    if !R::shown(&record, drafts) {
        return or_404(Err(diesel::result::Error::NotFound), R::NAME, key);
    }
    Ok(record)
}

/// As [`visible`], for `caller`.
pub fn found_by<R: Resource>(
    conn: &mut SqliteConnection,
    key: &Key,
    caller: &Caller,
) -> Result<R, ApiError> {
    visible(conn, key, caller.drafts())
}

/// How a save changes the record: PUT replaces it with a whole body, PATCH
/// merges a patch into it (RFC 7396).
pub enum Edit {
    Replace(JsonObject),
    Merge(JsonObject),
}

/// `POST /{collection}` with one record: 201 with `Location` and `ETag`.
pub async fn create<R: Resource>(
    db: Data<Db>,
    Writer(caller): Writer,
    body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    R::may_write_any(&caller)?;
    R::may_write(&caller, None)?;
    let (input, problems) = parse_object::<R::Input>(body.0)?;
    let created = db
        .write(move |c| insert_one::<R>(c, &caller, input, problems))
        .await?;
    let location = format!("{API_PREFIX}/{}/{}", R::PATH, created.id());
    written_response(StatusCode::CREATED, Some(location), &created)
}

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
                // No savepoint per record: each fault is found before the
                // record's first statement, or by that statement (a taken
                // slug), which SQLite undoes alone; the next records are
                // still checked against what the earlier ones stored, and
                // any fault rolls the whole batch back. (A savepoint each
                // cost a third of the time: FTS5 flushes its pending terms
                // at every one. PostgreSQL aborts a transaction on a failed
                // statement, so there a failing record needs one.)
                match insert_one::<R>(c, &caller, input, problems) {
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

/// One record made from `input`, checked, stored and audited: the script
/// of a create, alone or in a bulk.
fn insert_one<R: Resource>(
    c: &mut SqliteConnection,
    caller: &Caller,
    input: R::Input,
    problems: Problems,
) -> Result<R, ApiError> {
    let form = input.form(c, problems, None)?;
    R::may_make(caller, None, &form)?;
    R::clashes(c, &form, None)?;
    let id = R::insert(c, form)?;
    let created: R = found(c, &Key::Id(id))?;
    audit::created(c, caller, &created)?;
    Ok(created)
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

/// `PUT` and `PATCH /{collection}/{id}`: 200 with the new `ETag`.
pub async fn save<R: Resource>(
    db: Data<Db>,
    Writer(caller): Writer,
    key: Key,
    pre: Precondition,
    edit: Edit,
) -> Result<HttpResponse, ApiError> {
    R::may_write_any(&caller)?;
    // A whole body is read before the record is looked up, so that a body
    // of the wrong shape is a 400 whatever the record; a patch needs the
    // record first.
    let body = match edit {
        Edit::Replace(body) => Body::Whole(parse_object::<R::Input>(body.0)?),
        Edit::Merge(patch) => Body::Patch(patch.0),
    };
    let saved = db
        .write(move |c| {
            let current: R = found_by(c, &key, &caller)?;
            R::may_write(&caller, Some(&current))?;
            let (input, problems) = match body {
                Body::Whole(read) => read,
                Body::Patch(patch) => R::Input::merged(&current, patch)?,
            };
            // Content first: a bad body is a 400/422 whatever its If-Match.
            let form = input.form(c, problems, Some(&current))?;
            R::may_make(&caller, Some(&current), &form)?;
            pre.check(&current)?;
            R::clashes(c, &form, Some(current.id()))?;
            R::update(c, current.id(), form)?;
            let saved: R = found(c, &Key::Id(current.id()))?;
            audit::updated(c, &caller, &current, &saved)?;
            Ok(saved)
        })
        .await?;
    written_response(StatusCode::OK, None, &saved)
}

/// A save's body: read whole, or a patch still to merge.
enum Body<I> {
    Whole((I, Problems)),
    Patch(Map<String, Value>),
}

/// `DELETE /{collection}/{id}`: 204.
pub async fn remove<R: Resource>(
    db: Data<Db>,
    Writer(caller): Writer,
    key: Key,
    pre: Precondition,
) -> Result<HttpResponse, ApiError> {
    R::may_write_any(&caller)?;
    db.write(move |c| {
        let current: R = found_by(c, &key, &caller)?;
        R::may_delete(&caller, &current)?;
        pre.check(&current)?;
        R::needed(c, &current)?;
        R::delete(c, current.id())?;
        audit::deleted(c, &caller, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
