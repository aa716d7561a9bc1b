//! One connection type over both stores: SQLite (the embedded default) and
//! PostgreSQL (several instances on one database). Diesel's typed queries
//! run on either unchanged; the list SQL, written as text, asks
//! [`Conn::dialect`] where the two differ.

use diesel::pg::PgConnection;
use diesel::prelude::*;

/// A connection to either store. Built by [`super::connect_and_migrate`],
/// which picks the variant from the URL (never by trying one and then the
/// other: SQLite would take a `postgres://` URL as a file name).
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Where the two stores' SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Conn {
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Pg(_) => Dialect::Postgres,
            Conn::Sqlite(_) => Dialect::Sqlite,
        }
    }
}

/// Which store a `DATABASE_URL` names: `postgres://` or `postgresql://`
/// is PostgreSQL, anything else a SQLite file (with or without
/// `sqlite://`).
pub fn dialect_of(url: &str) -> Dialect {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Dialect::Postgres
    } else {
        Dialect::Sqlite
    }
}

/// Runs `$body` with `$c` bound to the store's own connection, for the few
/// queries Diesel builds for one store at a time (multi-row inserts), and
/// for reads too many to afford the multi-connection's boxing of every
/// value read (the link rows of a list or an export batch).
#[macro_export]
macro_rules! on_store {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Pg($c) => $body,
        }
    };
}
