//! Facets: how many of a list's rows carry each value of a field, under the
//! list's own filters and search (`facets=target_level`), and with two
//! fields how many carry each pair of values (the explorer's theme x level
//! matrix in one request). Counted exactly, in SQL, and cached like totals.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Clause, Listing, Matching, bound};
use crate::db::Conn;
use crate::db::Dialect;
use crate::error::ApiError;

/// Fields a request may facet by at once.
pub const MAX_FACETS: usize = 2;

/// Where a facet's values come from.
#[derive(Debug)]
pub enum Source {
    /// An expression over the row `t`: the value is its own label.
    Column(&'static str),
    /// The year of a date column of `t`, as text.
    Year(&'static str),
    /// A query of `(id, value, label)` rows: the related records of each
    /// row (a record with three thematic areas counts under each).
    Related(&'static str),
}

/// A field a list may be faceted by.
#[derive(Debug)]
pub struct FacetField {
    pub name: &'static str,
    pub source: Source,
}

/// The counts asked for with `facets`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    /// One entry per field asked for, in the order asked.
    pub fields: Vec<Facet>,
    /// With two fields: the rows counted under each pair of values (first
    /// field's value, second field's value), pairs with no row left out.
    /// Empty with one field.
    pub pairs: Vec<PairCount>,
}

/// The counts of one field's values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facet {
    /// The field, as named in `facets`.
    #[schema(example = "target_level")]
    pub field: String,
    /// Each value present among the matching rows, most rows first (ties
    /// by value); values with no row are left out, and so are rows without
    /// a value.
    pub values: Vec<FacetValue>,
}

/// One value of a field and how many matching rows carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The value as the list's filter takes it: a slug for a related
    /// record, else the field's own value.
    #[schema(example = "governance")]
    pub value: String,
    /// What to show: a related record's name, else the value.
    #[schema(example = "Governance")]
    pub label: String,
    #[schema(example = 3)]
    pub count: i64,
}

/// How many matching rows carry one pair of values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairCount {
    /// The first field's value and the second's.
    #[schema(example = json!(["governance", "local"]), min_items = 2, max_items = 2)]
    pub values: Vec<String>,
    #[schema(example = 2)]
    pub count: i64,
}

/// The fields `param` names (comma-separated, at most [`MAX_FACETS`]),
/// each once; a 400 naming what is not one of `fields`.
pub fn parse(
    param: Option<&str>,
    fields: &'static [FacetField],
) -> Result<Vec<&'static FacetField>, ApiError> {
    let Some(param) = param else {
        return Ok(Vec::new());
    };
    if param.split(',').count() > MAX_FACETS {
        return Err(ApiError::query(
            "facets",
            format!("at most {MAX_FACETS} fields at once"),
        ));
    }
    let mut chosen: Vec<&'static FacetField> = Vec::new();
    for name in param.split(',') {
        let field = fields.iter().find(|f| f.name == name).ok_or_else(|| {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            ApiError::query(
                "facets",
                format!("'{name}' is not a facet; use {}", names.join(", ")),
            )
        })?;
        // A field named twice counts once, as a sort key named twice sorts once.
        if !chosen.iter().any(|f| f.name == name) {
            chosen.push(field);
        }
    }
    Ok(chosen)
}

