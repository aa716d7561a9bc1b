//! The database: embedded migrations, per-connection SQLite settings, and the
//! one helper that runs Diesel work off the async threads.
//!
//! Reads go through a pool; writes go through a pool of exactly one
//! connection, so writers queue in the process instead of sleeping in
//! SQLite's busy handler (the stack notes measured a 50x better p99 that way).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tokio::sync::Semaphore;

use crate::error::ApiError;

pub mod health;
pub mod writer;

use health::WriteHealth;
use writer::Writer;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

/// Handle to the database, shared by all workers as `web::Data<Db>`.
#[derive(Clone)]
pub struct Db {
    read: Gate,
    write: Writer,
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

/// List totals already counted, valid until the next write. Counting the
/// rows a filter matches costs a scan; lists are read far more often than
/// written, so a total is counted once per write generation and filter.
/// Writes made by another process (the CLI's `seed`) are not seen until
/// the next write through the API or a restart.
#[derive(Debug, Default)]
pub struct CountCache {
    generation: Arc<AtomicU64>,
    totals: Mutex<HashMap<String, (u64, i64)>>,
    /// Held while a total is counted, one per stripe of the keys' hashes:
    /// a request that misses waits for one already counting the same total
    /// instead of counting it again. After a write, every concurrent
    /// request for a filter missed at once, and each ran the same count (a
    /// quarter of a second on a million rows) on a connection of its own.
    counting: [Mutex<()>; 16],
}

/// Entries kept before the cache starts over.
const COUNT_CACHE_SIZE: usize = 4096;

/// The count cache as of one moment: read the generation *before* the
/// query whose total it caches starts its snapshot.
#[derive(Debug, Clone)]
pub struct Counts {
    cache: Arc<CountCache>,
    generation: u64,
}

impl Counts {
    /// The total under `key`, counted by `count` unless a write since made
    /// it stale.
    pub fn get_or<E>(&self, key: String, count: impl FnOnce() -> Result<i64, E>) -> Result<i64, E> {
        let lookup = |totals: &HashMap<String, (u64, i64)>| {
            totals
                .get(&key)
                .filter(|(g, _)| *g == self.generation)
                .map(|(_, n)| *n)
        };
        if let Some(total) = self.cache.totals.lock().ok().and_then(|t| lookup(&t)) {
            return Ok(total);
        }
        let stripe = {
            use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
            let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(&key);
            &self.cache.counting[hash as usize % self.cache.counting.len()]
        };
        // A poisoned stripe only means a count panicked; counting is safe.
        let _counting = stripe
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(total) = self.cache.totals.lock().ok().and_then(|t| lookup(&t)) {
            return Ok(total);
        }
        let total = count()?;
        if let Ok(mut totals) = self.cache.totals.lock() {
            if totals.len() >= COUNT_CACHE_SIZE {
                totals.clear();
            }
            totals.insert(key, (self.generation, total));
        }
        Ok(total)
    }
}

/// Opens `path`, switches it to WAL and runs pending migrations, on one
/// connection. Done before any pool exists: r2d2 opens its connections at
/// once, and WAL needs a moment with nobody else on the file.
pub fn connect_and_migrate(path: &str) -> anyhow::Result<SqliteConnection> {
    library_settings();
    let mut conn = SqliteConnection::establish(path)?;
    conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")?;
    configure(&mut conn, false)?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
    // Table statistics, so the planner picks its indexes by the data it
    // has (bounded: at most a few hundred rows read per index). They may
    // need a write; on a full disk the server starts without them.
    if let Err(e) = conn.batch_execute("PRAGMA analysis_limit = 400; PRAGMA optimize;") {
        log::warn!("no fresh table statistics: {e}");
    }
    Ok(conn)
}

/// Whether `error` (from [`connect_and_migrate`]) says the database takes
/// no writes, rather than that it is broken or missing.
pub fn is_unwritable(error: &anyhow::Error) -> bool {
    crate::error::unwritable(&format!("{error:#}"))
}

/// A write that needs fresh pages, undone in the same transaction: it
/// fails where the disk is full or the file read-only.
fn probe(conn: &mut SqliteConnection) -> QueryResult<()> {
    conn.transaction(|conn| {
        conn.batch_execute(
            "INSERT INTO write_probe (filler) VALUES (zeroblob(65536)); DELETE FROM write_probe;",
        )
    })
}

/// The connection of a database that takes no writes now: opened without
/// migrating, which needs the schema to be up to date already.
fn connect_read_only(path: &str) -> anyhow::Result<SqliteConnection> {
    library_settings();
    anyhow::ensure!(
        std::path::Path::new(path).exists(),
        "{path} does not exist and cannot be created"
    );
    let mut conn = SqliteConnection::establish(path)?;
    configure(&mut conn, false)?;
    let pending = conn
        .pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("reading the applied migrations: {e}"))?;
    anyhow::ensure!(
        pending.is_empty(),
        "{path} takes no writes and needs {} migrations first",
        pending.len()
    );
    Ok(conn)
}

