//! Service routes (`/health`, `/ready`), the request-id middleware, and the
//! answers for requests no route takes: 404, or 405 with `Allow`.

use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{Error, HttpRequest, HttpResponse, get};
use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Db;
use crate::error::{ApiError, RETRY_WRITES_AFTER};
use crate::paging::NoParams;
use crate::responses::{BadRequest, Unavailable};
use crate::tags;

/// How the service is.
#[derive(Serialize, ToSchema)]
pub struct Status {
    /// `ok` for `/health`, `ready` for `/ready`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness
///
/// Answers while the process is up; it does not touch the database.
#[utoipa::path(
    tag = tags::SERVICE, operation_id = "health",
    security(()),
    responses(
        (status = 200, description = "The process is up.", body = Status, example = json!({"status": "ok"})),
        (status = 400, response = BadRequest),
    )
)]
#[get("/health")]
pub async fn health(_: NoParams) -> HttpResponse {
    HttpResponse::Ok().json(Status { status: "ok" })
}

/// Readiness
///
/// Answers 200 while the database answers queries and takes writes; 503
/// with the reason (a full disk, a read-only file) while it does not.
/// Reads go on meanwhile; writes answer 503 with `Retry-After`.
#[utoipa::path(
    tag = tags::SERVICE, operation_id = "ready",
    security(()),
    responses(
        (status = 200, description = "The database answers and takes writes.", body = Status, example = json!({"status": "ready"})),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    )
)]
#[get("/ready")]
pub async fn ready(db: Data<Db>, _: NoParams) -> Result<HttpResponse, ApiError> {
    db.read(|conn| {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map_err(|e| ApiError::Internal(e.into()))
    })
    .await?;
    db.probe_writes().await;
    if let Some(reason) = db.health().reason() {
        return Err(ApiError::Unwritable(reason, RETRY_WRITES_AFTER));
    }
    Ok(HttpResponse::Ok().json(Status { status: "ready" }))
}

/// Every route template of the spec with the methods it answers, so that a
/// request no route takes gets 405 and `Allow` when only its method is wrong.
#[derive(Debug, Default)]
pub struct RouteTable(Vec<(ResourceDef, String)>);

impl RouteTable {
    pub fn from_spec(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods: Vec<&str> = [
                    ("GET", &item.get),
                    ("HEAD", &item.get),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                ]
                .into_iter()
                .filter_map(|(name, op)| op.as_ref().map(|_| name))
                .collect();
                (ResourceDef::new(path.as_str()), methods.join(", "))
            })
            .collect();
        RouteTable(routes)
    }

    fn allowed(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, allow)| allow.as_str())
    }
}

/// The default service: nothing matched the method and path.
pub async fn fallback(
    req: HttpRequest,
    routes: Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    Err(match routes.allowed(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed(allow.to_string()),
        None => ApiError::NotFound(format!("No route matches {}.", req.path())),
    })
}

/// Header that ties a response to its request and its log line.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Echoes the client's `X-Request-Id` (printable ASCII, up to 200 bytes) or
/// makes a new one, on every response.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.bytes().all(|b| b.is_ascii_graphic()))
        .and_then(|v| HeaderValue::from_str(v).ok())
        .unwrap_or_else(|| {
            HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
                .unwrap_or(HeaderValue::from_static("unknown"))
        });
    // Handlers and extractors turn their errors into responses before this
    // point, so an `Err` here can only come from a broken middleware. (The
    // request must not be cloned to keep one: routing needs it unshared.)
    let mut res = next.call(req).await?;
    res.headers_mut().insert(X_REQUEST_ID, id);
    Ok(res)
}
