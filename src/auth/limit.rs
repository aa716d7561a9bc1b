//! Write rate limits, per key: a token bucket (governor) that refills at
//! `rate` writes a second and holds twice that.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Shared by every worker, as `web::Data<WriteLimiter>`.
pub struct WriteLimiter {
    limiter: DefaultKeyedRateLimiter<i32>,
    clock: DefaultClock,
    burst: NonZeroU32,
}

impl WriteLimiter {
    /// `rate` writes a second per key, in bursts of up to twice that.
    pub fn new(rate: NonZeroU32) -> Self {
        let burst = rate.saturating_mul(NonZeroU32::MIN.saturating_add(1));
        WriteLimiter {
            limiter: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
            burst,
        }
    }

    /// Takes one write from the key's bucket, or a 429 saying when to retry.
    pub fn check(&self, key_id: i32) -> Result<(), ApiError> {
        self.limiter
            .check_key(&key_id)
            .map_err(|not_until| self.retry_after(not_until))
    }

    /// Takes `writes` more from the key's bucket (at most a full bucket),
    /// or a 429 saying when to retry.
    pub fn check_n(&self, key_id: i32, writes: u32) -> Result<(), ApiError> {
        let Some(writes) = NonZeroU32::new(writes.min(self.burst.get())) else {
            return Ok(());
        };
        match self.limiter.check_key_n(&key_id, writes) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(self.retry_after(not_until)),
            // Cannot happen: `writes` is at most the burst.
            Err(_) => Err(ApiError::TooManyRequests(1)),
        }
    }

    fn retry_after(
        &self,
        not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>,
    ) -> ApiError {
        let wait = not_until.wait_time_from(self.clock.now());
        ApiError::TooManyRequests((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
    }
}
