//! SQLite as this service uses it: process-wide settings, what every
//! connection gets, the read pool, the embedded migrations, and opening a
//! database that takes no writes.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub(super) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Opens `path`, switches it to WAL and runs pending migrations, on one
/// connection. Done before any pool exists: r2d2 opens its connections at
/// once, and WAL needs a moment with nobody else on the file.
pub(super) fn connect_and_migrate(path: &str) -> anyhow::Result<SqliteConnection> {
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

/// A write that needs fresh pages, undone in the same transaction: it
/// fails where the disk is full or the file read-only.
pub(super) const PROBE: &str =
    "INSERT INTO write_probe (filler) VALUES (zeroblob(65536)); DELETE FROM write_probe;";

/// The connection of a database that takes no writes now: opened without
/// migrating, which needs the schema to be up to date already.
pub(super) fn connect_read_only(path: &str) -> anyhow::Result<SqliteConnection> {
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
pub(super) fn library_settings() {
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
        // SQLite makes; nothing here reads them (the gain is in
        // docs/benchmarks.md).
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
pub(super) fn configure(conn: &mut SqliteConnection, read_only: bool) -> QueryResult<()> {
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
        // written and deleted once per write (kept in memory, creates were
        // half again as fast: docs/benchmarks.md). Only on the writer: on
        // the read connections the same setting would also hold large
        // sorts in memory instead of spilling them.
        conn.batch_execute("PRAGMA temp_store = MEMORY;")?;
    }
    Ok(())
}

/// What every read connection gets when the pool opens it.
pub(super) fn on_acquire_read(conn: &mut SqliteConnection) -> QueryResult<()> {
    configure(conn, true)
}

/// How often the watch thread (`watch`) looks for commits made by other processes.
pub const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);

/// Bumps `generation` whenever another connection (the command line's
/// `keys revoke`, a `seed` run beside the server) has committed to the
/// file at `path`, within [`WATCH_INTERVAL`]: writes through the API bump
/// it themselves, before they are acknowledged, but only SQLite knows of
/// the others. `PRAGMA data_version` changes when any other connection has
/// committed (this process's writer included, which costs one spare bump);
/// it reads the WAL index in shared memory, no file. The thread ends with
/// the last holder of `generation`.
pub(super) fn watch(
    path: &str,
    generation: std::sync::Weak<std::sync::atomic::AtomicU64>,
) -> anyhow::Result<()> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        data_version: i64,
    }
    let mut conn = SqliteConnection::establish(path)?;
    configure(&mut conn, true)?;
    let version = |conn: &mut SqliteConnection| {
        diesel::sql_query("PRAGMA data_version")
            .get_result::<Version>(conn)
            .map(|v| v.data_version)
    };
    let mut seen = version(&mut conn)?;
    std::thread::Builder::new()
        .name("sqlite-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(WATCH_INTERVAL);
                let Some(generation) = generation.upgrade() else {
                    return;
                };
                match version(&mut conn) {
                    Ok(now) if now != seen => {
                        seen = now;
                        generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    Ok(_) => {}
                    // A read that fails (the disk gone) may have missed a
                    // commit: count one, so nothing cached outlives it.
                    Err(e) => {
                        log::debug!("data_version: {e}");
                        generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            }
        })?;
    Ok(())
}
