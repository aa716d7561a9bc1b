//! The list routes of `/api/v1/events`: the collection, its file
//! download, and the nested lists under a partner and a thematic area; all
//! one list with a different scope and format.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get};
use diesel::SqliteConnection;

use super::dto::{EventQuery, ListScope};
use super::model::{self, Event};
use crate::auth::Reader;
use crate::bulk::{self, FileFormat, Format};
use crate::db::Db;
use crate::error::ApiError;
use crate::http::Key;
use crate::paging::{ListQuery, Page, PageParams, PageRequest};
use crate::responses::{DownloadErrors, ListErrors, NestedListErrors};
use crate::tags;

/// List events
///
/// The events of the network's life, each with its host, participants and
/// thematic areas, a page at a time, filtered, searched and sorted as
/// asked. With `Accept: text/csv` or `application/x-ndjson`, every matching
/// event at once, streamed.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "list_events",
    security((), ("api_key" = [])),
    params(PageParams, EventQuery),
    responses(
        (status = 200, description = "A page of events, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Event> = "application/json"),
             (String = "text/csv"),
             (Event = "application/x-ndjson"),
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
    query: ListQuery<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    respond(db, &req, query, None, |_| Ok(ListScope::default())).await
}

/// Download events
///
/// Every matching event as a CSV or NDJSON file, streamed; the same
/// filters, search and sort as the list. Relations are `;`-joined slugs in
/// CSV.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "download_events",
    security((), ("api_key" = [])),
    params(("format" = FileFormat, Path, description = "`csv` or `ndjson`"), EventQuery),
    responses(
        (status = 200, description = "All matching events.",
         content((String = "text/csv"), (Event = "application/x-ndjson")),
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"events.csv\"`"))),
        DownloadErrors,
    )
)]
#[get("/events.{format}")]
pub async fn download(
    db: Data<Db>,
    req: HttpRequest,
    _: Reader,
    format: Path<String>,
    query: ListQuery<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = FileFormat::parse(&format)?;
    respond(db, &req, query, Some(format), |_| Ok(ListScope::default())).await
}

/// List a partner's events
///
/// The events the partner hosted or took part in: the full list's
/// filters, search, sort, paging and formats.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "list_partner_events",
    security((), ("api_key" = [])),
    params(("id" = crate::relations::IdOrSlug, Path, description = "Partner id or slug", example = "lille-metropole"), PageParams, EventQuery),
    responses(
        (status = 200, description = "A page of events, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Event> = "application/json"),
             (String = "text/csv"),
             (Event = "application/x-ndjson"),
         ),
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        NestedListErrors,
    )
)]
#[get("/{id}/events")]
pub async fn list_for_partner(
    db: Data<Db>,
    req: HttpRequest,
    _: Reader,
    id: Path<String>,
    query: ListQuery<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = Key::parse(&id);
    respond(db, &req, query, None, move |c| {
        Ok(ListScope {
            partner: Some(crate::relations::parent_id(c, "partners", "partner", &key)?),
            ..ListScope::default()
        })
    })
    .await
}

/// List a thematic area's events
///
/// The events in the thematic area: the full list's filters, search,
/// sort, paging and formats.
#[utoipa::path(
    tag = tags::EVENTS, operation_id = "list_thematic_area_events",
    security((), ("api_key" = [])),
    params(("id" = crate::relations::IdOrSlug, Path, description = "Thematic area id or slug", example = "governance"), PageParams, EventQuery),
    responses(
        (status = 200, description = "A page of events, or all matching ones as CSV or NDJSON.",
         content(
             (Page<Event> = "application/json"),
             (String = "text/csv"),
             (Event = "application/x-ndjson"),
         ),
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        NestedListErrors,
    )
)]
#[get("/{id}/events")]
pub async fn list_for_thematic_area(
    db: Data<Db>,
    req: HttpRequest,
    _: Reader,
    id: Path<String>,
    query: ListQuery<EventQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = Key::parse(&id);
    respond(db, &req, query, None, move |c| {
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
    query: ListQuery<EventQuery>,
    format: Option<Format>,
    scope: S,
) -> Result<HttpResponse, ApiError>
where
    S: FnOnce(&mut SqliteConnection) -> Result<ListScope, ApiError> + Send + 'static,
{
    let format = format.map_or_else(|| Format::negotiate(req), Ok)?;
    let ListQuery { page, filters } = query;
    let prepare = move |c: &mut SqliteConnection, page: &PageRequest| {
        let scope = scope(c)?;
        filters.listing(c, page, scope)
    };
    bulk::respond(db, req, format, page, "events", prepare, model::list).await
}
