//! HTTP layer of `/api/v1/recommendations`, and of the nested lists
//! `/partners/{id}/recommendations` and `/thematic-areas/{id}/recommendations`.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};

use super::dto::{RecommendationInput, RecommendationPatch};
use super::model::Recommendation;
use crate::audit::dto::HistoryQuery;
use crate::audit::model::AuditEntry;
use crate::auth::{Reader, Writer};
use crate::body::JsonObject;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{IdPath, IfMatchHeader, Precondition, item_response};
use crate::paging::{ListQuery, Page, PageParams};
use crate::responses::{CreateErrors, DeleteErrors, EditErrors, HistoryErrors, ItemErrors};
use crate::tags;
use crate::writes::{self, Edit};

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
