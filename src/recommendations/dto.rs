//! What clients send to write a recommendation, and how it becomes a
//! checked write (existing related ids included).

use diesel::SqliteConnection;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::model::{Recommendation, RecommendationForm, RecommendationWrite, Status, TargetLevel};
use crate::error::ApiError;
use crate::input::{Field, Problems, merge_patch, parse_object, writable_fields};
use crate::relations::{self, relation_ids};
use crate::rules::{self, NAME_MAX};

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
    #[schema(value_type = Option<String>, pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 100)]
    pub slug: Field<String>,
    /// Short statement (trimmed, 1 to 200 characters).
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200)]
    pub title: Field<String>,
    /// The recommendation in full, as Markdown (1 to 100,000 characters).
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, max_length = 100000)]
    pub body: Field<String>,
    /// Who it is addressed to.
    #[serde(default)]
    #[schema(value_type = TargetLevel, required = true)]
    pub target_level: Field<String>,
    /// `draft` (the default) or `published`.
    #[serde(default)]
    #[schema(value_type = Option<Status>)]
    pub status: Field<String>,
    /// Ids of its thematic areas: at least one, at most 500.
    #[serde(default)]
    #[schema(value_type = Vec<i32>, required = true, min_items = 1, max_items = 500, example = json!([2]))]
    pub thematic_area_ids: Field<Vec<i64>>,
    /// Ids of the partners who proposed it: none or more, at most 500.
    #[serde(default)]
    #[schema(value_type = Option<Vec<i32>>, max_items = 500, example = json!([1]))]
    pub partner_ids: Field<Vec<i64>>,
}

crate::merge_patch_schema!(RecommendationPatch, RecommendationInput);

impl RecommendationInput {
    /// Checks every rule at once, the existence of the related ids included.
    /// `p` holds what parsing already found wrong (unknown fields).
    pub fn into_write(
        self,
        mut p: Problems,
        current: Option<&Recommendation>,
        conn: &mut SqliteConnection,
    ) -> Result<RecommendationWrite, ApiError> {
        let title = rules::required_text(&mut p, "title", self.title, NAME_MAX);
        let slug = rules::slug(&mut p, self.slug, current.map(|c| c.slug.as_str()), &title);
        let body = rules::required_text(&mut p, "body", self.body, BODY_MAX);
        let target_level = rules::one_of(&mut p, "target_level", self.target_level, None);
        let status = rules::one_of(&mut p, "status", self.status, Some(Status::Draft));
        let thematic_area_ids =
            relations::id_list(&mut p, "thematic_area_ids", self.thematic_area_ids, 1);
        let partner_ids = relations::id_list(&mut p, "partner_ids", self.partner_ids, 0);
        relations::check_thematic_areas(conn, &mut p, "thematic_area_ids", &thematic_area_ids)?;
        relations::check_partners(conn, &mut p, "partner_ids", &partner_ids)?;
        p.finish(|| RecommendationWrite {
            form: RecommendationForm {
                slug,
                title,
                body,
                target_level: target_level.unwrap_or(TargetLevel::Local),
                status: status.unwrap_or(Status::Draft),
            },
            thematic_area_ids,
            partner_ids,
        })
    }

    /// RFC 7396: `patch` applied to `current`'s writable fields.
    pub fn merged(
        current: &Recommendation,
        patch: Map<String, Value>,
    ) -> Result<(Self, Problems), ApiError> {
        let mut target = writable_fields(current)?;
        relation_ids(&mut target, "thematic_areas", "thematic_area_ids");
        relation_ids(&mut target, "partners", "partner_ids");
        merge_patch(&mut target, patch);
        parse_object(target)
    }
}
