//! Lines stored where records have none current: the records read in id
//! order, a batch at a time, each batch its own write transaction, so
//! that writes go on between them. A batch whose records all have current
//! lines is passed over. Run at once by `seed` (`fill_now`), in the
//! background by a server at start and after a write outdated the lines
//! ([`refill`]).

use actix_web::web::Data;
use diesel::QueryResult;

use super::{Stored, any_missing, columns, store};
use crate::audit::Audited;
use crate::db::{Conn, Db, write_transaction};
use crate::error::ApiError;
use crate::listing::{Filters, Listing, Read, Sort};
use crate::{events, partners, recommendations, thematic_areas};

/// Records read per batch, as a download reads them.
const BATCH: i64 = 500;

/// A collection's plain list query (`events::model::list`).
type List<T> = fn(&mut Conn, &Listing) -> QueryResult<Read<T>>;

/// Stores the lines of every record that has none current, now, on
/// `conn`; how many were stored.
pub fn fill_now(conn: &mut Conn) -> Result<usize, ApiError> {
    Ok(fill_table(conn, partners::model::list)?
        + fill_table(conn, thematic_areas::model::list)?
        + fill_table(conn, recommendations::model::list)?
        + fill_table(conn, events::model::list)?)
}

fn fill_table<T: Audited>(conn: &mut Conn, list: List<T>) -> Result<usize, ApiError> {
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

/// As [`fill_now`], in the background, one write per batch through `db`.
/// While a fill runs, asking again runs it once more when it ends, so a
/// write that outdated lines during a fill is not missed.
pub fn refill(db: Data<Db>) {
    if !db.filling().start() {
        return;
    }
    actix_web::rt::spawn(async move {
        loop {
            match refill_all(&db).await {
                Ok(0) => {}
                Ok(n) => log::info!("stored the CSV lines of {n} records"),
                // Lines missing are read anew by downloads: slower, never
                // wrong. The next start or outdating write tries again.
                Err(e) => log::warn!("storing CSV lines stopped: {e}"),
            }
            if !db.filling().finished() {
                return;
            }
        }
    });
}

async fn refill_all(db: &Db) -> Result<usize, ApiError> {
    Ok(refill_table(db, partners::model::list).await?
        + refill_table(db, thematic_areas::model::list).await?
        + refill_table(db, recommendations::model::list).await?
        + refill_table(db, events::model::list).await?)
}

async fn refill_table<T: Audited + Send + 'static>(
    db: &Db,
    list: List<T>,
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
    list: List<T>,
    cursor: Option<&str>,
) -> Result<(usize, Option<String>), ApiError> {
    let table = T::COLLECTION.as_str();
    let dialect = conn.dialect();
    let sort = Sort::parse(None, &[], None, dialect)?;
    let listing = Listing {
        count: false,
        ..Listing::new(Filters::new(dialect), sort, BATCH, cursor)?
    };
    let rows: Vec<Stored> = listing.rows_of(conn, table, &columns::<T>())?;
    let page = listing.finish(conn, table, rows)?;
    if page.rows.iter().all(|row| row.line.is_some()) {
        return Ok((0, page.next_cursor));
    }
    let read = list(conn, &listing)?;
    let next = read.next_cursor.clone();
    let records = read.assemble().rows;
    store(conn, &records)?;
    Ok((records.len(), next))
}
