//! `GET /api/v1/audit` (admins) and `GET /{collection}/{id}/history` (keys
//! whose scope holds the record).

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get};
use diesel::prelude::*;

use super::dto::{AuditQuery, HistoryQuery};
use super::model::{self, AuditEntry, Collection};
use crate::auth::{Caller, Reader};
use crate::db::Db;
use crate::error::ApiError;
use crate::http::IdPath;
use crate::openapi::tags;
use crate::paging::{ListQuery, Page, PageParams, page_response};
use crate::relations::ids;
use crate::responses::{BadRequest, Forbidden, HistoryErrors, Unauthorized};
use crate::{events, partners, recommendations, thematic_areas};

fn signed_in(reader: Reader) -> Result<Caller, ApiError> {
    reader.0.ok_or_else(|| {
        ApiError::Unauthorized(
            "The audit trail needs `Authorization: Bearer <key>`.".into(),
            false,
        )
    })
}

/// Read the audit trail
///
/// Every write, oldest first, filtered and paged like any list. Admin keys
/// only.
#[utoipa::path(
    tag = tags::AUDIT, operation_id = "list_audit",
    security(("api_key" = [])),
    params(PageParams, AuditQuery),
    responses(
        (status = 200, description = "A page of the audit trail.", body = Page<AuditEntry>,
         headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    )
)]
#[get("/audit")]
pub async fn list(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    query: ListQuery<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    signed_in(reader)?.must_be_admin("read the audit trail")?;
    respond(db, &req, query, |_| Ok(None)).await
}

async fn respond<Q, L>(
    db: Data<Db>,
    req: &HttpRequest,
    query: ListQuery<Q>,
    locate: L,
) -> Result<HttpResponse, ApiError>
where
    Q: Into<AuditQuery>,
    L: FnOnce(&mut SqliteConnection) -> Result<Option<(Collection, i32)>, ApiError>
        + Send
        + 'static,
{
    let ListQuery { page, filters } = query;
    let filters: AuditQuery = filters.into();
    let limit = page.limit;
    let listed = db
        .read(move |c| {
            let record = locate(c)?;
            let listing = filters.listing(&page, record)?;
            Ok(model::list(c, &listing)?)
        })
        .await?;
    Ok(page_response(req, limit, listed))
}

/// The record a history is about: found and in the caller's scope. Once a
/// record is deleted its address is gone (404, as for every path under it);
/// admins still read its trail at `/audit?collection=...&record=<id>`.
fn locate(
    conn: &mut SqliteConnection,
    collection: Collection,
    find: impl FnOnce(&mut SqliteConnection) -> Result<i32, ApiError>,
) -> Result<Option<(Collection, i32)>, ApiError> {
    match find(conn) {
        Ok(id) => Ok(Some((collection, id))),
        Err(ApiError::NotFound(detail)) => Err(ApiError::NotFound(format!(
            "{detail} The trail of a deleted record is at /api/v1/audit?collection={}&record=<id>.",
            collection.as_str()
        ))),
        Err(other) => Err(other),
    }
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
pub async fn partner_history(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<IdPath>,
    query: ListQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let (caller, key) = (signed_in(reader)?, id.key());
    respond(db, &req, query, move |c| {
        locate(c, Collection::Partners, |c| {
            let partner = partners::model::find(c, &key)?;
            caller.may_write_partner(partner.id)?;
            Ok(partner.id)
        })
    })
    .await
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
pub async fn thematic_area_history(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<IdPath>,
    query: ListQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let (caller, key) = (signed_in(reader)?, id.key());
    respond(db, &req, query, move |c| {
        locate(c, Collection::ThematicAreas, |c| {
            let area = thematic_areas::model::find(c, &key)?;
            caller.must_be_admin("read a thematic area's history")?;
            Ok(area.id)
        })
    })
    .await
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
pub async fn recommendation_history(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<IdPath>,
    query: ListQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let (caller, key) = (signed_in(reader)?, id.key());
    respond(db, &req, query, move |c| {
        locate(c, Collection::Recommendations, |c| {
            let recommendation = recommendations::model::find(c, &key)?;
            caller.may_write_recommendation(&ids(&recommendation.partners))?;
            Ok(recommendation.id)
        })
    })
    .await
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
pub async fn event_history(
    db: Data<Db>,
    req: HttpRequest,
    reader: Reader,
    id: Path<IdPath>,
    query: ListQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let (caller, key) = (signed_in(reader)?, id.key());
    respond(db, &req, query, move |c| {
        locate(c, Collection::Events, |c| {
            let event = events::model::find(c, &key)?;
            caller.may_write_event(event.host_partner.as_ref().map(|h| h.id))?;
            Ok(event.id)
        })
    })
    .await
}
