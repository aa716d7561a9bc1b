//! The HTTP rules every response follows, whatever route made it: `HEAD`,
//! ETags per representation and `304`s, caching, security headers, and
//! CORS refusals as problem+json. Each is one `from_fn` middleware; `app`
//! stacks them in the order the comments there give.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, Header, HeaderValue, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse};

use crate::error::{ApiError, PROBLEM_JSON};
use crate::http::ENCODINGS;

/// The body of an answer to `HEAD`: nothing, announced with the size the
/// `GET` body has (so `Content-Length` is the same), and the `GET` body
/// dropped unread (a streamed export stops at once).
struct HeadBody(BodySize);

impl MessageBody for HeadBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        self.0
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Poll::Ready(None)
    }
}

/// RFC 9110 9.3.2: `HEAD` is `GET` without the body. Routed as `GET`, so
/// every `GET` route (the spec and Swagger UI included) answers it with
/// the same status and headers.
pub async fn head(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let res = next.call(req).await?;
    Ok(if head {
        res.map_body(|_, body| EitherBody::right(HeadBody(body.size())))
    } else {
        res.map_into_left_body()
    })
}

/// Caching and security headers, and conditional `GET`s, applied to the
/// final representation (after compression):
/// - a strong ETag names one representation: a compressed body gets its
///   encoding appended (`"x-gzip"`), since its bytes differ from `"x"`;
/// - `If-None-Match` that matches the ETag as sent answers `304`;
/// - `Cache-Control`: a shared cache may keep an anonymous answer and must
///   revalidate it (`public, no-cache`); an answer to a request with
///   credentials is for that client only (`private, no-cache`); writes are
///   not kept (`no-store`). `Vary` names what selects the representation;
/// - `X-Content-Type-Options: nosniff` on every response; HTML pages get a
///   Content-Security-Policy and may not be framed.
pub async fn representation(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let read = req.method() == Method::GET;
    let credentials = req.headers().contains_key(header::AUTHORIZATION);
    let if_none_match = IfNoneMatch::parse(req.request()).ok();
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    let tag = encoded_tag(headers);
    if let Some(value) = tag
        .as_ref()
        .and_then(|t| HeaderValue::from_str(&t.to_string()).ok())
    {
        headers.insert(header::ETAG, value);
    }
    if !read {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(res.map_into_left_body());
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy = if credentials {
            "private, no-cache"
        } else {
            "public, no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    for name in ["Accept", "Accept-Encoding", "Authorization"] {
        add_vary(headers, name);
    }
    let Some(tag) = tag else {
        return Ok(res.map_into_left_body());
    };
    let fresh = match if_none_match {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&tag)),
        None => false,
    };
    if !(fresh && res.status() == StatusCode::OK) {
        return Ok(res.map_into_left_body());
    }
    // RFC 9110 15.4.5: a 304 carries the headers a 200 would have had
    // that describe caching, but no content.
    let mut not_modified = HttpResponse::NotModified();
    for (name, value) in res.headers() {
        let content = [
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
            header::CONTENT_DISPOSITION,
        ];
        if !content.contains(name) {
            not_modified.append_header((name.clone(), value.clone()));
        }
    }
    Ok(res.into_response(not_modified.finish().map_into_right_body()))
}

/// What HTML pages (Swagger UI) may load: only their own scripts, styles,
/// images and the spec, from this origin; inline styles (Swagger UI sets
/// some), `data:` images (its icons); never framed.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds `name` to `Vary` unless it is named already.
fn add_vary(headers: &mut header::HeaderMap, name: &'static str) {
    let named = headers.get_all(header::VARY).any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|item| item.trim().eq_ignore_ascii_case(name) || item.trim() == "*")
        })
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static(name));
    }
}

/// The response's strong ETag, with its content encoding appended.
fn encoded_tag(headers: &header::HeaderMap) -> Option<EntityTag> {
    let tag: EntityTag = headers.get(header::ETAG)?.to_str().ok()?.parse().ok()?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .filter(|e| ENCODINGS.contains(e));
    Some(match encoding {
        Some(encoding) if !tag.weak => EntityTag::new_strong(format!("{}-{encoding}", tag.tag())),
        _ => tag,
    })
}

/// actix-cors answers an origin it refuses with a plain-text 400; the
/// contract asks for a problem+json 403 that says why. (Every other error
/// response is problem+json by the time it gets here.)
pub async fn cors_refusal(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let res = next.call(req).await?;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    match origin {
        Some(origin) if res.status() == StatusCode::BAD_REQUEST && !is_problem => {
            let refusal = ApiError::Forbidden(format!(
                "Pages from {origin} may not call this API with this method and these headers \
                 (the server's CORS_ALLOWED_ORIGINS does not list that origin, or the request \
                 asks for a method or header the API does not take)."
            ));
            let response = actix_web::ResponseError::error_response(&refusal);
            Ok(res.into_response(response.map_into_right_body()))
        }
        _ => Ok(res.map_into_left_body()),
    }
}

/// Longest request target (path and query) the API reads: RFC 9110
/// recommends at least 8,000 octets. A longer one is a 414 here; past
/// 64 KiB actix-http refuses it itself, with an empty 400.
pub const URI_MAX: usize = 8192;

/// Refuses request targets longer than [`URI_MAX`] with a problem+json 414.
pub async fn uri_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let length = req
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if length <= URI_MAX {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let refusal = ApiError::UriTooLong(format!(
        "The request target is {length} bytes long; the API reads at most {URI_MAX}."
    ));
    let response = actix_web::ResponseError::error_response(&refusal);
    Ok(req.into_response(response).map_into_right_body())
}
