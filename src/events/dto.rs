//! What clients send to write an event, and how it becomes a checked write
//! (existing related ids included).

use crate::db::Conn;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::model::{
    self, EVENT_FACETS, EVENT_SORT, Event, EventForm, EventKind, EventSort, EventWrite,
};
use crate::collection::{Common, Fetch, ListParams};
use crate::error::ApiError;
use crate::input::{Field, Problems};
use crate::listing::{Bind, Clause, FacetField, Filters, ListScope, SortField};
use crate::params::{self, in_ids};
use crate::relations::{self, Related};
use crate::rules::{self, CountryCode, TEXT_MAX};
use crate::writes::RecordInput;

/// What a slug made from a name without letters starts with.
const KIND: &str = "event";

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
    #[schema(value_type = Option<String>, pattern = r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length = 100)]
    pub slug: Field<String>,
    /// Name of the event (trimmed, 1 to 200 characters).
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200)]
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
    #[schema(value_type = Option<String>, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f\x85\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2800\ufe20-\ufe2f\ufff9-\ufffb][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$", max_length = 200, example = "Lille")]
    pub city: Field<String>,
    /// ISO 3166-1 alpha-2 code of the country, upper case; may stay empty
    /// when the sources do not say.
    #[serde(default)]
    #[schema(value_type = Option<CountryCode>, example = "FR")]
    pub country_code: Field<String>,
    /// Id of the partner who hosted it.
    #[serde(default)]
    #[schema(value_type = Option<crate::relations::RecordId>)]
    pub host_partner_id: Field<i64>,
    /// Ids of the partners who took part, at most 500.
    #[serde(default)]
    #[schema(value_type = Option<Vec<crate::relations::RecordId>>, max_items = 500)]
    pub partner_ids: Field<Vec<i64>>,
    /// Ids of the themes it dealt with, at most 500.
    #[serde(default)]
    #[schema(value_type = Option<Vec<crate::relations::RecordId>>, max_items = 500)]
    pub thematic_area_ids: Field<Vec<i64>>,
    /// Free text, up to 20,000 characters.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f\x85\ufeff][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", max_length = 20000)]
    pub description: Field<String>,
    /// A web page about the event: an absolute http or https URL.
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 2000, pattern = r#"^https?://([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?([/?#][A-Za-z0-9._~!$&'()*+,;=:@/?#%-]*)?$"#)]
    pub url: Field<String>,
}

crate::merge_patch_schema!(EventPatch, EventInput);

/// Filters, search and sort of the event lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// Only events of these kinds, comma-separated: any of them.
    #[param(value_type = Option<Vec<EventKind>>, style = Form, explode = false, min_items = 1, example = json!(["launch", "completion"]))]
    pub kind: Option<String>,
    /// Only events these partners hosted or took part in (ids or slugs),
    /// comma-separated: any of them.
    #[param(value_type = Option<Vec<crate::relations::IdOrSlug>>, style = Form, explode = false, min_items = 1, example = json!(["lille-metropole"]))]
    pub partner: Option<String>,
    /// Only events in these thematic areas (ids or slugs), comma-separated:
    /// any of them.
    #[param(value_type = Option<Vec<crate::relations::IdOrSlug>>, style = Form, explode = false, min_items = 1, example = json!(["governance"]))]
    pub thematic_area: Option<String>,
    /// Only events in these countries (ISO 3166-1 alpha-2, upper case),
    /// comma-separated: any of them.
    #[param(value_type = Option<Vec<CountryCode>>, style = Form, explode = false, min_items = 1, example = json!(["FR"]))]
    pub country: Option<String>,
    /// Only events that last until this day or later (`YYYY-MM-DD`):
    /// with `to`, the events overlapping the period, both days included.
    #[param(value_type = Option<chrono::NaiveDate>, example = "2010-01-01")]
    pub from: Option<String>,
    /// Only events that start on this day or earlier (`YYYY-MM-DD`).
    #[param(value_type = Option<chrono::NaiveDate>, example = "2010-12-31")]
    pub to: Option<String>,
    /// Only the records with these slugs, comma-separated: any of them (a
    /// slug no record has matches nothing).
    #[param(value_type = Option<Vec<crate::http::Slug>>, style = Form, explode = false, min_items = 1, example = json!(["citylab"]))]
    pub slug: Option<String>,
    /// Full-text search in title, city and description; accents and case
    /// do not matter, and every word must match (as a word or its start).
    /// Without `sort`, matches in the title come first.
    #[param(min_length = 1, example = "citylab")]
    pub q: Option<String>,
    /// Sort keys, comma-separated, `-` for descending; ties are broken by
    /// id. Default: id, or relevance with `q`.
    #[param(value_type = Option<Vec<EventSort>>, style = Form, explode = false, min_items = 1, example = json!(["starts_on"]))]
    pub sort: Option<String>,
    /// `facets=`: documented on the list routes (`crate::routes`), which
    /// alone take it.
    #[param(ignore)]
    pub facets: Option<String>,
}

