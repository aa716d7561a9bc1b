//! Pooled connections to either store, each logged and set up for its
//! role when the pool opens it.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool, R2D2Connection};

use super::{Conn, Dialect, postgres, sqlite};

pub(super) type ConnPool = Pool<Manager>;

/// Opens connections of the one store a URL names. Diesel's own manager
/// would try PostgreSQL first for every SQLite path.
#[derive(Debug)]
pub(super) struct Manager {
    url: String,
    dialect: Dialect,
    read_only: bool,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        let mut conn = match self.dialect {
            Dialect::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                if self.read_only {
                    sqlite::on_acquire_read(&mut conn).map_err(diesel::r2d2::Error::QueryError)?;
                }
                Conn::Sqlite(conn)
            }
            Dialect::Postgres => {
                let mut conn = PgConnection::establish(&self.url)
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                postgres::configure(&mut conn, self.read_only)
                    .map_err(diesel::r2d2::Error::QueryError)?;
                Conn::Pg(conn)
            }
        };
        conn.set_instrumentation(QueryLog::default());
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// A pool of `size` connections to `url`: query-only ones for reads, or
/// (PostgreSQL only) read-write ones for writes.
pub(super) fn pool(
    url: &str,
    dialect: Dialect,
    size: u32,
    read_only: bool,
) -> anyhow::Result<ConnPool> {
    let manager = Manager {
        url: url.to_string(),
        dialect,
        read_only,
    };
    Ok(Pool::builder()
        .max_size(size)
        // r2d2 would run `SELECT 1` on every checkout; a broken SQLite
        // connection shows itself on its first real query anyway, and a
        // broken PostgreSQL one is dropped when it returns (`has_broken`).
        .test_on_check_out(false)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?)
}

/// Logs every query at `trace` level, and at `warn` level any that takes
/// longer than `SLOW`: the first place to look when a route is slow.
#[derive(Default)]
pub struct QueryLog {
    started: Option<std::time::Instant>,
}

/// A query slower than this is logged as a warning.
const SLOW: Duration = Duration::from_millis(100);

impl diesel::connection::Instrumentation for QueryLog {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        use diesel::connection::InstrumentationEvent;
        match event {
            InstrumentationEvent::StartQuery { .. } => {
                self.started = Some(std::time::Instant::now())
            }
            InstrumentationEvent::FinishQuery { query, .. } => {
                let took = self.started.take().map(|s| s.elapsed()).unwrap_or_default();
                if took >= SLOW {
                    log::warn!("slow query ({took:?}): {query}");
                } else {
                    log::trace!("query ({took:?}): {query}");
                }
            }
            _ => {}
        }
    }
}
