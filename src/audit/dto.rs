//! The filters of the audit trail.

use serde::Deserialize;
use utoipa::IntoParams;

use super::model::{AUDIT_SORT, Action, AuditSort, Collection};
use crate::db::Dialect;
use crate::error::ApiError;
use crate::listing::{Bind, Clause, Filters, Listing, Sort};
use crate::paging::PageRequest;
use crate::params;

/// Filters and sort of `/audit`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only writes to these collections, comma-separated: any of them.
    #[param(value_type = Option<Vec<Collection>>, style = Form, explode = false, min_items = 1, example = json!(["partners"]))]
    pub collection: Option<String>,
    /// Only writes to the record with this id (with `collection`, the one
    /// record; without, that id in every collection).
    #[param(minimum = 1, example = 1)]
    pub record: Option<i32>,
    /// Only writes by these keys (names), comma-separated: any of them.
    #[param(value_type = Option<Vec<KeyName>>, style = Form, explode = false, min_items = 1, example = json!(["lille-integration"]))]
    pub key: Option<String>,
    /// Only these actions, comma-separated: any of them.
    #[param(value_type = Option<Vec<Action>>, style = Form, explode = false, min_items = 1, example = json!(["delete"]))]
    pub action: Option<String>,
    /// Only writes at or after this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-01T00:00:00Z")]
    pub from: Option<String>,
    /// Only writes at or before this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-30T23:59:59Z")]
    pub to: Option<String>,
    /// Sort keys, comma-separated, `-` for descending; ties are broken by
    /// id. Default: id (the order of the writes).
    #[param(value_type = Option<Vec<AuditSort>>, style = Form, explode = false, min_items = 1, example = json!(["-at"]))]
    pub sort: Option<String>,
}

/// Filters and sort of `/{collection}/{id}/history`: those of `/audit`
/// but `collection` and `record`, which the path gives.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Only writes by these keys (names), comma-separated: any of them.
    #[param(value_type = Option<Vec<KeyName>>, style = Form, explode = false, min_items = 1, example = json!(["lille-integration"]))]
    pub key: Option<String>,
    /// Only these actions, comma-separated: any of them.
    #[param(value_type = Option<Vec<Action>>, style = Form, explode = false, min_items = 1, example = json!(["update"]))]
    pub action: Option<String>,
    /// Only writes at or after this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-01T00:00:00Z")]
    pub from: Option<String>,
    /// Only writes at or before this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime, example = "2026-11-30T23:59:59Z")]
    pub to: Option<String>,
    /// Sort keys, comma-separated, `-` for descending; ties are broken by
    /// id. Default: id (the order of the writes).
    #[param(value_type = Option<Vec<AuditSort>>, style = Form, explode = false, min_items = 1, example = json!(["-at"]))]
    pub sort: Option<String>,
}

impl From<HistoryQuery> for AuditQuery {
    fn from(q: HistoryQuery) -> Self {
        AuditQuery {
            collection: None,
            record: None,
            key: q.key,
            action: q.action,
            from: q.from,
            to: q.to,
            sort: q.sort,
        }
    }
}

fn timestamp(parameter: &str, value: &str) -> Result<Bind, ApiError> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| Bind::Timestamp(t.naive_utc()))
        .map_err(|_| {
            ApiError::query(
                parameter,
                "must be an RFC 3339 time such as 2026-11-26T09:30:00Z",
            )
        })
}

impl AuditQuery {
    /// The SQL listing these parameters ask for, at `page`; `record` pins
    /// one record's history.
    pub fn listing(
        self,
        page: &PageRequest,
        record: Option<(Collection, i32)>,
        dialect: Dialect,
    ) -> Result<Listing, ApiError> {
        let mut filters = Filters::new(dialect);
        if let Some(collections) = &self.collection {
            filters.any_of(
                "t.collection",
                params::enum_values::<Collection>("collection", collections)?,
            );
        }
        if let Some(id) = self.record {
            if id < 1 {
                return Err(ApiError::query("record", "must be an id, 1 or more"));
            }
            filters.add(Clause::new("t.record_id = ?", vec![Bind::Int(id.into())]));
        }
        if let Some((collection, id)) = record {
            // One record's life: from its own create on. Ids are never
            // reused now, but a database from before that rule may hold
            // the trail of an earlier record that had the same id.
            let (collection, id) = (Bind::Text(collection.as_str().into()), Bind::Int(id.into()));
            filters.add(Clause::new(
                "t.collection = ? AND t.record_id = ? AND t.id >= coalesce((SELECT max(a.id) \
                 FROM audit_log a WHERE a.collection = ? AND a.record_id = ? AND a.action = 'create'), 0)",
                vec![collection.clone(), id.clone(), collection, id],
            ));
        }
        if let Some(keys) = &self.key {
            let names = params::list_values("key", keys)?;
            // No key's name holds a NUL (PostgreSQL could not even compare
            // one): such a name matches nothing.
            let names: Vec<Bind> = names
                .into_iter()
                .filter(|n| !n.contains('\0'))
                .map(|n| Bind::Text(n.into()))
                .collect();
            if names.is_empty() {
                filters.add(Clause::new("1 = 0", Vec::new()));
            } else {
                filters.any_of("t.key_name", names);
            }
        }
        if let Some(actions) = &self.action {
            filters.any_of(
                "t.action",
                params::enum_values::<Action>("action", actions)?,
            );
        }
        if let Some(from) = &self.from {
            filters.add(Clause::new("t.at >= ?", vec![timestamp("from", from)?]));
        }
        if let Some(to) = &self.to {
            filters.add(Clause::new("t.at <= ?", vec![timestamp("to", to)?]));
        }
        let sort = Sort::parse(self.sort.as_deref(), AUDIT_SORT, None, dialect)?;
        Listing::new(filters, sort, page.limit, page.cursor.as_deref())
    }
}

/// Spec-only: an item of the `key` filter, a key's name as sent (no comma:
/// commas separate the items).
pub struct KeyName;

impl utoipa::PartialSchema for KeyName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("The name a key was made with."))
            .pattern(Some("^[^,]+$"))
            .into()
    }
}

impl utoipa::ToSchema for KeyName {}
