//! What clients send to write an event, and how it becomes a checked write
//! (existing related ids included).

use diesel::SqliteConnection;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::model::{Event, EventForm, EventKind, EventWrite};
use crate::error::ApiError;
use crate::input::{Field, Problems, merge_patch, parse_object, writable_fields};
use crate::relations::{self, relation_ids};
use crate::rules::{self, NAME_MAX, TEXT_MAX};

/// An event as written by POST and PUT (PATCH takes any subset).
/// Unknown fields are rejected; `null` and absent mean "no value".
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "URBACT CityLab on managing metropolitan areas", "kind": "other",
    "starts_on": "2010-02-12", "city": "Lille", "country_code": "FR",
    "thematic_area_ids": [], "partner_ids": []
}))]
pub struct EventInput {
    /// Unique human key: lower-case letters, digits and single hyphens, with
    /// at least one letter. Made from `title` when a new event has none;
    /// kept as it is when an update leaves it out.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 100)]
    pub slug: Field<String>,
    /// Name of the event (trimmed, 1 to 200 characters).
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, max_length = 200)]
    pub title: Field<String>,
    #[serde(default)]
    #[schema(value_type = EventKind, required = true)]
    pub kind: Field<String>,
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(value_type = String, format = Date, required = true, example = "2010-02-12")]
    pub starts_on: Field<String>,
    /// Last day, `YYYY-MM-DD`, never before `starts_on`.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Field<String>,
    /// Where it took place; may stay empty when the sources do not say.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, example = "Lille")]
    pub city: Field<String>,
    /// ISO 3166-1 alpha-2 code of the country, upper case; may stay empty
    /// when the sources do not say.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[A-Z]{2}$", example = "FR")]
    pub country_code: Field<String>,
    /// Id of the partner who hosted it.
    #[serde(default)]
    #[schema(value_type = Option<i32>, minimum = 1)]
    pub host_partner_id: Field<i64>,
    /// Ids of the partners who took part, at most 500.
    #[serde(default)]
    #[schema(value_type = Option<Vec<i32>>, max_items = 500)]
    pub partner_ids: Field<Vec<i64>>,
    /// Ids of the themes it dealt with, at most 500.
    #[serde(default)]
    #[schema(value_type = Option<Vec<i32>>, max_items = 500)]
    pub thematic_area_ids: Field<Vec<i64>>,
    /// Free text, up to 20,000 characters.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 20000)]
    pub description: Field<String>,
    /// A web page about the event: an absolute http or https URL.
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub url: Field<String>,
}

crate::merge_patch_schema!(EventPatch, EventInput);

impl EventInput {
    /// Checks every rule at once, the existence of the related ids included.
    /// `p` holds what parsing already found wrong (unknown fields).
    pub fn into_write(
        self,
        mut p: Problems,
        current: Option<&Event>,
        conn: &mut SqliteConnection,
    ) -> Result<EventWrite, ApiError> {
        let title = rules::required_text(&mut p, "title", self.title, NAME_MAX);
        let slug = rules::slug(&mut p, self.slug, current.map(|c| c.slug.as_str()), &title);
        let kind = rules::one_of::<EventKind>(&mut p, "kind", self.kind, None);
        let starts_on = rules::date(&mut p, "starts_on", self.starts_on, true);
        let ends_on = rules::date(&mut p, "ends_on", self.ends_on, false);
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            p.add("ends_on", "must not be before starts_on");
        }
        let city = rules::optional_text(&mut p, "city", self.city, NAME_MAX);
        let country_code = rules::optional_country_code(&mut p, "country_code", self.country_code);
        let host = relations::id_list(
            &mut p,
            "host_partner_id",
            self.host_partner_id.map(|id| vec![id]),
            0,
        );
        let partner_ids = relations::id_list(&mut p, "partner_ids", self.partner_ids, 0);
        let thematic_area_ids =
            relations::id_list(&mut p, "thematic_area_ids", self.thematic_area_ids, 0);
        let description = rules::optional_text(&mut p, "description", self.description, TEXT_MAX);
        let url = rules::optional_url(&mut p, "url", self.url);
        relations::check_partners(conn, &mut p, "host_partner_id", &host)?;
        relations::check_partners(conn, &mut p, "partner_ids", &partner_ids)?;
        relations::check_thematic_areas(conn, &mut p, "thematic_area_ids", &thematic_area_ids)?;
        p.finish(|| EventWrite {
            form: EventForm {
                slug,
                title,
                kind: kind.unwrap_or(EventKind::Other),
                starts_on: starts_on.unwrap_or_default(),
                ends_on,
                city,
                country_code,
                host_partner_id: host.first().copied(),
                description,
                url,
            },
            partner_ids,
            thematic_area_ids,
        })
    }

    /// RFC 7396: `patch` applied to `current`'s writable fields.
    pub fn merged(
        current: &Event,
        patch: Map<String, Value>,
    ) -> Result<(Self, Problems), ApiError> {
        let mut target = writable_fields(current)?;
        relation_ids(&mut target, "host_partner", "host_partner_id");
        relation_ids(&mut target, "partners", "partner_ids");
        relation_ids(&mut target, "thematic_areas", "thematic_area_ids");
        merge_patch(&mut target, patch);
        parse_object(target)
    }
}
