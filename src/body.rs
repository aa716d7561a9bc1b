//! Reading a request's JSON body within its limits: the app's `JsonConfig`
//! (1 MiB, JSON media types) and a time limit, past which the client gets a
//! 408 and its connection is closed.

use std::cell::RefCell;
use std::rc::Rc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde_json::{Map, Value};
use utoipa::openapi::schema::{ArrayBuilder, OneOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};

use crate::error::{ApiError, FieldError};

/// The JSON object of a request body, with the size and media type checks of
/// the app's `JsonConfig` (1 MiB, `application/json` or `application/*+json`),
/// read within the app's [`BodyTimeout`].
pub struct JsonObject(pub Map<String, Value>);

/// How long a client has to send a request body once its headers are in
/// (actix bounds the headers; nothing else bounds a body announced with a
/// `Content-Length` and never sent).
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub std::time::Duration);

impl FromRequest for JsonObject {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = within_time(req, payload, |req, stand_in| {
            web::Json::<Value>::from_request(req, stand_in)
        });
        Box::pin(async move {
            match read.await?.into_inner() {
                Value::Object(map) => Ok(JsonObject(map)),
                _ => Err(ApiError::bad_request("The body must be a JSON object.").into()),
            }
        })
    }
}

/// The spec's description of a create's body.
pub const BULK: &str = "One record as a JSON object; or many at once, up to 5,000 records and \
16 MiB, as a JSON array of objects or as `application/x-ndjson` (one object a line). Many are \
stored all together, in one transaction, or not at all: a fault in any record is a 422 whose \
`errors` name each record at fault by `index` (from 0) and field (a 409 when every fault is a \
clash: a slug taken, by a stored record or an earlier one of the batch). A bulk create counts as one \
write against the key's rate limit for every 100 records, rounded up (at most its whole burst); \
a partner key may create \
in bulk only what it may create one by one. Each record is audited as its own create.";

/// Spec-only: one record, or an array of them (a bulk create).
pub struct OneOrMany<T>(std::marker::PhantomData<T>);

// utoipa publishes a generic type through `ComposeSchema` (hidden, but
// what its derive implements; `PartialSchema` follows from it).
impl<T: utoipa::ToSchema> utoipa::__dev::ComposeSchema for OneOrMany<T> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let one = || Ref::from_schema_name(T::name());
        let many = ArrayBuilder::new()
            .items(one())
            .min_items(Some(1))
            .max_items(Some(BULK_RECORDS));
        OneOfBuilder::new().item(one()).item(many).into()
    }
}

impl<T: utoipa::ToSchema> utoipa::ToSchema for OneOrMany<T> {
    fn name() -> std::borrow::Cow<'static, str> {
        "OneOrMany".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into(), T::schema()));
        T::schemas(schemas);
    }
}

/// Largest body of a write of one record.
pub const BODY_LIMIT: usize = 1 << 20;

/// Most records one bulk create takes.
pub const BULK_RECORDS: usize = 5_000;
/// Largest bulk create body.
pub const BULK_BYTES: usize = 16 << 20;

/// The body of a create: one JSON object, or many records at once (a JSON
/// array of objects, or `application/x-ndjson`, one object a line).
pub enum CreateBody {
    One(JsonObject),
    Many(Vec<Map<String, Value>>),
}

impl FromRequest for CreateBody {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let ndjson = match req.mime_type() {
            Ok(Some(mime)) if mime.essence_str() == "application/x-ndjson" => true,
            Ok(Some(mime))
                if mime.type_() == "application"
                    && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json")) =>
            {
                false
            }
            _ => {
                return Box::pin(async {
                    Err(ApiError::UnsupportedMediaType(
                        "Send one record as application/json, or many as a JSON array or as \
                         application/x-ndjson (one object a line)."
                            .into(),
                    )
                    .into())
                });
            }
        };
        let read = within_time(req, payload, |req, stand_in| {
            let body = web::Payload::from_request(req, stand_in).into_inner();
            // `None`: over the limit.
            async move {
                match body?.to_bytes_limited(BULK_BYTES).await {
                    Ok(read) => read.map(Some),
                    Err(_) => Ok::<_, actix_web::Error>(None),
                }
            }
        });
        Box::pin(async move {
            let bytes = read.await?.ok_or_else(|| {
                ApiError::PayloadTooLarge(format!(
                    "The body is larger than {BULK_BYTES} bytes (16 MiB), the most a bulk \
                     create takes."
                ))
            })?;
            let body = if ndjson {
                CreateBody::Many(ndjson_objects(&bytes)?)
            } else {
                json_records(&bytes)?
            };
            if let CreateBody::Many(records) = &body {
                if records.len() > BULK_RECORDS {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "The body holds {} records; a bulk create takes at most {BULK_RECORDS}.",
                        records.len()
                    ))
                    .into());
                }
                if records.is_empty() {
                    return Err(ApiError::bad_request("The body holds no record.").into());
                }
            }
            Ok(body)
        })
    }
}