/// Sets SQLite's process-wide options, once, before the process opens its
/// first connection: multi-thread mode, no memory statistics, and
/// [`stable_plans`] run on every connection SQLite opens.
///
/// The bundled SQLite defaults to serialized mode, which takes a mutex on
/// every call, each column of each row included: 12% of a CSV export's
/// profile. Multi-thread mode only asks that a connection is used by one
/// thread at a time, which holds here: a pooled connection belongs to
/// whoever checked it out, the write connection to the writer. If SQLite
/// was already in use (a test opened a connection first), the two
/// `sqlite3_config` calls are refused and those defaults stay: slower,
/// still correct.
fn library_settings() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config may be called while no connection is open
        // and before sqlite3_initialize; when that no longer holds it
        // returns SQLITE_MISUSE and changes nothing. The option takes no
        // further arguments.
        let code =
            unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD) };
        if code != libsqlite3_sys::SQLITE_OK {
            log::debug!("SQLite stays in serialized mode (sqlite3_config returned {code})");
        }
        // Memory statistics cost a global mutex around every allocation
        // SQLite makes; nothing here reads them. Off, a recommendation by
        // id went from 19,400 to 21,900 requests a second (N = 1,000,000,
        // three alternating runs).
        // SAFETY: as above; the option takes one int.
        let code = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        if code != libsqlite3_sys::SQLITE_OK {
            log::debug!("SQLite keeps its memory statistics (sqlite3_config returned {code})");
        }
        // SAFETY: `stable_plans` has the entry point signature SQLite
        // expects and lives as long as the program.
        let code = unsafe { libsqlite3_sys::sqlite3_auto_extension(Some(stable_plans)) };
        if code != libsqlite3_sys::SQLITE_OK {
            log::warn!(
                "query plans may vary with bound values (sqlite3_auto_extension returned {code})"
            );
        }
    });
}

