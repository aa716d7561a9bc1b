//! Lists as SQL: filters, multi-key sort and the keyset cursor, with every
//! client value bound as a parameter.
//!
//! Sorting on any documented field, in either direction, with a cursor that
//! stays exact while rows are added, needs a `WHERE` clause built from the
//! sort keys at run time. Diesel's typed DSL cannot fold a run-time list of
//! differently typed keys into one expression without a tower of boxing, so
//! lists are plain SQL here, assembled only from the static field tables
//! below and bound values; single-row reads and writes stay in the DSL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Double, Text, Timestamp};
use diesel::sqlite::Sqlite;
use serde::Serialize;
use serde_json::{Value, json};

use crate::db::Counts;
use crate::error::{ApiError, FieldError};

/// A value bound into list SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Real(f64),
    Text(String),
    Timestamp(NaiveDateTime),
}

/// The SQL type of a sortable field, for reading cursor values back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Int,
    Real,
    Text,
    /// Shown as RFC 3339, stored as a Diesel `Timestamp`.
    Timestamp,
}

/// A field a list can be sorted on: its name in `sort` and in the JSON
/// representation, and its SQL over the table aliased `t`.
#[derive(Debug)]
pub struct SortField {
    pub name: &'static str,
    pub sql: &'static str,
    pub kind: Kind,
    /// Nullable fields sort their nulls last, in both directions.
    pub nullable: bool,
}

impl SortField {
    pub const fn new(name: &'static str, sql: &'static str, kind: Kind, nullable: bool) -> Self {
        SortField {
            name,
            sql,
            kind,
            nullable,
        }
    }
}

/// SQL text and the values bound into its `?`s, in order.
#[derive(Debug, Clone, Default)]
pub struct Clause {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl Clause {
    pub fn new(sql: impl Into<String>, binds: Vec<Bind>) -> Self {
        Clause {
            sql: sql.into(),
            binds,
        }
    }

    fn push(&mut self, other: &Clause) {
        self.sql.push_str(&other.sql);
        self.binds.extend(other.binds.iter().cloned());
    }

    fn push_sql(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }
}

/// The `WHERE` conditions of a list, joined by `AND`, and its full-text
/// search, if any.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    clauses: Vec<Clause>,
    search: Option<Search>,
}

/// A full-text search: the list is read from the index `fts`, joined to its
/// table, so that matches come out in id order and a page stops at its
/// end (a `t.id IN (matches)` filter would first collect every match).
#[derive(Debug, Clone)]
pub struct Search {
    pub fts: String,
    /// FTS5 query for every match.
    pub all: String,
    /// FTS5 query for the matches in the title column.
    pub title: String,
}

impl Filters {
    pub fn add(&mut self, clause: Clause) {
        self.clauses.push(clause);
    }

    /// Reads the list through a full-text search.
    pub fn search(&mut self, search: Search) {
        self.search = Some(search);
    }

    /// `sql IN (?, ...)`: "any of" the values. Columns with a handful of
    /// values (status, level, kind, role) are given as `+t.column`: the
    /// unary plus keeps the planner off their index, which would find most
    /// of the table and then sort it, and on the index that serves the
    /// sort order.
    pub fn any_of(&mut self, sql: &str, values: Vec<Bind>) {
        let marks = vec!["?"; values.len()].join(", ");
        self.add(Clause::new(format!("{sql} IN ({marks})"), values));
    }

    /// `FROM ... WHERE` of `table` (aliased `t`) with these filters and
    /// `extra`; a search reads the index matching `matching` (all matches
    /// when `None`).
    fn sql_from(&self, table: &str, matching: Option<&str>, extra: Option<&Clause>) -> Clause {
        // CROSS JOIN keeps the index as the outer loop (SQLite never
        // reorders it): matches are read in id order, each row probed once.
        let mut from = match &self.search {
            Some(search) => Clause::new(
                format!(
                    "FROM {fts} f CROSS JOIN {table} t ON t.id = f.rowid WHERE {fts} MATCH ? AND ",
                    fts = search.fts
                ),
                vec![Bind::Text(matching.unwrap_or(&search.all).to_string())],
            ),
            None => Clause::new(format!("FROM {table} t WHERE "), Vec::new()),
        };
        from.push(&self.to_clause(extra));
        from
    }

    fn to_clause(&self, extra: Option<&Clause>) -> Clause {
        let mut all = Clause::new("1 = 1", Vec::new());
        for clause in self.clauses.iter().chain(extra) {
            all.push_sql(" AND (");
            all.push(clause);
            all.push_sql(")");
        }
        all
    }
}

