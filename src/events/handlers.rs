//! The item routes of `/api/v1/events` and their spec, declared through
//! `crate::routes`; the list routes are in `lists.rs`.

use actix_web::{delete, get, patch, post, put};

use super::dto::{EventInput, EventPatch};
use super::model::{Event, EventField, EventView};

crate::item_routes! {
    Event, fields: (EventField, EventView), input: EventInput, patch: EventPatch, tag: EVENTS,
    one: ("event", "event"), location: "Path of the new event (one record only)",

    /// Get an event
    ///
    /// One event by id or slug, with an `ETag`; `If-None-Match` with
    /// that ETag answers `304 Not Modified`.
    get;

    /// Create an event
    ///
    /// `slug` is made from `title` when left out. Every id in
    /// `host_partner_id`, `partner_ids` and `thematic_area_ids` must exist (422).
    create;

    /// Replace an event
    ///
    /// Full replacement, validated as on create; the link sets are replaced by
    /// the ids given. A left-out `slug` keeps the current one.
    replace;

    /// Update an event
    ///
    /// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
    /// optional field; a relation list given replaces the whole set.
    update;

    /// Delete an event
    ///
    /// Its links to thematic areas and partners go with it.
    delete;

    /// History of an event
    ///
    /// Every write to an event, oldest first, paged like any list: for keys whose
    /// scope holds the record. A deleted record's is at `/audit` (admins).
    history;
}
