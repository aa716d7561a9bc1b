//! Event rows, their links, and their queries. Nothing here knows about
//! HTTP. A page of events costs a fixed number of queries: one for the
//! rows, one per relation (hosts included), one for the total.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{Conn, Counts};
use crate::listing::{Listing, Read};
use crate::relations::{Known, LinkTables, Linked, Related, Summary, find_summaries};
use crate::schema::{
    event_partners as ep, event_thematic_areas as eta, events, partners, thematic_areas,
};
use crate::text_enum;
use crate::time::rfc3339;

text_enum! {
    /// What sort of event it was.
    EventKind {
        Launch = "launch",
        TransnationalMeeting = "transnational_meeting",
        Seminar = "seminar",
        Workshop = "workshop",
        StudyVisit = "study_visit",
        Completion = "completion",
        Other = "other",
    }
}

crate::record! {
    /// An event's own columns.
    struct Row in events, written by EventForm {
        slug: String,
        title: String,
        kind: EventKind,
        #[diesel(deserialize_as = crate::time::Day)]
        starts_on: NaiveDate,
        #[diesel(deserialize_as = crate::time::MaybeDay)]
        ends_on: Option<NaiveDate>,
        city: Option<String>,
        country_code: Option<String>,
        host_partner_id: Option<i32>,
        description: Option<String>,
        url: Option<String>,
    }
}

/// An event as shown, with its host, participants and thematic areas.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 2, "slug": "citylab-managing-metropolitan-areas", "title": "URBACT CityLab on managing metropolitan areas",
    "kind": "other", "starts_on": "2010-02-12", "ends_on": null, "city": "Lille", "country_code": "FR",
    "host_partner": null, "partners": [], "thematic_areas": [],
    "description": null, "url": "https://archive.urbact.eu/node/5933",
    "created_at": "2026-11-26T09:30:00Z", "updated_at": "2026-11-26T09:30:00Z"
}))]
pub struct Event {
    /// Numeric id, set by the server.
    pub id: i32,
    /// Unique human key, usable in place of the id in paths.
    pub slug: String,
    /// Name of the event.
    pub title: String,
    pub kind: EventKind,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day, when it lasted more than one; never before `starts_on`.
    pub ends_on: Option<NaiveDate>,
    /// Where it took place, when known.
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 code of the country it took place in, when known.
    pub country_code: Option<String>,
    /// The partner who hosted it, if any.
    pub host_partner: Option<Summary>,
    /// The partners who took part, in id order.
    pub partners: Vec<Summary>,
    /// The themes it dealt with, in id order.
    pub thematic_areas: Vec<Summary>,
    /// Free text.
    pub description: Option<String>,
    /// A web page about the event.
    pub url: Option<String>,
    /// When the record was created (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// When the record last changed (UTC).
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: NaiveDateTime,
    /// Where it took place for maps: its host's place, `[longitude,
    /// latitude]` (GeoJSON's geometry; not a field of its own).
    #[serde(skip)]
    #[schema(ignore)]
    pub place: Option<[f64; 2]>,
}

/// Everything a write sets: the columns and both link sets (existing ids).
pub type EventWrite = Linked<EventForm>;

/// The event's links.
const LINKS: LinkTables = LinkTables {
    partners: "event_partners",
    thematic_areas: "event_thematic_areas",
    owner: "event_id",
};

crate::facet_fields!(EventFacet, EVENT_FACETS: [
    ("kind", Column("t.kind")),
    ("country", Column("t.country_code")),
    // Host or participant, as the `partner` filter.
    ("partner", Related(
        "SELECT l.id, p.slug AS value, p.name AS label FROM (\
         SELECT id, host_partner_id AS partner_id FROM events WHERE host_partner_id IS NOT NULL \
         UNION SELECT event_id, partner_id FROM event_partners) l \
         JOIN partners p ON p.id = l.partner_id"
    )),
    ("thematic_area", Related(
        "SELECT l.event_id AS id, a.slug AS value, a.name AS label \
         FROM event_thematic_areas l JOIN thematic_areas a ON a.id = l.thematic_area_id"
    )),
    // The year of `starts_on`.
    ("year", Year("t.starts_on")),
]);

crate::sort_fields!(record EventSort, EVENT_SORT: [
    ("title", "t.title", NoCase, false),
    ("kind", "t.kind", Text, false),
    ("starts_on", "t.starts_on", Date, false),
    ("ends_on", "t.ends_on", Date, true),
    ("country_code", "t.country_code", Text, true),
]);

crate::tabular!(Event, EventField, EventView, located: (place, EventFeatures): [
    id, slug, title, kind, starts_on, ends_on, city, country_code, host_partner, partners,
    thematic_areas, description, url, created_at, updated_at,
]);

impl Event {
    /// Where the event is on a map: its host's place.
    fn place(&self) -> Option<[f64; 2]> {
        self.place
    }
}

/// One page of events (or batch of an export), with relations.
pub fn list(conn: &mut Conn, listing: &Listing) -> QueryResult<Read<Event>> {
    crate::db::snapshot(conn, |conn| {
        let listing = &listing.in_snapshot(conn)?;
        let rows = listing.rows(conn, "events")?;
        listing
            .finish(conn, "events", rows)?
            .then(|rows| with_relations(conn, rows, listing.counts.as_ref()))
    })
}

/// Reads what the hosts, participants and themes of `rows` need: three
/// queries, however many rows (cached prepared statements for a single
/// row, see [`owned_by`]). With the count cache of a list (`counts`, see
/// `linked_summaries!`), two read only link rows and the summaries come
/// from those kept for the generation: up to two more queries for those
/// not yet kept, none once they are. Returns what puts the events
/// together, which needs no database.
fn with_relations(
    conn: &mut Conn,
    rows: Vec<Row>,
    counts: Option<&Counts>,
) -> QueryResult<impl FnOnce() -> Vec<Event> + Send + 'static> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    // Many events share a host: each is looked up once.
    let mut host_ids: Vec<i32> = rows.iter().filter_map(|r| r.host_partner_id).collect();
    host_ids.sort_unstable();
    host_ids.dedup();
    let hosts = find_summaries(conn, counts, Related::Partners, &host_ids)?;
    let participants = crate::linked_summaries!(conn, counts, &ids, ep(event_id, partner_id) => partners as Partners)?;
    let areas = crate::linked_summaries!(conn, counts, &ids, eta(event_id, thematic_area_id) => thematic_areas as ThematicAreas)?;
    Ok(move || {
        let hosts: Vec<Option<Known>> = hosts.with(|found| {
            rows.iter()
                .map(|row| row.host_partner_id.and_then(|id| found.get(&id).cloned()))
                .collect()
        });
        let mut participants = participants.grouped();
        let mut areas = areas.grouped();
        rows.into_iter()
            .zip(hosts)
            .map(|(row, host)| {
                let (host_partner, place) = host.unzip();
                Event {
                    host_partner,
                    place: place.flatten(),
                    partners: participants.take(row.id),
                    thematic_areas: areas.take(row.id),
                    id: row.id,
                    slug: row.slug,
                    title: row.title,
                    kind: row.kind,
                    starts_on: row.starts_on,
                    ends_on: row.ends_on,
                    city: row.city,
                    country_code: row.country_code,
                    description: row.description,
                    url: row.url,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                }
            })
            .collect()
    })
}

crate::table_queries!(events, Row => Event, EventForm, links: LINKS);
