//! `GET /{collection}/{id}/history`: one record's audit trail, paged like
//! any list, for the keys whose scope holds the record (those that may
//! write it). Each resource mounts its own route; this is what they share.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

use crate::audit::dto::HistoryQuery;
use crate::audit::handlers::{respond as trail, signed_in};
use crate::auth::Reader;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::{API_PREFIX, Key};
use crate::paging::ListQuery;
use crate::writes::{Resource, found_by};

/// The history of the record `key` names. Once a record is deleted its
/// address is gone (404, as for every path under it); admins still read
/// its trail at `/audit?collection=...&record=<id>`.
pub async fn respond<R: Resource>(
    db: Data<Db>,
    req: &HttpRequest,
    reader: Reader,
    key: Key,
    query: ListQuery<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let caller = signed_in(reader)?;
    trail(db, req, query, move |c| {
        let record: R = found_by(c, &key, &caller).map_err(|e| match e {
            ApiError::NotFound(detail) => ApiError::NotFound(format!(
                "{detail} The trail of a deleted record is at {API_PREFIX}/audit?collection={}&record=<id>.",
                R::COLLECTION.as_str()
            )),
            other => other,
        })?;
        R::may_read_history(&caller, &record)?;
        Ok(Some((R::COLLECTION, record.id())))
    })
    .await
}
