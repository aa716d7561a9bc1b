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
}

impl WriteLimiter {
    /// `rate` writes a second per key, in bursts of up to twice that.
    pub fn new(rate: NonZeroU32) -> Self {
        let burst = rate.saturating_mul(NonZeroU32::MIN.saturating_add(1));
        WriteLimiter {
            limiter: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one write from the key's bucket, or a 429 saying when to retry.
    pub fn check(&self, key_id: i32) -> Result<(), ApiError> {
        self.limiter.check_key(&key_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::TooManyRequests((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
        })
    }
}
