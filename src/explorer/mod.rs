//! The explorer: the page at `/` for people (a map of the partners, the
//! events on a timeline, the recommendations by theme and level, any
//! record with its relations, edits with a key). Plain HTML, CSS and ES
//! modules, built into the binary and served from here; the page is a
//! client of the public API like any other, with no route of its own.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, get, web};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::etag_of;
use crate::responses::UriTooLong;
use crate::tags;

/// The page and what it loads, by name under `/explorer/`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    (
        "views.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/views.js"),
    ),
    (
        "api.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/api.js"),
    ),
    (
        "europe.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/europe.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/style.css"),
    ),
];

const PAGE: &[u8] = include_bytes!("assets/index.html");

/// Spec-only: an HTML page.
pub struct Html;

impl utoipa::PartialSchema for Html {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An HTML page."))
            .into()
    }
}

impl ToSchema for Html {}

/// The explorer
///
/// A page for people: where the partners are, what happened when, what
/// was recommended to whom, and any record with its relations. It uses
/// only the public API, so its code (`/explorer/app.js`) is also an
/// example of how to use it.
#[utoipa::path(
    tag = tags::SERVICE, operation_id = "explorer",
    security(()),
    responses(
        (status = 200, description = "The explorer page.", content((Html = "text/html"))),
        (status = 414, response = UriTooLong),
    )
)]
#[get("/")]
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ETag(etag_of(PAGE)))
        .content_type(ContentType::html())
        .body(PAGE)
}

/// `GET /explorer/{name}`: a script or style sheet of the page.
#[get("/explorer/{name}")]
pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (_, content_type, bytes) = ASSETS
        .iter()
        .find(|(asset, _, _)| *asset == name.as_str())
        .ok_or_else(|| ApiError::NotFound(format!("No route matches /explorer/{name}.")))?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag_of(bytes)))
        .content_type(*content_type)
        .body(*bytes))
}
