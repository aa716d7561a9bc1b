//! HTTP layer of `/api/v1/partners`: each route, its spec, and the shared
//! script it runs (`crate::writes` for writes, `crate::bulk` for lists).

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};

use super::dto::{PartnerInput, PartnerPatch, PartnerQuery};
use super::model::{self, Partner};
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

/// List partners
///
/// The partner city-regions, a page at a time, filtered, searched and
/// sorted as asked. With `Accept: text/csv` or `application/x-ndjson`,
/// every matching partner at once, streamed.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "list_partners",
    security((), ("api_key" = [])),
    params(PageParams, PartnerQuery),
    responses(
        (status = 200, description = "A page of partners, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Partner> = "application/json"),
             (String = "text/csv"),
             (Partner = "application/x-ndjson"),
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
    query: ListQuery<PartnerQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = Format::negotiate(&req)?;
    let ListQuery { page, filters } = query;
    bulk::respond(
        db,
        &req,
        format,
        page,
        "partners",
        |_, page| filters.listing(page),
        model::list,
    )
    .await
}

/// Download partners
///
/// Every matching partner as a CSV or NDJSON file, streamed; the same
/// filters, search and sort as the list.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "download_partners",
    security((), ("api_key" = [])),
    params(("format" = FileFormat, Path, description = "`csv` or `ndjson`"), PartnerQuery),
    responses(
        (status = 200, description = "All matching partners.",
         content((String = "text/csv"), (Partner = "application/x-ndjson")),
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"partners.csv\"`"))),
        DownloadErrors,
    )
)]
#[get("/partners.{format}")]
pub async fn download(
    db: Data<Db>,
    req: HttpRequest,
    _: Reader,
    format: Path<String>,
    query: ListQuery<PartnerQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = FileFormat::parse(&format)?;
    let ListQuery { page, filters } = query;
    bulk::respond(
        db,
        &req,
        format,
        page,
        "partners",
        |_, page| filters.listing(page),
        model::list,
    )
    .await
}

/// Get a partner
///
/// One partner by id or slug, with an `ETag`; `If-None-Match` with that
/// ETag answers `304 Not Modified`.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "get_partner",
    security((), ("api_key" = [])),
    params(IdPath),

    responses(
        (status = 200, description = "The partner.", body = Partner,
         headers(("ETag" = String, description = "Version of this representation"))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`."),
        ItemErrors,
    )
)]
#[get("/{id}")]
pub async fn get(db: Data<Db>, _: Reader, id: Path<IdPath>) -> Result<HttpResponse, ApiError> {
    let key = id.key();
    let partner = db.read(move |c| found::<Partner>(c, &key)).await?;
    item_response(&partner)
}

/// Create a partner
///
/// `slug` is made from `name` when left out. There is at most one lead partner.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "create_partner",
    security(("api_key" = [])),
    request_body = PartnerInput,
    responses(
        (status = 201, description = "Created.", body = Partner,
         headers(("Location" = String, description = "Path of the new partner"),
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
    writes::create::<Partner>(db, writer, body).await
}

/// Replace a partner
///
/// Full replacement, validated as on create: optional fields left out are
/// cleared. A left-out `slug` keeps the current one.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "replace_partner",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body = PartnerInput,
    responses(
        (status = 200, description = "Replaced.", body = Partner,
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
    writes::save::<Partner>(db, writer, id.key(), pre, Edit::Replace(body)).await
}

/// Update a partner
///
/// JSON merge patch (RFC 7396): fields left out stay, `null` clears an
/// optional field. The result is validated as a whole.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "update_partner",
    security(("api_key" = [])),
    params(IdPath, IfMatchHeader,
    ),
    request_body(content(
        (PartnerPatch = "application/merge-patch+json"),
        (PartnerPatch = "application/json"),
    )),
    responses(
        (status = 200, description = "Updated.", body = Partner,
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
    writes::save::<Partner>(db, writer, id.key(), pre, Edit::Merge(body)).await
}

/// Delete a partner
///
/// Refused with 409 while events or recommendations refer to the partner.
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "delete_partner",
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
    writes::remove::<Partner>(db, writer, id.key(), pre).await
}

/// History of a partner
///
/// Every write to a partner, oldest first, paged like any list: for keys whose
/// scope holds the record. A deleted record's is at `/audit` (admins).
#[utoipa::path(
    tag = tags::PARTNERS, operation_id = "partner_history",
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
    crate::history::respond::<Partner>(db, &req, reader, id.key(), query).await
}
