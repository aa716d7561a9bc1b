//! Bulk data: every collection as CSV or NDJSON, and the whole dataset as
//! one JSON document, streamed in batches so memory stays flat however many
//! rows there are. Lists choose JSON pages or a bulk format here.

mod csv;
mod format;

use csv::{batch_lines, csv_lines};
pub use format::{FileFormat, Format, PlacedFileFormat};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{Bytes, Data};

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use diesel::QueryResult;

use crate::db::Conn;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;

use crate::audit::Audited;
use crate::db::Db;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::geojson;
use crate::lines;
use crate::listing::{Fetched, Listing};
use crate::paging::{PageRequest, page_response};
use crate::tabular::Tabular;

pub use crate::listing::{BATCH, Fetch};

/// What a list request asks for, beside its rows.
pub struct List {
    pub format: Format,
    pub page: PageRequest,
    /// The fields to show; all without `fields=`.
    pub fields: Option<Fields>,
    /// The collection's name, also the download's file name.
    pub name: &'static str,
}

/// Answers a list request: a JSON page, or every matching row as CSV or
/// NDJSON. `prepare` checks what needs the database (related slugs) and
/// runs once, before any byte is sent, so its 400s arrive as such.
pub async fn respond<T, P>(
    db: Data<Db>,
    req: &HttpRequest,
    list: List,
    prepare: P,
    fetch: Fetch<T>,
) -> Result<HttpResponse, ApiError>
where
    T: Audited + Send + 'static,
    P: FnOnce(&mut Conn, &PageRequest) -> Result<Listing, ApiError> + Send + 'static,
{
    let List {
        format,
        page,
        fields,
        name,
    } = list;
    if format == Format::Json {
        let limit = page.limit;
        let counts = db.counts();
        let listed = db
            .read(move |c| {
                let listing = Listing {
                    counts: Some(counts),
                    ..prepare(c, &page)?
                };
                Ok(fetch(c, &listing)?)
            })
            .await?
            .assemble();
        return Ok(match fields {
            None => page_response(req, limit, listed),
            Some(fields) => {
                let rows = fields.pick_all(&listed.rows)?;
                let picked = Fetched {
                    rows,
                    total: listed.total,
                    next_cursor: listed.next_cursor,
                    facets: listed.facets,
                };
                page_response(req, limit, picked)
            }
        });
    }
    if page.limit_given {
        return Err(ApiError::query(
            "limit",
            "is for JSON pages; CSV and NDJSON return every matching row",
        ));
    }
    if page.cursor.is_some() {
        return Err(ApiError::query(
            "cursor",
            "is for JSON pages; CSV and NDJSON return every matching row",
        ));
    }
    let mut listing = db.read(move |c| prepare(c, &page)).await?;
    if !listing.facets.is_empty() {
        return Err(ApiError::query(
            "facets",
            "is for JSON pages; CSV and NDJSON return the rows only",
        ));
    }
    listing.limit = BATCH;
    listing.count = false;
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::GeoJson => ("application/geo+json", "geojson"),
        _ => ("application/x-ndjson", "ndjson"),
    };
    if format == Format::Csv && fields.is_none() && listing.sort.by_id() {
        let body = batches(db, listing, move |c, listing| {
            lines::read_batch(c, listing, fetch)
        });
        let body = body
            .enumerate()
            .map(|(i, batch)| batch_lines(batch?, i == 0));
        return Ok(download(content_type, name, extension).streaming(body));
    }
    let body = rows(db, listing, fetch).enumerate().map(move |(i, batch)| {
        let batch = batch?;
        match (format, &fields) {
            (Format::Csv, _) => Ok(csv_lines::<T>(&batch, i == 0, fields.as_ref())),
            (Format::GeoJson, _) => features(&batch, i == 0, fields.as_ref()),
            (_, None) => ndjson_lines(&batch),
            (_, Some(fields)) => ndjson_lines(&fields.pick_all(&batch)?),
        }
    });
    let mut response = download(content_type, name, extension);
    Ok(match format {
        Format::GeoJson => {
            let close = stream::once(async { Ok(Bytes::from_static(geojson::CLOSE)) });
            let open = stream::once(async { Ok(Bytes::from_static(geojson::OPEN)) });
            response.streaming(open.chain(body).chain(close))
        }
        _ => response.streaming(body),
    })
}

