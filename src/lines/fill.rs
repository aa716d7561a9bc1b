//! Lines stored where records have none current: the records read in id
//! order, a batch at a time, each batch its own write transaction, so
//! that writes go on between them. A batch whose records all have current
//! lines is passed over.

use super::{Batch, any_missing, read_batch, store};
use crate::audit::Audited;
use crate::db::{Conn, Db, write_transaction};
use crate::error::ApiError;
use crate::listing::{BATCH, Fetch, Filters, Listing, Sort};

/// Stores the lines of the records of `T` that have none current, now, on
/// `conn` (the `seed` command); how many were stored.
pub fn fill_now<T: Audited>(conn: &mut Conn, list: Fetch<T>) -> Result<usize, ApiError> {
    if !any_missing::<T>(conn)? {
        return Ok(0);
    }
    let (mut stored, mut cursor) = (0, None);
    loop {
        let (n, next) = write_transaction(conn, |c| batch(c, list, cursor.as_deref()))?;
        stored += n;
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(stored),
        }
    }
}

/// As [`fill_now`], one write per batch through `db` (a server's
/// background task), between the writes of its clients.
pub async fn fill_later<T: Audited + Send + 'static>(
    db: &Db,
    list: Fetch<T>,
) -> Result<usize, ApiError> {
    if !db.read(|c| Ok(any_missing::<T>(c)?)).await? {
        return Ok(0);
    }
    let (mut stored, mut cursor) = (0, None::<String>);
    loop {
        let from = cursor.take();
        let (n, next) = db.write(move |c| batch(c, list, from.as_deref())).await?;
        stored += n;
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(stored),
        }
    }
}

/// One batch of every record of `T`'s table in id order, from `cursor`:
/// their lines stored if any has none current. How many were stored, and
/// the next batch's cursor.
fn batch<T: Audited>(
    conn: &mut Conn,
    list: Fetch<T>,
    cursor: Option<&str>,
) -> Result<(usize, Option<String>), ApiError> {
    let dialect = conn.dialect();
    let sort = Sort::parse(None, &[], None, dialect)?;
    let listing = Listing {
        count: false,
        ..Listing::new(Filters::new(dialect), sort, BATCH, cursor)?
    };
    match read_batch(conn, &listing, list)? {
        (Batch::Lines(_), next) => Ok((0, next)),
        (Batch::Records(read), next) => {
            let records = read.assemble().rows;
            store(conn, &records)?;
            Ok((records.len(), next))
        }
    }
}
