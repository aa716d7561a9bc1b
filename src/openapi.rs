//! The root of the generated spec: info, tags, shared components. Paths and
//! schemas are collected from the routes themselves by utoipa-actix-web.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::audit::model::AuditSort;
use crate::bulk::FileFormat;
use crate::error::{
    BadRequest, Conflict, FieldError, Forbidden, NotAcceptable, NotFound, PayloadTooLarge,
    PreconditionFailed, Problem, TooManyRequests, Unauthorized, Unavailable, Unprocessable,
    UnsupportedMediaType,
};
use crate::events::model::EventSort;
use crate::partners::model::PartnerSort;
use crate::recommendations::model::RecommendationSort;
use crate::rules::CountryCode;
use crate::thematic_areas::model::ThematicAreaSort;

/// Tag names, one per resource, used by every `#[utoipa::path]`.
pub mod tags {
    pub const PARTNERS: &str = "Partners";
    pub const THEMATIC_AREAS: &str = "Thematic areas";
    pub const RECOMMENDATIONS: &str = "Recommendations";
    pub const EVENTS: &str = "Events";
    pub const EXPORT: &str = "Export";
    pub const AUDIT: &str = "Audit";
    pub const SERVICE: &str = "Service";
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerKey),
    info(
        title = "city-region-api",
        description = "Open JSON API for city-region governance data. The built-in dataset is the URBACT \
JOINING FORCES working group (2008-2010): eight partner city-regions led by Lille Métropole, seven \
thematic areas, and the events of the network's life. Recommendations are addressed to local, regional, \
national and European authorities.\n\n\
Conventions: JSON in and out with `snake_case` fields; timestamps RFC 3339 in UTC; every item is \
addressed by its numeric `id` or its `slug`. Lists are cursor-paged (`limit`, `cursor`) in a \
`{data, meta}` envelope with a `Link: rel=\"next\"` header, and take filters (comma-separated \
values mean \"any of\"), `sort` (several keys, `-` for descending, ties broken by id) and `q` \
(full-text search, accents and case ignored). With `Accept: text/csv` or \
`Accept: application/x-ndjson` (or a `.csv` / `.ndjson` suffix on the collection) a list streams \
every matching row instead of a page. Responses are compressed (gzip, brotli) when the client \
accepts it. Items carry an `ETag`; writes honour \
`If-Match`. PATCH takes a JSON merge patch (RFC 7396). Errors are RFC 9457 problem details \
(`application/problem+json`) with one `errors` entry per field at fault. Reads are public, except draft \
recommendations, which only a key sees; writes need `Authorization: Bearer <key>`, with a scope of \
`admin` or `partner:<slug>` (the partner's own record, events it hosts, recommendations it proposes), \
and are rate-limited per key (429 with `Retry-After`). Every write is in the audit trail. Unknown query parameters \
and unknown body fields are rejected rather than ignored. Every response carries `X-Request-Id` \
(the client's own, when it sent one).",
        license(name = "MIT", identifier = "MIT"),
        version = env!("CARGO_PKG_VERSION"),
    ),
    tags(
        (name = tags::PARTNERS, description = "The partner city-regions of the network."),
        (name = tags::THEMATIC_AREAS, description = "The themes the network works on."),
        (name = tags::RECOMMENDATIONS, description = "What the network advises local, regional, national and European authorities."),
        (name = tags::EVENTS, description = "The events of the network's life: launch, meetings, seminars, completion."),
        (name = tags::EXPORT, description = "The whole dataset in one document."),
        (name = tags::AUDIT, description = "Every write: who, when, what, before and after."),
        (name = tags::SERVICE, description = "Liveness and readiness."),
    ),
    components(
        schemas(
            Problem, FieldError, FileFormat, PartnerSort, ThematicAreaSort, RecommendationSort,
            EventSort, AuditSort, CountryCode, crate::relations::IdOrSlug, crate::audit::dto::KeyName
        ),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, NotAcceptable, Conflict, TooManyRequests, PreconditionFailed, PayloadTooLarge,
            UnsupportedMediaType, Unprocessable, Unavailable
        )
    )
)]
pub struct ApiDoc;

/// Declares the bearer-key scheme that the operations' `security` names.
struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An API key made with `city-region-api keys create --name NAME --scope admin|partner:<slug>`. \
Writes need one; reads take one to see draft recommendations.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("api_key", SecurityScheme::Http(scheme));
    }
}

/// OpenAPI links from each create to what can be done with the record it
/// made: every operation on `/{collection}/{id}...`, with `id` taken from
/// the response body. Clients (and schemathesis' stateful phase) follow
/// them to chain POST -> GET -> PATCH/PUT -> DELETE.
pub fn link_created_records(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::link::LinkBuilder;

    let operations = |item: &utoipa::openapi::PathItem| {
        [
            item.get.as_ref(),
            item.put.as_ref(),
            item.patch.as_ref(),
            item.delete.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|op| op.operation_id.clone())
        .collect::<Vec<_>>()
    };
    let collections: Vec<String> = api
        .paths
        .paths
        .iter()
        .filter(|(_, item)| item.post.is_some())
        .map(|(path, _)| path.clone())
        .collect();
    for collection in collections {
        let prefix = format!("{collection}/{{id}}");
        let targets: Vec<String> = api
            .paths
            .paths
            .iter()
            .filter(|(path, _)| *path == &prefix || path.starts_with(&format!("{prefix}/")))
            .flat_map(|(_, item)| operations(item))
            .collect();
        let Some(item) = api.paths.paths.get_mut(&collection) else {
            continue;
        };
        let Some(post) = item.post.as_mut() else {
            continue;
        };
        let Some(utoipa::openapi::RefOr::T(created)) = post.responses.responses.get_mut("201")
        else {
            continue;
        };
        for target in targets {
            let link = LinkBuilder::new()
                .operation_id(target.clone())
                .parameter("id", "$response.body#/id")
                .description("The record just created.")
                .build();
            created
                .links
                .insert(target, utoipa::openapi::RefOr::T(link));
        }
    }
}
