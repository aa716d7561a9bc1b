//! The list routes of `/api/v1/recommendations`: the collection, its file
//! download, and the nested lists under a partner and a thematic area; all
//! one list with a different scope and format.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get};
use diesel::SqliteConnection;

use super::dto::{ListScope, RecommendationQuery};
use super::model::{self, Recommendation};
use crate::auth::Reader;
use crate::bulk::{self, FileFormat, Format};
use crate::db::Db;
use crate::error::ApiError;
use crate::http::Key;
use crate::paging::{ListQuery, Page, PageParams, PageRequest};
use crate::responses::{DownloadErrors, ListErrors, NestedListErrors};
use crate::tags;

/// List recommendations
///
/// The network's recommendations, each with its thematic areas and
/// proposing partners, a page at a time, filtered, searched and sorted as
/// asked. With `Accept: text/csv` or `application/x-ndjson`, every matching
/// recommendation at once, streamed.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "list_recommendations",
    security((), ("api_key" = [])),
    params(PageParams, RecommendationQuery),
    responses(
        (status = 200, description = "A page of recommendations, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Recommendation> = "application/json"),
             (String = "text/csv"),
             (Recommendation = "application/x-ndjson"),
         ),
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        ListErrors,
    )
)]
#[get("")]
pub async fn list(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    query: ListQuery<RecommendationQuery>,
) -> Result<HttpResponse, ApiError> {
    respond(db, &req, reader, query, None, |_| Ok(ListScope::default())).await
}

/// Download recommendations
///
/// Every matching recommendation as a CSV or NDJSON file, streamed; the
/// same filters, search and sort as the list. Relations are `;`-joined
/// slugs in CSV.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "download_recommendations",
    security((), ("api_key" = [])),
    params(("format" = FileFormat, Path, description = "`csv` or `ndjson`"), RecommendationQuery),
    responses(
        (status = 200, description = "All matching recommendations.",
         content((String = "text/csv"), (Recommendation = "application/x-ndjson")),
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"recommendations.csv\"`"))),
        DownloadErrors,
    )
)]
#[get("/recommendations.{format}")]
pub async fn download(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    format: Path<String>,
    query: ListQuery<RecommendationQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = FileFormat::parse(&format)?;
    respond(db, &req, reader, query, Some(format), |_| {
        Ok(ListScope::default())
    })
    .await
}

/// List a partner's recommendations
///
/// The recommendations the partner is among the proposers of: the full
/// list's filters, search, sort, paging and formats.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "list_partner_recommendations",
    security((), ("api_key" = [])),
    params(("id" = crate::relations::IdOrSlug, Path, description = "Partner id or slug", example = "lille-metropole"), PageParams, RecommendationQuery),
    responses(
        (status = 200, description = "A page of recommendations, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Recommendation> = "application/json"),
             (String = "text/csv"),
             (Recommendation = "application/x-ndjson"),
         ),
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        NestedListErrors,
    )
)]
#[get("/{id}/recommendations")]
pub async fn list_for_partner(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<String>,
    query: ListQuery<RecommendationQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = Key::parse(&id);
    respond(db, &req, reader, query, None, move |c| {
        Ok(ListScope {
            partner: Some(crate::relations::parent_id(c, "partners", "partner", &key)?),
            ..ListScope::default()
        })
    })
    .await
}

/// List a thematic area's recommendations
///
/// The recommendations in the thematic area: the full list's filters,
/// search, sort, paging and formats.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "list_thematic_area_recommendations",
    security((), ("api_key" = [])),
    params(("id" = crate::relations::IdOrSlug, Path, description = "Thematic area id or slug", example = "governance"), PageParams, RecommendationQuery),
    responses(
        (status = 200, description = "A page of recommendations, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Recommendation> = "application/json"),
             (String = "text/csv"),
             (Recommendation = "application/x-ndjson"),
         ),
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        NestedListErrors,
    )
)]
#[get("/{id}/recommendations")]
pub async fn list_for_thematic_area(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<String>,
    query: ListQuery<RecommendationQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = Key::parse(&id);
    respond(db, &req, reader, query, None, move |c| {
        Ok(ListScope {
            thematic_area: Some(crate::relations::parent_id(
                c,
                "thematic_areas",
                "thematic area",
                &key,
            )?),
            ..ListScope::default()
        })
    })
    .await
}

/// The four list routes differ only in their scope and format.
async fn respond<S>(
    db: Data<Db>,
    req: &HttpRequest,
    reader: Reader,
    query: ListQuery<RecommendationQuery>,
    format: Option<Format>,
    scope: S,
) -> Result<HttpResponse, ApiError>
where
    S: FnOnce(&mut SqliteConnection) -> Result<ListScope, ApiError> + Send + 'static,
{
    let format = format.map_or_else(|| Format::negotiate(req), Ok)?;
    let ListQuery { page, filters } = query;
    let drafts = reader.drafts();
    let prepare = move |c: &mut SqliteConnection, page: &PageRequest| {
        let scope = ListScope {
            drafts,
            ..scope(c)?
        };
        filters.listing(c, page, scope)
    };
    bulk::respond(
        db,
        req,
        format,
        page,
        "recommendations",
        prepare,
        model::list,
    )
    .await
}