/// One key of a sort.
#[derive(Debug, Clone)]
pub struct Key {
    name: String,
    expr: Clause,
    kind: Kind,
    nullable: bool,
    desc: bool,
    /// For a two-tier key (0 where this condition holds, else 1): the
    /// condition, so that each tier can be read in order on its own.
    tier_0: Option<Clause>,
}

impl Key {
    /// A two-tier key: 0 for rows where `condition` holds, then 1 for the
    /// rest, such as search relevance (title matches first).
    pub fn tiers(name: &str, condition: Clause) -> Self {
        let mut expr = Clause::new("CASE WHEN ", Vec::new());
        expr.push(&condition);
        expr.push_sql(" THEN 0 ELSE 1 END");
        Key {
            name: name.into(),
            expr,
            kind: Kind::Int,
            nullable: false,
            desc: false,
            tier_0: Some(condition),
        }
    }
}

/// A checked sort: the keys asked for, then `id` to break ties.
#[derive(Debug, Clone)]
pub struct Sort(Vec<Key>);

const ID: SortField = SortField::new("id", "t.id", Kind::Int, false);

impl Sort {
    /// Parses `sort=name,-population`. Without one, `default` applies (the
    /// relevance key of a search, say), else id order.
    pub fn parse(
        param: Option<&str>,
        fields: &'static [SortField],
        default: Option<Key>,
    ) -> Result<Sort, ApiError> {
        let mut keys = Vec::new();
        match param {
            None => keys.extend(default),
            Some(spec) => {
                for part in spec.split(',') {
                    let (desc, name) = match part.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, part),
                    };
                    let field = fields.iter().chain([&ID]).find(|f| f.name == name).ok_or_else(|| {
                        let names: Vec<&str> = fields.iter().map(|f| f.name).chain(["id"]).collect();
                        bad("sort", format!("'{part}' is not a sort field; use {} (a leading - sorts descending)", names.join(", ")))
                    })?;
                    if keys.iter().any(|k: &Key| k.name == field.name) {
                        // A later key on the same field orders nothing the
                        // first has not: `name,-name` sorts as `name`.
                        continue;
                    }
                    keys.push(Key {
                        name: field.name.into(),
                        expr: Clause::new(field.sql, Vec::new()),
                        kind: field.kind,
                        nullable: field.nullable,
                        desc,
                        tier_0: None,
                    });
                }
            }
        }
        if !keys.iter().any(|k| k.name == "id") {
            // Ties go the way of the last key, so that an index on a column
            // (which holds its rows in id order) serves `-column` read
            // backwards, with no sort.
            let desc = keys.last().is_some_and(|k| k.desc);
            keys.push(Key {
                name: "id".into(),
                expr: Clause::new(ID.sql, Vec::new()),
                kind: Kind::Int,
                nullable: false,
                desc,
                tier_0: None,
            });
        }
        Ok(Sort(keys))
    }

    /// This sort with the tie-breaking id read from `expr`.
    fn id_as(&self, expr: &str) -> Sort {
        let keys = self.0.iter().map(|key| match key.name.as_str() {
            "id" => Key {
                expr: Clause::new(expr, Vec::new()),
                ..key.clone()
            },
            _ => key.clone(),
        });
        Sort(keys.collect())
    }

    /// What a cursor records of its sort, so it is refused under another.
    fn signature(&self) -> String {
        let keys: Vec<String> = self
            .0
            .iter()
            .map(|k| format!("{}{}", if k.desc { "-" } else { "" }, k.name))
            .collect();
        keys.join(",")
    }

    fn order_by(&self) -> Clause {
        let mut order = Clause::default();
        for (i, key) in self.0.iter().enumerate() {
            if i > 0 {
                order.push_sql(", ");
            }
            if key.nullable {
                order.push_sql("(");
                order.push(&key.expr);
                order.push_sql(") IS NULL, ");
            }
            order.push(&key.expr);
            order.push_sql(if key.desc { " DESC" } else { " ASC" });
        }
        order
    }

    /// Rows strictly after `position` in this order (nulls last).
    fn after(&self, position: &[Option<Bind>]) -> Clause {
        let mut any = Clause::default();
        for (i, key) in self.0.iter().enumerate() {
            let Some(value) = &position[i] else {
                // Nothing sorts after a null but its ties on later keys.
                continue;
            };
            if !any.sql.is_empty() {
                any.push_sql(" OR ");
            }
            any.push_sql("(");
            for (earlier, earlier_value) in self.0.iter().zip(position).take(i) {
                any.push_sql("(");
                any.push(&earlier.expr);
                match earlier_value {
                    Some(v) => any.push(&Clause::new(" = ?", vec![v.clone()])),
                    None => any.push_sql(" IS NULL"),
                }
                any.push_sql(") AND ");
            }
            any.push_sql("((");
            any.push(&key.expr);
            any.push(&Clause::new(
                if key.desc { " < ?" } else { " > ?" },
                vec![value.clone()],
            ));
            any.push_sql(")");
            if key.nullable {
                any.push_sql(" OR (");
                any.push(&key.expr);
                any.push_sql(") IS NULL");
            }
            any.push_sql("))");
        }
        if any.sql.is_empty() {
            return Clause::new("0", Vec::new());
        }
        // The same condition again, as a plain range on the first key, so
        // the planner starts its index walk at the cursor instead of at the
        // first row and filtering: a page a million rows deep then costs
        // what the first page costs.
        match (self.0.first(), position.first()) {
            (Some(first), Some(Some(value))) if !first.nullable => {
                let mut range = Clause::default();
                range.push_sql("(");
                range.push(&first.expr);
                range.push(&Clause::new(
                    if first.desc { " <= ?" } else { " >= ?" },
                    vec![value.clone()],
                ));
                range.push_sql(") AND (");
                range.push(&any);
                range.push_sql(")");
                range
            }
            _ => any,
        }
    }

    /// Reads a cursor handed out under this sort.
    pub fn decode(&self, cursor: &str) -> Result<Vec<Option<Bind>>, ApiError> {
        let forged = || {
            bad(
                "cursor",
                "is not a cursor this list gave out; use meta.next_cursor as given",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| forged())?;
        let payload: Value = serde_json::from_slice(&bytes).map_err(|_| forged())?;
        if payload["s"] != self.signature() {
            return Err(bad(
                "cursor",
                "was given out for another sort; start again without it",
            ));
        }
        let values = payload["v"].as_array().ok_or_else(forged)?;
        if values.len() != self.0.len() {
            return Err(forged());
        }
        self.0
            .iter()
            .zip(values)
            .map(|(key, value)| {
                match (value, key.kind) {
                    (Value::Null, _) if key.nullable => Some(None),
                    (v, Kind::Int) => v.as_i64().map(Bind::Int).map(Some),
                    (v, Kind::Real) => v.as_f64().map(Bind::Real).map(Some),
                    (Value::String(s), Kind::Text) => Some(Some(Bind::Text(s.clone()))),
                    (Value::String(s), Kind::Timestamp) => chrono::DateTime::parse_from_rfc3339(s)
                        .ok()
                        .map(|t| Some(Bind::Timestamp(t.naive_utc()))),
                    _ => None,
                }
                .ok_or_else(forged)
            })
            .collect()
    }

    /// The cursor of the page after `last`, from its JSON representation;
    /// computed keys are read back from the database.
    fn encode(
        &self,
        conn: &mut SqliteConnection,
        table: &str,
        last: &Value,
    ) -> QueryResult<String> {
        let mut values = Vec::with_capacity(self.0.len());
        for key in &self.0 {
            let value = match last.get(&key.name) {
                Some(value) => value.clone(),
                None => {
                    let mut query = Clause::new("SELECT ", Vec::new());
                    query.push(&key.expr);
                    query.push(&Clause::new(
                        format!(" AS n FROM {table} t WHERE t.id = ?"),
                        vec![Bind::Int(last["id"].as_i64().unwrap_or_default())],
                    ));
                    json!(bound(&query).get_result::<Number>(conn)?.n)
                }
            };
            values.push(value);
        }
        let payload = json!({"s": self.signature(), "v": values});
        Ok(URL_SAFE_NO_PAD.encode(payload.to_string()))
    }
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A 400 naming the query parameter at fault.
pub fn bad(parameter: &str, message: impl Into<String>) -> ApiError {
    ApiError::BadRequest(
        "Some query parameters are not valid.".into(),
        vec![FieldError::new(parameter, message)],
    )
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
        })
    }
}

