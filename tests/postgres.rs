//! What needs a PostgreSQL server and server processes:
//!
//! - two instances on one database act as one service: a write through one
//!   is read and counted through the other at once, with the same ETag; an
//!   `If-Match` race across them has one winner; a key revoked from the
//!   command line is refused by both within a second; answers one keeps
//!   reach no other audience, and miss no write through the other; a
//!   rename through one shows in the other's lists and exports; 200
//!   parallel creates over both are 200 rows; killing one in the middle of
//!   a write loop loses no acknowledged write;
//! - `copy` moves a whole dataset from SQLite to PostgreSQL and back.
//!
//! The server is named by `TEST_DATABASE_URL` (a URL of any database on
//! it), so these are ignored by a plain `cargo test`, which needs no
//! server; `.ci/run` starts one and runs them with
//! `cargo test --test postgres -- --ignored`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const NEEDS: &str = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)";
const BIN: &str = env!("CARGO_BIN_EXE_city-region-api");

/// A fresh database on the test server, and an admin key made through the
/// command line, as an operator would.
struct Database {
    url: String,
    key: String,
}

impl Database {
    fn new() -> Database {
        Database::keyed(empty_postgres())
    }

    /// An admin key for the database at `url` (either store).
    fn keyed(url: String) -> Database {
        let made = cli(
            &url,
            &["keys", "create", "--name", "ops", "--scope", "admin"],
        );
        let key = made.lines().last().expect("a key").to_string();
        Database { url, key }
    }
}

/// A new, empty database on the test server: its URL.
fn empty_postgres() -> String {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};
    let server = std::env::var("TEST_DATABASE_URL").expect(NEEDS);
    let (base, _) = server.rsplit_once('/').expect("a URL ending in /database");
    let name = format!("i_{}", uuid::Uuid::new_v4().simple());
    PgConnection::establish(&server)
        .expect("connect to TEST_DATABASE_URL")
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a database");
    format!("{base}/{name}")
}

