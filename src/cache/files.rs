//! Stored downloads: a streamed answer (a CSV, NDJSON or GeoJSON download,
//! the whole export) written to a file as it is sent, and sent from that
//! file to whoever asks for the same thing under the same write generation.
//! A million events take seconds to read and format, and a moment to send
//! from a file.
//!
//! The files have no name: each is made unlinked in the system's temporary
//! folder (`O_TMPFILE` where the system has it), so nobody else can open
//! it, and it is gone with the last handle, or with the process however it
//! ends. They are bounded in bytes (`DOWNLOAD_CACHE_MB`; those being
//! written within the same budget again), and at most [`WRITERS`] are
//! written at once. A download is
//! stored only when it was sent whole: one the client hung up on, that
//! failed, or that outgrew the budget leaves nothing behind.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::task::{Context, Poll};

use actix_web::HttpResponse;
use actix_web::body::{BodySize, MessageBody, SizedStream};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::web::{self, Bytes};
use moka::sync::Cache;

use super::Selector;

/// Chunks a download may run ahead of the disk before it is not stored.
const AHEAD: usize = 32;
/// Bytes read from a stored file at a time.
const READ_CHUNK: u64 = 256 * 1024;
/// Downloads written to files at once; more are sent without one.
const WRITERS: usize = 4;

/// The stored downloads.
pub struct StoredFiles {
    budget: u64,
    kept: Cache<Selector, Arc<Stored>>,
    /// Bytes of files still being written, and how many are.
    writing: AtomicU64,
    writers: AtomicUsize,
}

/// One stored download.
struct Stored {
    generation: u64,
    file: File,
    size: u64,
    status: StatusCode,
    headers: HeaderMap,
}

impl StoredFiles {
    /// At most `budget` bytes of files.
    pub fn new(budget: u64) -> StoredFiles {
        StoredFiles {
            budget,
            kept: Cache::builder()
                .max_capacity(budget.div_ceil(1024))
                // In KiB: moka weighs in u32.
                .weigher(|_: &Selector, stored: &Arc<Stored>| {
                    stored.size.div_ceil(1024).try_into().unwrap_or(u32::MAX)
                })
                .build(),
            writing: AtomicU64::new(0),
            writers: AtomicUsize::new(0),
        }
    }

    /// The stored download for `selector` made under `generation`, as an
    /// answer read from its file a chunk at a time on the blocking pool
    /// (a client that reads slowly holds no thread).
    pub(super) fn answer(&self, selector: &Selector, generation: u64) -> Option<HttpResponse> {
        let stored = self.kept.get(selector)?;
        if stored.generation != generation {
            // Made before a write: nobody will be sent it again.
            self.kept.invalidate(selector);
            return None;
        }
        let (size, status, headers) = (stored.size, stored.status, stored.headers.clone());
        let chunks = futures_util::stream::try_unfold(0u64, move |offset| {
            let stored = stored.clone();
            async move {
                if offset >= stored.size {
                    return Ok::<_, std::io::Error>(None);
                }
                let length = READ_CHUNK.min(stored.size - offset);
                let chunk = web::block(move || {
                    let mut buffer = vec![0; length as usize];
                    stored
                        .file
                        .read_exact_at(&mut buffer, offset)
                        .map(|()| buffer)
                })
                .await
                .map_err(std::io::Error::other)??;
                Ok(Some((Bytes::from(chunk), offset + length)))
            }
        });
        let mut answer = HttpResponse::new(status);
        *answer.headers_mut() = headers;
        let body = SizedStream::new(size, Box::pin(chunks));
        Some(answer.set_body(body).map_into_boxed_body())
    }

    /// `body`, sent as it is and written to a file on the side, stored
    /// under `selector` and `generation` if it was sent whole (and if a
    /// writer is free: else just `body`).
    pub(super) fn store<B: MessageBody>(
        self: &Arc<Self>,
        selector: Selector,
        generation: u64,
        status: StatusCode,
        headers: HeaderMap,
        body: B,
    ) -> Tee<B> {
        let busy = self
            .writers
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < WRITERS).then_some(n + 1)
            })
            .is_err();
        if busy {
            return Tee { body, sink: None };
        }
        let (sink, chunks) = sync_channel(AHEAD);
        let files = self.clone();
        let written = std::thread::Builder::new()
            .name("stored-download".into())
            .spawn(move || {
                files.write(selector, (generation, status, headers), chunks);
                files.writers.fetch_sub(1, Ordering::SeqCst);
            });
        if written.is_err() {
            self.writers.fetch_sub(1, Ordering::SeqCst);
        }
        Tee {
            body,
            sink: written.ok().map(|_| sink),
        }
    }

    /// Writes what arrives on `chunks` to a new file, and keeps it if the
    /// end is marked (an empty chunk) within the budget.
    fn write(
        &self,
        selector: Selector,
        (generation, status, headers): (u64, StatusCode, HeaderMap),
        chunks: Receiver<Bytes>,
    ) {
        let mut size = 0u64;
        let file = (|| {
            let mut file = tempfile::tempfile().ok()?;
            loop {
                let chunk = chunks.recv().ok()?;
                if chunk.is_empty() {
                    return Some(file);
                }
                let length = chunk.len() as u64;
                size += length;
                // Files being written share the budget too, so that the
                // disk holds at most twice it, and that only until the
                // new files have pushed out the old.
                if self.writing.fetch_add(length, Ordering::SeqCst) + length > self.budget {
                    return None;
                }
                file.write_all(&chunk).ok()?;
            }
        })();
        self.writing.fetch_sub(size, Ordering::SeqCst);
        if let Some(file) = file {
            let stored = Stored {
                generation,
                file,
                size,
                status,
                headers,
            };
            self.kept.insert(selector, Arc::new(stored));
        }
    }
}

/// A streamed body that hands each chunk to the file writer as it passes.
pub struct Tee<B> {
    body: B,
    /// `None` once the file is given up: the disk fell behind, or the
    /// writer is gone (or there was none).
    sink: Option<SyncSender<Bytes>>,
}

impl<B: MessageBody + Unpin> MessageBody for Tee<B> {
    type Error = B::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        let polled = std::pin::Pin::new(&mut this.body).poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(chunk))) if !chunk.is_empty() => {
                let sent = this.sink.as_ref().map(|sink| sink.try_send(chunk.clone()));
                if let Some(Err(TrySendError::Full(_) | TrySendError::Disconnected(_))) = sent {
                    this.sink = None;
                }
            }
            // The end: an empty chunk marks it (a failure just drops the
            // sink, and the writer discards the file).
            Poll::Ready(None) => {
                if let Some(sink) = this.sink.take() {
                    let _ = sink.try_send(Bytes::new());
                }
            }
            Poll::Ready(Some(Err(_))) => this.sink = None,
            _ => {}
        }
        polled
    }
}