/// A JSON body: one object (within the 1 MiB of a single write), or an
/// array of objects.
fn json_records(bytes: &[u8]) -> Result<CreateBody, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("The body is not valid JSON: {e}.")))?;
    match value {
        Value::Object(_) if bytes.len() > BODY_LIMIT => Err(ApiError::PayloadTooLarge(format!(
            "The body is larger than {BODY_LIMIT} bytes (1 MiB)."
        ))),
        Value::Object(map) => Ok(CreateBody::One(JsonObject(map))),
        Value::Array(items) => {
            let mut records = Vec::with_capacity(items.len());
            let mut errors = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Value::Object(map) => records.push(map),
                    _ => errors.push(FieldError::at(i, "", "is not a JSON object")),
                }
            }
            not_objects(errors)?;
            Ok(CreateBody::Many(records))
        }
        _ => Err(ApiError::bad_request(
            "The body must be a JSON object, or an array of them.",
        )),
    }
}

/// The objects of an NDJSON body, one a line; blank lines are skipped.
fn ndjson_objects(bytes: &[u8]) -> Result<Vec<Map<String, Value>>, ApiError> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let lines = bytes.split(|&b| b == b'\n');
    for line in lines.filter(|line| !line.trim_ascii().is_empty()) {
        let i = records.len() + errors.len();
        match serde_json::from_slice::<Value>(line) {
            Ok(Value::Object(map)) => records.push(map),
            Ok(_) => errors.push(FieldError::at(i, "", "is not a JSON object")),
            Err(e) => errors.push(FieldError::at(i, "", format!("is not valid JSON: {e}"))),
        }
    }
    not_objects(errors)?;
    Ok(records)
}

/// A 400 naming each record that is not a JSON object, by index.
fn not_objects(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::BadRequest(
        "Each record must be a JSON object.".into(),
        errors,
    ))
}

/// Reads a body through `read` within the app's [`BodyTimeout`]. `read`
/// gets a stand-in for the connection's payload, so that the payload
/// outlives a timeout: see `too_slow`.
fn within_time<F, T, E>(
    req: &HttpRequest,
    payload: &mut Payload,
    read: impl FnOnce(&HttpRequest, &mut Payload) -> F,
) -> impl std::future::Future<Output = Result<T, actix_web::Error>> + 'static
where
    F: std::future::Future<Output = Result<T, E>> + 'static,
    E: Into<actix_web::Error>,
{
    let held = Rc::new(RefCell::new(payload.take()));
    let reader = {
        let held = held.clone();
        futures_util::stream::poll_fn(move |cx| held.borrow_mut().poll_next_unpin(cx))
    };
    let reader: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>>>,
    > = Box::pin(reader);
    let mut stand_in = Payload::from(reader);
    let reading = read(req, &mut stand_in);
    let limit = req
        .app_data::<BodyTimeout>()
        .copied()
        .unwrap_or(BodyTimeout(std::time::Duration::from_secs(30)));
    async move {
        actix_web::rt::time::timeout(limit.0, reading)
            .await
            .map_err(|_| too_slow(limit, held))?
            .map_err(Into::into)
    }
}

/// The 408 for a body that stopped arriving. The unread request body rides
/// along in the response's own body: actix-http closes a connection whose
/// request body is unread and still held when the response is done, but
/// would drain a dropped chunked body instead, for as long as the client
/// cares to trickle it.
fn too_slow(limit: BodyTimeout, held: Rc<RefCell<Payload>>) -> actix_web::Error {
    let error = ApiError::RequestTimeout(format!(
        "The body did not arrive within {} s of the request's headers.",
        limit.0.as_secs_f64()
    ));
    let response = actix_web::ResponseError::error_response(&error);
    let (response, body) = response.into_parts();
    let problem = actix_web::body::MessageBody::try_into_bytes(body).unwrap_or_default();
    let response = response.set_body(UnreadBody {
        problem: Some(problem),
        _held: held,
    });
    actix_web::error::InternalError::from_response(error, response.map_into_boxed_body()).into()
}

/// A response body that keeps the unread request body until it is sent.
struct UnreadBody {
    problem: Option<web::Bytes>,
    _held: Rc<RefCell<Payload>>,
}

impl actix_web::body::MessageBody for UnreadBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> actix_web::body::BodySize {
        let length = self.problem.as_ref().map_or(0, |p| p.len());
        actix_web::body::BodySize::Sized(length as u64)
    }

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<web::Bytes, Self::Error>>> {
        std::task::Poll::Ready(self.problem.take().map(Ok))
    }
}
