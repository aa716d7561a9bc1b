//! Keys already checked: a key that was valid under the current write
//! generation is still valid, since creating or revoking a key is a write
//! (from the API's process, another instance or the command line), and so
//! is deleting its partner. A request with a known key then costs no
//! database read and no hash.

use std::time::Duration;

use moka::sync::Cache;

use super::Caller;

/// Keys remembered at once: far more than a deployment has.
const KNOWN_KEYS: u64 = 10_000;
/// How long a key is known before the database is asked again (which
/// then records its use, when that is stale: `keys::TOUCH_AFTER_SECONDS`).
const KNOWN_FOR: Duration = Duration::from_secs(60);

/// Valid keys by their full text, each with the write generation under
/// which it was checked. Only keys that were found valid are kept, so
/// that sending made-up keys fills nothing.
pub struct KnownKeys(Cache<String, (u64, Caller)>);

impl Default for KnownKeys {
    fn default() -> Self {
        KnownKeys(
            Cache::builder()
                .max_capacity(KNOWN_KEYS)
                .time_to_live(KNOWN_FOR)
                .build(),
        )
    }
}

impl KnownKeys {
    /// The caller `key` belongs to, if it was valid under `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Caller> {
        self.0
            .get(key)
            .filter(|(checked, _)| *checked == generation)
            .map(|(_, caller)| caller)
    }

    /// Remembers that `key` was valid, as read under `generation` (read
    /// before the key was).
    pub fn insert(&self, key: String, generation: u64, caller: Caller) {
        self.0.insert(key, (generation, caller));
    }
}
