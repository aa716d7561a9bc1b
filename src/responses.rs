//! The error responses of the spec: one reusable response per status
//! (each a problem+json body), and the groups of them that operations of
//! one kind answer with, so that each operation lists its errors in one
//! line. The errors themselves are `error::ApiError`.

use utoipa::{IntoResponses, ToResponse};

use crate::error::Problem;

/// The request could not be read: malformed JSON, a body that is not an
/// object, a field of the wrong JSON type, or a bad query parameter.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct BadRequest(pub Problem);

/// No key, or one that is unknown, malformed or revoked. Comes with a
/// `WWW-Authenticate: Bearer` challenge.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"city-region-api\"`")))]
pub struct Unauthorized(pub Problem);

/// The key is valid but may not write this record.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Forbidden(pub Problem);

/// The key is over its write rate; retry after `Retry-After` seconds.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait")))]
pub struct TooManyRequests(pub Problem);

/// No record has this id or slug.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct NotFound(pub Problem);

/// The `Accept` header allows none of `application/json`, `text/csv` and
/// `application/x-ndjson`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct NotAcceptable(pub Problem);

/// The write clashes with existing data: a slug already taken, a second
/// lead partner, or a record others still refer to.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Conflict(pub Problem);

/// The `If-Match` header does not match the record's current `ETag`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct PreconditionFailed(pub Problem);

/// The body is larger than 1 MiB.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct PayloadTooLarge(pub Problem);

/// The body is not `application/json`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct UnsupportedMediaType(pub Problem);

/// One or more fields break the rules: one `errors` entry per field at fault.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Unprocessable(pub Problem);

/// The client stopped sending the body it announced; the connection is
/// closed.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct RequestTimeout(pub Problem);

/// The database could not be reached in time, or takes no writes for now
/// (a full disk, a read-only file: reads still work); retry after
/// `Retry-After` seconds.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait")))]
pub struct Unavailable(pub Problem);

/// What a list answers when it cannot: a bad parameter, a bad key, or an
/// `Accept` it cannot serve.
#[derive(IntoResponses)]
pub enum ListErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 406)]
    NotAcceptable(#[ref_response] NotAcceptable),
}

/// What a nested list answers when it cannot: as a list, or its parent
/// record does not exist.
#[derive(IntoResponses)]
pub enum NestedListErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
    #[response(status = 406)]
    NotAcceptable(#[ref_response] NotAcceptable),
}

/// What a file download (`/{collection}.{format}`) answers when it cannot.
#[derive(IntoResponses)]
pub enum DownloadErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
}

/// What a read of one item answers when it cannot.
#[derive(IntoResponses)]
pub enum ItemErrors {
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
}

/// What a create answers when it cannot.
#[derive(IntoResponses)]
pub enum CreateErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 403)]
    Forbidden(#[ref_response] Forbidden),
    #[response(status = 409)]
    Conflict(#[ref_response] Conflict),
    #[response(status = 413)]
    PayloadTooLarge(#[ref_response] PayloadTooLarge),
    #[response(status = 415)]
    UnsupportedMediaType(#[ref_response] UnsupportedMediaType),
    #[response(status = 422)]
    Unprocessable(#[ref_response] Unprocessable),
    #[response(status = 429)]
    TooManyRequests(#[ref_response] TooManyRequests),
}

/// What a replace or an update answers when it cannot: as a create, or
/// the record does not exist, or `If-Match` does not hold.
#[derive(IntoResponses)]
pub enum EditErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 403)]
    Forbidden(#[ref_response] Forbidden),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
    #[response(status = 409)]
    Conflict(#[ref_response] Conflict),
    #[response(status = 412)]
    PreconditionFailed(#[ref_response] PreconditionFailed),
    #[response(status = 413)]
    PayloadTooLarge(#[ref_response] PayloadTooLarge),
    #[response(status = 415)]
    UnsupportedMediaType(#[ref_response] UnsupportedMediaType),
    #[response(status = 422)]
    Unprocessable(#[ref_response] Unprocessable),
    #[response(status = 429)]
    TooManyRequests(#[ref_response] TooManyRequests),
}

/// What a delete answers when it cannot (a record others refer to adds
/// its own 409).
#[derive(IntoResponses)]
pub enum DeleteErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 403)]
    Forbidden(#[ref_response] Forbidden),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
    #[response(status = 412)]
    PreconditionFailed(#[ref_response] PreconditionFailed),
    #[response(status = 429)]
    TooManyRequests(#[ref_response] TooManyRequests),
}

/// What a record's history answers when it cannot.
#[derive(IntoResponses)]
pub enum HistoryErrors {
    #[response(status = 400)]
    BadRequest(#[ref_response] BadRequest),
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 403)]
    Forbidden(#[ref_response] Forbidden),
    #[response(status = 404)]
    NotFound(#[ref_response] NotFound),
}