/// One page of rows, the filtered total, and the next page's cursor.
#[derive(Debug)]
pub struct Listed<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub next_cursor: Option<String>,
}

pub fn bound(clause: &Clause) -> BoxedSqlQuery<'static, Sqlite, SqlQuery> {
    let mut query = diesel::sql_query(clause.sql.clone()).into_boxed::<Sqlite>();
    for bind in &clause.binds {
        query = match bind.clone() {
            Bind::Int(v) => query.bind::<BigInt, _>(v),
            Bind::Real(v) => query.bind::<Double, _>(v),
            Bind::Text(v) => query.bind::<Text, _>(v),
            Bind::Timestamp(v) => query.bind::<Timestamp, _>(v),
        };
    }
    query
}

impl Listing {
    /// Loads up to `limit + 1` rows of `table` (the extra one only tells
    /// whether a next page exists).
    pub fn rows<T>(&self, conn: &mut SqliteConnection, table: &str) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<Sqlite> + 'static,
    {
        let search = self.filters.search.as_ref();
        let tiered = self.sort.0.first().is_some_and(|k| k.tier_0.is_some());
        let (Some(search), true) = (search, tiered) else {
            return bound(&self.rows_sql(table)).load(conn);
        };
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
                search.title.clone()
            } else {
                format!("({}) NOT ({})", search.all, search.title)
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
            };
            rows.extend(bound(&part.rows_sql_matching(table, Some(&matching))).load::<T>(conn)?);
            if rows.len() as i64 > self.limit {
                break;
            }
        }
        Ok(rows)
    }

    /// The SQL of [`Listing::rows`], for EXPLAIN QUERY PLAN in tests.
    pub fn rows_sql(&self, table: &str) -> Clause {
        self.rows_sql_matching(table, None)
    }

    fn rows_sql_matching(&self, table: &str, matching: Option<&str>) -> Clause {
        // Read through a search, id order is the index's own rowid order:
        // said so, the planner walks the index from the cursor and stops.
        let sort = match self.filters.search {
            Some(_) => self.sort.id_as("f.rowid"),
            None => self.sort.clone(),
        };
        let keyset = self.after.as_ref().map(|position| sort.after(position));
        let mut query = Clause::new("SELECT t.* ", Vec::new());
        query.push(&self.filters.sql_from(table, matching, keyset.as_ref()));
        query.push_sql(" ORDER BY ");
        query.push(&sort.order_by());
        query.push_sql(&format!(" LIMIT {}", self.limit + 1));
        query
    }

    /// How many rows of `table` pass the filters.
    fn total(&self, conn: &mut SqliteConnection, table: &str) -> QueryResult<i64> {
        let mut query = Clause::new("SELECT count(*) AS n ", Vec::new());
        query.push(&self.filters.sql_from(table, None, None));
        let count = |conn: &mut SqliteConnection| Ok(bound(&query).get_result::<Number>(conn)?.n);
        match &self.counts {
            Some(counts) => {
                counts.get_or(format!("{}{:?}", query.sql, query.binds), || count(conn))
            }
            None => count(conn),
        }
    }

    /// Trims `rows` (as loaded by [`Listing::rows`], relations added) to
    /// the page, counts the total, and makes the next cursor from the last
    /// row shown.
    pub fn finish<T: Serialize>(
        &self,
        conn: &mut SqliteConnection,
        table: &str,
        mut rows: Vec<T>,
    ) -> QueryResult<Listed<T>> {
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
        Ok(Listed {
            rows,
            total,
            next_cursor,
        })
    }
}

