//! Bulk exports stream: serving 100,000 events as CSV, as NDJSON and in the
//! whole-dataset export grows the process's peak memory by less than
//! `BOUND` while each response is several times that size.
//!
//! Its own test binary (so its own process), with one test, so that no
//! other test's memory lands in the measurement.

use std::future::poll_fn;
use std::hash::Hasher;
use std::pin::pin;

use actix_web::body::MessageBody;
use actix_web::test::{self, TestRequest};
use diesel::connection::SimpleConnection;

use city_region_api::app::{AppConfig, build_app};
use city_region_api::db::{Db, connect_and_migrate};
use city_region_api::{seed, upkeep};

const ROWS: usize = 100_000;
/// The bound on peak memory growth while an export streams.
const BOUND: u64 = 16 << 20;

/// VmHWM (peak resident memory) of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number");
    kib * 1024
}

/// Resets VmHWM to the current resident size, so the next reading is the
/// peak of what follows only.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs resets VmHWM");
}

#[actix_web::test]
async fn exporting_100000_events_streams_in_flat_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.db");
    let path = path.to_str().unwrap();
    let mut conn = connect_and_migrate(path).unwrap();
    seed::load(&mut conn).unwrap();
    conn.batch_execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS})
         INSERT INTO events (slug, title, kind, starts_on, city, country_code, host_partner_id,
                             description, created_at, updated_at)
         SELECT 'synthetic-event-' || i, 'Synthetic event ' || i, 'workshop',
                date('2009-01-01', '+' || (i % 700) || ' days'), 'Brno', 'CZ', 1 + i % 8,
                'Synthetic row for the streaming test, \"quoted\", with commas, ' || printf('%0150d', i),
                '2026-01-01 00:00:00', '2026-01-01 00:00:00'
         FROM n;
         INSERT INTO event_partners (event_id, partner_id) SELECT id, 1 + id % 7 FROM events;
         INSERT INTO event_thematic_areas (event_id, thematic_area_id) SELECT id, 1 + id % 7 FROM events;"
    ))
    .unwrap();
    drop(conn);
    let db = Db::open(path, 2).unwrap();
    let app = test::init_service(build_app(db, AppConfig::default())).await;
    let mut stored = false;
    let mut csv_digest = None;

    // The rows went in by SQL, without their CSV lines: the first CSV is
    // written anew; the second is sent from the lines, stored in between.
    for (uri, accept, lines) in [
        ("/api/v1/events.csv", "*/*", false),
        ("/api/v1/events.csv", "*/*", true),
        ("/api/v1/events", "application/x-ndjson", true),
        ("/api/v1/export", "application/json", true),
    ] {
        if lines && !stored {
            let mut conn = connect_and_migrate(path).unwrap();
            let lines = upkeep::fill_lines(&mut conn).unwrap();
            assert!(lines > ROWS, "{lines} lines stored");
            // Past the server's watch of the file: the first download,
            // kept until the next write, is not sent again.
            actix_web::rt::time::sleep(3 * city_region_api::db::WATCH_INTERVAL).await;
            stored = true;
        }
        reset_peak();
        let before = peak_rss();
        let res = test::call_service(
            &app,
            TestRequest::get()
                .uri(uri)
                .insert_header(("accept", accept))
                .to_request(),
        )
        .await;
        assert_eq!(res.status(), 200, "{uri}");
        let mut body = pin!(res.into_body());
        let (mut bytes, mut newlines) = (0usize, 0usize);
        let mut digest = std::hash::DefaultHasher::new();
        while let Some(chunk) = poll_fn(|cx| body.as_mut().poll_next(cx)).await {
            let chunk = chunk.unwrap_or_else(|_| panic!("{uri}: the stream failed"));
            bytes += chunk.len();
            newlines += chunk.iter().filter(|b| **b == b'\n').count();
            digest.write(&chunk);
        }
        if uri.ends_with(".csv") {
            // The same bytes, made anew or sent from the lines.
            let digest = digest.finish();
            assert_eq!(*csv_digest.get_or_insert(digest), digest, "{uri}");
        }
        let growth = peak_rss().saturating_sub(before);
        println!(
            "{uri}: {bytes} bytes streamed, peak memory grew by {} KiB",
            growth / 1024
        );
        assert!(
            bytes as u64 > 2 * BOUND,
            "{uri}: only {bytes} bytes; the bound would not tell"
        );
        if uri != "/api/v1/export" {
            // CSV has a header line; NDJSON one line a row.
            assert!(newlines >= ROWS, "{uri}: {newlines} lines");
        }
        assert!(
            growth < BOUND,
            "{uri}: peak memory grew by {growth} bytes, over {BOUND}"
        );
    }
}
