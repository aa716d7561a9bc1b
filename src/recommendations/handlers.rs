//! The item routes of `/api/v1/recommendations` and their spec, declared
//! through `crate::routes`; the list routes are in `lists.rs`.

use actix_web::{delete, get, patch, post, put};

use super::dto::{RecommendationInput, RecommendationPatch};
use super::model::{Recommendation, RecommendationField, RecommendationView};

crate::item_routes! {
    Recommendation, fields: (RecommendationField, RecommendationView), input: RecommendationInput, patch: RecommendationPatch, tag: RECOMMENDATIONS,
    one: ("recommendation", "recommendation"), location: "Path of the new recommendation (one record only)",

    /// Get a recommendation
    ///
    /// One recommendation by id or slug, with an `ETag`; `If-None-Match` with
    /// that ETag answers `304 Not Modified`. A draft is found only with an admin
    /// key or the key of one of its proposers.
    get;

    /// Create a recommendation
    ///
    /// `slug` is made from `title` when left out; `status` defaults to `draft`.
    /// Every id in `thematic_area_ids` and `partner_ids` must exist (422).
    create;

    /// Replace a recommendation
    ///
    /// Full replacement, validated as on create; the link sets are replaced by
    /// the ids given. A left-out `slug` keeps the current one.
    replace;

    /// Update a recommendation
    ///
    /// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
    /// optional field; a relation list given replaces the whole set.
    update;

    /// Delete a recommendation
    ///
    /// Its links to thematic areas and partners go with it.
    delete;

    /// History of a recommendation
    ///
    /// Every write to a recommendation, oldest first, paged like any list: for keys whose
    /// scope holds the record. A deleted record's is at `/audit` (admins).
    history;
}