/// Declares a collection's sortable fields: the table `$fields` that
/// `Sort::parse` reads, and the spec type `$schema` that lists every
/// accepted `sort` item (`name`, `-name`, ...), so the two cannot drift.
#[macro_export]
macro_rules! sort_fields {
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[SortField] = &[
        SortField::new("name", "t.name", Kind::Text, false),
        SortField::new("population", "t.population", Kind::Int, true),
    ];

    #[test]
    fn sort_parses_directions_and_always_ends_with_id() {
        let sort = Sort::parse(Some("-population,name"), FIELDS, None).unwrap();
        assert_eq!(sort.signature(), "-population,name,id");
        assert_eq!(Sort::parse(None, FIELDS, None).unwrap().signature(), "id");
        assert_eq!(
            Sort::parse(Some("-name"), FIELDS, None)
                .unwrap()
                .signature(),
            "-name,-id"
        );
        assert_eq!(
            Sort::parse(Some("-id"), FIELDS, None).unwrap().signature(),
            "-id"
        );
        // A repeated field adds nothing: the first says the order.
        assert_eq!(
            Sort::parse(Some("name,-name,population"), FIELDS, None)
                .unwrap()
                .signature(),
            "name,population,id"
        );
        for bad in ["colour", "", "name,", "--name", "-", "Name"] {
            assert!(Sort::parse(Some(bad), FIELDS, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn cursors_are_bound_to_their_sort_and_typed() {
        let sort = Sort::parse(Some("population"), FIELDS, None).unwrap();
        let good =
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": [null, 3]}).to_string());
        assert_eq!(sort.decode(&good).unwrap(), vec![None, Some(Bind::Int(3))]);
        let other_sort = URL_SAFE_NO_PAD.encode(json!({"s": "name,id", "v": ["a", 3]}).to_string());
        for forged in [
            other_sort,
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": ["x", 3]}).to_string()),
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": [1]}).to_string()),
            URL_SAFE_NO_PAD.encode(json!({"s": "population,id", "v": [1, null]}).to_string()),
            URL_SAFE_NO_PAD.encode("[3]"),
            "not base64!".to_string(),
            String::new(),
        ] {
            assert!(sort.decode(&forged).is_err(), "{forged}");
        }
    }
}
