//! Thematic area rows and their queries. Nothing here knows about HTTP.

use std::borrow::Cow;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::bulk::{Tabular, cell, text};
use crate::error::ApiError;
use crate::http::{Key, Precondition, or_404};
use crate::listing::{Listed, Listing};
use crate::relations;
use crate::schema::thematic_areas;
use crate::time::{now, rfc3339, shown};

/// A theme the network works on, as stored and as shown.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Serialize, ToSchema)]
#[diesel(table_name = thematic_areas, check_for_backend(diesel::sqlite::Sqlite))]
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

/// The thematic area with this id or slug, or a 404.
pub fn find(conn: &mut SqliteConnection, key: &Key) -> Result<ThematicArea, ApiError> {
    let query = thematic_areas::table.select(ThematicArea::as_select());
    let found = match key {
        Key::Id(id) => query.find(id).first(conn),
        Key::Slug(slug) => query.filter(thematic_areas::slug.eq(slug)).first(conn),
    };
    or_404(found, "thematic area", key)
}

crate::sort_fields!(ThematicAreaSort, THEMATIC_AREA_SORT: [
    ("slug", "t.slug", Text, false),
    ("name", "t.name COLLATE NOCASE", Text, false),
    ("position", "t.position", Int, true),
    ("created_at", "t.created_at", Timestamp, false),
    ("updated_at", "t.updated_at", Timestamp, false),
]);

/// One page of thematic areas (or batch of an export).
pub fn list(conn: &mut SqliteConnection, listing: &Listing) -> QueryResult<Listed<ThematicArea>> {
    conn.transaction(|conn| {
        let rows = listing.rows(conn, "thematic_areas")?;
        listing.finish(conn, "thematic_areas", rows)
    })
}

impl Tabular for ThematicArea {
    const HEADER: &'static [&'static str] = &[
        "id",
        "slug",
        "name",
        "description",
        "position",
        "created_at",
        "updated_at",
    ];

    fn record(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.id.to_string().into(),
            self.slug.as_str().into(),
            self.name.as_str().into(),
            text(&self.description),
            cell(&self.position),
            shown(&self.created_at).into(),
            shown(&self.updated_at).into(),
        ]
    }
}

/// Inserts a thematic area.
pub fn create(
    conn: &mut SqliteConnection,
    form: ThematicAreaForm,
) -> Result<ThematicArea, ApiError> {
    let at = now();
    let mut rows = diesel::insert_into(thematic_areas::table)
        .values((
            &form,
            thematic_areas::created_at.eq(at),
            thematic_areas::updated_at.eq(at),
        ))
        .returning(ThematicArea::as_returning())
        .get_results(conn)?;
    rows.pop().ok_or(ApiError::Internal(anyhow::anyhow!(
        "insert returned no row"
    )))
}

/// Replaces the thematic area's writable fields with what `build` makes of
/// the current record, if `pre` holds.
pub fn update(
    conn: &mut SqliteConnection,
    key: &Key,
    pre: &Precondition,
    allow: impl FnOnce(&ThematicArea) -> Result<(), ApiError>,
    build: impl FnOnce(&ThematicArea) -> Result<ThematicAreaForm, ApiError>,
) -> Result<(ThematicArea, ThematicArea), ApiError> {
    let current = find(conn, key)?;
    allow(&current)?;
    // Content first: a bad body is a 400/422 whatever its If-Match.
    let form = build(&current)?;
    pre.check(&current)?;
    let mut rows = diesel::update(thematic_areas::table.find(current.id))
        .set((&form, thematic_areas::updated_at.eq(now())))
        .returning(ThematicArea::as_returning())
        .get_results(conn)?;
    let updated = rows.pop().ok_or(ApiError::Internal(anyhow::anyhow!(
        "update returned no row"
    )))?;
    Ok((current, updated))
}

/// Deletes the thematic area, if `pre` holds and nothing uses it.
pub fn delete(
    conn: &mut SqliteConnection,
    key: &Key,
    pre: &Precondition,
    allow: impl FnOnce(&ThematicArea) -> Result<(), ApiError>,
) -> Result<ThematicArea, ApiError> {
    let current = find(conn, key)?;
    allow(&current)?;
    pre.check(&current)?;
    relations::ensure_thematic_area_unreferenced(conn, current.id, &current.slug)?;
    diesel::delete(thematic_areas::table.find(current.id)).execute(conn)?;
    Ok(current)
}
