//! A CSV download in id order from the records' stored lines
//! (`crate::lines`): a batch whose every line is current is sent as it was
//! stored; any other is read and written anew, so a download is the same
//! bytes either way.

use actix_web::web::Bytes;
use diesel::QueryResult;

use super::Fetch;
use super::csv::csv_lines;
use crate::audit::Audited;
use crate::db::Conn;
use crate::error::ApiError;
use crate::lines::{self, Stored};
use crate::listing::{Listing, Read};

/// One batch of a download as read.
pub(super) enum Batch<T> {
    /// Every record's stored line, in order, one after another.
    Lines(Vec<u8>),
    /// The records, to put together and write.
    Records(Read<T>),
}

/// Reads one batch of `listing` (in id order) in one snapshot: the ids and
/// current lines of its records, and if one has none, the records
/// themselves by `fetch`. With the next batch's cursor.
pub(super) fn batch<T: Audited + Send + 'static>(
    conn: &mut Conn,
    listing: &Listing,
    fetch: Fetch<T>,
) -> QueryResult<(Batch<T>, Option<String>)> {
    let table = T::COLLECTION.as_str();
    crate::db::snapshot(conn, |conn| {
        let rows: Vec<Stored> = listing.rows_of(conn, table, &lines::columns::<T>())?;
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
    })
}

/// A batch's bytes, led by the header row when it is the first.
pub(super) fn csv<T: Audited>(batch: Batch<T>, first: bool) -> Result<Bytes, ApiError> {
    Ok(match batch {
        Batch::Lines(lines) if first => {
            let mut out = csv_lines::<T>(&[], true, None).to_vec();
            out.extend_from_slice(&lines);
            Bytes::from(out)
        }
        Batch::Lines(lines) => Bytes::from(lines),
        Batch::Records(read) => csv_lines::<T>(&read.assemble().rows, first, None),
    })
}
