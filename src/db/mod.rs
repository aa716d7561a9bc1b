//! The database: embedded migrations, per-connection SQLite settings, and the
//! one helper that runs Diesel work off the async threads.
//!
//! Reads go through a pool; writes go through a pool of exactly one
//! connection, so writers queue in the process instead of sleeping in
//! SQLite's busy handler (docs/architecture.md, "One writer").

mod counts;
pub mod health;
mod sqlite;
#[cfg(test)]
mod tests;
pub mod writer;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use actix_web::web;
use diesel::prelude::*;
use tokio::sync::Semaphore;

pub use counts::{CountCache, Counts};
pub use sqlite::{connect_and_migrate, is_unwritable};

use crate::error::ApiError;
use health::WriteHealth;
use sqlite::{QueryLog, SqlitePool, connect_read_only, probe, read_pool};
use writer::WriteQueue;

/// Handle to the database, shared by all workers as `web::Data<Db>`.
#[derive(Clone)]
pub struct Db {
    read: Gate,
    write: WriteQueue,
    counts: Arc<CountCache>,
    health: Arc<WriteHealth>,
}

/// A pool behind a semaphore with as many permits as connections: requests
/// beyond that wait on the async side, where waiting is cheap, instead of
/// as blocked threads of the blocking pool, where the profile showed a
/// third of the CPU going to the scheduler.
#[derive(Clone)]
struct Gate {
    pool: SqlitePool,
    permits: Arc<Semaphore>,
}

impl Gate {
    fn new(pool: SqlitePool) -> Self {
        let permits = Arc::new(Semaphore::new(pool.max_size() as usize));
        Gate { pool, permits }
    }
}

impl Db {
    /// Migrates the database at `path` and opens the read and write pools.
    /// A database that takes no writes (a full disk, a read-only file) but
    /// whose schema is current opens for reads, with writes refused until
    /// they go through again.
    pub fn open(path: &str, read_pool_size: u32) -> anyhow::Result<Db> {
        let health = Arc::<WriteHealth>::default();
        let mut writer = match connect_and_migrate(path) {
            Ok(conn) => conn,
            Err(e) if is_unwritable(&e) => {
                let conn = connect_read_only(path)
                    .map_err(|ro| anyhow::anyhow!("{e:#}; and read-only: {ro:#}"))?;
                health.refuse(&format!("{e:#}"));
                conn
            }
            Err(e) => return Err(e),
        };
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
        Ok(Db {
            read: Gate::new(read_pool(path, read_pool_size)?),
            write: WriteQueue::start(writer, counts.generation.clone())?,
            counts,
            health,
        })
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
        let result = self.write.run(|conn| Ok(probe(conn)?)).await;
        self.health.observe(&result);
    }

    /// The count cache as of now.
    pub fn counts(&self) -> Counts {
        Counts {
            cache: self.counts.clone(),
            generation: self.counts.generation.load(Ordering::SeqCst),
        }
    }

    /// Runs `f` on a read connection, on the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, ApiError> + Send + 'static,
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
        F: FnOnce(&mut SqliteConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        if let Some(refusal) = self.health.refusal() {
            return Err(refusal);
        }
        let result = self.write.run(f).await;
        self.health.observe(&result);
        result
    }
}

/// The one place a connection leaves a pool.
async fn run<T, F>(gate: &Gate, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut SqliteConnection) -> Result<T, ApiError> + Send + 'static,
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
