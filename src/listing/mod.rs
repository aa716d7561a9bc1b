//! Lists as SQL: filters, multi-key sort and the keyset cursor, with every
//! client value bound as a parameter.
//!
//! Sorting on any documented field, in either direction, with a cursor that
//! stays exact while rows are added, needs a `WHERE` clause built from the
//! sort keys at run time. Diesel's typed DSL cannot fold a run-time list of
//! differently typed keys into one expression without a tower of boxing, so
//! lists are plain SQL here, assembled only from the static field tables
//! below and bound values; single-row reads and writes stay in the DSL.

mod beside;
mod cursor;
mod facets;
mod read;
mod search;
mod sort;
mod sql;

use cursor::Number;
pub use facets::{Facet, FacetField, FacetValue, Facets, PairCount, Source};
pub use read::{BATCH, Fetch, Fetched, Read};
pub use search::{Matching, Search};
pub use sort::{Kind, Sort, SortField, SortKey};
pub use sql::{Bind, Clause, Filters, Listed, bound, by_position, load, unindexed};

use diesel::prelude::*;
use serde::Serialize;

use crate::auth::Drafts;
use crate::db::Conn;
use crate::db::Counts;
use crate::error::ApiError;

/// The spec's description of `facets=` on the list routes.
pub const FACETS_PARAMETER: &str = "Count the matching rows per value of these fields (one or two, \
comma-separated) and, for two, per pair of values: `meta.facets` of a JSON page. The counts \
cover every matching row, not only the page's. A field named twice counts once.";

/// What a list shows beyond its parameters: the parent of a nested list
/// (`/partners/{id}/events`), and the drafts the caller sees. A collection
/// with neither parents nor drafts leaves it aside.
#[derive(Debug, Default, Clone, Copy)]
pub struct ListScope {
    pub partner: Option<i32>,
    pub thematic_area: Option<i32>,
    pub drafts: Drafts,
}

/// What a list asks of the database.
#[derive(Debug, Clone)]
pub struct Listing {
    pub filters: Filters,
    pub sort: Sort,
    /// Start after this position (a decoded cursor).
    pub after: Option<Vec<Option<Bind>>>,
    pub limit: i64,
    /// Whether to count the filtered total (bulk exports need not).
    pub count: bool,
    /// Totals counted before, to reuse while no write has happened.
    pub counts: Option<Counts>,
    /// The fields whose values to count (`facets=`), none by default.
    pub facets: Vec<&'static FacetField>,
}

impl Listing {
    /// A listing of pages of `limit` rows, starting at `cursor`.
    pub fn new(
        filters: Filters,
        sort: Sort,
        limit: i64,
        cursor: Option<&str>,
    ) -> Result<Self, ApiError> {
        let after = cursor.map(|c| sort.decode(c)).transpose()?;
        Ok(Listing {
            filters,
            sort,
            after,
            limit,
            count: true,
            counts: None,
            facets: Vec::new(),
        })
    }

    /// This listing with the facets `param` names among `fields` counted.
    pub fn with_facets(
        mut self,
        param: Option<&str>,
        fields: &'static [FacetField],
    ) -> Result<Self, ApiError> {
        self.facets = facets::parse(param, fields)?;
        Ok(self)
    }
}

impl Listing {
    /// Loads up to `limit + 1` rows of `table` (the extra one only tells
    /// whether a next page exists).
    pub fn rows<T: Listed>(&self, conn: &mut Conn, table: &str) -> QueryResult<Vec<T>> {
        self.rows_of(conn, table, T::COLUMNS)
    }

    /// As [`Listing::rows`], reading `columns` into `T`, whatever `T` is
    /// (a stored line, `crate::lines::Stored`).
    pub fn rows_of<T>(&self, conn: &mut Conn, table: &str, columns: &str) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
    {
        let tiered = self.sort.0.first().is_some_and(|k| k.tier_0.is_some());
        if !(self.filters.search.is_some() && tiered) {
            return load(conn, &self.rows_sql_matching(table, columns, Matching::All));
        }
        // Relevance tiers are read one at a time, each in id order straight
        // from the index: the title matches, then the others. Ordering every
        // match by its tier would mean collecting and sorting all of them for
        // every page.
        let start = match &self.after {
            Some(position) if position.first() == Some(&Some(Bind::Int(1))) => 1,
            _ => 0,
        };
        let mut rows = Vec::new();
        for tier in start..=1 {
            let matching = if tier == 0 {
                Matching::Title
            } else {
                Matching::NotTitle
            };
            let part = Listing {
                filters: self.filters.clone(),
                sort: Sort(self.sort.0[1..].to_vec()),
                after: self
                    .after
                    .as_ref()
                    .filter(|_| tier == start)
                    .map(|p| p[1..].to_vec()),
                limit: self.limit - rows.len() as i64,
                count: false,
                counts: None,
                facets: Vec::new(),
            };
            let sql = part.rows_sql_matching(table, columns, matching);
            rows.extend(load::<T>(conn, &sql)?);
            if rows.len() as i64 > self.limit {
                break;
            }
        }
        Ok(rows)
    }

