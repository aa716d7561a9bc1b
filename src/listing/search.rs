//! Full-text search in a list: which rows match a client's words, from
//! each store's own index, and which relevance tier a row is in.

use super::sql::{Bind, Clause};
use crate::db::Dialect;

/// A full-text search: the list is read from the table's search index,
/// joined to the table, so that matches come out in id order and a page
/// stops at its end (a `t.id IN (matches)` filter would first collect
/// every match). SQLite's index is an FTS5 table (`{table}_fts`), whose
/// `title_column` holds the title; PostgreSQL's a table of `tsvector`s
/// (`{table}_search`), the title's words weighted `A`.
#[derive(Debug, Clone)]
pub struct Search {
    pub dialect: Dialect,
    pub table: &'static str,
    pub title_column: &'static str,
    /// The words searched for, each a word or the start of one.
    pub words: Vec<String>,
}

/// Which of a search's matches to read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Matching {
    All,
    /// Those with every word in the title (the first relevance tier).
    Title,
    /// The others (the second).
    NotTitle,
}

impl Search {
    /// The FTS5 query of `matching` (SQLite).
    fn fts5(&self, matching: Matching) -> String {
        let all: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"*")).collect();
        let all = all.join(" ");
        let title = format!("{{{}}} : ({all})", self.title_column);
        match matching {
            Matching::All => all,
            Matching::Title => title,
            Matching::NotTitle => format!("({all}) NOT ({title})"),
        }
    }

    /// The condition on the index row `f` that `matching` asks for.
    fn condition(&self, matching: Matching) -> Clause {
        match self.dialect {
            Dialect::Sqlite => Clause::new(
                format!("{}_fts MATCH ?", self.table),
                vec![Bind::Text(self.fts5(matching))],
            ),
            Dialect::Postgres => {
                let words = || Bind::Text(self.words.join(" "));
                match matching {
                    Matching::All => Clause::new("f.doc @@ search_query(?, '')", vec![words()]),
                    Matching::Title => Clause::new("f.doc @@ search_query(?, 'A')", vec![words()]),
                    Matching::NotTitle => Clause::new(
                        "f.doc @@ search_query(?, '') AND NOT f.doc @@ search_query(?, 'A')",
                        vec![words(), words()],
                    ),
                }
            }
        }
    }

    /// `FROM` the index `f` joined to the table `t`, `WHERE` `matching`.
    pub(super) fn from(&self, matching: Matching) -> Clause {
        // CROSS JOIN keeps SQLite's index as the outer loop (SQLite never
        // reorders it): matches are read in id order, each row probed once.
        let table = self.table;
        let mut from = Clause::new(
            match self.dialect {
                Dialect::Sqlite => {
                    format!("FROM {table}_fts f CROSS JOIN {table} t ON t.id = f.rowid WHERE ")
                }
                Dialect::Postgres => {
                    format!("FROM {table}_search f JOIN {table} t ON t.id = f.id WHERE ")
                }
            },
            Vec::new(),
        );
        from.push(&self.condition(matching));
        from.push_sql(" AND ");
        from
    }

    /// The index's id column, in which order it holds its matches.
    pub(super) fn id_column(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "f.rowid",
            Dialect::Postgres => "f.id",
        }
    }

    /// Whether the row `t` has every word in its title: which relevance
    /// tier it is in (for its cursor). It probes that row alone rather
    /// than collecting every title match.
    pub fn in_title(&self) -> Clause {
        let table = self.table;
        let mut probe = Clause::new(
            match self.dialect {
                Dialect::Sqlite => {
                    format!("EXISTS (SELECT 1 FROM {table}_fts f WHERE f.rowid = t.id AND ")
                }
                Dialect::Postgres => {
                    format!("EXISTS (SELECT 1 FROM {table}_search f WHERE f.id = t.id AND ")
                }
            },
            Vec::new(),
        );
        probe.push(&self.condition(Matching::Title));
        probe.push_sql(")");
        probe
    }
}
