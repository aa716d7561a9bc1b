//! Timestamps: stored as UTC `NaiveDateTime`, shown as RFC 3339 with `Z`.

use chrono::{NaiveDateTime, SecondsFormat, Timelike, Utc};
use serde::Serializer;

/// The current time, for `created_at` and `updated_at`, to the second: what
/// is stored is exactly what is shown, so a cursor made from the shown
/// value finds its row again.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond(0).unwrap_or(now)
}

/// Serializes a UTC timestamp as `2024-06-18T09:30:00Z`.
pub fn rfc3339<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&shown(at))
}

/// A UTC timestamp as shown: `2024-06-18T09:30:00Z`.
pub fn shown(at: &NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}
