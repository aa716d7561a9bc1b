//! `GET /api/v1/audit` (admins), and the listing every record's history
//! (`crate::history`) shares.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};

use super::dto::AuditQuery;
use super::model::{self, AuditEntry, Collection};
use crate::auth::{Caller, Reader};
use crate::db::Conn;
use crate::db::Db;
use crate::error::ApiError;
use crate::paging::{ListQuery, Page, PageParams, page_response};
use crate::responses::{BadRequest, Forbidden, Unauthorized, UriTooLong};
use crate::tags;

pub fn signed_in(reader: Reader) -> Result<Caller, ApiError> {
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
        (status = 414, response = UriTooLong),
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

/// A page of the trail, filtered by `query` and pinned by `locate` to one
/// record's history (or not).
pub async fn respond<Q, L>(
    db: Data<Db>,
    req: &HttpRequest,
    query: ListQuery<Q>,
    locate: L,
) -> Result<HttpResponse, ApiError>
where
    Q: Into<AuditQuery>,
    L: FnOnce(&mut Conn) -> Result<Option<(Collection, i32)>, ApiError> + Send + 'static,
{
    let ListQuery {
        page,
        fields,
        filters,
    } = query;
    if fields.is_some() {
        return Err(ApiError::query(
            "fields",
            "is not offered on the audit trail: its entries are shown whole",
        ));
    }
    let filters: AuditQuery = filters.into();
    let limit = page.limit;
    let listed = db
        .read(move |c| {
            let record = locate(c)?;
            let listing = filters.listing(&page, record, c.dialect())?;
            Ok(model::list(c, &listing)?)
        })
        .await?
        .assemble();
    Ok(page_response(req, limit, listed))
}
