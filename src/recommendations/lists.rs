//! The list routes of `/api/v1/recommendations`: the collection, its file
//! download, and the nested lists under a partner and a thematic area,
//! declared through `crate::routes`.

use actix_web::get;

use super::dto::RecommendationQuery;
use super::model::{RecommendationFacet, RecommendationField, RecommendationView};

crate::list_routes! {
    RecommendationQuery => RecommendationView, tag: RECOMMENDATIONS, fields: RecommendationField, facets: RecommendationFacet = ["thematic_area", "target_level"],
    many: ("recommendations", "recommendations"),
    download: ("/recommendations.{format}", "`attachment; filename=\"recommendations.csv\"`", FileFormat),

    /// List recommendations
    ///
    /// The network's recommendations, each with its thematic areas and
    /// proposing partners, a page at a time, filtered, searched and sorted as
    /// asked. With `Accept: text/csv` or `application/x-ndjson`, every matching
    /// recommendation at once, streamed.
    list;

    /// Download recommendations
    ///
    /// Every matching recommendation as a CSV or NDJSON file, streamed; the
    /// same filters, search and sort as the list. Relations are `;`-joined
    /// slugs in CSV.
    download;
}

crate::nested_list_route! {
    /// List a partner's recommendations
    ///
    /// The recommendations the partner is among the proposers of: the full
    /// list's filters, search, sort, paging and formats.
    list_for_partner: RecommendationQuery => RecommendationView under partner,
    tag: RECOMMENDATIONS, fields: RecommendationField, facets: RecommendationFacet = ["thematic_area", "target_level"], many: ("recommendations", "recommendations"), path: "/{id}/recommendations"
}

crate::nested_list_route! {
    /// List a thematic area's recommendations
    ///
    /// The recommendations in the thematic area: the full list's filters,
    /// search, sort, paging and formats.
    list_for_thematic_area: RecommendationQuery => RecommendationView under thematic_area,
    tag: RECOMMENDATIONS, fields: RecommendationField, facets: RecommendationFacet = ["thematic_area", "target_level"], many: ("recommendations", "recommendations"), path: "/{id}/recommendations"
}