/// Run by SQLite for every connection it opens: turns on the query planner
/// stability guarantee, so that a statement's plan does not depend on the
/// values bound to it. The bundled SQLite is built with STAT4, and with
/// STAT4 statistics (gathered by `PRAGMA optimize`) a statement whose plan
/// could depend on a bound value is prepared again whenever that value is
/// bound, which is every time: Diesel's cache of prepared statements saved
/// nothing, and preparing was a fifth of the CPU of a recommendation by id.
/// The plans the lists rely on are checked in `tests/api/plans.rs`.
unsafe extern "C" fn stable_plans(
    db: *mut libsqlite3_sys::sqlite3,
    _error: *mut *mut std::ffi::c_char,
    _api: *const libsqlite3_sys::sqlite3_api_routines,
) -> std::ffi::c_int {
    // SAFETY: `db` is the connection SQLite is opening; the option takes
    // an int (1: on) and a pointer for the old value, which may be null.
    let code = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if code != libsqlite3_sys::SQLITE_OK {
        log::warn!("query plans may vary with bound values (sqlite3_db_config returned {code})");
    }
    // Keep the WAL and its index (-wal, -shm) when the last connection
    // closes, emptied: SQLite otherwise deletes them, and the next start
    // must create them before it can read anything, which fails on a full
    // disk or a read-only mount (checks/storage-faults). Kept, a server
    // restarted there still serves reads.
    let mut persist: std::ffi::c_int = 1;
    // SAFETY: `db` is open; the "main" schema exists on every connection;
    // the option reads and writes one int.
    let code = unsafe {
        libsqlite3_sys::sqlite3_file_control(
            db,
            c"main".as_ptr(),
            libsqlite3_sys::SQLITE_FCNTL_PERSIST_WAL,
            (&mut persist as *mut std::ffi::c_int).cast(),
        )
    };
    if code != libsqlite3_sys::SQLITE_OK {
        log::debug!("the WAL goes with the last connection (sqlite3_file_control returned {code})");
    }
    // Anything else would fail the opening of the connection.
    libsqlite3_sys::SQLITE_OK
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
    } else {
        // Every write is a savepoint inside its group's transaction (see
        // `writer`), so SQLite keeps a statement journal for each one, and
        // past 64 KiB it spills that journal to a temporary file: opened,
        // written and deleted once per write. Kept in memory, creates at
        // N = 1,000,000 went from 3,400-3,900/s to 5,400-6,300/s. Only on
        // the writer: on the read connections the same setting would also
        // hold large sorts in memory instead of spilling them.
        conn.batch_execute("PRAGMA temp_store = MEMORY;")?;
    }
    Ok(())
}

/// Logs every query at `trace` level, and at `warn` level any that takes
/// longer than `SLOW`: the first place to look when a route is slow.
#[derive(Default)]
struct QueryLog {
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

/// What every read connection gets when the pool opens it.
#[derive(Debug)]
struct ReadPragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for ReadPragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.set_instrumentation(QueryLog::default());
        configure(conn, true).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The read pool: `size` query-only connections.
fn read_pool(path: &str, size: u32) -> anyhow::Result<SqlitePool> {
    Ok(Pool::builder()
        .max_size(size)
        // r2d2 would run `SELECT 1` on every checkout; a broken SQLite
        // connection shows itself on its first real query anyway.
        .test_on_check_out(false)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(ReadPragmas))
        .build(ConnectionManager::new(path))?)
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
            write: Writer::start(writer, counts.generation.clone())?,
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

    #[test]
    fn the_ids_migration_keeps_every_id_and_never_reuses_a_deleted_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ids.db");
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        conn.batch_execute("PRAGMA foreign_keys = ON;").unwrap();
        // The schema as it was before ids were kept unique.
        while conn
            .pending_migrations(MIGRATIONS)
            .unwrap()
            .first()
            .is_some_and(|m| m.name().version().to_string() < "2026-12-02".replace('-', ""))
        {
            conn.run_next_migration(MIGRATIONS).unwrap();
        }
        conn.batch_execute(
            "INSERT INTO partners (slug, name, city, country_code, created_at, updated_at) VALUES
               ('a', 'A', 'A', 'FR', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
               ('b', 'B', 'B', 'FR', '2026-01-01 00:00:00', '2026-01-01 00:00:00'),
               ('c', 'C', 'C', 'FR', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO events (slug, title, kind, starts_on, host_partner_id, created_at, updated_at)
               VALUES ('e', 'Hosted by B', 'launch', '2009-01-01', 2, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             DELETE FROM partners WHERE id = 3;
             -- A partner 4 was made and deleted through the API before.
             INSERT INTO audit_log (at, key_name, collection, record_id, action, before, after)
               VALUES ('2026-01-02 00:00:00', 'k', 'partners', 4, 'delete', '{}', NULL);",
        )
        .unwrap();
        drop(conn);
        let mut conn = connect_and_migrate(path.to_str().unwrap()).unwrap();
        conn.batch_execute(
            "INSERT INTO partners (slug, name, city, country_code, created_at, updated_at)
               VALUES ('d', 'D', 'D', 'FR', '2026-01-03 00:00:00', '2026-01-03 00:00:00');",
        )
        .unwrap();
        let ids: Vec<i64> = diesel::sql_query("SELECT id AS value FROM partners ORDER BY id")
            .load::<Number>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|n| n.value)
            .collect();
        assert_eq!(ids, [1, 2, 5]);
        // The event still points at its host, and search still finds it.
        let host = diesel::sql_query(
            "SELECT p.id AS value FROM events e JOIN partners p ON p.id = e.host_partner_id
             WHERE e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH 'hosted')",
        )
        .get_result::<Number>(&mut conn)
        .unwrap();
        assert_eq!(host.value, 2);
        assert_eq!(pragma(&mut conn, "foreign_keys"), 1);
    }

