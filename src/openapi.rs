//! The root of the generated spec: info, tags, shared components. Paths and
//! schemas are collected from the routes themselves by utoipa-actix-web.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, PartialSchema};

use crate::audit::model::AuditSort;
use crate::bulk::{FileFormat, PlacedFileFormat};
use crate::error::{FieldError, Problem};
use crate::events::model::{EventFacet, EventField, EventSort};
use crate::partners::model::{PartnerFacet, PartnerField, PartnerSort};
use crate::recommendations::model::{RecommendationFacet, RecommendationField, RecommendationSort};
use crate::responses::{
    BadRequest, Conflict, Forbidden, NotAcceptable, NotFound, PayloadTooLarge, PreconditionFailed,
    RequestTimeout, TooManyRequests, Unauthorized, Unavailable, Unprocessable,
    UnsupportedMediaType, UriTooLong,
};
use crate::rules::CountryCode;
use crate::thematic_areas::model::{ThematicAreaField, ThematicAreaSort};

pub use crate::tags;

#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerKey),
    // Relative: the spec holds wherever the service is deployed.
    servers((url = "/", description = "This server")),
    info(
        title = "city-region-api",
        description = "Open JSON API for city-region governance data. The built-in dataset is the URBACT \
JOINING FORCES working group (2008-2010): eight partner city-regions led by Lille Métropole, seven \
thematic areas, and the events of the network's life. Recommendations are addressed to local, regional, \
national and European authorities.\n\n\
Conventions: JSON in and out with `snake_case` fields; timestamps RFC 3339 in UTC; every item is \
addressed by its numeric `id` (in its canonical spelling: `7`, not `007`) or its `slug`. Ids are never \
reused: a deleted record's id never names another. Names and titles hold at least one visible \
character and no bidirectional control character (their pattern names the invisible characters \
up to U+FFFF; tags, the variation selectors supplement and the other format characters past it \
do not count as visible either). A slug is unique among all records, drafts included. Lists are cursor-paged (`limit`, `cursor`) in a \
`{data, meta}` envelope with a `Link: rel=\"next\"` header, and take filters (comma-separated \
values mean \"any of\"), `sort` (several keys, `-` for descending, ties broken by id) and `q` \
(full-text search, accents and case ignored). With `Accept: text/csv` or \
`Accept: application/x-ndjson` (or a `.csv` / `.ndjson` suffix on the collection) a list streams \
every matching row instead of a page; partners and events are also GeoJSON (RFC 7946: \
`Accept: application/geo+json` or `.geojson`). `fields` keeps only the named fields (and `id`) \
of each record, in every format and on items; `facets` counts a list's rows per value. In CSV \
only, a text cell that a spreadsheet would run as a \
formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number) is \
written with a leading `'`; JSON and NDJSON are exact. A create takes one record, or up to \
5,000 at once (a JSON array or NDJSON), stored all together or not at all.\n\n\
HTTP: every `GET` route also answers `HEAD` (RFC 9110: the same status and headers, no body). \
Items and list pages carry a strong `ETag`, which differs per representation: a compressed \
body's (gzip, brotli, deflate, when the client accepts it) has `-gzip`, `-br` or `-deflate` \
appended. `If-None-Match` \
answers `304`; writes honour `If-Match` (any encoding's tag of the current version). \
`Cache-Control`: an anonymous answer may be kept by a shared cache and is revalidated \
(`public, no-cache`); an answer to a request with a key is for that client only \
(`private, no-cache`); `Vary: Accept, Accept-Encoding, Authorization`. CORS: pages on any origin \
may call the API unless the server is set to fewer; a refused preflight is a 403. A request \
target over 8,192 bytes is a 414; a body that does not arrive within 30 s (configurable) is a \
408 and the connection is closed. Every response carries `X-Content-Type-Options: nosniff` and \
`X-Request-Id` (the client's own, when it sent one); HTML pages carry a Content-Security-Policy \
and refuse framing.\n\n\
PATCH takes a JSON merge patch (RFC 7396). Errors are RFC 9457 problem details \
(`application/problem+json`) with one `errors` entry per field at fault. Reads are public, except draft \
recommendations, which only admin keys and the keys of their own proposers see; writes need \
`Authorization: Bearer <key>`, with a scope of `admin` or `partner:<slug>` (the partner's own \
record, events it hosts and manages the participants of, recommendations it proposes, where it \
adds or removes only itself among the proposers), and are rate-limited per key (429 with \
`Retry-After`). A key whose partner was deleted no longer works. Every write is in the audit \
trail. While the database takes no writes (a full disk, a read-only file), reads go on, writes \
answer 503 with `Retry-After` and `/ready` says why. Unknown query parameters and unknown body \
fields are rejected rather than ignored.",
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
            Problem, FieldError, FileFormat, PlacedFileFormat, PartnerSort, ThematicAreaSort, RecommendationSort,
            EventSort, AuditSort, PartnerFacet, RecommendationFacet, EventFacet, PartnerField, ThematicAreaField, RecommendationField, EventField, CountryCode, crate::relations::IdOrSlug, crate::http::Slug, crate::audit::dto::KeyName
        ),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, NotAcceptable, Conflict, TooManyRequests, PreconditionFailed, PayloadTooLarge,
            UnsupportedMediaType, Unprocessable, Unavailable, RequestTimeout, UriTooLong
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
                .description("The record just created (by a one-record create; a bulk create answers an array).")
                .build();
            created
                .links
                .insert(target, utoipa::openapi::RefOr::T(link));
        }
    }
}

