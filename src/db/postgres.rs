//! PostgreSQL as this service uses it: the embedded migrations, run by one
//! instance at a time, and what every connection gets.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub(super) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Any number, the same in every instance: the advisory lock that lets one
/// instance migrate while the others starting beside it wait.
const MIGRATION_LOCK: i64 = 0x6369_7479_7265_6769;

/// Connects to `url` and runs pending migrations, holding the migration
/// lock so that instances started together migrate once.
pub(super) fn connect_and_migrate(url: &str) -> anyhow::Result<PgConnection> {
    let mut conn = PgConnection::establish(url)?;
    configure(&mut conn, false)?;
    conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    let migrated = conn
        .run_pending_migrations(MIGRATIONS)
        .map(drop)
        .map_err(|e| anyhow::anyhow!("running migrations: {e}"));
    conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    migrated?;
    Ok(conn)
}

/// The connection of a database that takes no writes now (a standby, a
/// database set read-only): opened without migrating, which needs the
/// schema to be up to date already.
pub(super) fn connect_read_only(url: &str) -> anyhow::Result<PgConnection> {
    use diesel::migration::MigrationSource;
    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let mut conn = PgConnection::establish(url)?;
    configure(&mut conn, false)?;
    // Read directly: Diesel's own check would first create its table.
    let applied: Vec<Applied> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load(&mut conn)?;
    let known = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("reading the embedded migrations: {e}"))?;
    let pending = known
        .iter()
        .filter(|m| {
            !applied
                .iter()
                .any(|a| a.version == m.name().version().to_string())
        })
        .count();
    anyhow::ensure!(
        pending == 0,
        "the database takes no writes and needs {pending} migrations first"
    );
    Ok(conn)
}

/// Settings every connection gets: a name in `pg_stat_activity`, and for
/// read connections, transactions that cannot write (a read that tries is
/// a bug; make it loud).
pub(super) fn configure(conn: &mut PgConnection, read_only: bool) -> QueryResult<()> {
    conn.batch_execute("SET application_name = 'city-region-api'")?;
    if read_only {
        conn.batch_execute("SET default_transaction_read_only = on")?;
    }
    Ok(())
}

/// A write that needs fresh pages, undone in the same transaction.
pub(super) const PROBE: &str = "INSERT INTO write_probe (filler) \
     VALUES (decode(repeat('00', 65536), 'hex')); DELETE FROM write_probe;";

/// Bumps the write generation: the first statement of every write
/// transaction (`db::write_transaction`).
pub(super) const BUMP_GENERATION: &str = "UPDATE write_generation SET n = n + 1 WHERE id = 1";

/// The write generation as of the current transaction's snapshot.
pub(super) fn generation(conn: &mut super::Conn) -> QueryResult<u64> {
    #[derive(QueryableByName)]
    struct Generation {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Generation =
        diesel::sql_query("SELECT n FROM write_generation WHERE id = 1").get_result(conn)?;
    Ok(row.n as u64)
}
