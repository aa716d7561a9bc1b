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

/// The body is larger than 1 MiB (one record) or 16 MiB (many), or a bulk
/// create holds more than 5,000 records; the detail says which.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct PayloadTooLarge(pub Problem);

/// The body is not `application/json` (nor, for a create, `application/x-ndjson`).
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

/// The request target (path and query) is longer than 8,192 bytes.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct UriTooLong(pub Problem);

/// Declares a group of error responses: an `IntoResponses` enum with one
/// variant per status, each the reusable response of the same name.
macro_rules! error_group {
    ($($(#[doc = $doc:literal])* $name:ident { $($status:literal $response:ident),+ $(,)? })+) => {
        $(
            $(#[doc = $doc])*
            #[derive(IntoResponses)]
            pub enum $name {
                $(
                    #[response(status = $status)]
                    $response(#[ref_response] $response),
                )+
            }
        )+
    };
}

error_group! {
    /// What a list answers when it cannot: a bad parameter, a bad key, or an
    /// `Accept` it cannot serve.
    ListErrors { 400 BadRequest, 401 Unauthorized, 406 NotAcceptable, 414 UriTooLong }

    /// What a nested list answers when it cannot: as a list, or its parent
    /// record does not exist.
    NestedListErrors { 400 BadRequest, 401 Unauthorized, 404 NotFound, 406 NotAcceptable, 414 UriTooLong }

    /// What a file download (`/{collection}.{format}`) answers when it cannot.
    DownloadErrors { 400 BadRequest, 401 Unauthorized, 404 NotFound, 414 UriTooLong }

    /// What a read of one item answers when it cannot: a bad `fields`, a
    /// bad key, or no such record.
    ItemErrors { 400 BadRequest, 401 Unauthorized, 404 NotFound, 414 UriTooLong }

    /// What a create answers when it cannot.
    CreateErrors { 400 BadRequest, 401 Unauthorized, 403 Forbidden, 409 Conflict, 413 PayloadTooLarge, 415 UnsupportedMediaType, 422 Unprocessable, 429 TooManyRequests }

    /// What a replace or an update answers when it cannot: as a create, or
    /// the record does not exist, or `If-Match` does not hold.
    EditErrors { 400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 409 Conflict, 412 PreconditionFailed, 413 PayloadTooLarge, 415 UnsupportedMediaType, 422 Unprocessable, 429 TooManyRequests }

    /// What a delete answers when it cannot (a record others refer to adds
    /// its own 409).
    DeleteErrors { 400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 412 PreconditionFailed, 429 TooManyRequests }

    /// What a record's history answers when it cannot.
    HistoryErrors { 400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 414 UriTooLong }
}
