//! One error type for the whole service, rendered as RFC 9457 problem
//! details (`application/problem+json`), and the reusable error responses
//! that every operation lists in the spec.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One field at fault in a request.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// In a bulk create: the record at fault, by its position from 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(null))]
    pub index: Option<usize>,
    /// The JSON field or query parameter at fault.
    #[schema(example = "country_code")]
    pub field: String,
    /// What is wrong with it, in plain words.
    #[schema(example = "must be an ISO 3166-1 alpha-2 code in upper case, such as FR")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            index: None,
            field: field.into(),
            message: message.into(),
        }
    }

    /// A fault of the record at `index` of a bulk create.
    pub fn at(index: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            index: Some(index),
            ..FieldError::new(field, message)
        }
    }
}

/// RFC 9457 problem details: the body of every error response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "The request has 1 invalid field.",
    "errors": [{"field": "country_code", "message": "must be an ISO 3166-1 alpha-2 code in upper case, such as FR"}]
}))]
pub struct Problem {
    /// Problem type; `about:blank` means the status code says it all.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub problem_type: String,
    /// The status code's reason phrase.
    #[schema(example = "Not Found")]
    pub title: String,
    /// The HTTP status code, repeated for convenience.
    #[schema(example = 404)]
    pub status: u16,
    /// What happened, for a human reader.
    #[schema(example = "No partner has the id or slug 'atlantis'.")]
    pub detail: String,
    /// The fields at fault, when the problem lies in particular fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String, Vec<FieldError>),
    /// No key, or a bad one (`true` when a token was sent but is invalid).
    #[error("unauthorized: {0}")]
    Unauthorized(String, bool),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed; allowed: {0}")]
    MethodNotAllowed(String),
    #[error("not acceptable: {0}")]
    NotAcceptable(String),
    #[error("conflict: {0}")]
    Conflict(String, Vec<FieldError>),
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// Retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests(u64),
    #[error("unprocessable: {0:?}")]
    Unprocessable(Vec<FieldError>),
    #[error("request timeout: {0}")]
    RequestTimeout(String),
    #[error("URI too long: {0}")]
    UriTooLong(String),
    #[error("database unavailable: {0}")]
    Unavailable(#[source] r2d2::Error),
    /// The database takes no writes (a full disk, a read-only file): why,
    /// and in how many seconds to try again.
    #[error("database takes no writes: {0}")]
    Unwritable(String, u64),
    #[error("internal error: {0:#}")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::BadRequest(detail.into(), Vec::new())
    }

    /// A 400 naming the query parameter at fault.
    pub fn query(parameter: &str, message: impl Into<String>) -> Self {
        ApiError::BadRequest(
            "Some query parameters are not valid.".into(),
            vec![FieldError::new(parameter, message)],
        )
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest(d, _)
            | ApiError::Unauthorized(d, _)
            | ApiError::Forbidden(d)
            | ApiError::NotFound(d)
            | ApiError::NotAcceptable(d)
            | ApiError::Conflict(d, _)
            | ApiError::PayloadTooLarge(d)
            | ApiError::RequestTimeout(d)
            | ApiError::UriTooLong(d)
            | ApiError::UnsupportedMediaType(d) => d.clone(),
            ApiError::Unwritable(reason, _) => format!(
                "The database takes no writes for now ({reason}); reads still work. Try again later."
            ),
            ApiError::MethodNotAllowed(allow) => {
                format!("This route answers only to {allow}.")
            }
            ApiError::PreconditionFailed => {
                "The record has changed since the ETag in If-Match was read; fetch it again.".into()
            }
            ApiError::TooManyRequests(seconds) => {
                format!("This key is over its write rate; retry in {seconds} s.")
            }
            ApiError::Unprocessable(errors) => match errors.len() {
                1 => "The request has 1 invalid field.".into(),
                n => format!("The request has {n} invalid fields."),
            },
            ApiError::Unavailable(_) => "The database is busy; try again shortly.".into(),
            ApiError::Internal(_) => "An unexpected error occurred; it has been logged.".into(),
        }
    }

    fn errors(&self) -> &[FieldError] {
        match self {
            ApiError::BadRequest(_, e) | ApiError::Conflict(_, e) | ApiError::Unprocessable(e) => e,
            _ => &[],
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(..) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(..) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::Conflict(..) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::Unavailable(_) | ApiError::Unwritable(..) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            // The state of the disk, not a fault of the service: said once
            // where it is first seen (the database module).
            ApiError::Unwritable(..) => log::debug!("{self}"),
            _ if status.is_server_error() => log::error!("{self}"),
            _ => {}
        }
        let mut response = HttpResponse::build(status);
        match self {
            ApiError::MethodNotAllowed(allow) => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::Unwritable(_, seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            // The client has not sent the body it announced: the rest of
            // it cannot be told from a next request, so the connection goes.
            ApiError::RequestTimeout(_) => {
                response.force_close();
            }
            ApiError::TooManyRequests(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            // RFC 6750: a challenge on every 401, naming the error when a
            // token was sent.
            ApiError::Unauthorized(_, invalid_token) => {
                let challenge = if *invalid_token {
                    r#"Bearer realm="city-region-api", error="invalid_token""#
                } else {
                    r#"Bearer realm="city-region-api""#
                };
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            _ => {}
        }
        response.content_type(PROBLEM_JSON).json(problem(
            status,
            self.detail(),
            self.errors().to_vec(),
        ))
    }
}

/// The status code's reason phrase as RFC 9110 names it (which renamed
/// 413 and 422; the `http` crate keeps the older names), as the spec's
/// examples show it.
fn title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        _ => status.canonical_reason().unwrap_or("Error"),
    }
}

/// Builds a problem body for `status`.
pub fn problem(status: StatusCode, detail: String, errors: Vec<FieldError>) -> Problem {
    Problem {
        problem_type: "about:blank".into(),
        title: title(status).into(),
        status: status.as_u16(),
        detail,
        errors,
    }
}

mod database;

pub use database::{RETRY_WRITES_AFTER, unwritable};
