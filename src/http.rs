//! Small HTTP pieces every resource shares: the id-or-slug key, ETags and
//! conditional requests, and the item responses built from them.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag};
use actix_web::mime;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, FieldError};

/// Where the resources live.
pub const API_PREFIX: &str = "/api/v1";

/// An item path segment: a numeric id or a slug (slugs always hold a letter,
/// so the two never collide). Only an id's canonical spelling names it:
/// `00001` or an id too large for the column is kept as sent, as a slug
/// that no record has, so that a 404 quotes what the client sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Id(i32),
    Slug(String),
}

impl Key {
    pub fn parse(segment: &str) -> Key {
        let canonical = !segment.is_empty()
            && segment.bytes().all(|b| b.is_ascii_digit())
            && (segment == "0" || !segment.starts_with('0'));
        match segment.parse() {
            Ok(id) if canonical => Key::Id(id),
            _ => Key::Slug(segment.to_string()),
        }
    }
}

/// The `{id}` of an item path: the extractor of every item route, and the
/// one place the spec's path parameter is declared.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IdPath {
    /// Numeric id or slug
    #[param(value_type = IdOrSlug)]
    id: String,
}

impl IdPath {
    /// The record the path names.
    pub fn key(&self) -> Key {
        Key::parse(&self.id)
    }
}

/// Maps "no such row" to a 404 that names what was looked for.
pub fn or_404<T>(result: diesel::QueryResult<T>, what: &str, key: &Key) -> Result<T, ApiError> {
    result.map_err(|e| match e {
        diesel::result::Error::NotFound => {
            let key = match key {
                Key::Id(id) => id.to_string(),
                Key::Slug(slug) => slug.clone(),
            };
            ApiError::NotFound(format!("No {what} has the id or slug '{key}'."))
        }
        other => other.into(),
    })
}

/// A strong ETag: a digest of the exact JSON bytes of the representation.
pub fn etag_of(body: &[u8]) -> EntityTag {
    let digest = Sha256::digest(body);
    EntityTag::new_strong(hex::encode(&digest[..12]))
}

/// The ETag of `item` as it is shown to clients.
pub fn etag_for<T: Serialize>(item: &T) -> Result<EntityTag, ApiError> {
    Ok(etag_of(&to_json(item)?))
}

fn to_json<T: Serialize>(item: &T) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::with_capacity(2048);
    serde_json::to_writer(&mut body, item).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(body)
}

/// `200` with `item` and its `ETag` (`middleware::representation` answers
/// `If-None-Match`, once the final bytes are known).
pub fn item_response<T: Serialize>(item: &T) -> Result<HttpResponse, ApiError> {
    let body = to_json(item)?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag_of(&body)))
        .content_type(mime::APPLICATION_JSON)
        .body(body))
}

/// The answer to a successful write: `item` with its new `ETag`, and a
/// `Location` when the write created it.
pub fn written_response<T: Serialize>(
    status: StatusCode,
    location: Option<String>,
    item: &T,
) -> Result<HttpResponse, ApiError> {
    let body = to_json(item)?;
    let mut response = HttpResponse::build(status);
    response.insert_header(header::ETag(etag_of(&body)));
    if let Some(location) = location {
        response.insert_header((header::LOCATION, location));
    }
    Ok(response.content_type(mime::APPLICATION_JSON).body(body))
}

/// The content encodings the server applies, each marking its ETags.
pub const ENCODINGS: [&str; 3] = ["gzip", "br", "deflate"];

/// The ETag of the identity representation that `tag` (as a client got
/// it) was made from: `"x-gzip"`, `"x-br"` and `"x-deflate"` are `"x"`
/// compressed.
pub fn identity_tag(tag: &EntityTag) -> &str {
    let opaque = tag.tag();
    ENCODINGS
        .iter()
        .find_map(|encoding| {
            opaque
                .strip_suffix(encoding)
                .and_then(|rest| rest.strip_suffix('-'))
        })
        .unwrap_or(opaque)
}

/// The `If-Match` precondition of a write. Absent means "write anyway".
#[derive(Debug, Clone)]
pub struct Precondition(Option<Vec<EntityTag>>);