const BY_PARTNER: &str = "t.host_partner_id IN ({}) OR t.id IN (SELECT event_id FROM event_partners WHERE partner_id IN ({}))";
/// An EXISTS probe for themes (few, each matching many rows), an IN list
/// for partners (many, each matching few): see the recommendations' filters.
const BY_AREA: &str = "EXISTS (SELECT 1 FROM event_thematic_areas r \
                       WHERE r.event_id = t.id AND r.thematic_area_id IN ({}))";

fn by_partner(ids: Vec<Bind>) -> Clause {
    let twice = ids.iter().chain(&ids).cloned().collect();
    let marks = vec!["?"; ids.len()].join(", ");
    Clause::new(BY_PARTNER.replace("{}", &marks), twice)
}

impl ListParams for EventQuery {
    type Row = Event;
    const PATH: &'static str = "events";
    const FETCH: Fetch<Self::Row> = model::list;

    const SORT: &'static [SortField] = EVENT_SORT;
    const SEARCH: (&'static str, &'static str) = ("events", "title");
    const FACETS: &'static [FacetField] = EVENT_FACETS;

    fn common(&self) -> Common<'_> {
        Common::new(&self.slug, &self.q, &self.sort, &self.facets)
    }

    fn filter(
        &self,
        conn: &mut Conn,
        filters: &mut Filters,
        scope: ListScope,
    ) -> Result<(), ApiError> {
        if let Some(kinds) = &self.kind {
            filters.any_of("+t.kind", params::enum_values::<EventKind>("kind", kinds)?);
        }
        if let Some(value) = &self.partner {
            filters.add(by_partner(relations::resolve(
                conn, "partners", "partner", value,
            )?));
        }
        if let Some(value) = &self.thematic_area {
            filters.add(in_ids(
                BY_AREA,
                relations::resolve(conn, "thematic_areas", "thematic_area", value)?,
            ));
        }
        if let Some(partner) = scope.partner {
            filters.add(by_partner(vec![Bind::Int(partner.into())]));
        }
        if let Some(area) = scope.thematic_area {
            filters.add(in_ids(BY_AREA, vec![Bind::Int(area.into())]));
        }
        if let Some(countries) = &self.country {
            filters.any_of("t.country_code", params::countries("country", countries)?);
        }
        let from = self
            .from
            .as_deref()
            .map(|d| params::date("from", d))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .map(|d| params::date("to", d))
            .transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(ApiError::query("to", "must not be before from"));
        }
        if let Some(from) = from {
            filters.add(Clause::new(
                "coalesce(t.ends_on, t.starts_on) >= ?",
                vec![Bind::Date(from)],
            ));
        }
        if let Some(to) = to {
            filters.add(Clause::new("t.starts_on <= ?", vec![Bind::Date(to)]));
        }
        Ok(())
    }
}

impl RecordInput<Event> for EventInput {
    type Form = EventWrite;
    const RELATIONS: &'static [(&'static str, &'static str)] = &[
        ("host_partner", "host_partner_id"),
        ("partners", "partner_ids"),
        ("thematic_areas", "thematic_area_ids"),
    ];

    /// Checks every rule at once, the existence of the related ids included.
    /// `p` holds what parsing already found wrong (unknown fields).
    fn form(
        self,
        conn: &mut Conn,
        mut p: Problems,
        current: Option<&Event>,
    ) -> Result<EventWrite, ApiError> {
        let current_slug = current.map(|c| c.slug.as_str());
        let (title, slug) =
            rules::named(&mut p, ("title", self.title), self.slug, current_slug, KIND);
        let kind = rules::one_of::<EventKind>(&mut p, "kind", self.kind, None);
        let starts_on = rules::date(&mut p, "starts_on", self.starts_on, true);
        let ends_on = rules::date(&mut p, "ends_on", self.ends_on, false);
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            p.add("ends_on", "must not be before starts_on");
        }
        let city = rules::optional_name(&mut p, "city", self.city);
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
        relations::check_ids(conn, &mut p, "host_partner_id", &host, Related::Partners)?;
        relations::check_ids(conn, &mut p, "partner_ids", &partner_ids, Related::Partners)?;
        relations::check_ids(
            conn,
            &mut p,
            "thematic_area_ids",
            &thematic_area_ids,
            Related::ThematicAreas,
        )?;
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
}
