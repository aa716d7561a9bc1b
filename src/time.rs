//! Timestamps: stored as UTC `NaiveDateTime`, shown as RFC 3339 with `Z`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Timelike, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::{Date, Nullable, Timestamp};
use diesel::sqlite::{Sqlite, SqliteValue};

use crate::db::MultiBackend;
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

/// A stored value of SQL type `$sql` read as `$value` by `$fast` on
/// SQLite, which stores it as text; text `$fast` does not take (`None`),
/// and PostgreSQL's binary values, are left to Diesel. A row field's
/// `deserialize_as`.
macro_rules! fast_read {
    ($(#[$doc:meta])* $name:ident($value:ty): $sql:ty, $fast:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, diesel::deserialize::FromSqlRow)]
        pub struct $name(pub $value);

        impl From<$name> for $value {
            fn from(read: $name) -> Self {
                read.0
            }
        }

        impl FromSql<$sql, Sqlite> for $name {
            fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                if let Some(read) = $fast(value.read_text().as_bytes()) {
                    return Ok($name(read));
                }
                <$value as FromSql<$sql, Sqlite>>::from_sql(value).map($name)
            }
        }

        impl FromSql<$sql, Pg> for $name {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                <$value as FromSql<$sql, Pg>>::from_sql(value).map($name)
            }
        }

        impl FromSql<$sql, MultiBackend> for $name {
            fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                value.from_sql::<Self, $sql>()
            }
        }
    };
}

fast_read! {
    /// A stored timestamp, read without chrono's format-driven parser.
    /// Diesel tries up to 18 `strftime` formats on every timestamp it
    /// reads, each parsed anew: 6% of a CSV export's CPU. What the API
    /// stores is always `YYYY-MM-DD HH:MM:SS` (to the second), read here
    /// digit by digit.
    Stamp(NaiveDateTime): Timestamp, stored
}

fast_read! {
    /// A stored date, `YYYY-MM-DD` read digit by digit as [`Stamp`] reads a
    /// timestamp (Diesel's `strftime` parser was 3% of a CSV export's CPU).
    Day(NaiveDate): Date, stored_day
}

/// A stored date that may be missing (`NULL`), read as [`Day`].
#[derive(Debug, Clone, Copy, PartialEq, diesel::deserialize::FromSqlRow)]
pub struct MaybeDay(pub Option<NaiveDate>);

impl From<MaybeDay> for Option<NaiveDate> {
    fn from(day: MaybeDay) -> Self {
        day.0
    }
}

impl<DB: Backend> FromSql<Nullable<Date>, DB> for MaybeDay
where
    Day: FromSql<Date, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
        Day::from_sql(value).map(|day| MaybeDay(Some(day.0)))
    }

    fn from_nullable_sql(value: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match value {
            Some(value) => Self::from_sql(value),
            None => Ok(MaybeDay(None)),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS`, or `None` for anything else (an impossible date
/// included).
fn stored(text: &[u8]) -> Option<NaiveDateTime> {
    let (day, time) = text.split_at_checked(10)?;
    let &[b' ', h0, h1, b':', n0, n1, b':', s0, s1] = time else {
        return None;
    };
    let time = NaiveTime::from_hms_opt(number(&[h0, h1])?, number(&[n0, n1])?, number(&[s0, s1])?)?;
    Some(stored_day(day)?.and_time(time))
}

/// `YYYY-MM-DD`, or `None` for anything else (an impossible date included).
fn stored_day(text: &[u8]) -> Option<NaiveDate> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text else {
        return None;
    };
    let year = i32::try_from(number(&[y0, y1, y2, y3])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[m0, m1])?, number(&[d0, d1])?)
}

/// ASCII digits as a number; `None` if any is not a digit.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &digit| {
        digit
            .is_ascii_digit()
            .then(|| value * 10 + u32::from(digit - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[test]
    fn stored_timestamps_read_as_diesel_reads_them() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let read = |conn: &mut SqliteConnection, text: &str| {
            let sql = diesel::dsl::sql::<Timestamp>("CAST(")
                .bind::<Text, _>(text.to_string())
                .sql(" AS TEXT)");
            let ours = diesel::select(sql.clone())
                .get_result::<Stamp>(conn)
                .map(|s| s.0)
                .ok();
            let diesels = diesel::select(sql).get_result::<NaiveDateTime>(conn).ok();
            (ours, diesels)
        };
        for text in [
            "2026-11-26 09:30:00",
            "1999-12-31 23:59:59",
            "2024-02-29 00:00:00",
            // Not what the API writes: left to Diesel's parser.
            "2026-11-26 09:30:00.250",
            "2026-11-26T09:30:00",
            "2026-11-26 09:30",
            // Not a time at all, or an impossible one: an error either way.
            "2026-02-30 00:00:00",
            "2026-11-26 24:00:00",
            "2026-1x-26 09:30:00",
            "",
        ] {
            let (ours, diesels) = read(&mut conn, text);
            assert_eq!(ours, diesels, "{text:?}");
        }
        // The common case really takes the fast path.
        let at = stored(b"2026-11-26 09:30:07").unwrap();
        assert_eq!(shown(&at), "2026-11-26T09:30:07Z");
        assert_eq!(stored(b"2026-11-26 09:30:07.5"), None);
    }

    #[test]
    fn stored_dates_read_as_diesel_reads_them() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        for text in [
            "2026-11-26",
            "2024-02-29",
            "0001-01-01",
            // Not what the API writes: left to Diesel's parser.
            "2026-11-26 09:30:00",
            "20261126",
            // Not a date at all, or an impossible one: an error either way.
            "2026-02-30",
            "2026-13-01",
            "2026-1x-26",
            "",
        ] {
            let sql = || {
                diesel::dsl::sql::<Date>("CAST(")
                    .bind::<Text, _>(text.to_string())
                    .sql(" AS TEXT)")
            };
            let ours = diesel::select(sql())
                .get_result::<Day>(&mut conn)
                .map(|d| d.0)
                .ok();
            let diesels = diesel::select(sql())
                .get_result::<NaiveDate>(&mut conn)
                .ok();
            assert_eq!(ours, diesels, "{text:?}");
            let nullable = || {
                diesel::dsl::sql::<Nullable<Date>>("NULLIF(")
                    .bind::<Text, _>(text.to_string())
                    .sql(", '')")
            };
            let ours = diesel::select(nullable())
                .get_result::<MaybeDay>(&mut conn)
                .map(|d| d.0)
                .ok();
            let diesels = diesel::select(nullable())
                .get_result::<Option<NaiveDate>>(&mut conn)
                .ok();
            assert_eq!(ours, diesels, "{text:?} or null");
        }
        assert_eq!(
            stored_day(b"2026-11-26"),
            NaiveDate::from_ymd_opt(2026, 11, 26)
        );
        assert_eq!(stored_day(b"2026-11-26 "), None);
    }
}
