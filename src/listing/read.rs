//! What a list read gives: a page or batch of records, its total, its
//! next cursor and its facets; first as read ([`Read`]), then put together
//! ([`Fetched`]).

use diesel::QueryResult;

use super::Facets;

/// One page of rows, the filtered total, and the next page's cursor.
#[derive(Debug)]
pub struct Fetched<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub next_cursor: Option<String>,
    /// The facet counts, when asked for.
    pub facets: Option<Facets>,
}

/// Rows read from the database per batch of a bulk response or of the
/// CSV lines' fill: larger batches were no faster and cost memory
/// (docs/benchmarks.md).
pub const BATCH: i64 = 500;

/// Reads one page or batch of a list: a collection's plain list query
/// (`events::model::list`).
pub type Fetch<T> = fn(&mut crate::db::Conn, &super::Listing) -> QueryResult<Read<T>>;

/// The records of a page or batch once put together from what was read:
/// rows with their relations grouped in. That needs no database.
type Assembly<T> = Box<dyn FnOnce() -> Vec<T> + Send>;

/// A page or batch as read, its records not yet put together: a bulk
/// response puts each batch together on its own thread while the next one
/// is read, for the reading thread is what bounds an export's pace
/// (docs/benchmarks.md).
pub struct Read<T> {
    assembly: Assembly<T>,
    pub total: i64,
    pub next_cursor: Option<String>,
    pub facets: Option<Facets>,
}

impl<T> Read<T> {
    /// The page, its records put together.
    pub fn assemble(self) -> Fetched<T> {
        Fetched {
            rows: (self.assembly)(),
            total: self.total,
            next_cursor: self.next_cursor,
            facets: self.facets,
        }
    }
}

impl<R> Fetched<R> {
    /// This page as read, its records to be made of its rows by what
    /// `read` returns (`read` itself may use the database: it runs now).
    pub fn then<T, A>(self, read: impl FnOnce(Vec<R>) -> QueryResult<A>) -> QueryResult<Read<T>>
    where
        A: FnOnce() -> Vec<T> + Send + 'static,
    {
        Ok(Read {
            assembly: Box::new(read(self.rows)?),
            total: self.total,
            next_cursor: self.next_cursor,
            facets: self.facets,
        })
    }

    /// This page as read, its rows the records as they are.
    pub fn ready(self) -> Read<R>
    where
        R: Send + 'static,
    {
        let rows = self.rows;
        Read {
            assembly: Box::new(move || rows),
            total: self.total,
            next_cursor: self.next_cursor,
            facets: self.facets,
        }
    }
}