/// Runs the command line on `url`; its standard output.
fn cli(url: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the command line");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// One server process.
struct Instance {
    child: Child,
    base: String,
}

impl Instance {
    fn start(db: &Database) -> Instance {
        Instance::on(&db.url)
    }

    /// An instance on the database at `url` (either store).
    fn on(url: &str) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(BIN)
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
            .env("WRITE_RATE_LIMIT", "100000")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the server");
        // Its log, echoed for a failing test to show.
        let log = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(log).lines().map_while(Result::ok) {
                eprintln!("[{port}] {line}");
            }
        });
        let instance = Instance {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        // Up (not /ready: a database that takes no writes is not ready).
        while call(
            "GET",
            &format!("{}/health", instance.base),
            None,
            None,
            None,
        )
        .status
            != 200
        {
            assert!(started.elapsed() < Duration::from_secs(30), "not ready");
            std::thread::sleep(Duration::from_millis(50));
        }
        instance
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status 0 when the request got none (a refused connection).
struct Reply {
    status: u16,
    etag: Option<String>,
    body: Value,
}

fn call(
    method: &str,
    url: &str,
    key: Option<&str>,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if let Some(key) = key {
        request = request.header("Authorization", format!("Bearer {key}"));
    }
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    let sent = match body {
        Some(body) => agent.run(
            request
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .expect("a request"),
        ),
        None => agent.run(request.body(()).expect("a request")),
    };
    match sent {
        Ok(mut reply) => Reply {
            status: reply.status().as_u16(),
            etag: reply
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(String::from),
            body: reply
                .body_mut()
                .with_config()
                // An export of the demo data is past ureq's 10 MB default.
                .limit(1 << 30)
                .read_to_string()
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or(Value::Null),
        },
        Err(_) => Reply {
            status: 0,
            etag: None,
            body: Value::Null,
        },
    }
}

fn get(instance: &Instance, path: &str) -> Reply {
    call("GET", &instance.url(path), None, None, None)
}

fn create_theme(instance: &Instance, key: &str, name: &str) -> Reply {
    call(
        "POST",
        &instance.url("/thematic-areas"),
        Some(key),
        None,
        Some(&json!({ "name": name })),
    )
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn a_write_through_one_is_read_and_counted_through_the_other_with_the_same_etag() {
    let db = Database::new();
    let (a, b) = (Instance::start(&db), Instance::start(&db));
    // Both have counted the list, and cached the count.
    let total = |i: &Instance| get(i, "/thematic-areas").body["meta"]["total"].as_i64();
    let before = total(&a);
    assert_eq!(total(&b), before);
    assert_eq!(total(&b), before);
    let made = create_theme(&a, &db.key, "Cross-border transport");
    assert_eq!(made.status, 201, "{}", made.body);
    let slug = made.body["slug"].as_str().expect("a slug");
    let read = get(&b, &format!("/thematic-areas/{slug}"));
    assert_eq!(read.status, 200);
    assert_eq!(read.body, made.body);
    assert_eq!(
        total(&b),
        before.map(|n| n + 1),
        "counted through the other"
    );
    assert_eq!(total(&a), before.map(|n| n + 1));
    let tag_a = get(&a, &format!("/thematic-areas/{slug}")).etag;
    assert!(tag_a.is_some());
    assert_eq!(tag_a, read.etag, "the same ETag from both");
    // And the other way round: an update through B, read through A.
    let renamed = call(
        "PATCH",
        &b.url(&format!("/thematic-areas/{slug}")),
        Some(&db.key),
        read.etag.as_deref(),
        Some(&json!({ "description": "Rail and bus across borders." })),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let seen = get(&a, &format!("/thematic-areas/{slug}"));
    assert_eq!(seen.body["description"], "Rail and bus across borders.");
    assert_eq!(seen.etag, renamed.etag);
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn answers_one_instance_keeps_reach_no_other_audience_and_no_write_through_the_other_is_missed() {
    let db = Database::new();
    let (a, b) = (Instance::start(&db), Instance::start(&db));
    let brno = cli(
        &db.url,
        &[
            "keys",
            "create",
            "--name",
            "brno",
            "--scope",
            "partner:brno",
        ],
    );
    let brno = brno.lines().last().expect("a key").to_string();
    let draft = json!({
        "title": "Kept across instances",
        "body": "A draft that only admins and Brno may read.",
        "target_level": "regional",
        "thematic_area_ids": [5],
        "partner_ids": [6],
    });
    let made = call(
        "POST",
        &a.url("/recommendations"),
        Some(&db.key),
        None,
        Some(&draft),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let item = format!("/recommendations/{}", made.body["id"]);
    let paths = [
        item.as_str(),
        "/recommendations?q=instances",
        "/partners/brno/recommendations",
    ];
    let shows = |reply: &Reply| reply.body.to_string().contains("Kept across instances");
    // Read through B, twice, by those who may see the draft: kept there.
    for path in paths {
        for key in [&db.key, &brno] {
            for _ in 0..2 {
                let reply = call("GET", &b.url(path), Some(key), None, None);
                assert_eq!(reply.status, 200, "{path}");
                assert!(shows(&reply), "{path}");
            }
        }
    }
    for path in paths {
        let anonymous = get(&b, path);
        assert!(!shows(&anonymous), "{path}: a draft shown to anonymous");
        assert_eq!(anonymous.status, if path == item { 404 } else { 200 });
    }
    // Published through A: B shows it to everyone at once, and an edit by
    // Brno through B is read back through A.
    let published = call(
        "PATCH",
        &a.url(&item),
        Some(&db.key),
        None,
        Some(&json!({ "status": "published" })),
    );
    assert_eq!(published.status, 200, "{}", published.body);
    for path in paths {
        let anonymous = get(&b, path);
        assert_eq!(anonymous.status, 200, "{path}");
        assert!(shows(&anonymous), "{path}: the publish was missed");
    }
    let kept = get(&a, &item);
    let edited = call(
        "PATCH",
        &b.url(&item),
        Some(&brno),
        None,
        Some(&json!({ "title": "Kept, then edited" })),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    let seen = get(&a, &item);
    assert_eq!(seen.body["title"], "Kept, then edited");
    assert_ne!(seen.etag, kept.etag);
}

/// The body of a GET of `url`, as text.
fn text(url: &str) -> String {
    let mut reply = ureq::get(url).call().expect("an answer");
    assert_eq!(reply.status().as_u16(), 200, "{url}");
    reply
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_string()
        .expect("text")
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn a_rename_through_one_shows_in_the_lists_and_exports_the_other_read_before() {
    let db = Database::new();
    let (a, b) = (Instance::start(&db), Instance::start(&db));
    let event = json!({
        "title": "Renamed across instances",
        "kind": "transnational_meeting",
        "starts_on": "2009-03-12",
        "host_partner_id": 6,
        "partner_ids": [6],
        "thematic_area_ids": [5],
    });
    let made = call("POST", &a.url("/events"), Some(&db.key), None, Some(&event));
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["id"].to_string();
    // The thematic areas cell of the new event in B's CSV export.
    let areas = || {
        let csv = text(&b.url("/events.csv"));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let column = reader
            .headers()
            .expect("a header")
            .iter()
            .position(|h| h == "thematic_areas");
        let cells: Vec<String> = reader
            .records()
            .map(|record| record.expect("a record"))
            .filter(|record| record[0] == id)
            .map(|record| record[column.expect("the column")].to_string())
            .collect();
        cells
    };
    // Read through B, each twice: what B keeps.
    for _ in 0..2 {
        let listed = text(&b.url("/events?limit=100"));
        assert!(listed.contains(r#""name":"Brno""#) && listed.contains(r#""governance""#));
        assert_eq!(areas(), ["governance"]);
    }
    for (path, change) in [
        ("/partners/brno", json!({ "name": "Brno, renamed" })),
        (
            "/thematic-areas/governance",
            json!({ "slug": "metropolitan-governance" }),
        ),
    ] {
        let changed = call("PATCH", &a.url(path), Some(&db.key), None, Some(&change));
        assert_eq!(changed.status, 200, "{}", changed.body);
    }
    let listed = text(&b.url("/events?limit=100"));
    assert!(!listed.contains(r#""name":"Brno""#), "{listed}");
    assert!(listed.contains(r#""name":"Brno, renamed""#), "{listed}");
    assert!(!listed.contains(r#""governance""#), "{listed}");
    assert_eq!(areas(), ["metropolitan-governance"]);
    let alone = get(&b, &format!("/events/{id}"));
    assert_eq!(alone.body["host_partner"]["name"], "Brno, renamed");
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn an_if_match_race_across_instances_has_exactly_one_winner() {
    let db = Database::new();
    let instances = Arc::new([Instance::start(&db), Instance::start(&db)]);
    let made = create_theme(&instances[0], &db.key, "Raced theme");
    assert_eq!(made.status, 201);
    let path = format!("/thematic-areas/{}", made.body["id"]);
    let tag = get(&instances[0], &path).etag.expect("an ETag");
    let racers: Vec<_> = (0..16)
        .map(|n| {
            let (instances, key, path, tag) =
                (instances.clone(), db.key.clone(), path.clone(), tag.clone());
            std::thread::spawn(move || {
                let description = format!("Written by racer {n}.");
                call(
                    "PATCH",
                    &instances[n % 2].url(&path),
                    Some(&key),
                    Some(&tag),
                    Some(&json!({ "description": description })),
                )
                .status
            })
        })
        .collect();
    let mut statuses: Vec<u16> = racers.into_iter().map(|r| r.join().unwrap()).collect();
    statuses.sort();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 412).count(),
        15,
        "{statuses:?}"
    );
    // The winner's write is the one stored, and its trail has one update.
    let history = call(
        "GET",
        &instances[1].url(&format!("{path}/history")),
        Some(&db.key),
        None,
        None,
    );
    let updates = history.body["data"]
        .as_array()
        .expect("a page")
        .iter()
        .filter(|e| e["action"] == "update")
        .count();
    assert_eq!(updates, 1);
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn a_key_revoked_from_the_command_line_is_refused_by_every_instance_within_a_second() {
    let db = Database::new();
    let (a, b) = (Instance::start(&db), Instance::start(&db));
    let made = cli(
        &db.url,
        &["keys", "create", "--name", "temp", "--scope", "admin"],
    );
    let key = made.lines().last().expect("a key").to_string();
    assert_eq!(create_theme(&a, &key, "Before revoking A").status, 201);
    assert_eq!(create_theme(&b, &key, "Before revoking B").status, 201);
    cli(&db.url, &["keys", "revoke", "temp"]);
    let revoked = Instant::now();
    for (i, instance) in [&a, &b].into_iter().enumerate() {
        let reply = create_theme(instance, &key, &format!("After revoking {i}"));
        assert_eq!(reply.status, 401, "instance {i}");
    }
    assert!(revoked.elapsed() < Duration::from_secs(1));
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn two_hundred_parallel_creates_over_both_instances_are_two_hundred_rows() {
    let db = Database::new();
    let instances = Arc::new([Instance::start(&db), Instance::start(&db)]);
    let before = get(&instances[0], "/thematic-areas").body["meta"]["total"]
        .as_i64()
        .expect("a total");
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (instances, key) = (instances.clone(), db.key.clone());
            std::thread::spawn(move || {
                (0..25)
                    .map(|n| {
                        create_theme(&instances[(w + n) % 2], &key, &format!("Theme {w}-{n}"))
                            .status
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 200);
    assert!(statuses.iter().all(|&s| s == 201), "{statuses:?}");
    for instance in instances.iter() {
        let total = get(instance, "/thematic-areas").body["meta"]["total"].as_i64();
        assert_eq!(total, Some(before + 200));
    }
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn killing_one_instance_in_a_write_loop_loses_no_acknowledged_write() {
    let db = Database::new();
    let mut a = Instance::start(&db);
    let b = Instance::start(&db);
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let writer = {
        let (url, key, acknowledged) = (
            a.url("/thematic-areas"),
            db.key.clone(),
            acknowledged.clone(),
        );
        std::thread::spawn(move || {
            for n in 0.. {
                let reply = call(
                    "POST",
                    &url,
                    Some(&key),
                    None,
                    Some(&json!({ "name": format!("Loop theme {n}") })),
                );
                match reply.status {
                    201 => acknowledged
                        .lock()
                        .unwrap()
                        .push(reply.body["id"].as_i64().expect("an id")),
                    // The instance is gone: the loop is over.
                    0 => return n,
                    other => panic!("write {n}: {other} {}", reply.body),
                }
            }
            unreachable!()
        })
    };
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 50 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the loop stalled"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL: no drain, no goodbye; writes in flight die with it.
    a.child.kill().expect("kill -9");
    a.child.wait().expect("reaped");
    let sent = writer.join().expect("the loop ends");
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 50 && sent as usize >= acknowledged.len());
    for id in &acknowledged {
        let read = get(&b, &format!("/thematic-areas/{id}"));
        assert_eq!(read.status, 200, "acknowledged write {id} was lost");
    }
    // And the survivor still takes writes.
    assert_eq!(create_theme(&b, &db.key, "After the kill").status, 201);
}

/// The export of the database at `url`, with drafts, as an admin reads it;
/// its `exported_at` left out.
fn export(url: &str, key: &str) -> Value {
    let instance = Instance::on(url);
    let mut export = call("GET", &instance.url("/export"), Some(key), None, None).body;
    export["exported_at"] = Value::Null;
    export
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn copy_moves_a_dataset_from_sqlite_up_to_postgresql_and_back_whole() {
    let dir = tempfile::tempdir().expect("a folder");
    let sqlite = dir
        .path()
        .join("source.db")
        .to_str()
        .expect("utf-8")
        .to_string();
    // The built-in data and 10,000 synthetic recommendations and events
    // (drafts among them), then writes through the API: an audit trail,
    // and deleted ids that no later record may take.
    cli(&sqlite, &["seed", "--demo", "10000"]);
    let source = Database::keyed(sqlite.clone());
    let deleted = {
        let instance = Instance::on(&sqlite);
        let made = create_theme(&instance, &source.key, "Copied theme");
        assert_eq!(made.status, 201);
        let gone = create_theme(&instance, &source.key, "Deleted theme");
        let gone = gone.body["id"].as_i64().expect("an id");
        let url = instance.url(&format!("/thematic-areas/{gone}"));
        assert_eq!(
            call("DELETE", &url, Some(&source.key), None, None).status,
            204
        );
        gone
    };
    let before = export(&sqlite, &source.key);
    assert_eq!(
        before["recommendations"].as_array().map(Vec::len),
        Some(10_000)
    );

    let postgres = empty_postgres();
    let up = cli(&sqlite, &["copy", "--from", &sqlite, "--to", &postgres]);
    assert!(up.contains("recommendations: 10000 rows"), "{up}");
    assert!(up.contains("Both export the same"), "{up}");
    let back = dir
        .path()
        .join("back.db")
        .to_str()
        .expect("utf-8")
        .to_string();
    let down = cli(&sqlite, &["copy", "--from", &postgres, "--to", &back]);
    assert!(down.contains("Both export the same"), "{down}");
    // A second copy onto a database that holds data is refused.
    let again = Command::new(BIN)
        .args(["copy", "--from", &sqlite, "--to", &postgres])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run copy");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    // The same dataset, read through the API from each; the key made on
    // SQLite (only its hash travelled) opens both copies.
    for url in [&postgres, &back] {
        assert_eq!(export(url, &source.key), before, "{url}");
        let instance = Instance::on(url);
        let trail = call(
            "GET",
            &instance.url("/audit"),
            Some(&source.key),
            None,
            None,
        );
        assert_eq!(trail.status, 200);
        assert_eq!(
            trail.body["meta"]["total"], 3,
            "{url}: two creates, a delete"
        );
        // Ids are never reused: the next theme comes after the deleted one.
        let next = create_theme(&instance, &source.key, "After the copy");
        assert_eq!(next.status, 201, "{}", next.body);
        assert!(next.body["id"].as_i64().expect("an id") > deleted, "{url}");
    }
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn two_instances_started_together_on_an_empty_database_seed_it_once() {
    let url = empty_postgres();
    let starting: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Instance::on(&url))
        })
        .collect();
    let instances: Vec<Instance> = starting.into_iter().map(|s| s.join().unwrap()).collect();
    for instance in &instances {
        let partners = get(instance, "/partners");
        assert_eq!(partners.status, 200);
        // Migrated once, seeded once: the eight partners, not sixteen,
        // and neither instance failed to start on the other's rows.
        assert_eq!(partners.body["meta"]["total"], 8);
    }
}

#[test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)"]
fn a_read_only_database_serves_reads_and_refuses_writes_with_503() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};
    let db = Database::new();
    let instance = Instance::start(&db);
    assert_eq!(
        create_theme(&instance, &db.key, "While writable").status,
        201
    );
    // As a standby after a failover: every transaction read-only.
    let name = db.url.rsplit('/').next().expect("a database name");
    PgConnection::establish(&db.url)
        .expect("connect")
        .batch_execute(&format!(
            "ALTER DATABASE {name} SET default_transaction_read_only = on"
        ))
        .expect("make it read-only");
    // Settings apply to new sessions: a fresh instance has only those.
    drop(instance);
    let instance = Instance::start(&db);
    assert_eq!(get(&instance, "/thematic-areas").status, 200);
    let refused = create_theme(&instance, &db.key, "While read-only");
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.body["status"], 503);
    let ready = call("GET", &format!("{}/ready", instance.base), None, None, None);
    assert_eq!(ready.status, 503, "/ready says writes are refused");
}
