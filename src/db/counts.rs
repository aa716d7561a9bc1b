//! The count cache: list totals counted once per write generation and
//! filter, and counted once however many requests ask at the same time;
//! also what else is read once per generation (the partner and thematic
//! area summaries of `relations::known`).

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

/// List totals already counted, valid until the next write. Counting the
/// rows a filter matches costs a scan; lists are read far more often than
/// written, so a total is counted once per write generation and filter
/// (`Db::generation` says when writes by another process are seen).
#[derive(Debug, Default)]
pub struct CountCache {
    pub(super) generation: Arc<AtomicU64>,
    /// Totals (`i64`) and facet counts, each under its query's SQL; the
    /// kept summaries under keys that start with a NUL.
    totals: Mutex<HashMap<String, (u64, Cached)>>,
    /// Held while a total is counted, one per stripe of the keys' hashes:
    /// a request that misses waits for one already counting the same total
    /// instead of counting it again. After a write, every concurrent
    /// request for a filter missed at once, and each ran the same count (a
    /// quarter of a second on a million rows) on a connection of its own.
    counting: [Mutex<()>; 16],
}

/// A cached result: a total, or the counts of a list's facets.
type Cached = Arc<dyn Any + Send + Sync>;

/// Entries kept before the cache starts over.
const COUNT_CACHE_SIZE: usize = 4096;

/// The count cache as of one moment: read the generation *before* the
/// query whose total it caches starts its snapshot.
#[derive(Debug, Clone)]
pub struct Counts {
    pub(super) cache: Arc<CountCache>,
    pub(super) generation: u64,
    /// Whether `generation` was read in the transaction that uses it (on
    /// PostgreSQL): it cannot change there, so it is not read again.
    pub(super) read_in_snapshot: bool,
}

impl Counts {
    /// The same cache, under another generation (one read from the
    /// database that several instances share, in the current snapshot).
    pub fn at(&self, generation: u64) -> Counts {
        Counts {
            cache: self.cache.clone(),
            generation,
            read_in_snapshot: true,
        }
    }

    /// Whether the generation was read in the current snapshot.
    pub fn read_in_snapshot(&self) -> bool {
        self.read_in_snapshot
    }

    /// The count under `key` (a total, or a list's facet counts), counted
    /// by `count` unless a write since made it stale.
    pub fn get_or<T, E>(&self, key: String, count: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
    {
        let lookup = |totals: &HashMap<String, (u64, Cached)>| {
            totals
                .get(&key)
                .filter(|(g, _)| *g == self.generation)
                .and_then(|(_, cached)| cached.downcast_ref::<T>().cloned())
        };
        if let Some(total) = self.cache.totals.lock().ok().and_then(|t| lookup(&t)) {
            return Ok(total);
        }
        let stripe = {
            use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
            let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(&key);
            &self.cache.counting[hash as usize % self.cache.counting.len()]
        };
        // A poisoned stripe only means a count panicked; counting is safe.
        let _counting = stripe
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(total) = self.cache.totals.lock().ok().and_then(|t| lookup(&t)) {
            return Ok(total);
        }
        let total = count()?;
        if let Ok(mut totals) = self.cache.totals.lock() {
            if totals.len() >= COUNT_CACHE_SIZE {
                totals.clear();
            }
            totals.insert(key, (self.generation, Arc::new(total.clone())));
        }
        Ok(total)
    }
}
