//! What clients send to write a recommendation, and how it becomes a
//! checked write (existing related ids included).

use crate::db::{Conn, Dialect};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{
    self, RECOMMENDATION_FACETS, RECOMMENDATION_SORT, Recommendation, RecommendationForm,
    RecommendationSort, RecommendationStatus, RecommendationWrite, TargetLevel,
};
use crate::auth::Drafts;
use crate::collection::{Common, Fetch, ListParams};
use crate::error::ApiError;
use crate::input::{Field, Problems};
use crate::listing::{Bind, Clause, FacetField, Filters, ListScope, SortField, unindexed};
use crate::params::{self, in_ids};
use crate::relations::{self, Related};
use crate::rules;
use crate::writes::RecordInput;

/// What a slug made from a name without letters starts with.
const KIND: &str = "recommendation";

/// Longest recommendation body.
pub const BODY_MAX: usize = 100_000;

/// A recommendation as written by POST and PUT (PATCH takes any subset).
/// Unknown fields are rejected; `null` and absent mean "no value".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Give the city-region one mobility authority",
    "body": "Plan transport at the scale people travel.",
    "target_level": "regional", "status": "draft",
    "thematic_area_ids": [2], "partner_ids": [1]
}))]
pub struct RecommendationInput {
    /// Unique human key: lower-case letters, digits and single hyphens, with
    /// at least one letter. Made from `title` when a new recommendation has
    /// none; kept as it is when an update leaves it out.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length = 100)]
    pub slug: Field<String>,
    /// Short statement (trimmed, 1 to 200 characters).
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200)]
    pub title: Field<String>,
    /// The recommendation in full, as Markdown (1 to 100,000 characters).
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f\x85\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length = 100000)]
    pub body: Field<String>,
    /// Who it is addressed to.
    #[serde(default)]
    #[schema(value_type = TargetLevel, required = true)]
    pub target_level: Field<String>,
    /// `draft` (the default) or `published`.
    #[serde(default)]
    #[schema(value_type = Option<RecommendationStatus>)]
    pub status: Field<String>,
    /// Ids of its thematic areas: at least one, at most 500.
    #[serde(default)]
    #[schema(value_type = Vec<crate::relations::RecordId>, required = true, min_items = 1, max_items = 500, example = json!([2]))]
    pub thematic_area_ids: Field<Vec<i64>>,
    /// Ids of the partners who proposed it: none or more, at most 500.
    #[serde(default)]
    #[schema(value_type = Option<Vec<crate::relations::RecordId>>, max_items = 500, example = json!([1]))]
    pub partner_ids: Field<Vec<i64>>,
}

crate::merge_patch_schema!(RecommendationPatch, RecommendationInput);

/// Filters, search and sort of the recommendation lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecommendationQuery {
    /// Only recommendations in these thematic areas (ids or slugs),
    /// comma-separated: any of them.
    #[param(value_type = Option<Vec<crate::relations::IdOrSlug>>, style = Form, explode = false, min_items = 1, example = json!(["governance"]))]
    pub thematic_area: Option<String>,
    /// Only recommendations these partners proposed (ids or slugs),
    /// comma-separated: any of them.
    #[param(value_type = Option<Vec<crate::relations::IdOrSlug>>, style = Form, explode = false, min_items = 1, example = json!(["lille-metropole"]))]
    pub partner: Option<String>,
    /// Only recommendations to these levels, comma-separated: any of them.
    #[param(value_type = Option<Vec<TargetLevel>>, style = Form, explode = false, min_items = 1, example = json!(["regional", "european"]))]
    pub target_level: Option<String>,
    /// Only recommendations with these statuses, comma-separated.
    #[param(value_type = Option<Vec<RecommendationStatus>>, style = Form, explode = false, min_items = 1, example = json!(["published"]))]
    pub status: Option<String>,
    /// Only the records with these slugs, comma-separated: any of them (a
    /// slug no record has matches nothing).
    #[param(value_type = Option<Vec<crate::http::Slug>>, style = Form, explode = false, min_items = 1, example = json!(["one-transport-authority"]))]
    pub slug: Option<String>,
    /// Full-text search in title and body; accents and case do not matter,
    /// and every word must match (as a word or its start). Without `sort`,
    /// matches in the title come first.
    #[param(min_length = 1, example = "mobility")]
    pub q: Option<String>,
    /// Sort keys, comma-separated, `-` for descending; ties are broken by
    /// id. Default: id, or relevance with `q`.
    #[param(value_type = Option<Vec<RecommendationSort>>, style = Form, explode = false, min_items = 1, example = json!(["-created_at"]))]
    pub sort: Option<String>,
    /// `facets=`: documented on the list routes (`crate::routes`), which
    /// alone take it.
    #[param(ignore)]
    pub facets: Option<String>,
}

