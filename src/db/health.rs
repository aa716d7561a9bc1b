//! Whether the database takes writes. A full disk or a read-only file
//! stops writes, not reads: while it lasts, writes are refused at once
//! with 503 and `Retry-After` (without queueing for the writer), `/ready`
//! says why, and once the wait is over the next write, or `/ready`'s
//! probe, tries again.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::{ApiError, RETRY_WRITES_AFTER};

/// Why writes stopped, and when to try again.
#[derive(Debug, Clone)]
struct Refusal {
    reason: String,
    retry_at: Instant,
}

/// Shared by every clone of `Db`.
#[derive(Debug)]
pub struct WriteHealth {
    state: Mutex<Option<Refusal>>,
    /// How long writes are refused before the next try, in milliseconds.
    retry_ms: AtomicU64,
}

impl Default for WriteHealth {
    fn default() -> Self {
        WriteHealth {
            state: Mutex::default(),
            retry_ms: AtomicU64::new(RETRY_WRITES_AFTER * 1000),
        }
    }
}

impl WriteHealth {
    fn state(&self) -> std::sync::MutexGuard<'_, Option<Refusal>> {
        // A panic while holding this lock left a valid Option behind.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sets how long writes are refused before the next try (tests wait
    /// less than clients are told to).
    pub fn set_retry(&self, wait: Duration) {
        self.retry_ms
            .store(wait.as_millis() as u64, Ordering::Relaxed);
    }

    /// Why writes are refused now, if they are: `None` also once the wait
    /// is over, so that the next write tries again.
    pub fn refusal(&self) -> Option<ApiError> {
        let state = self.state();
        let refusal = state.as_ref()?;
        let left = refusal.retry_at.saturating_duration_since(Instant::now());
        let seconds = (left.as_millis() as u64).div_ceil(1000);
        (!left.is_zero()).then(|| ApiError::Unwritable(refusal.reason.clone(), seconds.max(1)))
    }

    /// Why the database took no writes at the last try, if it did not.
    pub fn reason(&self) -> Option<String> {
        self.state().as_ref().map(|r| r.reason.clone())
    }

    /// Whether a probe is due: writes are refused and the wait is over.
    pub fn probe_due(&self) -> bool {
        self.state()
            .as_ref()
            .is_some_and(|r| r.retry_at <= Instant::now())
    }

    /// Learns from the outcome of a write.
    pub fn observe<T>(&self, result: &Result<T, ApiError>) {
        match result {
            Ok(_) => {
                if self.state().take().is_some() {
                    log::warn!("the database takes writes again");
                }
            }
            Err(ApiError::Unwritable(reason, _)) => self.refuse(reason),
            Err(_) => {}
        }
    }

    /// Refuses writes for a while, for `reason`.
    pub fn refuse(&self, reason: &str) {
        let mut state = self.state();
        if state.is_none() {
            log::warn!("the database takes no writes: {reason}; reads go on");
        }
        *state = Some(Refusal {
            reason: reason.to_string(),
            retry_at: Instant::now() + Duration::from_millis(self.retry_ms.load(Ordering::Relaxed)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_lasts_until_a_write_succeeds() {
        let health = WriteHealth::default();
        assert!(health.refusal().is_none() && health.reason().is_none());
        health.observe::<()>(&Err(ApiError::Unwritable(
            "database or disk is full".into(),
            5,
        )));
        let Some(ApiError::Unwritable(reason, seconds)) = health.refusal() else {
            panic!("writes should be refused");
        };
        assert_eq!((reason.as_str(), seconds), ("database or disk is full", 5));
        assert!(!health.probe_due());
        // Other failures say nothing about the disk.
        health.observe::<()>(&Err(ApiError::PreconditionFailed));
        assert!(health.reason().is_some());
        health.observe(&Ok(()));
        assert!(health.refusal().is_none() && health.reason().is_none());
    }
}