/// Every row of a listing, a batch at a time, each batch one database
/// read on the blocking pool (see [`batches`]). Each batch's records are
/// put together with their relations on the response's thread, not the
/// reading one, whose pace bounds the whole (docs/benchmarks.md).
pub fn rows<T: Send + 'static>(
    db: Data<Db>,
    listing: Listing,
    fetch: Fetch<T>,
) -> impl Stream<Item = Result<Vec<T>, ApiError>> {
    let read = move |c: &mut Conn, listing: &Listing| {
        let read = fetch(c, listing)?;
        let next = read.next_cursor.clone();
        Ok((read, next))
    };
    batches(db, listing, read).map(|batch| batch.map(|read| read.assemble().rows))
}

/// What `read` gives for each batch of a listing, in order: it reads one
/// batch (on the blocking pool) and tells the cursor of the next. The next
/// batch is read while the one before it is put together and sent: a task
/// reads ahead, at most one batch beyond the one the response is on, so
/// memory stays flat; it stops when the response is dropped (a client
/// that hangs up).
fn batches<X, F>(db: Data<Db>, listing: Listing, read: F) -> impl Stream<Item = Result<X, ApiError>>
where
    X: Send + 'static,
    F: Fn(&mut Conn, &Listing) -> QueryResult<(X, Option<String>)> + Copy + Send + 'static,
{
    let (batches, received) = tokio::sync::mpsc::channel(1);
    actix_web::rt::spawn(async move {
        let mut state = Some(listing);
        while let Some(listing) = state.take() {
            // The count cache as of this batch, for the summaries of its
            // relations: taken before the batch's snapshot begins.
            let listing = Listing {
                counts: Some(db.counts()),
                ..listing
            };
            let result = db
                .read(move |c| {
                    let (batch, cursor) = read(c, &listing)?;
                    let next = match cursor {
                        Some(cursor) => Some(Listing {
                            after: Some(listing.sort.decode(&cursor)?),
                            ..listing
                        }),
                        None => None,
                    };
                    Ok((batch, next))
                })
                .await;
            let batch = result.map(|(batch, next)| {
                state = next;
                batch
            });
            if batches.send(batch).await.is_err() {
                return;
            }
        }
    });
    stream::unfold(received, |mut received| async move {
        let batch = received.recv().await?;
        Some((batch, received))
    })
}

/// A download's response, its body still to come: `name.extension`.
fn download(content_type: &str, name: &str, extension: &str) -> HttpResponseBuilder {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("{name}.{extension}"))],
        })
        .take()
}

/// A batch as GeoJSON features, comma-separated (led by a comma unless it
/// is the first batch).
fn features<T: Tabular>(
    batch: &[T],
    first: bool,
    fields: Option<&Fields>,
) -> Result<Bytes, ApiError> {
    let mut out = Vec::with_capacity(batch.len() * 320);
    let fail = |e: serde_json::Error| ApiError::Internal(e.into());
    for (j, row) in batch.iter().enumerate() {
        if !(first && j == 0) {
            out.push(b',');
        }
        let id = row.record_id().into();
        let point = row.point();
        match fields {
            None => serde_json::to_writer(
                &mut out,
                &geojson::Feature {
                    id,
                    point,
                    properties: row,
                },
            ),
            Some(fields) => {
                let properties = &fields.pick(row)?;
                serde_json::to_writer(
                    &mut out,
                    &geojson::Feature {
                        id,
                        point,
                        properties,
                    },
                )
            }
        }
        .map_err(fail)?;
    }
    Ok(Bytes::from(out))
}

fn ndjson_lines<T: Serialize>(batch: &[T]) -> Result<Bytes, ApiError> {
    let mut out = Vec::with_capacity(batch.len() * 256);
    for row in batch {
        serde_json::to_writer(&mut out, row).map_err(|e| ApiError::Internal(e.into()))?;
        out.push(b'\n');
    }
    Ok(Bytes::from(out))
}

/// The items of a JSON array, a batch at a time: `[`, rows joined by
/// commas, `]`.
pub fn json_array<T: Serialize + Send + 'static>(
    db: Data<Db>,
    listing: Listing,
    fetch: Fetch<T>,
) -> impl Stream<Item = Result<Bytes, ApiError>> {
    let body = rows(db, listing, fetch).enumerate().map(|(i, batch)| {
        let batch = batch?;
        let mut out = Vec::with_capacity(batch.len() * 256);
        for (j, row) in batch.iter().enumerate() {
            if i > 0 || j > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, row).map_err(|e| ApiError::Internal(e.into()))?;
        }
        Ok(Bytes::from(out))
    });
    stream::once(async { Ok(Bytes::from_static(b"[")) })
        .chain(body)
        .chain(stream::once(async { Ok(Bytes::from_static(b"]")) }))
}
