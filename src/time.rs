//! Timestamps: stored as UTC `NaiveDateTime`, shown as RFC 3339 with `Z`.

use chrono::{NaiveDateTime, SecondsFormat, Utc};
use serde::Serializer;

/// The current time, for `created_at` and `updated_at`.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Serializes a UTC timestamp as `2024-06-18T09:30:00Z`.
pub fn rfc3339<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true))
}