impl Precondition {
    /// Succeeds when `current` (the record as clients see it) satisfies the
    /// precondition, using the strong comparison RFC 9110 asks of `If-Match`,
    /// with the tag of any content encoding of the current version.
    pub fn check<T: Serialize>(&self, current: &T) -> Result<(), ApiError> {
        let Some(tags) = &self.0 else {
            return Ok(());
        };
        let tag = etag_for(current)?;
        let current = |t: &EntityTag| !t.weak && identity_tag(t) == tag.tag();
        if tags.iter().any(current) {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed)
        }
    }
}

impl FromRequest for Precondition {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut values = req.headers().get_all(header::IF_MATCH).peekable();
        if values.peek().is_none() {
            return ready(Ok(Precondition(None)));
        }
        // Several If-Match fields are one list (RFC 9110 5.3).
        let joined: Option<Vec<&str>> = values.map(|v| v.to_str().ok()).collect();
        let parsed = joined.and_then(|parts| parse_if_match(&parts.join(",")));
        ready(match parsed {
            Some(IfMatchValue::Any) => Ok(Precondition(None)),
            Some(IfMatchValue::Tags(tags)) => Ok(Precondition(Some(tags))),
            None => Err(ApiError::BadRequest(
                "If-Match must be * or a comma-separated list of quoted ETags.".into(),
                vec![FieldError::new(
                    "If-Match",
                    "is not a valid entity-tag list",
                )],
            )
            .into()),
        })
    }
}

/// The `If-Match` request header, as the spec shows it on every write.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// Write only if the record still has one of these ETags (strong
    /// comparison), else 412; `*` writes if the record exists. Anything
    /// else is a 400.
    #[param(
        rename = "If-Match",
        value_type = String,
        required = false,
        pattern = r#"^[\t ]*(\*|(,[\t ]*)*(W/)?"[!#-~]*"([\t ]*,([\t ]*(W/)?"[!#-~]*")?)*)[\t ]*$"#,
        example = "\"3f2a9c0b1d4e5f6a7b8c9d0e\""
    )]
    #[allow(dead_code)]
    if_match: Option<String>,
}

/// A parsed `If-Match` value.
#[derive(Debug, Clone, PartialEq)]
pub enum IfMatchValue {
    /// `*`: any current representation.
    Any,
    /// One or more entity-tags.
    Tags(Vec<EntityTag>),
}

/// Parses an `If-Match` field value by RFC 9110: `*`, or a list of one or
/// more entity-tags (`"x"` or `W/"x"`, visible ASCII but `"` inside)
/// separated by commas with optional spaces or tabs, empty list elements
/// allowed. `None` when it is anything else: the header's pattern in the
/// spec says exactly the same (a test holds them together).
pub fn parse_if_match(value: &str) -> Option<IfMatchValue> {
    let ows = |c: char| c == ' ' || c == '\t';
    let value = value.trim_matches(ows);
    if value == "*" {
        return Some(IfMatchValue::Any);
    }
    let mut tags = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(ows);
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix(',') {
            rest = after; // an empty list element
            continue;
        }
        let (weak, opaque) = match rest.strip_prefix("W/") {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let opaque = opaque.strip_prefix('"')?;
        let end = opaque.find('"')?;
        let tag = &opaque[..end];
        if !tag.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return None;
        }
        tags.push(EntityTag::new(weak, tag.to_string()));
        rest = opaque[end + 1..].trim_start_matches(ows);
        if !rest.is_empty() {
            rest = rest.strip_prefix(',')?;
        }
    }
    (!tags.is_empty()).then_some(IfMatchValue::Tags(tags))
}

/// Spec-only: a slug, as a `slug` filter takes it.
pub struct Slug;

impl utoipa::PartialSchema for Slug {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A record's slug."))
            .pattern(Some(r"^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$"))
            .max_length(Some(crate::rules::SLUG_MAX))
            .into()
    }
}

impl utoipa::ToSchema for Slug {}

/// Spec-only: a record named by its id or its slug, in a path or as an item
/// of a `partner` or `thematic_area` filter. Anything else is a 400 in a
/// filter, a 404 in a path, as is one that names no record.
pub struct IdOrSlug;

impl utoipa::PartialSchema for IdOrSlug {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("The numeric id or the slug of an existing record."))
            .pattern(Some(
                r"^([0-9]+|([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*)$",
            ))
            .max_length(Some(crate::rules::SLUG_MAX))
            .into()
    }
}

impl utoipa::ToSchema for IdOrSlug {}