/// The condition that leaves out the drafts `drafts` does not show; none
/// when it shows them all.
pub fn visible(drafts: Drafts, dialect: Dialect) -> Option<Clause> {
    let published = format!("{} = 'published'", unindexed(dialect, "+t.status"));
    match drafts {
        Drafts::All => None,
        Drafts::None => Some(Clause::new(published, Vec::new())),
        Drafts::ProposedBy(partner) => Some(Clause::new(
            format!(
                "{published} OR EXISTS (SELECT 1 FROM recommendation_partners d \
                 WHERE d.recommendation_id = t.id AND d.partner_id = ?)"
            ),
            vec![Bind::Int(partner.into())],
        )),
    }
}

/// Themes are few, so a theme matches a large share of the rows: an
/// EXISTS probe per row lets the planner walk the sort order and stop at
/// the page's end. A partner matches few rows: the IN list of its ids is
/// the cheaper way in. (Chosen with EXPLAIN QUERY PLAN on the demo data.)
const BY_AREA: &str = "EXISTS (SELECT 1 FROM recommendation_thematic_areas r \
                       WHERE r.recommendation_id = t.id AND r.thematic_area_id IN ({}))";
const BY_PARTNER: &str =
    "t.id IN (SELECT recommendation_id FROM recommendation_partners WHERE partner_id IN ({}))";

impl ListParams for RecommendationQuery {
    type Row = Recommendation;
    const PATH: &'static str = "recommendations";
    const FETCH: Fetch<Self::Row> = model::list;

    const SORT: &'static [SortField] = RECOMMENDATION_SORT;
    const SEARCH: (&'static str, &'static str) = ("recommendations", "title");
    const FACETS: &'static [FacetField] = RECOMMENDATION_FACETS;

    fn common(&self) -> Common<'_> {
        Common::new(&self.slug, &self.q, &self.sort, &self.facets)
    }

    fn filter(
        &self,
        conn: &mut Conn,
        filters: &mut Filters,
        scope: ListScope,
    ) -> Result<(), ApiError> {
        if let Some(visible) = visible(scope.drafts, conn.dialect()) {
            filters.add(visible);
        }
        if let Some(value) = &self.thematic_area {
            filters.add(in_ids(
                BY_AREA,
                relations::resolve(conn, "thematic_areas", "thematic_area", value)?,
            ));
        }
        if let Some(value) = &self.partner {
            filters.add(in_ids(
                BY_PARTNER,
                relations::resolve(conn, "partners", "partner", value)?,
            ));
        }
        if let Some(area) = scope.thematic_area {
            filters.add(in_ids(BY_AREA, vec![Bind::Int(area.into())]));
        }
        if let Some(partner) = scope.partner {
            filters.add(in_ids(BY_PARTNER, vec![Bind::Int(partner.into())]));
        }
        if let Some(levels) = &self.target_level {
            filters.any_of(
                "+t.target_level",
                params::enum_values::<TargetLevel>("target_level", levels)?,
            );
        }
        if let Some(statuses) = &self.status {
            filters.any_of(
                "+t.status",
                params::enum_values::<RecommendationStatus>("status", statuses)?,
            );
        }
        Ok(())
    }
}

impl RecordInput<Recommendation> for RecommendationInput {
    type Form = RecommendationWrite;
    const RELATIONS: &'static [(&'static str, &'static str)] = &[
        ("thematic_areas", "thematic_area_ids"),
        ("partners", "partner_ids"),
    ];

    /// Checks every rule at once, the existence of the related ids included.
    /// `p` holds what parsing already found wrong (unknown fields).
    fn form(
        self,
        conn: &mut Conn,
        mut p: Problems,
        current: Option<&Recommendation>,
    ) -> Result<RecommendationWrite, ApiError> {
        let current_slug = current.map(|c| c.slug.as_str());
        let (title, slug) =
            rules::named(&mut p, ("title", self.title), self.slug, current_slug, KIND);
        let body = rules::required_text(&mut p, "body", self.body, BODY_MAX);
        let target_level = rules::one_of(&mut p, "target_level", self.target_level, None);
        let status = rules::one_of(
            &mut p,
            "status",
            self.status,
            Some(RecommendationStatus::Draft),
        );
        let thematic_area_ids =
            relations::id_list(&mut p, "thematic_area_ids", self.thematic_area_ids, 1);
        let partner_ids = relations::id_list(&mut p, "partner_ids", self.partner_ids, 0);
        relations::check_ids(
            conn,
            &mut p,
            "thematic_area_ids",
            &thematic_area_ids,
            Related::ThematicAreas,
        )?;
        relations::check_ids(conn, &mut p, "partner_ids", &partner_ids, Related::Partners)?;
        p.finish(|| RecommendationWrite {
            form: RecommendationForm {
                slug,
                title,
                body,
                target_level: target_level.unwrap_or(TargetLevel::Local),
                status: status.unwrap_or(RecommendationStatus::Draft),
            },
            thematic_area_ids,
            partner_ids,
        })
    }
}
