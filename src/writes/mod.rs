//! The three write scripts every resource shares: create, save (PUT and
//! PATCH alike) and remove. Each reads top to bottom as one transaction on
//! the writer: find, authorize, form, precondition, query, audit. What
//! differs per resource (its rules, its queries) is its [`Resource`] impl,
//! in `<resource>/record.rs`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Data;

use crate::db::Conn;
use serde_json::{Map, Value};

use crate::audit;
use crate::auth::{Caller, Drafts, Writer};
use crate::body::JsonObject;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{API_PREFIX, Key, Precondition, or_404, written_response};
use crate::input::{Problems, parse_object};
use crate::lines;

mod many;
mod resource;

pub use many::{RECORDS_PER_WRITE, create_many};
#[cfg(test)]
pub use resource::form_of;
pub use resource::{Form, RecordInput, Resource};

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
