//! Builds the actix `App`: the routes (and with them the spec), shared state,
//! extractor error handlers and middleware. Used by `main` and by the tests.

use std::num::NonZeroU32;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::JsonPayloadError;
use actix_web::http::header;
use actix_web::middleware::{Compress, ErrorHandlerResponse, ErrorHandlers, Logger, from_fn};
use actix_web::web::{self, Data, JsonConfig};
use actix_web::{App, Error, HttpResponse};
use std::time::Duration;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::KnownKeys;
use crate::auth::limit::WriteLimiter;
use crate::body::{BODY_LIMIT, BodyTimeout};
use crate::cache::{self, Representations};
use crate::db::Db;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::middleware;
use crate::openapi::ApiDoc;
use crate::service::{self, RouteTable};
use crate::{audit, events, explorer, export, partners, recommendations, thematic_areas};

pub use crate::http::API_PREFIX;

fn mount<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = Error, InitError = ()>,
{
    app.service(
        utoipa_actix_web::scope(API_PREFIX)
            .configure(partners::configure)
            .configure(thematic_areas::configure)
            .configure(recommendations::configure)
            .configure(events::configure)
            .service(export::export)
            .service(audit::handlers::list),
    )
    .service(service::health)
    .service(service::ready)
    .service(explorer::page)
}

/// The spec, as generated from the routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) =
        mount(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    crate::openapi::link_created_records(&mut api);
    crate::openapi::document_http_rules(&mut api);
    crate::openapi::page_items_by_reference(&mut api);
    api
}

/// What the app is told at start-up, beyond its database.
#[derive(Clone)]
pub struct AppConfig {
    /// Origins whose pages may call the API (`*` for any; none means
    /// same-origin only).
    pub cors_origins: Vec<String>,
    /// The per-key write limiter, shared by every worker.
    pub write_limiter: Data<WriteLimiter>,
    /// How long a client has to send a request body.
    pub body_timeout: Duration,
    /// Answers to reads kept until the next write, shared by every worker.
    pub representations: Data<Representations>,
    /// Keys checked under the current write generation, likewise.
    pub known_keys: Data<KnownKeys>,
}

/// The default size of the representation cache, in MiB.
pub const RESPONSE_CACHE_MB: u64 = 16;
/// The default size of the stored downloads, in MiB (of disk).
pub const DOWNLOAD_CACHE_MB: u64 = 1024;

/// The default time a client has to send a request body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

impl AppConfig {
    /// Pages from `cors_origins` may call the API; `writes_per_second` per
    /// key; bodies within [`BODY_TIMEOUT`].
    pub fn new(cors_origins: Vec<String>, writes_per_second: NonZeroU32) -> Self {
        AppConfig {
            cors_origins,
            write_limiter: Data::new(WriteLimiter::new(writes_per_second)),
            body_timeout: BODY_TIMEOUT,
            representations: Data::new(Representations::new(
                RESPONSE_CACHE_MB << 20,
                DOWNLOAD_CACHE_MB << 20,
            )),
            known_keys: Data::default(),
        }
    }
}

impl Default for AppConfig {
    /// Pages from any origin; 50 writes a second per key.
    fn default() -> Self {
        AppConfig::new(
            vec!["*".into()],
            NonZeroU32::new(50).unwrap_or(NonZeroU32::MIN),
        )
    }
}

/// The whole application over `db`.
pub fn build_app(
    db: Db,
    config: AppConfig,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let (app, mut api) =
        mount(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    crate::openapi::link_created_records(&mut api);
    crate::openapi::document_http_rules(&mut api);
    crate::openapi::page_items_by_reference(&mut api);
    app.app_data(Data::new(db))
        .app_data(config.write_limiter.clone())
        .app_data(config.representations.clone())
        .app_data(config.known_keys.clone())
        .app_data(Data::new(RouteTable::from_spec(&api)))
        .app_data(BodyTimeout(config.body_timeout))
        .app_data(
            JsonConfig::default()
                .limit(BODY_LIMIT)
                .error_handler(|err, _| json_error(err).into()),
        )
        .service(explorer::asset)
        .service(web::redirect("/docs", "/docs/"))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", api))
        .default_service(web::to(service::fallback))
        // Innermost first: each layer sees the response of the ones above.
        // Answers to reads, kept until the next write.
        .wrap(from_fn(cache::layer))
        // Any error response becomes problem+json.
        .wrap(ErrorHandlers::new().default_handler(problem_safety_net))
        .wrap(from_fn(middleware::uri_limit))
        .wrap(cors(&config.cors_origins))
        // actix-cors' own refusals, as problem+json 403s.
        .wrap(from_fn(middleware::cors_refusal))
        .wrap(Compress::default())
        // Compress's own refusal (406 to `Accept-Encoding: identity;q=0`).
        .wrap(ErrorHandlers::new().default_handler(problem_safety_net))
        // ETags of the compressed bytes, 304s, caching and security headers.
        .wrap(from_fn(middleware::representation))
        // HEAD is routed as GET; the body is dropped here.
        .wrap(from_fn(middleware::head))
        .wrap(from_fn(service::request_id))
        .wrap(Logger::new(r#"%a "%r" %s %b %Dms rid=%{x-request-id}o"#))
}

/// CORS for browser clients on other origins: reads from anywhere listed,
/// writes with the headers they need, and the response headers a client
/// reads (paging, versions, locations, request ids) exposed.
fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::ACCEPT,
            service::X_REQUEST_ID,
        ])
        .expose_headers([
            header::LINK,
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            service::X_REQUEST_ID,
        ])
        .max_age(3600);
    for origin in origins {
        cors = if origin == "*" {
            cors.allow_any_origin().send_wildcard()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

/// Why a JSON body could not be read.
fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge(format!(
                "The body is larger than {BODY_LIMIT} bytes (1 MiB)."
            ))
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
            "Send the body as application/json (PATCH also takes application/merge-patch+json)."
                .into(),
        ),
        JsonPayloadError::Deserialize(e) => {
            ApiError::bad_request(format!("The body is not valid JSON: {e}."))
        }
        other => ApiError::bad_request(format!("The body could not be read: {other}.")),
    }
}

/// Any error response that is not already problem+json (actix's own, say)
/// becomes one, keeping its status and headers.
fn problem_safety_net<B: MessageBody>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = status.canonical_reason().unwrap_or("Error").to_string();
    let mut replacement = HttpResponse::build(status);
    for (name, value) in res.headers() {
        let content = [
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
        ];
        if !content.contains(name) {
            replacement.append_header((name.clone(), value.clone()));
        }
    }
    let body = replacement
        .content_type(PROBLEM_JSON)
        .json(crate::error::problem(status, detail, Vec::new()));
    Ok(ErrorHandlerResponse::Response(
        res.into_response(body).map_into_right_body(),
    ))
}
