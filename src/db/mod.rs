//! The database: SQLite or PostgreSQL, the embedded migrations of each, and
//! the one helper that runs Diesel work off the async threads.
//!
//! Reads go through a pool. On SQLite, writes go through one connection, so
//! writers queue in the process instead of sleeping in SQLite's busy
//! handler (docs/architecture.md, "One writer"). On PostgreSQL, writes go
//! through a pool, each its own transaction, and take one row lock first,
//! so that writes from every instance run one at a time.

mod conn;
mod counts;
mod generation;
pub mod health;
mod ids;
mod pool;
mod postgres;
mod sqlite;
#[cfg(test)]
mod tests;
mod transactions;
pub mod writer;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use actix_web::web;
use diesel::prelude::*;
use tokio::sync::Semaphore;

pub use conn::{Conn, Dialect, MultiBackend, dialect_of};
pub use counts::{CountCache, Counts};
pub use ids::{highest_id, ids_past, sequence};
pub use sqlite::WATCH_INTERVAL;
pub use transactions::{shared_generation, snapshot, write_transaction};

use crate::error::ApiError;
use health::WriteHealth;
use pool::{ConnPool, QueryLog, pool};
use writer::WriteQueue;

/// Handle to the database, shared by all workers as `web::Data<Db>`.
#[derive(Clone)]
pub struct Db {
    read: Gate,
    write: Writes,
    counts: Arc<CountCache>,
    health: Arc<WriteHealth>,
    waiting: generation::Waiters,
    /// Told when a write outdated stored CSV lines (`crate::upkeep`).
    lines_outdated: Arc<tokio::sync::Notify>,
}

/// A pool behind a semaphore with as many permits as connections: requests
/// beyond that wait on the async side, where waiting is cheap, instead of
/// as blocked threads of the blocking pool, where the profile showed a
/// third of the CPU going to the scheduler.
#[derive(Clone)]
struct Gate {
    pool: ConnPool,
    permits: Arc<Semaphore>,
}

/// Where writes go: SQLite's one writer, or a pool of PostgreSQL
/// connections.
#[derive(Clone)]
enum Writes {
    Queue(WriteQueue),
    Pool(Gate),
}

impl Gate {
    fn new(pool: ConnPool) -> Self {
        let permits = Arc::new(Semaphore::new(pool.max_size() as usize));
        Gate { pool, permits }
    }
}

/// Connects to the store `url` names (a SQLite file, with or without
/// `sqlite://`, or a `postgres://` URL) and runs its pending migrations.
pub fn connect_and_migrate(url: &str) -> anyhow::Result<Conn> {
    match dialect_of(url) {
        Dialect::Sqlite => sqlite::connect_and_migrate(sqlite_path(url)).map(Conn::Sqlite),
        Dialect::Postgres => postgres::connect_and_migrate(url).map(Conn::Pg),
    }
}

/// Whether `error` (from [`connect_and_migrate`]) says the database takes
/// no writes, rather than that it is broken or missing.
pub fn is_unwritable(error: &anyhow::Error) -> bool {
    crate::error::unwritable(&format!("{error:#}"))
}

/// A SQLite URL as a path: `sqlite://` is optional.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

/// A write that needs fresh pages, undone in the same transaction: it fails
/// where the disk is full or the database read-only.
fn probe(conn: &mut Conn) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    let sql = match conn.dialect() {
        Dialect::Sqlite => sqlite::PROBE,
        Dialect::Postgres => postgres::PROBE,
    };
    conn.transaction(|conn| conn.batch_execute(sql))
}

impl Db {
    /// Migrates the database at `url` and opens the read and write pools.
    /// A SQLite database that takes no writes (a full disk, a read-only
    /// file) but whose schema is current opens for reads, with writes
    /// refused until they go through again.
    pub fn open(url: &str, read_pool_size: u32) -> anyhow::Result<Db> {
        match dialect_of(url) {
            Dialect::Sqlite => Self::open_sqlite(sqlite_path(url), read_pool_size),
            Dialect::Postgres => Self::open_postgres(url, read_pool_size),
        }
    }

