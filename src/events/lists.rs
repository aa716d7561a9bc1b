//! The list routes of `/api/v1/events`: the collection, its file download,
//! and the nested lists under a partner and a thematic area, declared
//! through `crate::routes`.

use actix_web::get;

use super::dto::EventQuery;
use super::model::{EventFacet, EventFeatures, EventField, EventView};

crate::list_routes! {
    EventQuery => EventView, tag: EVENTS, fields: EventField, facets: EventFacet = ["kind", "year"],
    many: ("events", "events"),
    download: ("/events.{format}", "`attachment; filename=\"events.csv\"`", PlacedFileFormat),
    geo: EventFeatures,

    /// List events
    ///
    /// The events of the network's life, each with its host, participants and
    /// thematic areas, a page at a time, filtered, searched and sorted as
    /// asked. With `Accept: text/csv` or `application/x-ndjson`, every matching
    /// event at once, streamed.
    list;

    /// Download events
    ///
    /// Every matching event as a CSV or NDJSON file, streamed; the same
    /// filters, search and sort as the list. Relations are `;`-joined slugs in
    /// CSV.
    download;
}

crate::nested_list_route! {
    /// List a partner's events
    ///
    /// The events the partner hosted or took part in: the full list's
    /// filters, search, sort, paging and formats.
    list_for_partner: EventQuery => EventView under partner,
    tag: EVENTS, fields: EventField, facets: EventFacet = ["kind", "year"], many: ("events", "events"), path: "/{id}/events",
    geo: EventFeatures
}

crate::nested_list_route! {
    /// List a thematic area's events
    ///
    /// The events in the thematic area: the full list's filters, search,
    /// sort, paging and formats.
    list_for_thematic_area: EventQuery => EventView under thematic_area,
    tag: EVENTS, fields: EventField, facets: EventFacet = ["kind", "year"], many: ("events", "events"), path: "/{id}/events",
    geo: EventFeatures
}
