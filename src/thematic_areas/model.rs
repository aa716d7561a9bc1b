//! Thematic area rows and their queries. Nothing here knows about HTTP.

use diesel::prelude::*;

use crate::db::Conn;
use crate::listing::{Listing, Read};
use crate::schema::thematic_areas;

crate::record! {
    /// A theme the network works on, as stored and as shown.
    #[schema(example = json!({
        "id": 2, "slug": "mobility-management-and-transport", "name": "Mobility management and transport",
        "description": null, "position": 2,
        "created_at": "2026-11-26T09:30:00Z", "updated_at": "2026-11-26T09:30:00Z"
    }))]
    pub struct ThematicArea in thematic_areas, written by ThematicAreaForm {
        /// Unique human key, usable in place of the id in paths.
        slug: String,
        /// Name of the theme.
        name: String,
        /// Free text.
        description: Option<String>,
        /// Display order: lower first.
        position: Option<i32>,
    }
}

crate::sort_fields!(record ThematicAreaSort, THEMATIC_AREA_SORT: [
    ("name", "t.name", NoCase, false),
    ("position", "t.position", Int, true),
]);

/// One page of thematic areas (or batch of an export).
pub fn list(conn: &mut Conn, listing: &Listing) -> QueryResult<Read<ThematicArea>> {
    crate::db::snapshot(conn, |conn| {
        let listing = &listing.in_snapshot(conn)?;
        let rows = listing.rows(conn, "thematic_areas")?;
        Ok(listing.finish(conn, "thematic_areas", rows)?.ready())
    })
}

crate::tabular!(ThematicArea, ThematicAreaField, ThematicAreaView: [
    id, slug, name, description, position, created_at, updated_at,
]);

crate::table_queries!(thematic_areas, ThematicArea, ThematicAreaForm);
