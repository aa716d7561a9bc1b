//! Id sequences: where each table's next id comes from, read and moved on
//! after rows arrive with ids of their own (a synthetic load, a copy).
//! Ids are never reused, so a sequence only ever moves forward.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::{Conn, Dialect};

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Nullable<BigInt>)]
    n: Option<i64>,
}

/// The last id `table`'s sequence gave out, if it gave any (on SQLite, for
/// the AUTOINCREMENT tables).
pub fn sequence(conn: &mut Conn, table: &str) -> QueryResult<Option<i64>> {
    let sql = match conn.dialect() {
        Dialect::Sqlite => {
            "SELECT CAST(max(seq) AS BIGINT) AS n FROM sqlite_sequence WHERE name = ?"
        }
        Dialect::Postgres => {
            "SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence($1, 'id') AS regclass)) AS n"
        }
    };
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(table)
        .get_result::<Value>(conn)?
        .n)
}

/// The highest id `table` holds, if it holds any row.
pub fn highest_id(conn: &mut Conn, table: &str) -> QueryResult<Option<i64>> {
    Ok(
        diesel::sql_query(format!("SELECT CAST(max(id) AS BIGINT) AS n FROM {table}"))
            .get_result::<Value>(conn)?
            .n,
    )
}

/// Moves `table`'s sequence past its highest id and past `given_out` (the
/// last id another store's sequence gave for it), so that no new row takes
/// an id a row had. Never back.
pub fn ids_past(conn: &mut Conn, table: &str, given_out: Option<i64>) -> QueryResult<()> {
    let highest = highest_id(conn, table)?;
    // Nothing given out yet (no row, or a sequence at 0): nothing to move.
    let Some(past) = highest.max(given_out).filter(|&past| past > 0) else {
        return Ok(());
    };
    if sequence(conn, table)?.is_some_and(|now| now >= past) {
        return Ok(());
    }
    match conn.dialect() {
        // SQLite keeps AUTOINCREMENT's high mark as a row of its own
        // table (a row for any other table is never read).
        Dialect::Sqlite => {
            diesel::sql_query("DELETE FROM sqlite_sequence WHERE name = ?")
                .bind::<Text, _>(table)
                .execute(conn)?;
            diesel::sql_query("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)")
                .bind::<Text, _>(table)
                .bind::<BigInt, _>(past)
                .execute(conn)?;
        }
        Dialect::Postgres => {
            diesel::sql_query(
                "SELECT setval(CAST(pg_get_serial_sequence($1, 'id') AS regclass), $2)",
            )
            .bind::<Text, _>(table)
            .bind::<BigInt, _>(past)
            .execute(conn)?;
        }
    }
    Ok(())
}
