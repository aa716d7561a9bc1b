//! Unit tests of the database layer: settings, migrations, the count cache.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;

use super::sqlite::MIGRATIONS;
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

fn pragma(conn: &mut Conn, name: &str) -> i64 {
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
                    read_in_snapshot: false,
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
        read_in_snapshot: false,
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
        let check = |conn: &mut Conn| {
            let mode = diesel::sql_query("SELECT journal_mode AS value FROM pragma_journal_mode")
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
