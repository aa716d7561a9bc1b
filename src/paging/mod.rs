//! Lists: query-string parsing with per-parameter errors, the keyset cursor,
//! and the `{data, meta}` envelope with its `Link: rel="next"` header.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, mime};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, FieldError};
use crate::listing::{Facets, Fetched};

/// Default page size.
pub const DEFAULT_LIMIT: u32 = 20;
/// Largest page size.
pub const MAX_LIMIT: u32 = 100;

/// Paging parameters, common to every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// Rows per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u32>,
    /// Where the page starts: the `meta.next_cursor` of the previous page,
    /// as given. Cursors are opaque and stay valid while rows are added;
    /// one the server did not make, or made for another `sort`, is a 400.
    #[param(pattern = "^[A-Za-z0-9_-]+$", min_length = 1)]
    pub cursor: Option<String>,
}

/// A checked page request.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    /// Rows to return.
    pub limit: i64,
    /// Whether the client asked for a page size (bulk formats refuse one).
    pub limit_given: bool,
    /// The cursor as sent; it is read against the list's sort.
    pub cursor: Option<String>,
}

/// The query string of a list: paging plus the collection's filters `F`.
/// Every parameter that does not parse gives a 400 naming it.
#[derive(Debug)]
pub struct ListQuery<F> {
    pub page: PageRequest,
    /// `fields=` as sent: which fields to show (`crate::fields`).
    pub fields: Option<String>,
    pub filters: F,
}

impl<F: DeserializeOwned> ListQuery<F> {
    /// Parses a raw query string.
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let (paging, rest): (Vec<_>, Vec<_>) = pairs
            .into_iter()
            .partition(|(k, _)| k == "limit" || k == "cursor");
        let (fields, rest): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(k, _)| k == "fields");
        let mut errors = Vec::new();
        if fields.len() > 1 {
            errors.push(FieldError::new("fields", "is given more than once"));
        }
        let fields = fields.into_iter().next().map(|(_, v)| v);
        let page =
            parse_pairs::<PageParams>(&paging, &mut errors).map(|p| check_page(p, &mut errors));
        let filters = parse_pairs::<F>(&rest, &mut errors);
        match (page, filters) {
            (Some(page), Some(filters)) if errors.is_empty() => Ok(ListQuery {
                page,
                fields,
                filters,
            }),
            _ => Err(ApiError::BadRequest(
                "Some query parameters are not valid.".into(),
                errors,
            )),
        }
    }
}

/// Deserializes `pairs` into `T`; on failure, finds the culprits one pair at
/// a time (every field of a query type is optional, so one pair alone only
/// fails when it is itself at fault).
fn parse_pairs<T: DeserializeOwned>(
    pairs: &[(String, String)],
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let parsed = serde_urlencoded::from_str::<T>(&encode(pairs));
    if let Err(whole) = &parsed {
        let before = errors.len();
        for (i, (key, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(k, _)| k == key) {
                errors.push(FieldError::new(key, "is given more than once"));
            } else if let Err(e) = serde_urlencoded::from_str::<T>(&encode(&pairs[i..=i])) {
                errors.push(FieldError::new(key, clean(e.to_string())));
            }
        }
        if errors.len() == before {
            errors.push(FieldError::new("query", whole.to_string()));
        }
    }
    parsed.ok()
}

fn encode(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// serde_urlencoded says "invalid digit found in string"; say what we want.
fn clean(message: String) -> String {
    if message.contains("digit") || message.contains("number") {
        "must be a whole number".into()
    } else {
        message
    }
}

fn check_page(params: PageParams, errors: &mut Vec<FieldError>) -> PageRequest {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new("limit", "must be between 1 and 100"));
    }
    if params.cursor.as_deref() == Some("") {
        errors.push(FieldError::new("cursor", "must not be empty"));
    }
    PageRequest {
        limit: i64::from(limit),
        limit_given: params.limit.is_some(),
        cursor: params.cursor,
    }
}

impl<F: DeserializeOwned> FromRequest for ListQuery<F> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(ListQuery::parse(req.query_string()).map_err(Into::into))
    }
}

/// A route that takes no query parameters: any given is a 400 naming it.
#[derive(Debug)]
pub struct NoParams;

impl FromRequest for NoParams {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let errors: Vec<FieldError> = url::form_urlencoded::parse(req.query_string().as_bytes())
            .map(|(k, _)| FieldError::new(k, "is not a parameter of this route"))
            .collect();
        ready(if errors.is_empty() {
            Ok(NoParams)
        } else {
            Err(ApiError::BadRequest("This route takes no query parameters.".into(), errors).into())
        })
    }
}

/// A page of a collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows of this page, in list order.
    pub data: Vec<T>,
    pub meta: PageMeta,
}

/// Where a page stands in its list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageMeta {
    /// The page size asked for.
    #[schema(example = 20)]
    pub limit: i64,
    /// Rows in the whole list (filters applied), all pages together.
    #[schema(example = 8)]
    pub total: i64,
    /// Cursor of the next page; `null` on the last page.
    #[schema(example = json!(null))]
    pub next_cursor: Option<String>,
    /// The counts asked for with `facets`; left out when not asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub facets: Option<Facets>,
}

/// The envelope of one page, with its `Link: rel="next"` header.
pub fn page_response<T: Serialize>(
    req: &HttpRequest,
    limit: i64,
    listed: Fetched<T>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &listed.next_cursor {
        response.insert_header((
            header::LINK,
            format!("<{}>; rel=\"next\"", next_url(req, cursor)),
        ));
    }
    let rows = listed.rows.len();
    let page = Page {
        data: listed.rows,
        meta: PageMeta {
            limit,
            total: listed.total,
            next_cursor: listed.next_cursor,
            facets: listed.facets,
        },
    };
    // Sized up front: growing a 20 KB page by doubling showed up as
    // realloc and malloc_consolidate in the list profile.
    let mut body = Vec::with_capacity(256 + rows * 1536);
    match serde_json::to_writer(&mut body, &page) {
        Ok(()) => response
            .insert_header(header::ETag(crate::http::etag_of(&body)))
            .content_type(mime::APPLICATION_JSON)
            .body(body),
        Err(e) => actix_web::ResponseError::error_response(&ApiError::Internal(e.into())),
    }
}

/// The request's own URL with `cursor` replaced.
fn next_url(req: &HttpRequest, cursor: &str) -> String {
    let info = req.connection_info();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if k != "cursor" {
            query.append_pair(&k, &v);
        }
    }
    query.append_pair("cursor", cursor);
    format!(
        "{}://{}{}?{}",
        info.scheme(),
        info.host(),
        req.path(),
        query.finish()
    )
}

#[cfg(test)]
mod tests;
