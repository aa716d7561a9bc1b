//! HTTP layer of `/api/v1/thematic-areas`: its routes and their spec,
//! declared through `crate::routes`.

use actix_web::{delete, get, patch, post, put};

use super::dto::{ThematicAreaInput, ThematicAreaPatch, ThematicAreaQuery};
use super::model::{ThematicArea, ThematicAreaField, ThematicAreaView};
use crate::responses::Conflict;

crate::list_routes! {
    ThematicAreaQuery => ThematicAreaView, tag: THEMATIC_AREAS, fields: ThematicAreaField,
    many: ("thematic areas", "thematic_areas"),
    download: ("/thematic-areas.{format}", "`attachment; filename=\"thematic-areas.csv\"`", FileFormat),

    /// List thematic areas
    ///
    /// The themes of the network, a page at a time, searched and sorted as
    /// asked. With `Accept: text/csv` or `application/x-ndjson`, every
    /// matching thematic area at once, streamed.
    list;

    /// Download thematic areas
    ///
    /// Every matching thematic area as a CSV or NDJSON file, streamed; the
    /// same search and sort as the list.
    download;
}

crate::item_routes! {
    ThematicArea, fields: (ThematicAreaField, ThematicAreaView), input: ThematicAreaInput, patch: ThematicAreaPatch, tag: THEMATIC_AREAS,
    one: ("thematic area", "thematic_area"), location: "Path of the new thematic area (one record only)",

    /// Get a thematic area
    ///
    /// One thematic area by id or slug, with an `ETag`; `If-None-Match` with that
    /// ETag answers `304 Not Modified`.
    get;

    /// Create a thematic area
    ///
    /// `slug` is made from `name` when left out.
    create;

    /// Replace a thematic area
    ///
    /// Full replacement, validated as on create: optional fields left out are
    /// cleared. A left-out `slug` keeps the current one.
    replace;

    /// Update a thematic area
    ///
    /// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
    /// optional field. The result is validated as a whole.
    update;

    /// Delete a thematic area
    ///
    /// Refused with 409 while events or recommendations refer to the thematic area.
    delete, (status = 409, response = Conflict);

    /// History of a thematic area
    ///
    /// Every write to a thematic area, oldest first, paged like any list: for keys whose
    /// scope holds the record. A deleted record's is at `/audit` (admins).
    history;
}
