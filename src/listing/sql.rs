//! List SQL as text and bound values: every client value is bound as a
//! parameter, and the text is assembled only from the static field tables.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Date, Double, Text, Timestamp};

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::search::{Matching, Search};
use crate::db::{Conn, Dialect, MultiBackend};

/// A value bound into list SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Real(f64),
    Text(String),
    Timestamp(NaiveDateTime),
    Date(NaiveDate),
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

    pub(super) fn push(&mut self, other: &Clause) {
        self.sql.push_str(&other.sql);
        self.binds.extend(other.binds.iter().cloned());
    }

    pub(super) fn push_sql(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }
}

/// The `WHERE` conditions of a list, joined by `AND`, and its full-text
/// search, if any, in one store's SQL.
#[derive(Debug, Clone)]
pub struct Filters {
    dialect: Dialect,
    clauses: Vec<Clause>,
    pub(super) search: Option<Search>,
}

impl Filters {
    /// No filter yet, for SQL in `dialect`.
    pub fn new(dialect: Dialect) -> Self {
        Filters {
            dialect,
            clauses: Vec::new(),
            search: None,
        }
    }

    /// The store these filters are written for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn add(&mut self, clause: Clause) {
        self.clauses.push(clause);
    }

    /// Whether nothing is filtered nor searched: every row is listed.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.search.is_none()
    }

    /// Reads the list through a full-text search.
    pub fn search(&mut self, search: Search) {
        self.search = Some(search);
    }

    /// `sql IN (?, ...)`: "any of" the values. Columns with a handful of
    /// values (status, level, kind, role) are given as `+t.column` (see
    /// [`unindexed`]).
    pub fn any_of(&mut self, sql: &str, values: Vec<Bind>) {
        let sql = unindexed(self.dialect, sql);
        let marks = vec!["?"; values.len()].join(", ");
        self.add(Clause::new(format!("{sql} IN ({marks})"), values));
    }

    /// `FROM ... WHERE` of `table` (aliased `t`) with these filters and
    /// `extra`; a search reads the index's `matching` matches.
    pub(super) fn sql_from(
        &self,
        table: &str,
        matching: Matching,
        extra: Option<&Clause>,
    ) -> Clause {
        let mut from = match &self.search {
            Some(search) => search.from(matching),
            None => Clause::new(format!("FROM {table} t WHERE "), Vec::new()),
        };
        from.push(&self.to_clause(extra));
        from
    }

    pub(super) fn to_clause(&self, extra: Option<&Clause>) -> Clause {
        let mut all = Clause::new("1 = 1", Vec::new());
        for clause in self.clauses.iter().chain(extra) {
            all.push_sql(" AND (");
            all.push(clause);
            all.push_sql(")");
        }
        all
    }
}

/// `sql` as written for SQLite, where a column with a handful of values
/// (status, level, kind, role) is given as `+t.column`: the unary plus
/// keeps SQLite's planner off its index, which would find most of the
/// table and then sort it, and on the index that serves the sort order.
/// PostgreSQL weighs such indexes by its statistics, and has no unary plus
/// for text: there the plus goes.
pub fn unindexed(dialect: Dialect, sql: &str) -> &str {
    match dialect {
        Dialect::Sqlite => sql,
        Dialect::Postgres => sql.strip_prefix('+').unwrap_or(sql),
    }
}

/// `$sql` as a boxed query for `$backend`, with `$binds` bound in order.
macro_rules! boxed {
    ($backend:ty, $sql:expr, $binds:expr) => {{
        let mut query = diesel::sql_query($sql).into_boxed::<$backend>();
        for bind in $binds {
            query = match bind.clone() {
                Bind::Int(v) => query.bind::<BigInt, _>(v),
                Bind::Real(v) => query.bind::<Double, _>(v),
                Bind::Text(v) => query.bind::<Text, _>(v),
                Bind::Timestamp(v) => query.bind::<Timestamp, _>(v),
                Bind::Date(v) => query.bind::<Date, _>(v),
            };
        }
        query
    }};
}

/// The query `clause` says in `dialect`: its `?`s are PostgreSQL's `$1`,
/// `$2`, ... there (the text holds no `?` but its placeholders: every
/// client value is bound).
pub fn bound(clause: &Clause, dialect: Dialect) -> BoxedSqlQuery<'static, MultiBackend, SqlQuery> {
    let sql = match dialect {
        Dialect::Sqlite => clause.sql.clone(),
        Dialect::Postgres => numbered(&clause.sql),
    };
    boxed!(MultiBackend, sql, &clause.binds)
}

/// The rows `clause` selects, read on the store's own connection: the
/// pages of every list, where going through Diesel's multi-connection
/// (each bound value and each column boxed once more) cost SQLite's lists
/// 4.7% more server CPU per request (bench/ab, docs/benchmarks.md).
pub fn load<T>(conn: &mut Conn, clause: &Clause) -> QueryResult<Vec<T>>
where
    T: QueryableByName<Sqlite> + QueryableByName<Pg> + 'static,
{
    match conn {
        Conn::Sqlite(c) => boxed!(Sqlite, clause.sql.clone(), &clause.binds).load(c),
        Conn::Pg(c) => boxed!(Pg, numbered(&clause.sql), &clause.binds).load(c),
    }
}

/// A row that lists read by position: [`Listed::COLUMNS`] names its
/// columns, in the order its `Queryable` reads them. Read by name (Diesel's
/// `QueryableByName` derive), each column of each row was looked up among
/// the statement's names: a tenth of a CSV export's reading.
pub trait Listed:
    diesel::QueryableByName<diesel::sqlite::Sqlite> + diesel::QueryableByName<diesel::pg::Pg> + 'static
{
    /// `t.id, t.slug, ...`: the columns of the row's table (aliased `t`).
    const COLUMNS: &'static str;
}

/// Reads `T` from the columns of `row` in order, as its `Queryable` does
/// from a typed select: what a `QueryableByName` of a [`Listed`] row does.
pub fn by_position<'a, T, DB>(row: &impl diesel::row::Row<'a, DB>) -> diesel::deserialize::Result<T>
where
    DB: diesel::backend::Backend,
    T: diesel::Selectable<DB>
        + diesel::Queryable<
            diesel::dsl::SqlTypeOf<<T as diesel::Selectable<DB>>::SelectExpression>,
            DB,
        >,
{
    use diesel::deserialize::FromStaticSqlRow;
    type Values<T, DB> = <T as diesel::Queryable<
        diesel::dsl::SqlTypeOf<<T as diesel::Selectable<DB>>::SelectExpression>,
        DB,
    >>::Row;
    let values = <Values<T, DB> as FromStaticSqlRow<_, DB>>::build_from_row(row)?;
    T::build(values)
}

/// `sql` with its `?`s numbered `$1`, `$2`, ...
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    for (n, part) in sql.split('?').enumerate() {
        if n > 0 {
            out.push_str(&format!("${n}"));
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_in_order() {
        assert_eq!(
            super::numbered("a = ? AND b IN (?, ?)"),
            "a = $1 AND b IN ($2, $3)"
        );
        assert_eq!(super::numbered("no binds"), "no binds");
        assert_eq!(super::numbered("?"), "$1");
    }
}
