//! Stored downloads: a streamed answer (a CSV, NDJSON or GeoJSON download,
//! the whole export) written to a file as it is sent, and sent from that
//! file to whoever asks for the same thing under the same write generation.
//! A million events take seconds to read and format, and a moment to send
//! from a file.
//!
//! Files live in a folder of their own, bounded in bytes
//! (`EXPORT_CACHE_MB`); one that is evicted, or made stale by a write and
//! replaced, is deleted once nobody is reading it. A download is stored
//! only when it was sent whole: one the client hung up on, that failed, or
//! that outgrew the budget leaves nothing behind.

use std::fs::File;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::task::{Context, Poll};

use actix_web::HttpResponse;
use actix_web::body::{BodySize, MessageBody, SizedStream};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::web::Bytes;
use moka::sync::Cache;

use super::Selector;

/// Chunks a download may run ahead of the disk before it is not stored.
const AHEAD: usize = 32;
/// Bytes read from a stored file at a time.
const READ_CHUNK: usize = 256 * 1024;

/// The stored downloads, and where their files go.
pub struct StoredFiles {
    dir: PathBuf,
    budget: u64,
    kept: Cache<Selector, Arc<Stored>>,
    names: AtomicU64,
}

/// One stored download; its file goes with the last holder.
struct Stored {
    generation: u64,
    path: PathBuf,
    size: u64,
    status: StatusCode,
    headers: HeaderMap,
}

impl Drop for Stored {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The folders of stored downloads are named `{FOLDER}-{process id}-{n}`.
const FOLDER: &str = "city-region-api-downloads";

impl StoredFiles {
    /// At most `budget` bytes of files in a new folder under the system's
    /// temporary one. The first call of a process also removes the folders
    /// of processes that are gone (killed, or tests that never dropped
    /// theirs), where the system says which are alive (`/proc`).
    pub fn in_temp(budget: u64) -> StoredFiles {
        static FOLDERS: AtomicU64 = AtomicU64::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let temp = std::env::temp_dir();
        SWEPT.call_once(|| sweep(&temp));
        let n = FOLDERS.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        StoredFiles::new(temp.join(format!("{FOLDER}-{pid}-{n}")), budget)
    }

    /// At most `budget` bytes of files in `dir` (made when first needed,
    /// removed with the last holder of this).
    fn new(dir: PathBuf, budget: u64) -> StoredFiles {
        StoredFiles {
            dir,
            budget,
            kept: Cache::builder()
                .max_capacity(budget.div_ceil(1024))
                // In KiB: moka weighs in u32.
                .weigher(|_: &Selector, stored: &Arc<Stored>| {
                    stored.size.div_ceil(1024).try_into().unwrap_or(u32::MAX)
                })
                .build(),
            names: AtomicU64::new(0),
        }
    }

    /// The stored download for `selector` made under `generation`, as an
    /// answer read from its file.
    pub(super) fn answer(&self, selector: &Selector, generation: u64) -> Option<HttpResponse> {
        let stored = self
            .kept
            .get(selector)
            .filter(|s| s.generation == generation)?;
        let file = File::open(&stored.path).ok()?;
        let (chunks, body) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let (size, kept) = (stored.size, stored.clone());
        actix_web::rt::task::spawn_blocking(move || {
            let _holding = kept;
            let mut file = file;
            loop {
                let mut buffer = vec![0; READ_CHUNK];
                let chunk = match file.read(&mut buffer) {
                    Ok(0) => return,
                    Ok(n) => {
                        buffer.truncate(n);
                        Ok(Bytes::from(buffer))
                    }
                    Err(e) => Err(e),
                };
                let failed = chunk.is_err();
                if chunks.blocking_send(chunk).is_err() || failed {
                    return;
                }
            }
        });
        let body = futures_util::stream::unfold(body, |mut body| async move {
            let chunk = body.recv().await?;
            Some((chunk, body))
        });
        let mut answer = HttpResponse::new(stored.status);
        *answer.headers_mut() = stored.headers.clone();
        Some(
            answer
                .set_body(SizedStream::new(size, Box::pin(body)))
                .map_into_boxed_body(),
        )
    }

    /// `body`, sent as it is and written to a file on the side, stored
    /// under `selector` and `generation` if it was sent whole.
    pub(super) fn store<B: MessageBody>(
        self: &Arc<Self>,
        selector: Selector,
        generation: u64,
        status: StatusCode,
        headers: HeaderMap,
        body: B,
    ) -> Tee<B> {
        let (sink, chunks) = sync_channel(AHEAD);
        let files = self.clone();
        let name = self.names.fetch_add(1, Ordering::Relaxed);
        let stored = Stored {
            generation,
            path: self.dir.join(format!("{name}.download")),
            size: 0,
            status,
            headers,
        };
        let written = std::thread::Builder::new()
            .name("stored-download".into())
            .spawn(move || files.write(selector, stored, chunks));
        Tee {
            body,
            sink: written.ok().map(|_| sink),
        }
    }

    /// Writes what arrives on `chunks` to the file of `stored`, and keeps
    /// it if the end is marked (an empty chunk) within the budget.
    fn write(&self, selector: Selector, mut stored: Stored, chunks: Receiver<Bytes>) {
        let whole = (|| {
            // Only this user may read it: answers to keys hold drafts.
            let mut folder = std::fs::DirBuilder::new();
            folder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
            folder.create(&self.dir).ok()?;
            let mut file = File::create(&stored.path).ok()?;
            loop {
                let chunk = chunks.recv().ok()?;
                if chunk.is_empty() {
                    return Some(());
                }
                stored.size += chunk.len() as u64;
                if stored.size > self.budget {
                    return None;
                }
                file.write_all(&chunk).ok()?;
            }
        })();
        if whole.is_some() {
            self.kept.insert(selector, Arc::new(stored));
        } // else dropped: its file is removed.
    }
}

/// Removes the folders under `temp` of processes that no longer run.
fn sweep(temp: &std::path::Path) {
    let proc = std::path::Path::new("/proc");
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    if !proc.join("self").exists() {
        return;
    }
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(FOLDER))
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && !proc.join(pid.to_string()).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for StoredFiles {
    fn drop(&mut self) {
        self.kept.invalidate_all();
        self.kept.run_pending_tasks();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A streamed body that hands each chunk to the file writer as it passes.
pub struct Tee<B> {
    body: B,
    /// `None` once the file is given up: the disk fell behind, or the
    /// writer is gone.
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
