//! The item routes: get, create, replace, update, delete and history.

/// `GET`, `PUT`, `PATCH`, `DELETE /{collection}/{id}`, `POST /{collection}`
/// and `GET /{collection}/{id}/history`. `delete` may name responses of its
/// own (a 409 while others refer to the record).
#[macro_export]
macro_rules! item_routes {
    // PUT and PATCH: one save script, with the body read whole or merged.
    (
        @save $(#[doc = $doc:tt])* $name:ident, $method:ident, $edit:ident, $record:ident,
        $tag:ident, $operation:expr, $done:tt, ($($body:tt)*)
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = $operation,
            security(("api_key" = [])),
            params($crate::http::IdPath, $crate::http::IfMatchHeader),
            $($body)*,
            responses(
                (status = 200, description = $done, body = $record,
                 headers(("ETag" = String, description = "Version of this representation"))),
                $crate::responses::EditErrors,
            )
        )]
        #[$method("/{id}")]
        pub async fn $name(
            db: actix_web::web::Data<$crate::db::Db>,
            writer: $crate::auth::Writer,
            id: actix_web::web::Path<$crate::http::IdPath>,
            pre: $crate::http::Precondition,
            body: $crate::body::JsonObject,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            let edit = $crate::writes::Edit::$edit(body);
            $crate::writes::save::<$record>(db, writer, id.key(), pre, edit).await
        }
    };
    (
        $record:ident, fields: ($field:ident, $view:ident), input: $input:ident, patch: $patch:ident, tag: $tag:ident,
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
            params($crate::http::IdPath, ("fields" = Option<Vec<$field>>, Query, style = Form,
                explode = false, min_items = 1, example = json!(["slug"]),
                description = $crate::fields::PARAMETER)),
            responses(
                (status = 200, description = concat!("The ", $one, "."), body = $view,
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
            fields: $crate::fields::FieldsParam,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            use $crate::tabular::Tabular;
            let fields = $crate::fields::Fields::parse(fields.0.as_deref(), $record::HEADER)?;
            let (key, drafts) = (id.key(), reader.drafts());
            let record = db
                .read(move |c| $crate::writes::visible::<$record>(c, &key, drafts))
                .await?;
            match fields {
                None => $crate::http::item_response(&record),
                Some(fields) => $crate::http::item_response(&fields.pick(&record)?),
            }
        }

        $(#[doc = $create_doc])*
        #[utoipa::path(
            tag = $crate::tags::$tag, operation_id = concat!("create_", $op),
            security(("api_key" = [])),
            request_body(description = $crate::body::BULK, content(
                ($crate::body::OneOrMany<$input> = "application/json"),
                ($input = "application/x-ndjson"),
            )),
            responses(
                (status = 201, description = "Created: the record, or the records in the order sent.",
                 body = $crate::body::OneOrMany<$record>,
                 headers(("Location" = String, description = $location),
                         ("ETag" = String, description = "Version of this representation (one record only)"))),
                $crate::responses::CreateErrors,
            )
        )]
        #[post("")]
        pub async fn create(
            db: actix_web::web::Data<$crate::db::Db>,
            writer: $crate::auth::Writer,
            limiter: actix_web::web::Data<$crate::auth::limit::WriteLimiter>,
            body: $crate::body::CreateBody,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            match body {
                $crate::body::CreateBody::One(body) => {
                    $crate::writes::create::<$record>(db, writer, body).await
                }
                $crate::body::CreateBody::Many(bodies) => {
                    $crate::writes::create_many::<$record>(db, writer, limiter, bodies).await
                }
            }
        }

        $crate::item_routes!(@save $(#[doc = $replace_doc])* replace, put, Replace, $record, $tag,
            concat!("replace_", $op), "Replaced.", (request_body = $input));

        $crate::item_routes!(@save $(#[doc = $update_doc])* update, patch, Merge, $record, $tag,
            concat!("update_", $op), "Updated.", (request_body(content(
                ($patch = "application/merge-patch+json"),
                ($patch = "application/json"),
            ))));

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
