//! The database: embedded migrations, per-connection SQLite settings, and the
//! one helper that runs Diesel work off the async threads.
//!
//! Reads go through a pool; writes go through a pool of exactly one
//! connection, so writers queue in the process instead of sleeping in
//! SQLite's busy handler (the stack notes measured a 50x better p99 that way).

use std::time::Duration;

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

/// Handle to the database, shared by all workers as `web::Data<Db>`.
#[derive(Clone)]
pub struct Db {
    read: SqlitePool,
    write: SqlitePool,
}

/// Opens `path`, switches it to WAL and runs pending migrations, on one
/// connection. Done before any pool exists: r2d2 opens its connections at
/// once, and WAL needs a moment with nobody else on the file.
pub fn connect_and_migrate(path: &str) -> anyhow::Result<SqliteConnection> {
    let mut conn = SqliteConnection::establish(path)?;
    conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")?;
    configure(&mut conn, false)?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
    Ok(conn)
}

/// Settings every connection gets when the pool opens it. `busy_timeout`
/// comes first so the others never fail on a momentary lock.
fn configure(conn: &mut SqliteConnection, read_only: bool) -> QueryResult<()> {
    conn.batch_execute(
        "PRAGMA busy_timeout = 5000;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA journal_size_limit = 67108864;",
    )?;
    if read_only {
        // A read connection that tries to write is a bug; make it loud.
        conn.batch_execute("PRAGMA query_only = ON;")?;
    }
    Ok(())
}

#[derive(Debug)]
struct Pragmas {
    read_only: bool,
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        configure(conn, self.read_only).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn pool(path: &str, size: u32, read_only: bool) -> anyhow::Result<SqlitePool> {
    Ok(Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(Pragmas { read_only }))
        .build(ConnectionManager::new(path))?)
}

impl Db {
    /// Migrates the database at `path` and opens the read and write pools.
    pub fn open(path: &str, read_pool_size: u32) -> anyhow::Result<Db> {
        drop(connect_and_migrate(path)?);
        Ok(Db {
            read: pool(path, read_pool_size, true)?,
            write: pool(path, 1, false)?,
        })
    }

    /// Runs `f` on a read connection, on the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        run(self.read.clone(), f).await
    }

    /// Runs `f` inside one `BEGIN IMMEDIATE` transaction on the writer
    /// connection: any error rolls back everything `f` did.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        run(self.write.clone(), |conn| conn.immediate_transaction(f)).await
    }
}

/// The one place a connection leaves a pool.
async fn run<T, F>(pool: SqlitePool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut SqliteConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    web::block(move || {
        let mut conn = pool.get().map_err(ApiError::Unavailable)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking pool: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::{BigInt, Text};

    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }

    #[derive(QueryableByName)]
    struct Word {
        #[diesel(sql_type = Text)]
        value: String,
    }

    fn pragma(conn: &mut SqliteConnection, name: &str) -> i64 {
        // pragma_busy_timeout names its one column "timeout".
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        diesel::sql_query(format!("SELECT {column} AS value FROM pragma_{name}"))
            .get_result::<Number>(conn)
            .map(|n| n.value)
            .unwrap_or(-1)
    }

    #[actix_web::test]
    async fn every_connection_gets_the_pragmas_and_reads_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pragmas.db");
        let db = Db::open(path.to_str().unwrap(), 2).unwrap();
        for on_writer in [false, true] {
            let check = |conn: &mut SqliteConnection| {
                let mode =
                    diesel::sql_query("SELECT journal_mode AS value FROM pragma_journal_mode")
                        .get_result::<Word>(conn)?
                        .value;
                Ok((
                    mode,
                    pragma(conn, "foreign_keys"),
                    pragma(conn, "synchronous"),
                    pragma(conn, "busy_timeout"),
                ))
            };
            let seen = if on_writer {
                db.write(check).await.unwrap()
            } else {
                db.read(check).await.unwrap()
            };
            assert_eq!(seen, ("wal".to_string(), 1, 1, 5000), "writer: {on_writer}");
        }
        let write_on_reader = db
            .read(|conn| Ok(conn.batch_execute("CREATE TABLE nope (x INTEGER)")))
            .await
            .unwrap();
        assert!(write_on_reader.is_err());
    }
}