    #[test]
    fn a_missing_total_is_counted_once_however_many_ask_for_it_at_once() {
        use std::sync::atomic::AtomicUsize;
        let cache = Arc::new(CountCache::default());
        let counted = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(std::sync::Barrier::new(8));
        let askers: Vec<_> = (0..8)
            .map(|_| {
                let (cache, counted, start) = (cache.clone(), counted.clone(), start.clone());
                std::thread::spawn(move || {
                    let counts = Counts {
                        cache,
                        generation: 0,
                    };
                    start.wait();
                    counts.get_or("recommendations?status=published".into(), || {
                        counted.fetch_add(1, Ordering::SeqCst);
                        // Long enough for the others to ask meanwhile.
                        std::thread::sleep(Duration::from_millis(20));
                        Ok::<_, ()>(42)
                    })
                })
            })
            .collect();
        for asker in askers {
            assert_eq!(asker.join().unwrap(), Ok(42));
        }
        assert_eq!(counted.load(Ordering::SeqCst), 1);
        // After a write, the next reader counts again.
        let after_write = Counts {
            cache,
            generation: 1,
        };
        let total = after_write.get_or("recommendations?status=published".into(), || {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(43)
        });
        assert_eq!((total, counted.load(Ordering::SeqCst)), (Ok(43), 2));
    }

    /// Whether the query planner stability guarantee is on for `db`.
    fn qpsg(db: *mut libsqlite3_sys::sqlite3) -> std::ffi::c_int {
        let mut on: std::ffi::c_int = -1;
        // SAFETY: `db` is open; -1 reads the setting into `on`.
        let code = unsafe {
            libsqlite3_sys::sqlite3_db_config(
                db,
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as std::ffi::c_int,
                &mut on as *mut std::ffi::c_int,
            )
        };
        assert_eq!(code, libsqlite3_sys::SQLITE_OK);
        on
    }

    #[test]
    fn every_connection_opened_after_the_first_plans_without_bound_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plans.db");
        drop(connect_and_migrate(path.to_str().unwrap()).unwrap());
        // Any connection SQLite opens from now on, Diesel's or not.
        let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        let mut db = std::ptr::null_mut();
        // SAFETY: a valid C string and out-pointer; closed below.
        let code = unsafe { libsqlite3_sys::sqlite3_open(name.as_ptr(), &mut db) };
        assert_eq!(code, libsqlite3_sys::SQLITE_OK);
        let on = qpsg(db);
        // SAFETY: `db` was opened above and is not used after.
        unsafe { libsqlite3_sys::sqlite3_close(db) };
        assert_eq!(on, 1);
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
                    pragma(conn, "temp_store"),
                ))
            };
            let seen = if on_writer {
                db.write(check).await.unwrap()
            } else {
                db.read(check).await.unwrap()
            };
            // Statement journals in memory on the writer only (2 = MEMORY,
            // 0 = the build's default, files).
            let temp_store = if on_writer { 2 } else { 0 };
            assert_eq!(
                seen,
                ("wal".to_string(), 1, 1, 5000, temp_store),
                "writer: {on_writer}"
            );
        }
        let write_on_reader = db
            .read(|conn| Ok(conn.batch_execute("CREATE TABLE nope (x INTEGER)")))
            .await
            .unwrap();
        assert!(write_on_reader.is_err());
    }
}
