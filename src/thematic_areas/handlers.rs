//! HTTP layer of `/api/v1/thematic-areas`: extract, parse, one database call, reply.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put};

use super::dto::{ThematicAreaInput, ThematicAreaPatch, ThematicAreaQuery};
use super::model::{self, ThematicArea};
use crate::audit::{self, Collection};
use crate::auth::{Reader, Writer};
use crate::bulk::{self, FileFormat, Format};
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{IdPath, IfMatchHeader, Precondition, item_response, written_response};
use crate::input::{JsonObject, parse_object};
use crate::openapi::tags;
use crate::paging::{ListQuery, Page, PageParams};
use crate::responses::{
    Conflict, CreateErrors, DeleteErrors, DownloadErrors, EditErrors, ItemErrors, ListErrors,
};

fn location(area: &ThematicArea) -> String {
    format!("{}/thematic-areas/{}", crate::app::API_PREFIX, area.id)
}

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
    let area = db.read(move |c| model::find(c, &key)).await?;
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
    let Writer(caller) = writer;
    caller.must_be_admin("write thematic areas")?;
    let (input, problems) = parse_object::<ThematicAreaInput>(body.0)?;
    let form = input.into_form(problems, None)?;
    let area = db
        .write(move |c| {
            let area = model::create(c, form)?;
            audit::record(
                c,
                &caller,
                Collection::ThematicAreas,
                area.id,
                None,
                Some(&area),
            )?;
            Ok(area)
        })
        .await?;
    written_response(StatusCode::CREATED, Some(location(&area)), &area)
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
    let (Writer(caller), key) = (writer, id.key());
    caller.must_be_admin("write thematic areas")?;
    let (input, problems) = parse_object::<ThematicAreaInput>(body.0)?;
    let area = db
        .write(move |c| {
            let (before, after) = model::update(
                c,
                &key,
                &pre,
                |_| Ok(()),
                |cur| input.into_form(problems, Some(cur)),
            )?;
            audit::record(
                c,
                &caller,
                Collection::ThematicAreas,
                after.id,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
        .await?;
    written_response(StatusCode::OK, None, &area)
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
    let (Writer(caller), key) = (writer, id.key());
    caller.must_be_admin("write thematic areas")?;
    let area = db
        .write(move |c| {
            let (before, after) = model::update(
                c,
                &key,
                &pre,
                |_| Ok(()),
                |cur| {
                    let (input, problems) = ThematicAreaInput::merged(cur, body.0)?;
                    input.into_form(problems, Some(cur))
                },
            )?;
            audit::record(
                c,
                &caller,
                Collection::ThematicAreas,
                after.id,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
        .await?;
    written_response(StatusCode::OK, None, &area)
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
    let (Writer(caller), key) = (writer, id.key());
    caller.must_be_admin("write thematic areas")?;
    db.write(move |c| {
        let before = model::delete(c, &key, &pre, |_| Ok(()))?;
        audit::record(
            c,
            &caller,
            Collection::ThematicAreas,
            before.id,
            Some(&before),
            None,
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
