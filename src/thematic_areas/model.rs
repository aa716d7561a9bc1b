//! Thematic area rows and their queries. Nothing here knows about HTTP.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Conn;
use crate::listing::{Fetched, Listing};
use crate::schema::thematic_areas;
use crate::time::rfc3339;

/// A theme the network works on, as stored and as shown.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Serialize, ToSchema)]
#[diesel(table_name = thematic_areas, check_for_backend(crate::db::MultiBackend))]
#[schema(example = json!({
    "id": 2, "slug": "mobility-management-and-transport", "name": "Mobility management and transport",
    "description": null, "position": 2,
    "created_at": "2026-11-26T09:30:00Z", "updated_at": "2026-11-26T09:30:00Z"
}))]
pub struct ThematicArea {
    /// Numeric id, set by the server.
    pub id: i32,
    /// Unique human key, usable in place of the id in paths.
    pub slug: String,
    /// Name of the theme.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Display order: lower first.
    pub position: Option<i32>,
    /// When the record was created (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    #[diesel(deserialize_as = crate::time::Stamp)]
    pub created_at: NaiveDateTime,
    /// When the record last changed (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    #[diesel(deserialize_as = crate::time::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A thematic area's writable fields, checked.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = thematic_areas, treat_none_as_null = true)]
pub struct ThematicAreaForm {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub position: Option<i32>,
}

crate::sort_fields!(ThematicAreaSort, THEMATIC_AREA_SORT: [
    ("slug", "t.slug", Text, false),
    ("name", "t.name", NoCase, false),
    ("position", "t.position", Int, true),
    ("created_at", "t.created_at", Timestamp, false),
    ("updated_at", "t.updated_at", Timestamp, false),
]);

/// One page of thematic areas (or batch of an export).
pub fn list(conn: &mut Conn, listing: &Listing) -> QueryResult<Fetched<ThematicArea>> {
    crate::db::snapshot(conn, |conn| {
        let rows = listing.rows(conn, "thematic_areas")?;
        listing.finish(conn, "thematic_areas", rows)
    })
}

crate::tabular!(ThematicArea, ThematicAreaField, ThematicAreaView: [
    id, slug, name, description, position, created_at, updated_at,
]);

crate::table_queries!(thematic_areas, ThematicArea, ThematicAreaForm);