    /// The SQL of [`Listing::rows`] reading every column (`t.*`), for
    /// EXPLAIN QUERY PLAN in tests: a row's own columns are all of them,
    /// so its plan is the same.
    pub fn rows_sql(&self, table: &str) -> Clause {
        self.rows_sql_matching(table, "t.*", Matching::All)
    }

    fn rows_sql_matching(&self, table: &str, columns: &str, matching: Matching) -> Clause {
        // Read through a search, id order is the index's own id order:
        // said so, the planner walks the index from the cursor and stops.
        let sort = match &self.filters.search {
            Some(search) => self.sort.id_as(search.id_column()),
            None => self.sort.clone(),
        };
        let keyset = self.after.as_ref().map(|position| sort.after(position));
        let mut query = Clause::new(format!("SELECT {columns} "), Vec::new());
        query.push(&self.filters.sql_from(table, matching, keyset.as_ref()));
        query.push_sql(" ORDER BY ");
        query.push(&sort.order_by());
        query.push_sql(&format!(" LIMIT {}", self.limit + 1));
        query
    }

    /// How many rows of `table` pass the filters.
    fn total(&self, conn: &mut Conn, table: &str) -> QueryResult<i64> {
        let mut query = Clause::new("SELECT count(*) AS n ", Vec::new());
        query.push(&self.filters.sql_from(table, Matching::All, None));
        let dialect = conn.dialect();
        let count = |conn: &mut Conn| Ok(bound(&query, dialect).get_result::<Number>(conn)?.n);
        match self.counts(conn)? {
            Some(counts) => {
                counts.get_or(format!("{}{:?}", query.sql, query.binds), || count(conn))
            }
            None => count(conn),
        }
    }

    /// The count cache as of this transaction's snapshot, if counts are
    /// cached: on PostgreSQL, under the write generation every instance
    /// shares (read in the same snapshot as the rows it will count).
    fn counts(&self, conn: &mut Conn) -> QueryResult<Option<Counts>> {
        let Some(counts) = &self.counts else {
            return Ok(None);
        };
        if counts.read_in_snapshot() {
            return Ok(Some(counts.clone()));
        }
        Ok(Some(match crate::db::shared_generation(conn)? {
            Some(generation) => counts.at(generation),
            None => counts.clone(),
        }))
    }

    /// This listing with its count cache as of the current snapshot
    /// (`Listing::counts`), for the queries of one page or batch to share:
    /// on PostgreSQL the generation is then read once, not by each of them
    /// (the relations' summaries, the total, the facets). For use inside
    /// that snapshot only.
    pub fn in_snapshot(&self, conn: &mut Conn) -> QueryResult<Listing> {
        Ok(Listing {
            counts: self.counts(conn)?,
            ..self.clone()
        })
    }

    /// Trims `rows` (as loaded by [`Listing::rows`]) to the page, counts
    /// the total, and makes the next cursor from the last row's JSON (a
    /// sort key the row does not show by name is read back from the
    /// database).
    pub fn finish<T: Serialize>(
        &self,
        conn: &mut Conn,
        table: &str,
        mut rows: Vec<T>,
    ) -> QueryResult<Fetched<T>> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let total = if self.count {
            self.total(conn, table)?
        } else {
            0
        };
        let next_cursor = match rows.last() {
            Some(last) if more => {
                let shown = serde_json::to_value(last)
                    .map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
                Some(self.sort.encode(conn, table, &shown)?)
            }
            _ => None,
        };
        let facets = self.facet_counts(conn, table)?;
        Ok(Fetched {
            rows,
            total,
            next_cursor,
            facets,
        })
    }
}

/// Declares a collection's sortable fields: the table `$fields` that
/// `Sort::parse` reads, and the spec type `$schema` that lists every
/// accepted `sort` item (`name`, `-name`, ...), so the two cannot drift.
/// `record ...`: a resource's, which sorts by `slug` first and by its two
/// timestamps last, as every record has them.
#[macro_export]
macro_rules! sort_fields {
    (record $schema:ident, $fields:ident: [$($field:tt),+ $(,)?]) => {
        $crate::sort_fields!($schema, $fields: [
            ("slug", "t.slug", Text, false),
            $($field,)+
            ("created_at", "t.created_at", Timestamp, false),
            ("updated_at", "t.updated_at", Timestamp, false),
        ]);
    };
    ($schema:ident, $fields:ident: [$(($name:literal, $sql:literal, $kind:ident, $nullable:literal)),+ $(,)?]) => {
        /// The fields this list sorts on.
        pub const $fields: &[$crate::listing::SortField] = &[
            $($crate::listing::SortField::new($name, $sql, $crate::listing::Kind::$kind, $nullable)),+
        ];

        /// Spec-only: one `sort` item: a field, or `-field` for descending.
        pub struct $schema;

        impl utoipa::PartialSchema for $schema {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::listing::sort_schema($fields)
            }
        }

        impl utoipa::ToSchema for $schema {}
    };
}

/// The schema of one `sort` item over `fields` (and `id`).
pub fn sort_schema(
    fields: &[SortField],
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let names = fields.iter().map(|f| f.name).chain(["id"]);
    let values: Vec<String> = names
        .flat_map(|n| [n.to_string(), format!("-{n}")])
        .collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .into()
}
