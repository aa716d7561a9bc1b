//! The audit trail: one row per successful write, written in the write's
//! own transaction, with the record as the API showed it before and after.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::db::Conn;
use crate::error::ApiError;
use crate::listing::{Listing, Read};
use crate::schema::audit_log;
use crate::tabular::Tabular;
use crate::text_enum;
use crate::time::{now, rfc3339};

text_enum! {
    /// The collection a record belongs to.
    Collection {
        Partners = "partners",
        ThematicAreas = "thematic_areas",
        Recommendations = "recommendations",
        Events = "events",
    }
}

text_enum! {
    /// What a write did.
    Action {
        Create = "create",
        Update = "update",
        Delete = "delete",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(crate::db::MultiBackend))]
struct Row {
    id: i32,
    #[diesel(deserialize_as = crate::time::Stamp)]
    at: NaiveDateTime,
    key_name: String,
    collection: Collection,
    record_id: i32,
    action: Action,
    before: Option<String>,
    after: Option<String>,
}

crate::by_position!(Row in audit_log: [id, at, key_name, collection, record_id, action, before, after]);

/// One write, as the audit trail keeps it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 12, "at": "2026-11-26T09:30:00Z", "key_name": "lille-integration", "collection": "partners",
    "record_id": 1, "action": "update",
    "before": {"id": 1, "slug": "lille-metropole", "population": null},
    "after": {"id": 1, "slug": "lille-metropole", "population": 1200000}
}))]
pub struct AuditEntry {
    /// Numeric id, in the order the writes happened.
    pub id: i32,
    /// When the write happened (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// The name of the key that wrote.
    pub key_name: String,
    pub collection: Collection,
    /// The id of the record written.
    pub record_id: i32,
    pub action: Action,
    /// The record as the API showed it before the write; `null` for a create.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The record as the API showed it after the write; `null` for a delete.
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

impl From<Row> for AuditEntry {
    fn from(row: Row) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        AuditEntry {
            id: row.id,
            at: row.at,
            key_name: row.key_name,
            collection: row.collection,
            record_id: row.record_id,
            action: row.action,
            before: parse(row.before),
            after: parse(row.after),
        }
    }
}

/// A record the audit trail keeps: its collection and id, and its JSON as
/// the API shows it.
pub trait Audited: Tabular {
    const COLLECTION: Collection;

    fn id(&self) -> i32 {
        self.record_id()
    }
}

/// Records that `caller` created `after`. Call it inside the write's
/// transaction, as the other two.
pub fn created<T: Audited>(conn: &mut Conn, caller: &Caller, after: &T) -> Result<(), ApiError> {
    record(conn, caller, Action::Create, after.id(), None, Some(after))
}

/// Records that `caller` changed `before` into `after`.
pub fn updated<T: Audited>(
    conn: &mut Conn,
    caller: &Caller,
    before: &T,
    after: &T,
) -> Result<(), ApiError> {
    record(
        conn,
        caller,
        Action::Update,
        after.id(),
        Some(before),
        Some(after),
    )
}

/// Records that `caller` deleted `before`.
pub fn deleted<T: Audited>(conn: &mut Conn, caller: &Caller, before: &T) -> Result<(), ApiError> {
    record(
        conn,
        caller,
        Action::Delete,
        before.id(),
        Some(before),
        None,
    )
}

fn record<T: Audited>(
    conn: &mut Conn,
    caller: &Caller,
    action: Action,
    record_id: i32,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), ApiError> {
    let json = |record: Option<&T>| {
        record
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| ApiError::Internal(e.into()))
    };
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now()),
            audit_log::key_name.eq(&caller.name),
            audit_log::collection.eq(T::COLLECTION),
            audit_log::record_id.eq(record_id),
            audit_log::action.eq(action),
            audit_log::before.eq(json(before)?),
            audit_log::after.eq(json(after)?),
        ))
        .execute(conn)?;
    Ok(())
}

crate::sort_fields!(AuditSort, AUDIT_SORT: [("at", "t.at", Timestamp, false)]);

/// One page of the trail.
pub fn list(conn: &mut Conn, listing: &Listing) -> QueryResult<Read<AuditEntry>> {
    crate::db::snapshot(conn, |conn| {
        let listing = &listing.in_snapshot(conn)?;
        let rows: Vec<Row> = listing.rows(conn, "audit_log")?;
        let entries = rows.into_iter().map(AuditEntry::from).collect();
        Ok(listing.finish(conn, "audit_log", entries)?.ready())
    })
}
