//! What a resource tells the write scripts: its rules and queries
//! ([`Resource`]), and how its body becomes a write ([`RecordInput`]).

use diesel::QueryResult;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::audit::Audited;
use crate::auth::{Caller, Drafts};
use crate::db::Conn;
use crate::error::ApiError;
use crate::http::Key;
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
