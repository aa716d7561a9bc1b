//! Transactions as each store needs them: reads in one snapshot, writes
//! one at a time (SQLite's `BEGIN IMMEDIATE`; PostgreSQL's write lock row),
//! begun on the store's own connection so that Diesel's `transaction`s
//! inside are savepoints of them.

use diesel::prelude::*;

use super::{Conn, Dialect, postgres};

/// Runs `f` in one transaction that sees one snapshot of the database from
/// its first statement to its last (on PostgreSQL, whose default gives each
/// statement its own; SQLite's read transactions already do), so that a
/// page, its total and the write generation its cached counts are kept
/// under agree. Inside another transaction, a savepoint of it.
pub fn snapshot<T>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> diesel::QueryResult<T>,
) -> diesel::QueryResult<T> {
    let begin = match conn.dialect() {
        Dialect::Sqlite => "BEGIN",
        Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ",
    };
    begun_with(conn, begin, f)
}

/// The write generation to keep counts under, read in the current
/// transaction: on PostgreSQL the one all instances share, on SQLite this
/// process's (`None`: the generation taken when the request began).
pub fn shared_generation(conn: &mut Conn) -> diesel::QueryResult<Option<u64>> {
    match conn.dialect() {
        Dialect::Postgres => postgres::generation(conn).map(Some),
        Dialect::Sqlite => Ok(None),
    }
}

/// `f` in a write transaction: on SQLite `BEGIN IMMEDIATE`, which takes the
/// write lock at once rather than at the first write, so that a group that
/// cannot have it fails before any write in it runs. On PostgreSQL, a
/// transaction whose first statement bumps the write generation: that
/// row's lock runs writes from every instance and command one at a time
/// (each then reads what the one before it wrote, so checks such as
/// `If-Match` hold across instances exactly as SQLite's one writer makes
/// them hold in one), and every instance's cached counts see the change.
/// Inside another transaction, a savepoint of it.
pub fn write_transaction<T, E: From<diesel::result::Error>>(
    conn: &mut Conn,
    f: impl FnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E> {
    match conn.dialect() {
        Dialect::Sqlite => begun_with(conn, "BEGIN IMMEDIATE", f),
        Dialect::Postgres => begun_with(conn, "BEGIN", |conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute(postgres::BUMP_GENERATION)?;
            f(conn)
        }),
    }
}

/// `f` in a transaction begun with `begin` (Diesel's `transaction` says
/// only `BEGIN`), or in a savepoint when one is open already. Begun on the
/// store's own connection, whose transaction manager the `transaction`s
/// inside `f` then count as savepoints of it.
fn begun_with<T, E: From<diesel::result::Error>>(
    conn: &mut Conn,
    begin: &str,
    f: impl FnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let depth = <Conn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()?;
    if depth.is_some() {
        return conn.transaction(f);
    }
    crate::on_store!(conn, |c| AnsiTransactionManager::begin_transaction_sql(
        c, begin
    ))?;
    let result = f(conn);
    let ended = crate::on_store!(conn, |c| match &result {
        Ok(_) => AnsiTransactionManager::commit_transaction(c),
        Err(_) => AnsiTransactionManager::rollback_transaction(c),
    });
    match (result, ended) {
        (Ok(value), Ok(())) => Ok(value),
        (Ok(_), Err(commit)) => {
            // The commit failed (a full disk, say): undo what is left.
            let _ = crate::on_store!(conn, |c| AnsiTransactionManager::rollback_transaction(c));
            Err(commit.into())
        }
        (Err(e), _) => Err(e),
    }
}
