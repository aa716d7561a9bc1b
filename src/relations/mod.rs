//! What recommendations and events share about their links to partners and
//! thematic areas: the `{id, slug, name}` summaries shown in reads, loading
//! them for a whole page at once, checking the ids a write names, and the
//! list of what still refers to a partner or thematic area.

use std::borrow::Cow;
use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Conn;
use crate::schema::partners;
use crate::tabular::Cell;

mod checks;
mod guards;
mod links;
mod lookup;

pub use checks::{Related, check_ids, id_list};
pub use guards::{ensure_partner_unreferenced, ensure_thematic_area_unreferenced};
pub use links::{LinkTables, Linked};
pub use lookup::{parent_id, resolve};
/// Most ids one relation field takes.
pub const MAX_IDS: usize = 500;

/// A related record in brief.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "slug": "lille-metropole", "name": "Lille Métropole"}))]
pub struct Summary {
    pub id: i32,
    pub slug: String,
    pub name: String,
}

/// Filters `query` to rows whose `column` is one of `ids`. One id is
/// written `column = ?`, a statement SQLite prepares once per connection
/// and reuses; several are `column IN (?, ...)`, which Diesel never caches
/// (its text changes with the number of ids). A record read by id, the
/// commonest read, so prepares nothing for its relations.
pub fn owned_by<'a, Q, C>(query: Q, column: C, ids: &'a [i32]) -> Q
where
    C: Expression<SqlType = diesel::sql_types::Integer> + ExpressionMethods,
    Q: diesel::query_dsl::methods::FilterDsl<diesel::dsl::Eq<C, i32>, Output = Q>
        + diesel::query_dsl::methods::FilterDsl<diesel::dsl::EqAny<C, &'a [i32]>, Output = Q>,
{
    match ids {
        [id] => query.filter(column.eq(*id)),
        _ => query.filter(column.eq_any(ids)),
    }
}

/// What the records with ids `$ids` link to through the link table
/// `$link`: its `$owner` column names the record, its `$other` a row of
/// `$target`. Summaries grouped by record, each group in `$other` order;
/// one query, however many ids (see [`owned_by`]: prepared once per
/// connection for a single id). A macro: each link table is a Diesel type
/// of its own, and the query stays typed.
#[macro_export]
macro_rules! linked_summaries {
    ($conn:expr, $ids:expr, $link:ident ($owner:ident, $other:ident) => $target:ident) => {{
        use diesel::prelude::*;
        $crate::relations::owned_by(
            $link::table
                .inner_join($target::table)
                .select(($link::$owner, ($target::id, $target::slug, $target::name)))
                .order(($link::$owner, $link::$other))
                .into_boxed(),
            $link::$owner,
            $ids,
        )
        .load::<(i32, $crate::relations::Summary)>($conn)
        .map($crate::relations::group)
    }};
}

/// Groups `(owner id, summary)` rows by owner, keeping their order.
pub fn group(rows: Vec<(i32, Summary)>) -> HashMap<i32, Vec<Summary>> {
    let mut grouped: HashMap<i32, Vec<Summary>> = HashMap::new();
    for (owner, summary) in rows {
        grouped.entry(owner).or_default().push(summary);
    }
    grouped
}

/// A place, `[longitude, latitude]` (WGS 84).
pub type Point = [f64; 2];

/// Summaries of the partners with these ids, by id, each with its place
/// (`[longitude, latitude]`) when known.
pub fn partner_summaries(
    conn: &mut Conn,
    ids: &[i32],
) -> QueryResult<HashMap<i32, (Summary, Option<Point>)>> {
    let query = partners::table
        .select((
            (partners::id, partners::slug, partners::name),
            partners::longitude,
            partners::latitude,
        ))
        .into_boxed();
    let rows: Vec<(Summary, Option<f64>, Option<f64>)> =
        owned_by(query, partners::id, ids).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(s, lon, lat)| (s.id, (s, lon.zip(lat).map(|(lon, lat)| [lon, lat]))))
        .collect())
}

/// Turns a record's shown relation (`"partners": [{id, ...}]` or
/// `"host_partner": {id, ...}`) into its written form (`"partner_ids": [1]`
/// or `"host_partner_id": 1`), for the base of a merge patch.
pub fn relation_ids(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    shown: &str,
    written: &str,
) {
    use serde_json::Value;
    let id_of = |v: &Value| v.get("id").cloned().unwrap_or(Value::Null);
    match fields.remove(shown) {
        Some(Value::Array(items)) => {
            fields.insert(
                written.into(),
                Value::Array(items.iter().map(id_of).collect()),
            );
        }
        Some(item @ Value::Object(_)) => {
            fields.insert(written.into(), id_of(&item));
        }
        _ => {}
    }
}

/// Relation cells of a CSV row: the slugs, joined by `;`.
pub fn slugs(related: &[Summary]) -> String {
    let slugs: Vec<&str> = related.iter().map(|s| s.slug.as_str()).collect();
    slugs.join(";")
}

/// A relation as one CSV cell: the related record's slug.
impl Cell for Summary {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.slug)
    }
}

/// Several related records as one CSV cell: their slugs, `;`-joined.
impl Cell for Vec<Summary> {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Owned(slugs(self))
    }
}

/// The ids of summaries.
pub fn ids(related: &[Summary]) -> Vec<i32> {
    related.iter().map(|s| s.id).collect()
}

/// Spec-only: a record's id as the relation fields of a write take it. Any
/// other number is "not an id" (422); one that names no record is a 422 too.
pub struct RecordId;

impl utoipa::PartialSchema for RecordId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .description(Some("The id of an existing record."))
            .minimum(Some(1))
            .maximum(Some(i32::MAX))
            .into()
    }
}

impl utoipa::ToSchema for RecordId {}

pub use crate::http::IdOrSlug;
