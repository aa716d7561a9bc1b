//! Recommendation rows, their links, and their queries. Nothing here knows
//! about HTTP. A page of recommendations costs a fixed number of queries:
//! one for the rows, one per relation, one for the total.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{Conn, Counts};
use crate::listing::{Listing, Read};
use crate::relations::{LinkTables, Linked, Summary};
use crate::schema::{
    partners, recommendation_partners as rp, recommendation_thematic_areas as rta, recommendations,
    thematic_areas,
};
use crate::text_enum;
use crate::time::rfc3339;

text_enum! {
    /// The level of government a recommendation is addressed to.
    TargetLevel {
        Local = "local",
        Regional = "regional",
        National = "national",
        European = "european",
    }
}

text_enum! {
    /// Whether a recommendation is still being written or is public.
    RecommendationStatus {
        Draft = "draft",
        Published = "published",
    }
}

crate::record! {
    /// A recommendation's own columns.
    struct Row in recommendations, written by RecommendationForm {
        slug: String,
        title: String,
        body: String,
        target_level: TargetLevel,
        status: RecommendationStatus,
    }
}

/// A recommendation as shown, with its thematic areas and proposers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 1, "slug": "metropolitan-mobility-authority", "title": "Give the city-region one mobility authority",
    "body": "Plan transport at the scale people travel.", "target_level": "regional", "status": "published",
    "thematic_areas": [{"id": 2, "slug": "mobility-management-and-transport", "name": "Mobility management and transport"}],
    "partners": [{"id": 1, "slug": "lille-metropole", "name": "Lille Métropole"}],
    "created_at": "2026-11-26T09:30:00Z", "updated_at": "2026-11-26T09:30:00Z"
}))]
pub struct Recommendation {
    /// Numeric id, set by the server.
    pub id: i32,
    /// Unique human key, usable in place of the id in paths.
    pub slug: String,
    /// Short statement of the recommendation.
    pub title: String,
    /// The recommendation in full, as Markdown.
    pub body: String,
    pub target_level: TargetLevel,
    pub status: RecommendationStatus,
    /// The themes it belongs to (at least one), in id order.
    pub thematic_areas: Vec<Summary>,
    /// The partners who proposed it, in id order.
    pub partners: Vec<Summary>,
    /// When the record was created (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// When the record last changed (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
}

/// Everything a write sets: the columns and both link sets (existing ids).
pub type RecommendationWrite = Linked<RecommendationForm>;

/// The recommendation's links.
const LINKS: LinkTables = LinkTables {
    partners: "recommendation_partners",
    thematic_areas: "recommendation_thematic_areas",
    owner: "recommendation_id",
};

crate::facet_fields!(RecommendationFacet, RECOMMENDATION_FACETS: [
    ("thematic_area", Related(
        "SELECT l.recommendation_id AS id, a.slug AS value, a.name AS label \
         FROM recommendation_thematic_areas l JOIN thematic_areas a ON a.id = l.thematic_area_id"
    )),
    ("partner", Related(
        "SELECT l.recommendation_id AS id, p.slug AS value, p.name AS label \
         FROM recommendation_partners l JOIN partners p ON p.id = l.partner_id"
    )),
    ("target_level", Column("t.target_level")),
    ("status", Column("t.status")),
]);

crate::sort_fields!(record RecommendationSort, RECOMMENDATION_SORT: [
    ("title", "t.title", NoCase, false),
    ("target_level", "t.target_level", Text, false),
    ("status", "t.status", Text, false),
]);

/// One page of recommendations (or batch of an export), with relations.
pub fn list(conn: &mut Conn, listing: &Listing) -> QueryResult<Read<Recommendation>> {
    crate::db::snapshot(conn, |conn| {
        let listing = &listing.in_snapshot(conn)?;
        let rows = listing.rows(conn, "recommendations")?;
        listing
            .finish(conn, "recommendations", rows)?
            .then(|rows| with_relations(conn, rows, listing.counts.as_ref()))
    })
}

crate::tabular!(Recommendation, RecommendationField, RecommendationView: [
    id, slug, title, body, target_level, status, thematic_areas, partners, created_at, updated_at,
]);

/// Reads what both relations of `rows` need: two queries, however many
/// rows (cached prepared statements for a single row, see [`owned_by`]).
/// With the count cache of a list (`counts`, see `linked_summaries!`) they
/// read only link rows, and the summaries come from those kept for the
/// generation (up to two more queries for those not yet kept). Returns
/// what puts the recommendations together, which needs no database.
fn with_relations(
    conn: &mut Conn,
    rows: Vec<Row>,
    counts: Option<&Counts>,
) -> QueryResult<impl FnOnce() -> Vec<Recommendation> + Send + 'static> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let areas = crate::linked_summaries!(conn, counts, &ids, rta(recommendation_id, thematic_area_id) => thematic_areas as ThematicAreas)?;
    let proposers = crate::linked_summaries!(conn, counts, &ids, rp(recommendation_id, partner_id) => partners as Partners)?;
    Ok(move || {
        let mut areas = areas.grouped();
        let mut proposers = proposers.grouped();
        rows.into_iter()
            .map(|row| Recommendation {
                thematic_areas: areas.take(row.id),
                partners: proposers.take(row.id),
                id: row.id,
                slug: row.slug,
                title: row.title,
                body: row.body,
                target_level: row.target_level,
                status: row.status,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
            .collect()
    })
}

crate::table_queries!(recommendations, Row => Recommendation, RecommendationForm, links: LINKS);