/// One row of a facet query: one or two values, the first one's label, the
/// count.
#[derive(Clone, QueryableByName)]
struct Counted {
    #[diesel(sql_type = Text)]
    v0: String,
    #[diesel(sql_type = Text)]
    l0: String,
    #[diesel(sql_type = Nullable<Text>)]
    v1: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Listing {
    /// The counts of the facets asked for over the filtered rows of
    /// `table`; `None` when none were asked for.
    pub(super) fn facet_counts(&self, conn: &mut Conn, table: &str) -> QueryResult<Option<Facets>> {
        if self.facets.is_empty() {
            return Ok(None);
        }
        let mut fields = Vec::new();
        for field in &self.facets {
            let rows = self.grouped(conn, table, &[field])?;
            let mut values: Vec<FacetValue> = rows
                .into_iter()
                .map(|r| FacetValue {
                    value: r.v0,
                    label: r.l0,
                    count: r.n,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            fields.push(Facet {
                field: field.name.to_string(),
                values,
            });
        }
        let mut pairs = Vec::new();
        if let [first, second] = self.facets[..] {
            let rows = self.grouped(conn, table, &[first, second])?;
            pairs = rows
                .into_iter()
                .map(|r| PairCount {
                    values: vec![r.v0, r.v1.unwrap_or_default()],
                    count: r.n,
                })
                .collect();
            pairs.sort_by(|a, b| a.values.cmp(&b.values));
        }
        Ok(Some(Facets { fields, pairs }))
    }

    /// The filtered rows of `table` grouped by the values of `fields`
    /// (one or two), counted; cached until the next write.
    fn grouped(
        &self,
        conn: &mut Conn,
        table: &str,
        fields: &[&FacetField],
    ) -> QueryResult<Vec<Counted>> {
        let dialect = conn.dialect();
        let query = grouped_sql(
            &self.filters.sql_from(table, Matching::All, None),
            fields,
            dialect,
        );
        let count = |conn: &mut Conn| {
            bound(&query, dialect)
                .load::<Counted>(conn)
                .map(std::sync::Arc::new)
        };
        let rows = match self.counts(conn)? {
            Some(counts) => {
                counts.get_or(format!("{}{:?}", query.sql, query.binds), || count(conn))?
            }
            None => count(conn)?,
        };
        Ok(rows.as_ref().clone())
    }
}

/// `SELECT v0, l0, v1, n`: the rows `from` selects (`FROM ... WHERE`
/// over `t`) grouped by the values of `fields`. Column facets are read in
/// the inner query; related ones are joined to it by id.
fn grouped_sql(from: &Clause, fields: &[&FacetField], dialect: Dialect) -> Clause {
    let mut inner = String::from("SELECT t.id AS id");
    let mut joins = String::new();
    let mut values = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        match field.source {
            Source::Column(expr) => {
                inner.push_str(&format!(", {expr} AS c{i}"));
                values.push((format!("m.c{i}"), format!("m.c{i}")));
            }
            Source::Year(column) => {
                let year = match dialect {
                    // SQLite holds a date as its text, `YYYY-MM-DD`.
                    Dialect::Sqlite => format!("substr({column}, 1, 4)"),
                    Dialect::Postgres => format!("to_char({column}, 'YYYY')"),
                };
                inner.push_str(&format!(", {year} AS c{i}"));
                values.push((format!("m.c{i}"), format!("m.c{i}")));
            }
            Source::Related(sql) => {
                joins.push_str(&format!(" JOIN ({sql}) r{i} ON r{i}.id = m.id"));
                values.push((format!("r{i}.value"), format!("r{i}.label")));
            }
        }
    }
    let (v0, l0) = &values[0];
    // Typed, so that PostgreSQL knows what the column is.
    let v1 = values
        .get(1)
        .map_or("CAST(NULL AS TEXT)", |(v, _)| v.as_str());
    let mut query = Clause::new(
        format!("SELECT {v0} AS v0, {l0} AS l0, {v1} AS v1, count(*) AS n FROM ({inner} "),
        Vec::new(),
    );
    query.push(from);
    query.push_sql(&format!(") m{joins} WHERE {v0} IS NOT NULL"));
    if fields.len() > 1 {
        query.push_sql(&format!(" AND {v1} IS NOT NULL"));
    }
    // Grouped by the columns only: PostgreSQL refuses a constant there.
    match values.get(1) {
        Some((v1, _)) => query.push_sql(&format!(" GROUP BY {v0}, {l0}, {v1}")),
        None => query.push_sql(&format!(" GROUP BY {v0}, {l0}")),
    }
    query
}

/// Declares a collection's facets: the table `$fields` that
/// `facets::parse` reads, and the spec type `$schema` that lists each name.
#[macro_export]
macro_rules! facet_fields {
    ($schema:ident, $fields:ident: [$(($name:literal, $source:ident($sql:expr))),+ $(,)?]) => {
        /// The fields this list may be faceted by.
        pub const $fields: &[$crate::listing::FacetField] = &[
            $($crate::listing::FacetField {
                name: $name,
                source: $crate::listing::Source::$source($sql),
            }),+
        ];

        /// Spec-only: one field a list may be faceted by.
        pub struct $schema;

        impl utoipa::PartialSchema for $schema {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([$($name),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $schema {}
    };
}
