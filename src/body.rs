//! Reading a request's JSON body within its limits: the app's `JsonConfig`
//! (1 MiB, JSON media types) and a time limit, past which the client gets a
//! 408 and its connection is closed.

use std::cell::RefCell;
use std::rc::Rc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde_json::{Map, Value};

use crate::error::ApiError;

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
        // The JSON extractor reads the body through a stand-in, so that
        // the connection's own payload outlives a timeout: see `too_slow`.
        let held = Rc::new(RefCell::new(payload.take()));
        let reader = {
            let held = held.clone();
            futures_util::stream::poll_fn(move |cx| held.borrow_mut().poll_next_unpin(cx))
        };
        let reader: std::pin::Pin<
            Box<
                dyn futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>>,
            >,
        > = Box::pin(reader);
        let mut stand_in = Payload::from(reader);
        let json = web::Json::<Value>::from_request(req, &mut stand_in);
        let limit = req
            .app_data::<BodyTimeout>()
            .copied()
            .unwrap_or(BodyTimeout(std::time::Duration::from_secs(30)));
        Box::pin(async move {
            let read = actix_web::rt::time::timeout(limit.0, json)
                .await
                .map_err(|_| too_slow(limit, held))?;
            match read?.into_inner() {
                Value::Object(map) => Ok(JsonObject(map)),
                _ => Err(ApiError::bad_request("The body must be a JSON object.").into()),
            }
        })
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
