//! List SQL as text and bound values: every client value is bound as a
//! parameter, and the text is assembled only from the static field tables.

use chrono::NaiveDateTime;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Double, Text, Timestamp};
use diesel::sqlite::Sqlite;

/// A value bound into list SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Real(f64),
    Text(String),
    Timestamp(NaiveDateTime),
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
/// search, if any.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    clauses: Vec<Clause>,
    pub(super) search: Option<Search>,
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
    pub(super) fn sql_from(
        &self,
        table: &str,
        matching: Option<&str>,
        extra: Option<&Clause>,
    ) -> Clause {
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
