//! HTTP layer of `/api/v1/partners`: its routes and their spec, declared
//! through `crate::routes`.

use actix_web::{delete, get, patch, post, put};

use super::dto::{PartnerInput, PartnerPatch, PartnerQuery};
use super::model::{Partner, PartnerFacet, PartnerFeatures, PartnerField, PartnerView};
use crate::responses::Conflict;

crate::list_routes! {
    PartnerQuery => PartnerView, tag: PARTNERS, fields: PartnerField, facets: PartnerFacet = ["country"],
    many: ("partners", "partners"),
    download: ("/partners.{format}", "`attachment; filename=\"partners.csv\"`", PlacedFileFormat),
    geo: PartnerFeatures,

    /// List partners
    ///
    /// The partner city-regions, a page at a time, filtered, searched and
    /// sorted as asked. With `Accept: text/csv` or `application/x-ndjson`,
    /// every matching partner at once, streamed.
    list;

    /// Download partners
    ///
    /// Every matching partner as a CSV or NDJSON file, streamed; the same
    /// filters, search and sort as the list.
    download;
}

crate::item_routes! {
    Partner, fields: (PartnerField, PartnerView), input: PartnerInput, patch: PartnerPatch, tag: PARTNERS,
    one: ("partner", "partner"), location: "Path of the new partner (one record only)",

    /// Get a partner
    ///
    /// One partner by id or slug, with an `ETag`; `If-None-Match` with that
    /// ETag answers `304 Not Modified`.
    get;

    /// Create a partner
    ///
    /// `slug` is made from `name` when left out. There is at most one lead partner.
    create;

    /// Replace a partner
    ///
    /// Full replacement, validated as on create: optional fields left out are
    /// cleared. A left-out `slug` keeps the current one.
    replace;

    /// Update a partner
    ///
    /// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
    /// optional field. The result is validated as a whole.
    update;

    /// Delete a partner
    ///
    /// Refused with 409 while events or recommendations refer to the partner.
    delete, (status = 409, response = Conflict);

    /// History of a partner
    ///
    /// Every write to a partner, oldest first, paged like any list: for keys whose
    /// scope holds the record. A deleted record's is at `/audit` (admins).
    history;
}
