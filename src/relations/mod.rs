//! What recommendations and events share about their links to partners and
//! thematic areas: the `{id, slug, name}` summaries shown in reads, loading
//! them for a whole page at once, checking the ids a write names, and the
//! list of what still refers to a partner or thematic area.

use diesel::prelude::*;

use crate::db::{Conn, Counts};

mod checks;
mod grouped;
mod guards;
mod known;
mod links;
mod lookup;
mod summary;

pub use checks::{Related, check_ids, id_list};
pub use grouped::{Grouped, Span};
pub use guards::{ensure_partner_unreferenced, ensure_thematic_area_unreferenced};
pub use known::{Found, Known, find_summaries};
pub use links::{LinkTables, Linked};
pub use lookup::{parent_id, resolve};
pub use summary::{Summary, ids, slugs};
/// Most ids one relation field takes.
pub const MAX_IDS: usize = 500;

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
/// `$target` (the [`Related`] collection `$related`), as [`Links`] to be
/// grouped by record, each group in `$other` order. With the count cache of a list
/// (`Some(counts)`), the link rows alone are read and the summaries come
/// from those known under its generation (`relations::known`); without (a single
/// record), one typed join, prepared once per connection for a single id
/// (see [`owned_by`]). A macro: each link table is a Diesel type of its
/// own, and the queries stay typed.
#[macro_export]
macro_rules! linked_summaries {
    ($conn:expr, $counts:expr, $ids:expr, $link:ident ($owner:ident, $other:ident) => $target:ident as $related:ident) => {{
        use diesel::prelude::*;
        match $counts {
            Some(counts) => {
                let span = $crate::relations::Span::of($ids);
                // On the store's own connection: through Diesel's
                // multi-connection, every value read is boxed once more
                // (a CSV export reads three link rows per event).
                $crate::on_store!(&mut *$conn, |c| {
                    let query = $link::table
                        .select(($link::$owner, $link::$other))
                        .order(($link::$owner, $link::$other))
                        .into_boxed();
                    match span.range() {
                        Some((low, high)) => query.filter($link::$owner.between(low, high)),
                        None => $crate::relations::owned_by(query, $link::$owner, $ids),
                    }
                    .load::<(i32, i32)>(c)
                })
                .and_then(|links| {
                    let related = $crate::relations::Related::$related;
                    $crate::relations::linked($conn, counts, related, span.keep(links))
                })
            }
            None => $crate::relations::owned_by(
                $link::table
                    .inner_join($target::table)
                    .select(($link::$owner, ($target::id, $target::slug, $target::name)))
                    .order(($link::$owner, $link::$other))
                    .into_boxed(),
                $link::$owner,
                $ids,
            )
            .load::<(i32, $crate::relations::Summary)>($conn)
            .map(|pairs| $crate::relations::Links::Grouped($crate::relations::Grouped::of(pairs))),
        }
    }};
}

/// Link rows `(owner, other)` with the summaries of `related` they name:
/// those known under the generation of `counts` and the others read.
pub fn linked(
    conn: &mut Conn,
    counts: &Counts,
    related: Related,
    links: Vec<(i32, i32)>,
) -> QueryResult<Links> {
    let mut others: Vec<i32> = links.iter().map(|(_, other)| *other).collect();
    others.sort_unstable();
    others.dedup();
    let found = known::find_summaries(conn, Some(counts), related, &others)?;
    Ok(Links::Read(links, found))
}

/// The links of a page's records to one relation, as read: grouped by
/// owner, each other record as its summary, by [`Links::grouped`], which
/// needs no database.
pub enum Links {
    /// Link rows `(owner, other)` in owner order, and the summaries they
    /// name.
    Read(Vec<(i32, i32)>, Found),
    /// Grouped as read (a single record's typed join).
    Grouped(Grouped),
}

impl Links {
    /// The summaries, grouped by owner; links to a record that no longer
    /// exists are left out.
    pub fn grouped(self) -> Grouped {
        match self {
            Links::Read(links, found) => found.with(|found| grouped::group_links(links, found)),
            Links::Grouped(grouped) => grouped,
        }
    }
}

/// A place, `[longitude, latitude]` (WGS 84).
pub type Point = [f64; 2];

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
