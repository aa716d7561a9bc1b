//! The representation cache: the answers to reads, kept whole (status,
//! headers, bytes) until the next write, so that a page read again is sent
//! without a query, a relation, JSON or a hash.
//!
//! An answer is kept under what selects it: the request target as the
//! client named it (scheme, host, path and query: `Link` headers quote
//! them), `Accept`, and the audience (anonymous, or a key's scope, which
//! decides the drafts shown). It is served only while the write generation
//! it was made under is still the current one. The generation moves before
//! any write is acknowledged (on PostgreSQL, in the database every
//! instance reads), and it is read before the answer is made, so a kept
//! answer is never older than the last acknowledged write.
//!
//! Only `200`s to `GET` (and so `HEAD`) under the API prefix are kept:
//! whole bodies of at most [`MAX_ENTRY`] bytes in memory, streamed ones
//! (downloads) in files (`cache/files.rs`). Compression, ETags of compressed
//! bytes, `304`s and CORS are applied around this layer, to kept answers
//! as to fresh ones.

mod files;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{Error, HttpResponse};
use moka::sync::Cache;

use crate::auth::{Reader, Scope};
use crate::db::Db;
use crate::http::API_PREFIX;

/// Largest body kept: a page of 100 long records is about 120 KB.
pub const MAX_ENTRY: usize = 1 << 20;
/// Selectors with a lock of their own at once (a lock is dropped after ten
/// idle seconds).
const MAKING: u64 = 10_000;

/// The answers kept, bounded in bytes (`RESPONSE_CACHE_MB`; zero keeps
/// none), and the locks that make one request of many that miss the same
/// answer at once make it.
pub struct Representations {
    kept: Option<Cache<Selector, Kept>>,
    files: Option<Arc<files::StoredFiles>>,
    making: Cache<Selector, Arc<tokio::sync::Mutex<()>>>,
    /// The newest write generation a read has seen here.
    newest: AtomicU64,
    /// Whether an answer was kept since the memory was last let go of.
    filled: AtomicBool,
}

/// What selects one representation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    audience: Option<Scope>,
    /// `scheme://host/path?query`, then `Accept`.
    target: Box<str>,
}

/// One kept answer.
#[derive(Clone)]
struct Kept {
    generation: u64,
    status: StatusCode,
    headers: std::sync::Arc<HeaderMap>,
    body: Bytes,
}

impl Representations {
    /// A cache of at most `bytes` bytes of answers in memory (bodies,
    /// headers and targets counted), and `file_bytes` of downloads in
    /// files.
    pub fn new(bytes: u64, file_bytes: u64) -> Representations {
        let kept = (bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(bytes)
                .weigher(|selector: &Selector, kept: &Kept| {
                    let headers: usize = kept
                        .headers
                        .iter()
                        .map(|(name, value)| name.as_str().len() + value.len())
                        .sum();
                    (selector.target.len() + headers + kept.body.len() + 64)
                        .try_into()
                        .unwrap_or(u32::MAX)
                })
                .build()
        });
        let files = (file_bytes > 0).then(|| Arc::new(files::StoredFiles::new(file_bytes)));
        Representations {
            kept,
            files,
            making: Cache::builder()
                .max_capacity(MAKING)
                .time_to_idle(std::time::Duration::from_secs(10))
                .build(),
            newest: AtomicU64::new(0),
            filled: AtomicBool::new(false),
        }
    }

    /// Keeps `kept` for `selector`.
    fn keep(&self, selector: Selector, kept: Kept) {
        if let Some(memory) = &self.kept {
            memory.insert(selector, kept);
            self.filled.store(true, Ordering::Release);
        }
    }

    /// Lets go of every answer in memory, if any was kept since the last
    /// time: a write made them all stale, and the memory they hold is
    /// better used by what comes next (a loop of writes would otherwise run
    /// on top of up to `RESPONSE_CACHE_MB` of answers no one can be sent).
    /// They are dropped at once from what is served, and their memory is
    /// freed on the blocking pool (moka frees it in its housekeeping, which
    /// nothing else would run while only writes come), then given back to
    /// the system.
    pub fn forget(&self) -> Option<actix_web::rt::task::JoinHandle<()>> {
        let memory = self.kept.as_ref()?;
        if !self.filled.swap(false, Ordering::AcqRel) {
            return None;
        }
        memory.invalidate_all();
        let memory = memory.clone();
        Some(actix_web::rt::task::spawn_blocking(move || {
            memory.run_pending_tasks();
            give_back_freed_memory();
        }))
    }

    /// How many answers are kept in memory (after moka's housekeeping).
    pub fn answers_in_memory(&self) -> u64 {
        self.kept.as_ref().map_or(0, |memory| {
            memory.run_pending_tasks();
            memory.entry_count()
        })
    }

    /// Notes that a read saw `generation`: the first to see a newer one
    /// than any before lets go of the answers (a write through another
    /// instance, or another process on the SQLite file, moved it).
    fn seen(&self, generation: u64) -> Option<actix_web::rt::task::JoinHandle<()>> {
        if self.newest.fetch_max(generation, Ordering::Relaxed) < generation {
            return self.forget();
        }
        None
    }

    /// The answer kept for `selector` under `generation`, in memory or in
    /// a file.
    fn answer(&self, selector: &Selector, generation: u64) -> Option<HttpResponse> {
        if let Some(kept) = self.get(selector, generation) {
            return Some(kept.answer());
        }
        self.files.as_ref()?.answer(selector, generation)
    }

    /// The answer kept for `selector`, if made under `generation`.
    fn get(&self, selector: &Selector, generation: u64) -> Option<Kept> {
        self.kept
            .as_ref()?
            .get(selector)
            .filter(|kept| kept.generation == generation)
    }

    /// The lock held while the answer for `selector` is made: after a
    /// write, every client of a popular page misses it at once, and each
    /// would make the same answer on a connection of its own. One lock per
    /// selector, so that nothing else waits.
    fn making(&self, selector: &Selector) -> Arc<tokio::sync::Mutex<()>> {
        self.making.get_with_by_ref(selector, Arc::default)
    }
}

