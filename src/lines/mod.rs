//! Stored CSV lines: each record's line as the export writes it, kept in
//! a table beside the record's (`events_csv` beside `events`) and written
//! in the record's own write transaction. A download in id order then
//! copies lines instead of reading every column and relation of every
//! record and writing it out again (docs/benchmarks.md).
//!
//! A line is *current* while its `format` is this code's [`fingerprint`]
//! of its collection's CSV. The database deletes the lines a change makes
//! untrue, in that change's transaction, whatever makes it (the API, a
//! command, SQL run by hand; on PostgreSQL a write that begins as the
//! API's do, see the migration): a record's when it or a link of it
//! changes, and those that name a partner or a thematic area when its slug
//! changes. So no line older than an acknowledged write is ever sent; a
//! batch that holds a record without a current line is read and written
//! anew, as if no line were stored. Lines are stored ([`store`]) by every
//! write of their record through the API, and in batches by [`fill_now`]
//! and [`fill_later`] (`crate::upkeep` runs them over every collection)
//! where records were loaded without them (the built-in data, `seed
//! --demo`, a copy, an older database) or lost them to a rename.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use serde::Serialize;

use crate::audit::Audited;
use crate::db::Conn;
use crate::listing::{Bind, Clause, Fetch, Listing, Read, bound};
use crate::tabular::{Line, Tabular};

mod fill;

pub use fill::{fill_later, fill_now};

/// The revision of the CSV a record's line is written in. Raise it when a
/// cell is written differently (a column's name or order moves the
/// fingerprint by itself): stored lines of the old revision are then
/// never sent.
const REVISION: u32 = 1;

/// Most records one statement stores (three values each).
const PER_STATEMENT: usize = 200;

/// The fingerprint of `T`'s CSV: its revision and its columns.
pub fn fingerprint<T: Tabular>() -> i64 {
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let revision = REVISION.to_le_bytes();
    let names = T::HEADER.iter().flat_map(|name| name.bytes().chain([0]));
    for byte in revision.into_iter().chain(names) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

/// `record` as one CSV line, CRLF included: what an export writes for it.
pub fn line_of<T: Tabular>(record: &T) -> String {
    let mut line = Line::with_capacity(512);
    record.write_row(&mut line);
    line.end();
    // Cells are copied from `&str`s and ASCII separators: always UTF-8.
    String::from_utf8(line.into_bytes())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Stores the lines of `records`, replacing those they had. Call it
/// inside the write that made them what they are.
pub fn store<T: Audited>(conn: &mut Conn, records: &[T]) -> QueryResult<()> {
    let table = T::COLLECTION.as_str();
    let fingerprint = fingerprint::<T>();
    for chunk in records.chunks(PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table}_csv (id, line, format) VALUES ");
        let mut binds = Vec::with_capacity(chunk.len() * 3);
        for (i, record) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(?, ?, ?)" } else { ", (?, ?, ?)" });
            binds.extend([
                Bind::Int(record.record_id().into()),
                Bind::Text(line_of(record)),
                Bind::Int(fingerprint),
            ]);
        }
        sql.push_str(
            " ON CONFLICT (id) DO UPDATE SET line = excluded.line, format = excluded.format",
        );
        bound(&Clause::new(sql, binds), conn.dialect()).execute(conn)?;
    }
    Ok(())
}

/// The columns of a [`Stored`] row of `T`'s table (aliased `t`): its id,
/// and its line if it is current.
pub fn columns<T: Audited>() -> String {
    let table = T::COLLECTION.as_str();
    format!(
        "t.id, (SELECT l.line FROM {table}_csv l WHERE l.id = t.id AND l.format = {}) AS line",
        fingerprint::<T>()
    )
}

/// A record's id and its current line, if it has one. Written by serde as
/// its id alone: a cursor in id order needs nothing else.
#[derive(QueryableByName, Serialize)]
pub struct Stored {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Nullable<Text>)]
    #[serde(skip)]
    pub line: Option<String>,
}

/// One batch of a list in id order, as read in one snapshot.
pub enum Batch<T> {
    /// Every record's current line, in order, one after another.
    Lines(Vec<u8>),
    /// The records, to put together: one of them had no current line.
    Records(Read<T>),
}

/// Reads one batch of `listing` (in id order) in one snapshot: the ids and
/// current lines of its records, one statement (no transaction: on
/// PostgreSQL its two round trips took a tenth of a download), and if one
/// has none, the records themselves by `fetch` (which reads in a snapshot
/// of its own). With the next batch's cursor. An unfiltered list reads
/// its lines beside the records ([`Listing::rows_beside`]), a filtered
/// one by a subquery a row ([`columns`]).
pub fn read_batch<T: Audited>(
    conn: &mut Conn,
    listing: &Listing,
    fetch: Fetch<T>,
) -> QueryResult<(Batch<T>, Option<String>)> {
    let table = T::COLLECTION.as_str();
    let rows: Vec<Stored> = if listing.filters.is_empty() {
        let on = format!("l.format = {}", fingerprint::<T>());
        listing.rows_beside(conn, table, &format!("{table}_csv"), &on, "t.id, l.line")?
    } else {
        listing.rows_of(conn, table, &columns::<T>())?
    };
    let page = listing.finish(conn, table, rows)?;
    if page.rows.iter().all(|row| row.line.is_some()) {
        let lines = page.rows.iter().filter_map(|row| row.line.as_deref());
        let mut out = Vec::with_capacity(lines.clone().map(str::len).sum());
        lines.for_each(|line| out.extend_from_slice(line.as_bytes()));
        return Ok((Batch::Lines(out), page.next_cursor));
    }
    let read = fetch(conn, listing)?;
    let next = read.next_cursor.clone();
    Ok((Batch::Records(read), next))
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Whether some record of `T`'s table has no current line: fewer current
/// lines than records (a line's record is never gone: deleting a record
/// deletes its line). Two counts from indexes: looking for a record
/// without a line took over a second at a million records.
pub fn any_missing<T: Audited>(conn: &mut Conn) -> QueryResult<bool> {
    let table = T::COLLECTION.as_str();
    let sql = format!(
        "SELECT (SELECT count(*) FROM {table}) \
         - (SELECT count(*) FROM {table}_csv WHERE format = {}) AS n",
        fingerprint::<T>()
    );
    Ok(diesel::sql_query(sql).get_result::<Number>(conn)?.n > 0)
}
