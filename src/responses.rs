//! The error responses of the spec: one reusable response per status
//! (each a problem+json body), and the groups of them that operations of
//! one kind answer with, so that each operation lists its errors in one
//! line. The errors themselves are `error::ApiError`.

use utoipa::{IntoResponses, ToResponse};

use crate::error::Problem;

/// Declares reusable problem+json responses, each a status's, with the
/// headers it carries.
macro_rules! problems {
    ($($(#[doc = $doc:literal])* $name:ident $(, headers($($header:tt)*))?;)+) => {
        $(
            $(#[doc = $doc])*
            #[derive(ToResponse)]
            #[response(content_type = "application/problem+json" $(, headers($($header)*))?)]
            pub struct $name(pub Problem);
        )+
    };
}

problems! {
    /// The request could not be read: malformed JSON, a body that is not an
    /// object, a field of the wrong JSON type, or a bad query parameter.
    BadRequest;

    /// No key, or one that is unknown, malformed or revoked. Comes with a
    /// `WWW-Authenticate: Bearer` challenge.
    Unauthorized, headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"city-region-api\"`"));

    /// The key is valid but may not write this record.
    Forbidden;

    /// The key is over its write rate; retry after `Retry-After` seconds.
    TooManyRequests, headers(("Retry-After" = u64, description = "Seconds to wait"));

    /// No record has this id or slug.
    NotFound;

    /// The `Accept` header allows none of the list's formats:
    /// `application/json`, `text/csv`, `application/x-ndjson`, and for
    /// partners and events `application/geo+json`.
    NotAcceptable;

    /// The write clashes with existing data: a slug already taken, a second
    /// lead partner, or a record others still refer to.
    Conflict;

    /// The `If-Match` header does not match the record's current `ETag`.
    PreconditionFailed;

    /// The body is larger than 1 MiB (one record) or 16 MiB (many), or a bulk
    /// create holds more than 5,000 records; the detail says which.
    PayloadTooLarge;

    /// The body is not `application/json` (nor, for a create, `application/x-ndjson`).
    UnsupportedMediaType;

    /// One or more fields break the rules: one `errors` entry per field at fault.
    Unprocessable;

    /// The client stopped sending the body it announced; the connection is
    /// closed.
    RequestTimeout;

    /// The database could not be reached in time, or takes no writes for now
    /// (a full disk, a read-only file: reads still work); retry after
    /// `Retry-After` seconds.
    Unavailable, headers(("Retry-After" = u64, description = "Seconds to wait"));

    /// The request target (path and query) is longer than 8,192 bytes.
    UriTooLong;
}

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
