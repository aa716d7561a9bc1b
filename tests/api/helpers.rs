//! A fresh app per test, and short ways to call it.

use actix_http::Request;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use serde_json::{Value, json};
use tempfile::TempDir;

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use city_region_api::app::{AppConfig, build_app};
use city_region_api::auth::keys;
use city_region_api::db::{Db, connect_and_migrate};
use city_region_api::seed;

/// An app over its own database, which lives as long as the app.
pub struct TestApp<S> {
    pub service: S,
    /// The database file, for tests that reach under the API.
    pub path: String,
    /// An admin key, sent with every request that brings none of its own.
    pub admin_key: String,
    /// The app's database handle, for tests that reach under the API.
    pub db: Db,
    _dir: TempDir,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as JSON; `Null` when empty, a JSON string when not JSON.
    pub body: Value,
    /// The body as text.
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The fields named by a problem's `errors`, in order.
    pub fn fields_at_fault(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts a problem+json answer with `status` and returns self.
    #[track_caller]
    pub fn assert_problem(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        assert_eq!(self.body["status"], status);
        assert_eq!(self.body["type"], "about:blank");
        assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(self.body["detail"].as_str().is_some_and(|t| !t.is_empty()));
        self
    }
}

/// An app over an empty, migrated database.
pub async fn empty_app() -> TestApp<
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
> {
    app(false).await
}

/// An app over the built-in JOINING FORCES data.
pub async fn seeded_app() -> TestApp<
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
> {
    app(true).await
}

async fn app(
    seeded: bool,
) -> TestApp<
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
> {
    // Rate limits have their own test; here they would only slow tests down.
    app_with(seeded, AppConfig::new(Vec::new(), NonZeroU32::MAX)).await
}

/// Where a test's database lives: a SQLite file `name` in `dir`, or, when
/// `TEST_DATABASE_URL` names a PostgreSQL server (`.ci/run` sets it for
/// its second pass), a fresh database there, migrated.
pub fn database_url(dir: &TempDir, name: &str) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => postgres_database(&server),
        _ => dir
            .path()
            .join(name)
            .to_str()
            .expect("utf-8 temp path")
            .to_string(),
    }
}

/// A new database on the PostgreSQL server `server` (a URL naming any
/// database on it), copied from one migrated once per test process: a
/// copy takes milliseconds, migrating takes longer.
fn postgres_database(server: &str) -> String {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};
    use std::sync::OnceLock;
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    let (base, _) = server.rsplit_once('/').expect("a URL ending in /database");
    let create = |name: &str, template: Option<&str>| {
        let mut admin = PgConnection::establish(server).expect("connect to TEST_DATABASE_URL");
        let from = template.map_or(String::new(), |t| format!(" TEMPLATE {t}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}{from}"))
            .expect("create a test database");
        format!("{base}/{name}")
    };
    let template = TEMPLATE.get_or_init(|| {
        let name = format!("city_template_{}", std::process::id());
        let url = create(&name, None);
        connect_and_migrate(&url).expect("migrate the template");
        name
    });
    create(
        &format!("t_{}", uuid::Uuid::new_v4().simple()),
        Some(template),
    )
}

/// A fresh database: seeded or empty, with an admin key.
pub fn database(seeded: bool) -> (TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = database_url(&dir, "test.db");
    let mut conn = connect_and_migrate(&path).expect("migrate");
    if seeded {
        seed::load(&mut conn).expect("seed");
        // As a server's start does: the records' CSV lines stored.
        city_region_api::upkeep::fill_lines(&mut conn).expect("CSV lines");
    }
    let admin_key = keys::create(&mut conn, "test-admin", "admin").expect("admin key");
    (dir, path, admin_key)
}

/// An app with `config`, seeded or not.
pub async fn app_with(
    seeded: bool,
    config: AppConfig,
) -> TestApp<
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
> {
    let (dir, path, admin_key) = database(seeded);
    serve(dir, path, admin_key, config).await
}

/// An app over the built-in data and `n` synthetic recommendations and
/// events (`seed --demo n`).
pub async fn demo_app(
    n: usize,
) -> TestApp<
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
> {
    let (dir, path, admin_key) = database(true);
    let mut conn = connect_and_migrate(&path).expect("connect");
    city_region_api::demo::load(&mut conn, n).expect("demo data");
    city_region_api::upkeep::fill_lines(&mut conn).expect("CSV lines");
    drop(conn);
    serve(
        dir,
        path,
        admin_key,
        AppConfig::new(Vec::new(), NonZeroU32::MAX),
    )
    .await
}