    fn open_sqlite(path: &str, read_pool_size: u32) -> anyhow::Result<Db> {
        let health = Arc::<WriteHealth>::default();
        let writer = match sqlite::connect_and_migrate(path) {
            Ok(conn) => conn,
            Err(e) if is_unwritable(&e) => {
                let conn = sqlite::connect_read_only(path)
                    .map_err(|ro| anyhow::anyhow!("{e:#}; and read-only: {ro:#}"))?;
                health.refuse(&format!("{e:#}"));
                conn
            }
            Err(e) => return Err(e),
        };
        let mut writer = Conn::Sqlite(writer);
        if health.reason().is_none() {
            // Migrations may have had nothing to write: find out now
            // whether the database takes writes, not at the first client's.
            if let Err(e) = probe(&mut writer) {
                let e = ApiError::from(e);
                health.observe::<()>(&Err(e));
            }
        }
        writer.set_instrumentation(QueryLog::default());
        let counts = Arc::<CountCache>::default();
        sqlite::watch(path, Arc::downgrade(&counts.generation))?;
        Ok(Db {
            read: Gate::new(pool(path, Dialect::Sqlite, read_pool_size, true)?),
            write: Writes::Queue(WriteQueue::start(writer, counts.generation.clone())?),
            counts,
            health,
            waiting: Default::default(),
            lines_outdated: Default::default(),
        })
    }

    /// PostgreSQL: as many write connections as read ones; writes from all
    /// of them (and from every other instance) still run one at a time.
    fn open_postgres(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let health = Arc::<WriteHealth>::default();
        let mut conn = Conn::Pg(match postgres::connect_and_migrate(url) {
            Ok(conn) => conn,
            Err(e) if is_unwritable(&e) => {
                let conn = postgres::connect_read_only(url)
                    .map_err(|ro| anyhow::anyhow!("{e:#}; and read-only: {ro:#}"))?;
                health.refuse(&format!("{e:#}"));
                conn
            }
            Err(e) => return Err(e),
        });
        if health.reason().is_none()
            && let Err(e) = probe(&mut conn)
        {
            health.observe::<()>(&Err(ApiError::from(e)));
        }
        Ok(Db {
            read: Gate::new(pool(url, Dialect::Postgres, pool_size, true)?),
            write: Writes::Pool(Gate::new(pool(url, Dialect::Postgres, pool_size, false)?)),
            counts: Arc::<CountCache>::default(),
            health,
            waiting: Default::default(),
            lines_outdated: Default::default(),
        })
    }

    /// What a write that outdated stored CSV lines tells, and what the
    /// task that stores them anew waits on (`crate::upkeep`): told while
    /// that task runs, it runs once more.
    pub fn lines_outdated(&self) -> &tokio::sync::Notify {
        &self.lines_outdated
    }

    /// Which store this is.
    pub fn dialect(&self) -> Dialect {
        match self.write {
            Writes::Queue(_) => Dialect::Sqlite,
            Writes::Pool(_) => Dialect::Postgres,
        }
    }

    /// Whether the database takes writes.
    pub fn health(&self) -> &WriteHealth {
        &self.health
    }

    /// Tries a write that needs fresh pages, if writes are refused and the
    /// wait is over; what it finds is what [`Db::health`] says next.
    pub async fn probe_writes(&self) {
        if !self.health.probe_due() {
            return;
        }
        let result = self.write_any(|conn| Ok(probe(conn)?)).await;
        self.health.observe(&result);
    }

    /// The count cache as of now.
    pub fn counts(&self) -> Counts {
        Counts {
            cache: self.counts.clone(),
            generation: self.counts.generation.load(Ordering::SeqCst),
            read_in_snapshot: false,
        }
    }

    /// The write generation as of now: it moves before any write is
    /// acknowledged, so what was read or counted under one generation is
    /// current for as long as it is still the generation. On SQLite this
    /// process's counter (writes by other processes move it within
    /// [`sqlite::WATCH_INTERVAL`]); on PostgreSQL the one every instance
    /// shares, one query away (and that query shared by the requests that
    /// ask at the same time).
    pub async fn generation(&self) -> Result<u64, ApiError> {
        match self.write {
            Writes::Queue(_) => Ok(self.counts.generation.load(Ordering::SeqCst)),
            Writes::Pool(_) => self.shared_generation().await,
        }
    }

    /// Runs `f` on a read connection, on the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        run(&self.read, f).await
    }

    /// Runs `f` as one transaction on the writer connection (a savepoint
    /// in a group commit, see [`writer`]): any error rolls back everything
    /// `f` did, and the answer comes once the write is committed.
    ///
    /// While the database takes no writes, answers at once with
    /// [`ApiError::Unwritable`] until the wait is over.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        if let Some(refusal) = self.health.refusal() {
            return Err(refusal);
        }
        let result = self.write_any(f).await;
        self.health.observe(&result);
        result
    }

    /// Runs `f` as one write transaction, whatever the write health says.
    async fn write_any<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        match &self.write {
            Writes::Queue(queue) => queue.run(f).await,
            Writes::Pool(gate) => run(gate, move |conn| write_transaction(conn, f)).await,
        }
    }
}

/// The one place a connection leaves a pool.
async fn run<T, F>(gate: &Gate, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let _permit = gate
        .permits
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("database gate closed: {e}")))?;
    let pool = gate.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(ApiError::Unavailable)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking pool: {e}")))?
}
