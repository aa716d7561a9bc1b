//! HTTP layer of `/api/v1/events`, and of the nested lists
//! `/partners/{id}/events` and `/thematic-areas/{id}/events`.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};

use super::dto::{EventInput, EventPatch};
use super::model::Event;
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
use crate::writes::{self, Edit, found};

/// Get an event
///
/// One event by id or slug, with an `ETag`; `If-None-Match` with
/// that ETag answers `304 Not Modified`.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "get_event",
    security((), ("api_key" = [])),
    params(IdPath),

    responses(
        (status = 200, description = "The event.", body = Event,
         headers(("ETag" = String, description = "Version of this representation"))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`."),
        ItemErrors,
    )
)]
#[get("/{id}")]
pub async fn get(db: Data<Db>, _: Reader, id: Path<IdPath>) -> Result<HttpResponse, ApiError> {
    let key = id.key();
    let event = db.read(move |c| found::<Event>(c, &key)).await?;
    item_response(&event)
}

/// Create an event
///
/// `slug` is made from `title` when left out. Every id in
/// `host_partner_id`, `partner_ids` and `thematic_area_ids` must exist (422).
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "create_event",
    security(("api_key" = [])),
    request_body = EventInput,
    responses(
        (status = 201, description = "Created.", body = Event,
         headers(("Location" = String, description = "Path of the new event"),
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
    writes::create::<Event>(db, writer, body).await
}

/// Replace an event
///
/// Full replacement, validated as on create; the link sets are replaced by
/// the ids given. A left-out `slug` keeps the current one.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "replace_event",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body = EventInput,
    responses(
        (status = 200, description = "Replaced.", body = Event,
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
    writes::save::<Event>(db, writer, id.key(), pre, Edit::Replace(body)).await
}

/// Update an event
///
/// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
/// optional field; a relation list given replaces the whole set.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "update_event",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body(content(
        (EventPatch = "application/merge-patch+json"),
        (EventPatch = "application/json"),
    )),
    responses(
        (status = 200, description = "Updated.", body = Event,
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
    writes::save::<Event>(db, writer, id.key(), pre, Edit::Merge(body)).await
}

/// Delete an event
///
/// Its links to thematic areas and partners go with it.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "delete_event",
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
    writes::remove::<Event>(db, writer, id.key(), pre).await
}

/// History of an event
///
/// Every write to an event, oldest first, paged like any list: for keys whose
/// scope holds the record. A deleted record's is at `/audit` (admins).
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "event_history",
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
    crate::history::respond::<Event>(db, &req, reader, id.key(), query).await
}
