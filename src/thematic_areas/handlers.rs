//! HTTP layer of `/api/v1/thematic-areas`: each route, its spec, and the
//! shared script it runs (`crate::writes` for writes, `crate::bulk` for lists).

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};

use super::dto::{ThematicAreaInput, ThematicAreaPatch, ThematicAreaQuery};
use super::model::{self, ThematicArea};
use crate::audit::dto::HistoryQuery;
use crate::audit::model::AuditEntry;
use crate::auth::{Reader, Writer};
use crate::body::JsonObject;
use crate::bulk::{self, FileFormat, Format};
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{IdPath, IfMatchHeader, Precondition, item_response};
use crate::paging::{ListQuery, Page, PageParams};
use crate::responses::{
    Conflict, CreateErrors, DeleteErrors, DownloadErrors, EditErrors, HistoryErrors, ItemErrors,
    ListErrors,
};
use crate::tags;
use crate::writes::{self, Edit, found};

/// List thematic areas
///
/// The themes of the network, a page at a time, searched and sorted as
/// asked. With `Accept: text/csv` or `application/x-ndjson`, every
/// matching thematic area at once, streamed.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "list_thematic_areas",
    security((), ("api_key" = [])),
    params(PageParams, ThematicAreaQuery),
    responses(
        (status = 200, description = "A page of thematic areas, or all matching ones as CSV or NDJSON.",
         content(
             (Page<ThematicArea> = "application/json"),
             (String = "text/csv"),
             (ThematicArea = "application/x-ndjson"),
         ),
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        ListErrors,
    )
)]
#[get("")]
pub async fn list(
    db: Data<Db>,
    req: HttpRequest,
    _: Reader,
    query: ListQuery<ThematicAreaQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = Format::negotiate(&req)?;
    let ListQuery { page, filters } = query;
    bulk::respond(
        db,
        &req,
        format,
        page,
        "thematic-areas",
        |_, page| filters.listing(page),
        model::list,
    )
    .await
}

/// Download thematic areas
///
/// Every matching thematic area as a CSV or NDJSON file, streamed; the
/// same search and sort as the list.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "download_thematic_areas",
    security((), ("api_key" = [])),
    params(("format" = FileFormat, Path, description = "`csv` or `ndjson`"), ThematicAreaQuery),
    responses(
        (status = 200, description = "All matching thematic areas.",
         content((String = "text/csv"), (ThematicArea = "application/x-ndjson")),
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"thematic-areas.csv\"`"))),
        DownloadErrors,
    )
)]
#[get("/thematic-areas.{format}")]
pub async fn download(
    db: Data<Db>,
    req: HttpRequest,
    _: Reader,
    format: Path<String>,
    query: ListQuery<ThematicAreaQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = FileFormat::parse(&format)?;
    let ListQuery { page, filters } = query;
    bulk::respond(
        db,
        &req,
        format,
        page,
        "thematic-areas",
        |_, page| filters.listing(page),
        model::list,
    )
    .await
}

/// Get a thematic area
///
/// One thematic area by id or slug, with an `ETag`; `If-None-Match` with that
/// ETag answers `304 Not Modified`.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "get_thematic_area",
    security((), ("api_key" = [])),
    params(IdPath),

    responses(
        (status = 200, description = "The thematic area.", body = ThematicArea,
         headers(("ETag" = String, description = "Version of this representation"))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`."),
        ItemErrors,
    )
)]
#[get("/{id}")]
pub async fn get(db: Data<Db>, _: Reader, id: Path<IdPath>) -> Result<HttpResponse, ApiError> {
    let key = id.key();
    let area = db.read(move |c| found::<ThematicArea>(c, &key)).await?;
    item_response(&area)
}

/// Create a thematic area
///
/// `slug` is made from `name` when left out.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "create_thematic_area",
    security(("api_key" = [])),
    request_body = ThematicAreaInput,
    responses(
        (status = 201, description = "Created.", body = ThematicArea,
         headers(("Location" = String, description = "Path of the new thematic area"),
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
    writes::create::<ThematicArea>(db, writer, body).await
}

/// Replace a thematic area
///
/// Full replacement, validated as on create: optional fields left out are
/// cleared. A left-out `slug` keeps the current one.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "replace_thematic_area",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body = ThematicAreaInput,
    responses(
        (status = 200, description = "Replaced.", body = ThematicArea,
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
    writes::save::<ThematicArea>(db, writer, id.key(), pre, Edit::Replace(body)).await
}

/// Update a thematic area
///
/// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
/// optional field. The result is validated as a whole.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "update_thematic_area",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body(content(
        (ThematicAreaPatch = "application/merge-patch+json"),
        (ThematicAreaPatch = "application/json"),
    )),
    responses(
        (status = 200, description = "Updated.", body = ThematicArea,
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
    writes::save::<ThematicArea>(db, writer, id.key(), pre, Edit::Merge(body)).await
}

/// Delete a thematic area
///
/// Refused with 409 while events or recommendations refer to the thematic area.
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "delete_thematic_area",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = Conflict),
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
    writes::remove::<ThematicArea>(db, writer, id.key(), pre).await
}

/// History of a thematic area
///
/// Every write to a thematic area, oldest first, paged like any list: for keys whose
/// scope holds the record. A deleted record's is at `/audit` (admins).
#[utoipa::path(
    tag = tags::THEMATIC_AREAS, operation_id = "thematic_area_history",
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
    crate::history::respond::<ThematicArea>(db, &req, reader, id.key(), query).await
}
