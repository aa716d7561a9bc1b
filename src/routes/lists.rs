//! The list routes: a collection's list and download, and its nested lists.

/// `GET /{collection}` and `GET /{collection}.{format}`.
#[macro_export]
macro_rules! list_routes {
    (
        $query:ident => $view:ident, tag: $tag:ident, fields: $field:ident,
        $(facets: $facet:ident = $example:tt,)?
        many: ($many:tt, $op:tt), download: ($download:tt, $disposition:tt, $formats:ident),
        $(geo: $features:ident,)?
        $(#[doc = $list_doc:tt])* list;
        $(#[doc = $download_doc:tt])* download;
    ) => {
        $(#[doc = $list_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("list_", $op),
            security((), ("api_key" = [])),
            params($crate::paging::PageParams, $query, ("fields" = Option<Vec<$field>>, Query,
                style = Form, explode = false, min_items = 1, example = json!(["slug"]),
                description = $crate::fields::PARAMETER)
                $(, ("facets" = Option<Vec<$facet>>, Query,
                style = Form, explode = false, min_items = 1, max_items = 2, example = json!($example),
                description = $crate::listing::FACETS_PARAMETER))?),
            responses(
                (status = 200, description = concat!("A page of ", $many, ", or all matching ones as CSV or NDJSON."),
                 content(
                     ($crate::paging::Page<$view> = "application/json"),
                     (String = "text/csv"),
                     ($view = "application/x-ndjson")
                     $(, ($features = "application/geo+json"))?
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
            params(("format" = $crate::bulk::$formats, Path, description = "The file's format"), $query,
                ("fields" = Option<Vec<$field>>, Query, style = Form, explode = false, min_items = 1,
                 example = json!(["slug"]), description = $crate::fields::PARAMETER)),
            responses(
                (status = 200, description = concat!("All matching ", $many, "."),
                 content((String = "text/csv"), ($view = "application/x-ndjson")
                     $(, ($features = "application/geo+json"))?),
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
        $name:ident: $query:ident => $view:ident under partner,
        tag: $tag:ident, fields: $field:ident, facets: $facet:ident = $example:tt, many: ($many:tt, $op:tt), path: $path:tt $(, geo: $features:ident)?
    ) => {
        $crate::nested_list_route!(@route $(#[doc = $doc])* $name $query $tag $field $view $facet $example $many [$($features)?]
            concat!("list_partner_", $op), $path, Partner,
            "Partner id or slug", "lille-metropole");
    };
    (
        $(#[doc = $doc:tt])*
        $name:ident: $query:ident => $view:ident under thematic_area,
        tag: $tag:ident, fields: $field:ident, facets: $facet:ident = $example:tt, many: ($many:tt, $op:tt), path: $path:tt $(, geo: $features:ident)?
    ) => {
        $crate::nested_list_route!(@route $(#[doc = $doc])* $name $query $tag $field $view $facet $example $many [$($features)?]
            concat!("list_thematic_area_", $op), $path, ThematicArea,
            "Thematic area id or slug", "governance");
    };
    (
        @route $(#[doc = $doc:tt])* $name:ident $query:ident $tag:ident $field:ident $view:ident $facet:ident $facets_example:tt $many:tt [$($features:ident)?]
        $op:expr, $path:tt, $parent:ident, $what:tt, $example:tt
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = $op,
            security((), ("api_key" = [])),
            params(("id" = $crate::http::IdOrSlug, Path, description = $what, example = $example),
                   $crate::paging::PageParams, $query, ("fields" = Option<Vec<$field>>, Query,
                   style = Form, explode = false, min_items = 1, example = json!(["slug"]),
                   description = $crate::fields::PARAMETER), ("facets" = Option<Vec<$facet>>, Query,
                   style = Form, explode = false, min_items = 1, max_items = 2, example = json!($facets_example),
                   description = $crate::listing::FACETS_PARAMETER)),
            responses(
                (status = 200, description = concat!("A page of ", $many, ", or all matching ones as CSV or NDJSON."),
                 content(
                     ($crate::paging::Page<$view> = "application/json"),
                     (String = "text/csv"),
                     ($view = "application/x-ndjson")
                     $(, ($features = "application/geo+json"))?
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
