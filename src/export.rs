//! `GET /api/v1/export`: the whole dataset as one JSON document, streamed a
//! batch at a time so that memory stays flat whatever the size.

use actix_web::web::{Bytes, Data};
use actix_web::{HttpResponse, get};
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Drafts, Reader};
use crate::bulk::{BATCH, Fetch, json_array};
use crate::db::{Db, Dialect};
use crate::error::ApiError;
use crate::events::model::{EVENT_SORT, Event};
use crate::listing::{Filters, Listing, Sort, SortField};
use crate::paging::NoParams;
use crate::partners::model::{PARTNER_SORT, Partner};
use crate::recommendations::model::{RECOMMENDATION_SORT, Recommendation};
use crate::responses::{BadRequest, Unauthorized};
use crate::tags;
use crate::thematic_areas::model::{THEMATIC_AREA_SORT, ThematicArea};
use crate::time::{now, shown};
use crate::{events, partners, recommendations, thematic_areas};

/// The whole dataset. Every collection in id order, as its list shows it.
#[derive(Serialize, ToSchema)]
pub struct Export {
    /// When the export started (UTC).
    #[schema(format = DateTime, example = "2026-11-26T09:30:00Z")]
    pub exported_at: String,
    pub partners: Vec<Partner>,
    pub thematic_areas: Vec<ThematicArea>,
    pub recommendations: Vec<Recommendation>,
    pub events: Vec<Event>,
}

/// Export the dataset
///
/// Every partner, thematic area, recommendation and event, as one JSON
/// document, streamed. Draft recommendations only with a key.
#[utoipa::path(
    tag = tags::EXPORT, operation_id = "export",
    security((), ("api_key" = [])),
    responses(
        (status = 200, description = "The whole dataset.", body = Export),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
    )
)]
#[get("/export")]
pub async fn export(db: Data<Db>, reader: Reader, _: NoParams) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .streaming(document(db, reader.drafts(), &shown(&now())))
}

/// The export's bytes, a batch at a time: what `drafts` may see of `db`,
/// stamped `exported_at`. Also what `copy` compares between its two ends.
pub fn document(db: Data<Db>, drafts: Drafts, exported_at: &str) -> Part {
    let dialect = db.dialect();
    let head = format!("{{\"exported_at\":\"{exported_at}\",\"partners\":");
    let parts = [
        collection(
            &db,
            PARTNER_SORT,
            Filters::new(dialect),
            partners::model::list,
        ),
        separator(",\"thematic_areas\":"),
        collection(
            &db,
            THEMATIC_AREA_SORT,
            Filters::new(dialect),
            thematic_areas::model::list,
        ),
        separator(",\"recommendations\":"),
        collection(
            &db,
            RECOMMENDATION_SORT,
            visible_recommendations(drafts, dialect),
            recommendations::model::list,
        ),
        separator(",\"events\":"),
        collection(&db, EVENT_SORT, Filters::new(dialect), events::model::list),
        separator("}"),
    ];
    stream::once(async move { Ok::<_, ApiError>(Bytes::from(head)) })
        .chain(stream::iter(parts).flatten())
        .boxed()
}

/// A stream of the export's bytes.
pub type Part = stream::BoxStream<'static, Result<Bytes, ApiError>>;

fn separator(text: &'static str) -> Part {
    stream::once(async move { Ok(Bytes::from_static(text.as_bytes())) }).boxed()
}

/// The recommendations the caller may see: published ones, and the drafts
/// in its key's scope.
fn visible_recommendations(drafts: Drafts, dialect: Dialect) -> Filters {
    let mut filters = Filters::new(dialect);
    if let Some(visible) = recommendations::dto::visible(drafts, dialect) {
        filters.add(visible);
    }
    filters
}

fn collection<T: Serialize + Send + 'static>(
    db: &Data<Db>,
    fields: &'static [SortField],
    filters: Filters,
    fetch: Fetch<T>,
) -> Part {
    let listing = Sort::parse(None, fields, None, db.dialect()).map(|sort| Listing {
        filters,
        sort,
        after: None,
        limit: BATCH,
        count: false,
        counts: None,
        facets: Vec::new(),
    });
    match listing {
        Ok(listing) => json_array(db.clone(), listing, fetch).boxed(),
        Err(e) => stream::once(async move { Err(e) }).boxed(),
    }
}