/// An app with `config` over the database at `path`.
async fn serve(
    dir: TempDir,
    path: String,
    admin_key: String,
    config: AppConfig,
) -> TestApp<
    impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>,
> {
    let db = Db::open(&path, 2).expect("open db");
    // As `serve` does.
    city_region_api::upkeep::keep_lines_filled(actix_web::web::Data::new(db.clone()), true);
    let service = test::init_service(build_app(db.clone(), config)).await;
    TestApp {
        service,
        path,
        admin_key,
        db,
        _dir: dir,
    }
}

impl<S, B> TestApp<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// Sends `req` with the admin key, unless it carries its own
    /// `Authorization`.
    pub async fn send(&self, req: TestRequest) -> Reply {
        let mut req = req.to_request();
        if !req.headers().contains_key(header::AUTHORIZATION) {
            let value = format!("Bearer {}", self.admin_key);
            req.headers_mut()
                .insert(header::AUTHORIZATION, value.parse().expect("header value"));
        }
        self.call(req).await
    }

    /// Sends `req` as it is: anonymous unless it carries a key.
    pub async fn send_anonymous(&self, req: TestRequest) -> Reply {
        self.call(req.to_request()).await
    }

    /// Sends `req` with `key`.
    pub async fn send_as(&self, key: &str, req: TestRequest) -> Reply {
        self.call(
            req.insert_header((header::AUTHORIZATION, format!("Bearer {key}")))
                .to_request(),
        )
        .await
    }

    /// A new key with `scope` (`admin` or `partner:<slug>`).
    pub fn new_key(&self, name: &str, scope: &str) -> String {
        let mut conn = connect_and_migrate(&self.path).expect("connect");
        keys::create(&mut conn, name, scope).expect("key")
    }

    async fn call(&self, req: Request) -> Reply {
        let res = test::call_service(&self.service, req).await;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = test::read_body(res).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(TestRequest::get().uri(uri)).await
    }

    pub async fn delete(&self, uri: &str) -> Reply {
        self.send(TestRequest::delete().uri(uri)).await
    }

    /// A request with a JSON body.
    pub async fn json(&self, method: Method, uri: &str, body: Value) -> Reply {
        self.send(
            TestRequest::default()
                .method(method)
                .uri(uri)
                .set_json(body),
        )
        .await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        self.json(Method::POST, uri, body).await
    }

    pub async fn patch(&self, uri: &str, body: Value) -> Reply {
        self.json(Method::PATCH, uri, body).await
    }

    pub async fn put(&self, uri: &str, body: Value) -> Reply {
        self.json(Method::PUT, uri, body).await
    }

    /// Every record the API shows, to prove that a rejected request
    /// changed nothing.
    pub async fn snapshot(&self) -> Value {
        let mut all = json!({});
        for collection in ["partners", "thematic-areas", "recommendations", "events"] {
            all[collection] = self
                .get(&format!("/api/v1/{collection}?limit=100"))
                .await
                .body;
        }
        all
    }

    /// The id of the record at `uri`.
    pub async fn id_of(&self, uri: &str) -> i64 {
        let reply = self.get(uri).await;
        reply.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{uri}: {}", reply.body))
    }
}

/// A valid new partner.
pub fn liege() -> Value {
    json!({
        "name": "Liège Métropole",
        "city": "Liège",
        "country_code": "BE",
        "region": "Province de Liège",
        "population": 625000,
        "latitude": 50.6326,
        "longitude": 5.5797,
        "website": "https://www.liegemetropole.be/",
        "description": "Used by the tests only.",
    })
}

/// A valid new recommendation in the given thematic areas, proposed by the
/// given partners.
pub fn recommendation(thematic_area_ids: &[i64], partner_ids: &[i64]) -> Value {
    json!({
        "title": "Give the city-region one mobility authority",
        "body": "Plan **transport** at the scale people travel.\n\n- one ticket\n- one timetable",
        "target_level": "regional",
        "thematic_area_ids": thematic_area_ids,
        "partner_ids": partner_ids,
    })
}

/// A valid new event hosted by `host`.
pub fn event(host: Option<i64>, partner_ids: &[i64], thematic_area_ids: &[i64]) -> Value {
    json!({
        "title": "Transnational meeting in Kraków",
        "kind": "transnational_meeting",
        "starts_on": "2009-03-12",
        "ends_on": "2009-03-13",
        "city": "Kraków",
        "country_code": "PL",
        "host_partner_id": host,
        "partner_ids": partner_ids,
        "thematic_area_ids": thematic_area_ids,
    })
}

/// Polls `check` until it holds, for at most three seconds; whether it did.
pub async fn within_seconds(mut check: impl AsyncFnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if check().await {
            return true;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