/// What every operation answers beyond its own annotations, stated once:
/// - each `ETag` header says how tags differ per representation;
/// - list pages (the operations with a `Link` header) carry an `ETag` and
///   answer `304` to `If-None-Match`;
/// - every write may answer 503 while the database takes no writes, and
///   every write with a body 408 when the body does not arrive in time.
pub fn document_http_rules(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::{Ref, RefOr, ResponseBuilder};

    const ETAG: &str = "Strong entity-tag of this representation; a compressed body's has `-gzip`, \
`-br` or `-deflate` appended. `If-None-Match` with it answers 304; `If-Match` takes the tag of any encoding.";
    let etag = || {
        HeaderBuilder::new()
            .schema(Some(String::schema()))
            .description(Some(ETAG))
            .build()
    };
    for item in api.paths.paths.values_mut() {
        if let Some(get) = item.get.as_mut() {
            let responses = &mut get.responses.responses;
            let mut paged = false;
            for response in responses.values_mut() {
                if let RefOr::T(response) = response {
                    if let Some(RefOr::T(header)) = response.headers.get_mut("ETag") {
                        header.description = Some(ETAG.into());
                    }
                    paged |= response.headers.contains_key("Link");
                    if paged && !response.headers.contains_key("ETag") {
                        response.headers.insert("ETag".into(), RefOr::T(etag()));
                    }
                }
            }
            if paged && !responses.contains_key("304") {
                let not_modified = ResponseBuilder::new()
                    .description("Not modified since the ETag in `If-None-Match`.")
                    .build();
                responses.insert("304".into(), RefOr::T(not_modified));
            }
        }
        let writes = [
            item.post.as_mut(),
            item.put.as_mut(),
            item.patch.as_mut(),
            item.delete.as_mut(),
        ];
        for write in writes.into_iter().flatten() {
            let has_body = write.request_body.is_some();
            let responses = &mut write.responses.responses;
            if has_body {
                responses
                    .entry("408".into())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name("RequestTimeout")));
            }
            responses
                .entry("503".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Unavailable")));
        }
    }
}

/// Each page schema (`Page_Partner`, ...) names its item schema instead of
/// repeating it: utoipa inlines a generic's type argument, which left the
/// audit entry's own schema unused and every page a copy of its item.
pub fn page_items_by_reference(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::{Ref, RefOr};

    let Some(components) = api.components.as_mut() else {
        return;
    };
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        if !components.schemas.contains_key(item) {
            continue;
        }
        let Some(RefOr::T(Schema::Object(page))) = components.schemas.get_mut(&name) else {
            continue;
        };
        if let Some(RefOr::T(Schema::Array(data))) = page.properties.get_mut("data") {
            data.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}
