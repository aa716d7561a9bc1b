//! HTTP layer of `/api/v1/recommendations`, and of the nested lists
//! `/partners/{id}/recommendations` and `/thematic-areas/{id}/recommendations`.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};
use diesel::SqliteConnection;

use super::dto::{RecommendationInput, RecommendationPatch, RecommendationQuery, Scope};
use super::model::{self, Recommendation};
use crate::audit::dto::HistoryQuery;
use crate::audit::model::AuditEntry;
use crate::auth::{Reader, Writer};
use crate::bulk::{self, FileFormat, Format};
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{IdPath, IfMatchHeader, Key, Precondition, item_response};
use crate::input::JsonObject;
use crate::paging::{ListQuery, Page, PageParams, PageRequest};
use crate::responses::{
    CreateErrors, DeleteErrors, DownloadErrors, EditErrors, HistoryErrors, ItemErrors, ListErrors,
    NestedListErrors,
};
use crate::tags;
use crate::writes::{self, Edit};

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
    respond(db, &req, reader, query, None, |_| Ok(Scope::default())).await
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
        Ok(Scope::default())
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
        Ok(Scope {
            partner: Some(crate::relations::parent_id(c, "partners", "partner", &key)?),
            ..Scope::default()
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
        Ok(Scope {
            thematic_area: Some(crate::relations::parent_id(
                c,
                "thematic_areas",
                "thematic area",
                &key,
            )?),
            ..Scope::default()
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
    S: FnOnce(&mut SqliteConnection) -> Result<Scope, ApiError> + Send + 'static,
{
    let format = format.map_or_else(|| Format::negotiate(req), Ok)?;
    let ListQuery { page, filters } = query;
    let drafts = reader.drafts();
    let prepare = move |c: &mut SqliteConnection, page: &PageRequest| {
        let scope = Scope {
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

/// Get a recommendation
///
/// One recommendation by id or slug, with an `ETag`; `If-None-Match` with
/// that ETag answers `304 Not Modified`. A draft is found only with an admin
/// key or the key of one of its proposers.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "get_recommendation",
    security((), ("api_key" = [])),
    params(IdPath),

    responses(
        (status = 200, description = "The recommendation.", body = Recommendation,
         headers(("ETag" = String, description = "Version of this representation"))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`."),
        ItemErrors,
    )
)]
#[get("/{id}")]
pub async fn get(db: Data<Db>, reader: Reader, id: Path<IdPath>) -> Result<HttpResponse, ApiError> {
    let (key, drafts) = (id.key(), reader.drafts());
    let recommendation = db
        .read(move |c| super::record::visible(c, &key, drafts))
        .await?;
    item_response(&recommendation)
}

/// Create a recommendation
///
/// `slug` is made from `title` when left out; `status` defaults to `draft`.
/// Every id in `thematic_area_ids` and `partner_ids` must exist (422).
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "create_recommendation",
    security(("api_key" = [])),
    request_body = RecommendationInput,
    responses(
        (status = 201, description = "Created.", body = Recommendation,
         headers(("Location" = String, description = "Path of the new recommendation"),
                 ("ETag" = String, description = "Version of this representation"))),
        CreateErrors,
    )
)]
#[post("")]
pub async fn create(
    db: Data<Db>,
    writer: Writer,
    body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    writes::create::<Recommendation>(db, writer, body).await
}

/// Replace a recommendation
///
/// Full replacement, validated as on create; the link sets are replaced by
/// the ids given. A left-out `slug` keeps the current one.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "replace_recommendation",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body = RecommendationInput,
    responses(
        (status = 200, description = "Replaced.", body = Recommendation,
         headers(("ETag" = String, description = "Version of this representation"))),
        EditErrors,
    )
)]
#[put("/{id}")]
pub async fn replace(
    db: Data<Db>,
    writer: Writer,
    id: Path<IdPath>,
    pre: Precondition,
    body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    writes::save::<Recommendation>(db, writer, id.key(), pre, Edit::Replace(body)).await
}

/// Update a recommendation
///
/// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
/// optional field; a relation list given replaces the whole set.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "update_recommendation",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body(content(
        (RecommendationPatch = "application/merge-patch+json"),
        (RecommendationPatch = "application/json"),
    )),
    responses(
        (status = 200, description = "Updated.", body = Recommendation,
         headers(("ETag" = String, description = "Version of this representation"))),
        EditErrors,
    )
)]
#[patch("/{id}")]
pub async fn update(
    db: Data<Db>,
    writer: Writer,
    id: Path<IdPath>,
    pre: Precondition,
    body: JsonObject,
) -> Result<HttpResponse, ApiError> {
    writes::save::<Recommendation>(db, writer, id.key(), pre, Edit::Merge(body)).await
}

/// Delete a recommendation
///
/// Its links to thematic areas and partners go with it.
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "delete_recommendation",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    responses(
        (status = 204, description = "Deleted."),
        DeleteErrors,
    )
)]
#[delete("/{id}")]
pub async fn delete(
    db: Data<Db>,
    writer: Writer,
    id: Path<IdPath>,
    pre: Precondition,
) -> Result<HttpResponse, ApiError> {
    writes::remove::<Recommendation>(db, writer, id.key(), pre).await
}

/// History of a recommendation
///
/// Every write to a recommendation, oldest first, paged like any list: for keys whose
/// scope holds the record. A deleted record's is at `/audit` (admins).
#[utoipa::path(
    tag = tags::RECOMMENDATIONS, operation_id = "recommendation_history",
    security(("api_key" = [])),
    params(IdPath, PageParams, HistoryQuery),
    responses(
        (status = 200, description = "A page of the record's history.", body = Page<AuditEntry>,
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        HistoryErrors,
    )
)]
#[get("/{id}/history")]
pub async fn history(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<IdPath>,
    query: ListQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    crate::history::respond::<Recommendation>(db, &req, reader, id.key(), query).await
}