impl Kept {
    /// The kept answer.
    fn answer(self) -> HttpResponse {
        let mut answer = HttpResponse::new(self.status);
        *answer.headers_mut() = HeaderMap::clone(&self.headers);
        answer.set_body(self.body).map_into_boxed_body()
    }
}

/// What selects the answer to `req` for `reader`.
fn selector(req: &ServiceRequest, reader: &Reader) -> Selector {
    let info = req.connection_info();
    let accept = req
        .headers()
        .get_all(header::ACCEPT)
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
        .collect::<Vec<_>>()
        .join(",");
    let target = req.uri().path_and_query().map_or("", |t| t.as_str());
    Selector {
        audience: reader.audience(),
        target: format!("{}://{}{target}\n{accept}", info.scheme(), info.host()).into(),
    }
}

/// The middleware: answers a read from the cache when it can, and keeps
/// what the routes answer when it may.
pub async fn layer(
    req: ServiceRequest,
    next: Next<impl MessageBody + Unpin + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    let cache = req.app_data::<Data<Representations>>().cloned();
    let db = req.app_data::<Data<Db>>().cloned();
    let (Some(cache), Some(db)) = (cache, db) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let api = req.path().starts_with(API_PREFIX);
    let read = req.method() == Method::GET && api;
    if (cache.kept.is_none() && cache.files.is_none()) || !read {
        let write = api && !req.method().is_safe();
        let res = next.call(req).await?;
        if write && res.status().is_success() {
            let _ = cache.forget();
        }
        return Ok(res.map_into_left_body());
    }
    // Anything that goes wrong here (the database down, a key that is not
    // valid) is the route's to answer, with the problem it explains.
    let Ok(generation) = db.generation().await else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let Ok(reader) = Reader::resolve(req.request(), generation).await else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let _ = cache.seen(generation);
    let selector = selector(&req, &reader);
    if let Some(answer) = cache.answer(&selector, generation) {
        return Ok(req.into_response(answer).map_into_right_body());
    }
    let making = cache.making(&selector);
    let _making = making.lock().await;
    if let Some(answer) = cache.answer(&selector, generation) {
        return Ok(req.into_response(answer).map_into_right_body());
    }
    let res = next.call(req).await?;
    if res.status() != StatusCode::OK {
        return Ok(res.map_into_left_body());
    }
    let size = res.response().body().size();
    if let (BodySize::Stream, Some(files)) = (size, &cache.files) {
        let (req, res) = res.into_parts();
        let (res, body) = res.into_parts();
        let headers = res.headers().clone();
        let tee = files.store(selector, generation, res.status(), headers, body);
        let res = res.set_body(tee).map_into_boxed_body();
        return Ok(ServiceResponse::new(req, res).map_into_right_body());
    }
    let small = matches!(size, BodySize::Sized(n) if n as usize <= MAX_ENTRY);
    if !small || cache.kept.is_none() {
        return Ok(res.map_into_left_body());
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let body = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return Ok(ServiceResponse::new(req, res.set_body(body)).map_into_left_body()),
    };
    let kept = Kept {
        generation,
        status: res.status(),
        headers: std::sync::Arc::new(res.headers().clone()),
        body: body.clone(),
    };
    cache.keep(selector, kept);
    let res = res.set_body(body).map_into_boxed_body();
    Ok(ServiceResponse::new(req, res).map_into_right_body())
}

/// Gives the memory malloc holds free back to the system: the answers
/// were made on other threads than the writes that come next, and glibc
/// keeps each thread's freed memory in that thread's arena.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of malloc's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests;
