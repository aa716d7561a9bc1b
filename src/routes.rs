//! The routes every collection has, declared once: its list and file
//! download, the nested lists under a parent, and the item routes (get,
//! create, replace, update, delete, history). A resource module invokes the
//! macros below with its types, its names and the doc comment of each
//! route, which is that operation's summary and description in the spec;
//! what differs in behaviour lives in its `record.rs` (`crate::writes`)
//! and its list parameters (`crate::collection`), never here.
//!
//! Macros, not generic functions: actix's route attributes and
//! `#[utoipa::path]` need one concrete function per route. The bodies are
//! one call each into the shared scripts. Where a macro is used, actix's
//! route attributes must be in scope by their short names (`use
//! actix_web::{get, ...}`): utoipa recognises a route by `#[get(...)]`.
//! Header descriptions must be literals, hence `location` and the
//! download's `Content-Disposition`.

/// `GET /{collection}` and `GET /{collection}.{format}`.
#[macro_export]
macro_rules! list_routes {
    (
        $query:ident => $record:ident, tag: $tag:ident, $(facets: $facet:ident = $example:tt,)?
        many: ($many:tt, $op:tt), download: ($download:tt, $disposition:tt),
        $(#[doc = $list_doc:tt])* list;
        $(#[doc = $download_doc:tt])* download;
    ) => {
        $(#[doc = $list_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("list_", $op),
            security((), ("api_key" = [])),
            params($crate::paging::PageParams, $query $(, ("facets" = Option<Vec<$facet>>, Query,
                style = Form, explode = false, min_items = 1, max_items = 2, example = json!($example),
                description = "Count the matching rows per value of these fields (one or two, \
                comma-separated) and, for two, per pair of values: `meta.facets` of a JSON \
                page. The counts cover every matching row, not only the page's. A field named \
                twice counts once."))?),
            responses(
                (status = 200, description = concat!("A page of ", $many, ", or all matching ones as CSV or NDJSON."),
                 content(
                     ($crate::paging::Page<$record> = "application/json"),
                     (String = "text/csv"),
                     ($record = "application/x-ndjson"),
                 ),
                 headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
                $crate::responses::ListErrors,
            )
        )]
        #[get("")]
        pub async fn list(
            db: actix_web::web::Data<$crate::db::Db>,
            req: actix_web::HttpRequest,
            reader: $crate::auth::Reader,
            query: $crate::paging::ListQuery<$query>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::collection::respond(db, &req, reader, query, None, None).await
        }

        $(#[doc = $download_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("download_", $op),
            security((), ("api_key" = [])),
            params(("format" = $crate::bulk::FileFormat, Path, description = "`csv` or `ndjson`"), $query),
            responses(
                (status = 200, description = concat!("All matching ", $many, "."),
                 content((String = "text/csv"), ($record = "application/x-ndjson")),
                 headers(("Content-Disposition" = String, description = $disposition))),
                $crate::responses::DownloadErrors,
            )
        )]
        #[get($download)]
        pub async fn download(
            db: actix_web::web::Data<$crate::db::Db>,
            req: actix_web::HttpRequest,
            reader: $crate::auth::Reader,
            format: actix_web::web::Path<String>,
            query: $crate::paging::ListQuery<$query>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let format = $crate::bulk::FileFormat::parse(&format)?;
            $crate::collection::respond(db, &req, reader, query, Some(format), None).await
        }
    };
}

/// `GET /partners/{id}/{collection}` or `GET /thematic-areas/{id}/{collection}`:
/// the collection's list under one parent.
#[macro_export]
macro_rules! nested_list_route {
    (
        $(#[doc = $doc:tt])*
        $name:ident: $query:ident => $record:ident under partner,
        tag: $tag:ident, facets: $facet:ident = $example:tt, many: ($many:tt, $op:tt), path: $path:tt
    ) => {
        $crate::nested_list_route!(@route $(#[doc = $doc])* $name $query $record $tag $facet $example $many
            concat!("list_partner_", $op), $path, Partner,
            "Partner id or slug", "lille-metropole");
    };
    (
        $(#[doc = $doc:tt])*
        $name:ident: $query:ident => $record:ident under thematic_area,
        tag: $tag:ident, facets: $facet:ident = $example:tt, many: ($many:tt, $op:tt), path: $path:tt
    ) => {
        $crate::nested_list_route!(@route $(#[doc = $doc])* $name $query $record $tag $facet $example $many
            concat!("list_thematic_area_", $op), $path, ThematicArea,
            "Thematic area id or slug", "governance");
    };
    (
        @route $(#[doc = $doc:tt])* $name:ident $query:ident $record:ident $tag:ident $facet:ident $facets_example:tt $many:tt
        $op:expr, $path:tt, $parent:ident, $what:tt, $example:tt
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = $op,
            security((), ("api_key" = [])),
            params(("id" = $crate::http::IdOrSlug, Path, description = $what, example = $example),
                   $crate::paging::PageParams, $query, ("facets" = Option<Vec<$facet>>, Query,
                   style = Form, explode = false, min_items = 1, max_items = 2, example = json!($facets_example),
                   description = "Count the matching rows per value of these fields (one or two, \
                   comma-separated) and, for two, per pair of values: `meta.facets` of a JSON \
                   page. The counts cover every matching row, not only the page's. A field named \
                   twice counts once.")),
            responses(
                (status = 200, description = concat!("A page of ", $many, ", or all matching ones as CSV or NDJSON."),
                 content(
                     ($crate::paging::Page<$record> = "application/json"),
                     (String = "text/csv"),
                     ($record = "application/x-ndjson"),
                 ),
                 headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
                $crate::responses::NestedListErrors,
            )
        )]
        #[get($path)]
        pub async fn $name(
            db: actix_web::web::Data<$crate::db::Db>,
            req: actix_web::HttpRequest,
            reader: $crate::auth::Reader,
            id: actix_web::web::Path<String>,
            query: $crate::paging::ListQuery<$query>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let parent = $crate::collection::Parent::$parent($crate::http::Key::parse(&id));
            $crate::collection::respond(db, &req, reader, query, None, Some(parent)).await
        }
    };
}

/// `GET`, `PUT`, `PATCH`, `DELETE /{collection}/{id}`, `POST /{collection}`
/// and `GET /{collection}/{id}/history`. `delete` may name responses of its
/// own (a 409 while others refer to the record).
#[macro_export]
macro_rules! item_routes {
    (
        $record:ident, input: $input:ident, patch: $patch:ident, tag: $tag:ident,
        one: ($one:tt, $op:tt), location: $location:tt,
        $(#[doc = $get_doc:tt])* get;
        $(#[doc = $create_doc:tt])* create;
        $(#[doc = $replace_doc:tt])* replace;
        $(#[doc = $update_doc:tt])* update;
        $(#[doc = $delete_doc:tt])* delete $(, $delete_response:tt)*;
        $(#[doc = $history_doc:tt])* history;
    ) => {
        $(#[doc = $get_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("get_", $op),
            security((), ("api_key" = [])),
            params($crate::http::IdPath),
            responses(
                (status = 200, description = concat!("The ", $one, "."), body = $record,
                 headers(("ETag" = String, description = "Version of this representation"))),
                (status = 304, description = "Not modified since the ETag in `If-None-Match`."),
                $crate::responses::ItemErrors,
            )
        )]
        #[get("/{id}")]
        pub async fn get(
            db: actix_web::web::Data<$crate::db::Db>,
            reader: $crate::auth::Reader,
            id: actix_web::web::Path<$crate::http::IdPath>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let (key, drafts) = (id.key(), reader.drafts());
            let record = db
                .read(move |c| $crate::writes::visible::<$record>(c, &key, drafts))
                .await?;
            $crate::http::item_response(&record)
        }

        $(#[doc = $create_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("create_", $op),
            security(("api_key" = [])),
            request_body = $input,
            responses(
                (status = 201, description = "Created.", body = $record,
                 headers(("Location" = String, description = $location),
                         ("ETag" = String, description = "Version of this representation"))),
                $crate::responses::CreateErrors,
            )
        )]
        #[post("")]
        pub async fn create(
            db: actix_web::web::Data<$crate::db::Db>,
            writer: $crate::auth::Writer,
            body: $crate::body::JsonObject,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::writes::create::<$record>(db, writer, body).await
        }

        $(#[doc = $replace_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("replace_", $op),
            security(("api_key" = [])),
            params($crate::http::IdPath, $crate::http::IfMatchHeader),
            request_body = $input,
            responses(
                (status = 200, description = "Replaced.", body = $record,
                 headers(("ETag" = String, description = "Version of this representation"))),
                $crate::responses::EditErrors,
            )
        )]
        #[put("/{id}")]
        pub async fn replace(
            db: actix_web::web::Data<$crate::db::Db>,
            writer: $crate::auth::Writer,
            id: actix_web::web::Path<$crate::http::IdPath>,
            pre: $crate::http::Precondition,
            body: $crate::body::JsonObject,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let edit = $crate::writes::Edit::Replace(body);
            $crate::writes::save::<$record>(db, writer, id.key(), pre, edit).await
        }

        $(#[doc = $update_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("update_", $op),
            security(("api_key" = [])),
            params($crate::http::IdPath, $crate::http::IfMatchHeader),
            request_body(content(
                ($patch = "application/merge-patch+json"),
                ($patch = "application/json"),
            )),
            responses(
                (status = 200, description = "Updated.", body = $record,
                 headers(("ETag" = String, description = "Version of this representation"))),
                $crate::responses::EditErrors,
            )
        )]
        #[patch("/{id}")]
        pub async fn update(
            db: actix_web::web::Data<$crate::db::Db>,
            writer: $crate::auth::Writer,
            id: actix_web::web::Path<$crate::http::IdPath>,
            pre: $crate::http::Precondition,
            body: $crate::body::JsonObject,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let edit = $crate::writes::Edit::Merge(body);
            $crate::writes::save::<$record>(db, writer, id.key(), pre, edit).await
        }

        $(#[doc = $delete_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("delete_", $op),
            security(("api_key" = [])),
            params($crate::http::IdPath, $crate::http::IfMatchHeader),
            responses(
                (status = 204, description = "Deleted."),
                $($delete_response,)*
                $crate::responses::DeleteErrors,
            )
        )]
        #[delete("/{id}")]
        pub async fn delete(
            db: actix_web::web::Data<$crate::db::Db>,
            writer: $crate::auth::Writer,
            id: actix_web::web::Path<$crate::http::IdPath>,
            pre: $crate::http::Precondition,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::writes::remove::<$record>(db, writer, id.key(), pre).await
        }

        $(#[doc = $history_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!($op, "_history"),
            security(("api_key" = [])),
            params($crate::http::IdPath, $crate::paging::PageParams, $crate::audit::dto::HistoryQuery),
            responses(
                (status = 200, description = "A page of the record's history.",
                 body = $crate::paging::Page<$crate::audit::model::AuditEntry>,
                 headers(("Link" = String, description = "`<url>; rel=\"next\"` while there is a next page"))),
                $crate::responses::HistoryErrors,
            )
        )]
        #[get("/{id}/history")]
        pub async fn history(
            db: actix_web::web::Data<$crate::db::Db>,
            req: actix_web::HttpRequest,
            reader: $crate::auth::Reader,
            id: actix_web::web::Path<$crate::http::IdPath>,
            query: $crate::paging::ListQuery<$crate::audit::dto::HistoryQuery>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::history::respond::<$record>(db, &req, reader, id.key(), query).await
        }
    };
}
