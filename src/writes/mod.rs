//! The three write scripts every resource shares: create, save (PUT and
//! PATCH alike) and remove. Each reads top to bottom as one transaction on
//! the writer: find, authorize, form, precondition, query, audit. What
//! differs per resource (its rules, its queries) is its [`Resource`] impl,
//! in `<resource>/record.rs`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use diesel::QueryResult;

use crate::db::Conn;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::audit::{self, Audited};
use crate::auth::{Caller, Drafts, Writer};
use crate::body::JsonObject;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{API_PREFIX, Key, Precondition, or_404, written_response};
use crate::input::{Problems, merge_patch, parse_object, writable_fields};
use crate::lines;
use crate::relations::relation_ids;

mod many;

pub use many::{RECORDS_PER_WRITE, create_many};

/// What the write scripts need to know of a resource.
pub trait Resource: Audited + Send + Sized + 'static {
    /// The collection's path under the API prefix (`"partners"`).
    const PATH: &'static str;
    /// What one record is called in messages (`"partner"`).
    const NAME: &'static str;
    /// The body as read, every field optional, and what it makes.
    type Input: RecordInput<Self>;

    /// The record with this id or slug (a plain query: `NotFound` when none).
    fn find(conn: &mut Conn, key: &Key) -> QueryResult<Self>;
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
    fn clashes(_conn: &mut Conn, _form: &Form<Self>, _id: Option<i32>) -> Result<(), ApiError> {
        Ok(())
    }
    /// Whether changing `before` into `after` changes how other records'
    /// CSV lines name it (its slug, for partners and thematic areas): their
    /// stored lines are then out of date (`crate::lines`).
    fn renames(_before: &Self, _after: &Self) -> bool {
        false
    }
    /// A 409 while other records still need this one.
    fn needed(_conn: &mut Conn, _current: &Self) -> Result<(), ApiError> {
        Ok(())
    }
    /// Inserts the record; its id.
    fn insert(conn: &mut Conn, form: Form<Self>) -> QueryResult<i32>;
    /// Replaces the record's writable fields (and links).
    fn update(conn: &mut Conn, id: i32, form: Form<Self>) -> QueryResult<()>;
    /// Deletes the record (and its own links).
    fn delete(conn: &mut Conn, id: i32) -> QueryResult<()>;
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
        conn: &mut Conn,
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

/// `body` through `I`'s rules, with no current record and a database
/// that holds nothing: for the unit tests of rules that read none.
#[cfg(test)]
pub fn form_of<R: Serialize, I: RecordInput<R>>(body: Value) -> Result<I::Form, ApiError> {
    use diesel::Connection;
    let Value::Object(map) = body else {
        panic!("test bodies are objects")
    };
    let (input, problems) = parse_object::<I>(map)?;
    let mut conn = Conn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
    input.form(&mut conn, problems, None)
}

/// The four plain queries of a [`Resource`] impl, taken from the
/// resource's model module (`find`, `insert`, `update`, `delete`).
#[macro_export]
macro_rules! plain_queries {
    ($model:ident) => {
        fn find(conn: &mut $crate::db::Conn, key: &$crate::http::Key) -> diesel::QueryResult<Self> {
            $model::find(conn, key)
        }

        fn insert(
            conn: &mut $crate::db::Conn,
            form: $crate::writes::Form<Self>,
        ) -> diesel::QueryResult<i32> {
            $model::insert(conn, form)
        }

        fn update(
            conn: &mut $crate::db::Conn,
            id: i32,
            form: $crate::writes::Form<Self>,
        ) -> diesel::QueryResult<()> {
            $model::update(conn, id, form)
        }

        fn delete(conn: &mut $crate::db::Conn, id: i32) -> diesel::QueryResult<()> {
            $model::delete(conn, id)
        }
    };
}

/// The record `key` names, or a 404 that quotes `key`.
pub fn found<R: Resource>(conn: &mut Conn, key: &Key) -> Result<R, ApiError> {
    or_404(R::find(conn, key), R::NAME, key)
}

/// As [`found`], for a caller that sees `drafts`: a record it may not see
/// is not found.
pub fn visible<R: Resource>(conn: &mut Conn, key: &Key, drafts: Drafts) -> Result<R, ApiError> {
    let record: R = found(conn, key)?;
    if !R::shown(&record, drafts) {
        return or_404(Err(diesel::result::Error::NotFound), R::NAME, key);
    }
    Ok(record)
}

/// As [`visible`], for `caller`.
pub fn found_by<R: Resource>(conn: &mut Conn, key: &Key, caller: &Caller) -> Result<R, ApiError> {
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

/// One record made from `input`, checked, stored and audited: the script
/// of a create, alone or in a bulk.
fn insert_one<R: Resource>(
    c: &mut Conn,
    caller: &Caller,
    input: R::Input,
    problems: Problems,
) -> Result<R, ApiError> {
    let form = input.form(c, problems, None)?;
    R::may_make(caller, None, &form)?;
    R::clashes(c, &form, None)?;
    let id = R::insert(c, form)?;
    let created: R = found(c, &Key::Id(id))?;
    lines::store(c, std::slice::from_ref(&created))?;
    audit::created(c, caller, &created)?;
    Ok(created)
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
    let (saved, renamed) = db
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
            // The database outdated other records' lines if the slug they
            // name changed (a trigger); they are stored anew once the
            // write is in, in the background.
            let renamed = R::renames(&current, &saved);
            lines::store(c, std::slice::from_ref(&saved))?;
            audit::updated(c, &caller, &current, &saved)?;
            Ok((saved, renamed))
        })
        .await?;
    if renamed {
        db.lines_outdated().notify_one();
    }
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
