//! The representation cache and the known keys: a kept answer is served
//! until the next write and never after it, to its own audience only.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::test::{self, TestRequest};
use actix_web::web::{self, Data};
use actix_web::{App, HttpResponse};
use serde_json::json;

use city_region_api::auth::{KnownKeys, keys};
use city_region_api::cache::{self, Representations};
use city_region_api::db::{Db, connect_and_migrate, write_transaction};

use crate::helpers::{recommendation, seeded_app, within_seconds};

/// Waits until the watch over the SQLite file has seen the writes so far
/// (it also sees this process's own, a moment later): from then on the
/// write generation stays put while nothing is written.
async fn settle() {
    actix_web::rt::time::sleep(3 * city_region_api::db::WATCH_INTERVAL).await;
}

#[actix_web::test]
async fn a_kept_answer_is_served_until_the_next_write_and_to_its_own_selector_only() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::database_url(&dir, "kept.db");
    // Made before the app opens the database, so that its own watch (on
    // SQLite) does not count it as news.
    let key = {
        let mut conn = connect_and_migrate(&url).unwrap();
        keys::create(&mut conn, "probe", "admin").unwrap()
    };
    let db = Db::open(&url, 2).unwrap();
    // A route that counts how often it is really run.
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let app = test::init_service(
        App::new()
            .app_data(Data::new(db.clone()))
            .app_data(Data::new(Representations::new(1 << 20, 0)))
            .app_data(Data::new(KnownKeys::default()))
            .wrap(from_fn(cache::layer))
            .route(
                "/api/v1/probe",
                web::get().to(move || {
                    let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
                    async move { HttpResponse::Ok().body(format!("run {n}")) }
                }),
            )
            .route(
                "/api/v1/missing",
                web::get().to(move || async { HttpResponse::NotFound().body("no") }),
            ),
    )
    .await;
    let get = |uri: &str, headers: &[(header::HeaderName, String)]| {
        let mut req = TestRequest::get().uri(uri);
        for (name, value) in headers {
            req = req.insert_header((name.clone(), value.clone()));
        }
        req.to_request()
    };
    let body = |res| async { String::from_utf8(test::read_body(res).await.to_vec()).unwrap() };

    let first = body(test::call_service(&app, get("/api/v1/probe", &[])).await).await;
    let again = body(test::call_service(&app, get("/api/v1/probe", &[])).await).await;
    assert_eq!((first.as_str(), again.as_str()), ("run 1", "run 1"));
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the second read was kept");

    // Another query, another Accept, another audience: each its own. (The
    // key's first use records it, a write: done here, before counting.)
    let bearer = format!("Bearer {key}");
    let warm = get(
        "/api/v1/probe?warm",
        &[(header::AUTHORIZATION, bearer.clone())],
    );
    test::call_service(&app, warm).await;
    settle().await;
    runs.store(1, Ordering::SeqCst);
    for (uri, headers) in [
        ("/api/v1/probe?x=1", vec![]),
        (
            "/api/v1/probe",
            vec![(header::ACCEPT, "text/csv".to_string())],
        ),
        (
            "/api/v1/probe",
            vec![(header::AUTHORIZATION, bearer.clone())],
        ),
        (
            "/api/v1/probe",
            vec![(header::HOST, "example.org".to_string())],
        ),
    ] {
        let before = runs.load(Ordering::SeqCst);
        test::call_service(&app, get(uri, &headers)).await;
        test::call_service(&app, get(uri, &headers)).await;
        assert_eq!(runs.load(Ordering::SeqCst), before + 1, "{uri} {headers:?}");
    }

    // Any write moves the generation: nothing kept before it is served.
    db.write(|c| Ok(keys::touch(c, 1)?)).await.unwrap();
    settle().await;
    let after = body(test::call_service(&app, get("/api/v1/probe", &[])).await).await;
    assert_eq!(after, "run 6");
    let keyed = test::call_service(
        &app,
        get("/api/v1/probe", &[(header::AUTHORIZATION, bearer)]),
    )
    .await;
    assert_eq!(body(keyed).await, "run 7", "the keyed answer is stale too");

    // Errors are not kept.
    for _ in 0..2 {
        let res = test::call_service(&app, get("/api/v1/missing", &[])).await;
        assert_eq!(res.status(), 404);
    }
}

#[actix_web::test]
async fn drafts_kept_for_admins_and_proposers_are_never_shown_to_anyone_else() {
    let app = seeded_app().await;
    let mut draft = recommendation(&[5], &[6]);
    draft["title"] = json!("Kept draft");
    let made = app.post("/api/v1/recommendations", draft).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let draft_uri = made.header("location").unwrap().to_string();
    let proposer = app.new_key("brno", "partner:brno");
    let other = app.new_key("brussels", "partner:brussels-capital-region");
    let uris = [
        draft_uri.as_str(),
        "/api/v1/recommendations",
        "/api/v1/recommendations?q=kept",
        "/api/v1/partners/brno/recommendations",
        "/api/v1/recommendations?facets=status",
    ];
    // Every key once (a key's first use records it, a write), then those
    // who may see the draft read first, twice, so their answers are kept;
    // then everyone else asks for the same URLs, with nothing written in
    // between.
    for key in [&app.admin_key, &proposer, &other] {
        let first = app
            .send_as(key, TestRequest::get().uri("/api/v1/partners"))
            .await;
        assert_eq!(first.status, 200);
    }
    settle().await;
    let mut tags = Vec::new();
    for uri in uris {
        for key in [&app.admin_key, &proposer] {
            for _ in 0..2 {
                let seen = app.send_as(key, TestRequest::get().uri(uri)).await;
                assert_eq!(seen.status, 200, "{uri}");
                assert!(seen.text.contains("Kept draft"), "{uri}");
                tags.push(seen.header("etag").unwrap().to_string());
            }
        }
    }
    for uri in uris {
        let item = uri == draft_uri;
        for key in [None, Some(&other)] {
            for method in [
                TestRequest::get(),
                TestRequest::default().method(actix_web::http::Method::HEAD),
            ] {
                let req = method.uri(uri);
                let reply = match key {
                    None => app.send_anonymous(req).await,
                    Some(key) => app.send_as(key, req).await,
                };
                assert_eq!(reply.status, if item { 404 } else { 200 }, "{uri} {key:?}");
                assert!(!reply.text.contains("Kept draft"), "{uri} {key:?}");
            }
            // An ETag of the kept draft answer never makes a 304 for them.
            let mut req = TestRequest::get().uri(uri);
            for tag in &tags {
                req = req.append_header((header::IF_NONE_MATCH, tag.clone()));
            }
            let reply = match key {
                None => app.send_anonymous(req).await,
                Some(key) => app.send_as(key, req).await,
            };
            assert_ne!(reply.status, 304, "{uri} {key:?}");
        }
    }
    // Published through the API: everyone sees it at once.
    let published = app
        .patch(&draft_uri, json!({ "status": "published" }))
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    for uri in uris {
        let reply = app.send_anonymous(TestRequest::get().uri(uri)).await;
        assert_eq!(reply.status, 200, "{uri}");
        assert!(reply.text.contains("Kept draft"), "{uri}");
    }
}

#[actix_web::test]
async fn every_write_through_the_api_is_seen_by_the_next_read() {
    let app = seeded_app().await;
    let read = |uri: &'static str| {
        let app = &app;
        async move {
            let first = app.send_anonymous(TestRequest::get().uri(uri)).await;
            let kept = app.send_anonymous(TestRequest::get().uri(uri)).await;
            assert_eq!(first.text, kept.text, "{uri}");
            kept
        }
    };
    let total = |reply: &crate::helpers::Reply| reply.body["meta"]["total"].as_i64().unwrap();
    let before = read("/api/v1/thematic-areas").await;
    let made = app
        .post("/api/v1/thematic-areas", json!({ "name": "Kept theme" }))
        .await;
    assert_eq!(made.status, 201);
    let listed = read("/api/v1/thematic-areas").await;
    assert_eq!(total(&listed), total(&before) + 1, "created");

    // A partner renamed shows in every record that names it.
    let hosted = app
        .post("/api/v1/events", crate::helpers::event(Some(6), &[6], &[5]))
        .await;
    assert_eq!(hosted.status, 201, "{}", hosted.body);
    let events = read("/api/v1/partners/brno/events").await;
    assert!(!events.text.contains("Brno, renamed"));
    let item = read("/api/v1/partners/brno").await;
    let renamed = app
        .patch("/api/v1/partners/brno", json!({ "name": "Brno, renamed" }))
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let seen = read("/api/v1/partners/brno").await;
    assert_ne!(seen.header("etag"), item.header("etag"));
    assert_eq!(seen.body["name"], "Brno, renamed");
    let events = read("/api/v1/partners/brno/events").await;
    assert!(total(&events) > 0);
    assert!(events.text.contains("Brno, renamed"), "{}", events.text);
    // So does a thematic area given a new slug, in the whole list and the
    // CSV export (which names relations by slug), both read before.
    let cells = |csv: &str| -> Vec<String> {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let column = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "thematic_areas");
        let id = hosted.body["id"].to_string();
        reader
            .records()
            .map(Result::unwrap)
            .filter(|record| record[0] == id)
            .map(|record| record[column.unwrap()].to_string())
            .collect()
    };
    let listed = read("/api/v1/events?limit=100").await;
    assert!(listed.text.contains("\"governance\""));
    let csv = read("/api/v1/events.csv").await;
    assert_eq!(cells(&csv.text), ["governance"]);
    let moved = app
        .patch(
            "/api/v1/thematic-areas/governance",
            json!({ "slug": "metropolitan-governance" }),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let listed = read("/api/v1/events?limit=100").await;
    assert!(!listed.text.contains("\"governance\""), "{}", listed.text);
    assert!(listed.text.contains("\"metropolitan-governance\""));
    let csv = read("/api/v1/events.csv").await;
    assert_eq!(cells(&csv.text), ["metropolitan-governance"]);

    // Replaced, then deleted.
    let uri = made.header("location").unwrap().to_string();
    let replaced = app
        .put(&uri, json!({ "name": "Kept theme, replaced" }))
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    let listed = read("/api/v1/thematic-areas").await;
    assert!(listed.text.contains("Kept theme, replaced"));
    assert_eq!(app.delete(&uri).await.status, 204);
    let listed = read("/api/v1/thematic-areas").await;
    assert_eq!(total(&listed), total(&before), "deleted");
    let gone = app.send_anonymous(TestRequest::get().uri(&uri)).await;
    gone.assert_problem(404);
}

#[actix_web::test]
async fn writes_by_another_process_are_seen_and_revoked_keys_refused_within_the_watch() {
    let app = seeded_app().await;
    let key = app.new_key("soon-revoked", "admin");
    let uri = "/api/v1/partners/brno";
    let first = app.send_as(&key, TestRequest::get().uri(uri)).await;
    assert_eq!(first.status, 200, "the key is known");
    settle().await;
    // Kept: the key's answer, the anonymous one, and the key itself.
    for _ in 0..2 {
        let keyed = app.send_as(&key, TestRequest::get().uri(uri)).await;
        assert_eq!(keyed.status, 200);
        let anonymous = app.send_anonymous(TestRequest::get().uri(uri)).await;
        assert_eq!(anonymous.body["name"], first.body["name"]);
    }
    // The command line's way: its own connection. `keys::revoke` returns
    // once a server on the same file must have seen it; on PostgreSQL at
    // once, every instance reading the generation on each request.
    let mut conn = connect_and_migrate(&app.path).unwrap();
    keys::revoke(&mut conn, "soon-revoked").unwrap();
    app.send_as(&key, TestRequest::get().uri(uri))
        .await
        .assert_problem(401);
    let written = Instant::now();
    write_transaction(&mut conn, |c| {
        use diesel::prelude::*;
        diesel::sql_query("UPDATE partners SET name = 'Brno, behind the API' WHERE slug = 'brno'")
            .execute(c)
    })
    .unwrap();
    let seen = within_seconds(async || {
        let reply = app.send_anonymous(TestRequest::get().uri(uri)).await;
        reply.body["name"] == "Brno, behind the API"
    })
    .await;
    assert!(seen, "the change behind the API was never shown");
    // Seen within the watcher's interval (with room for a busy machine).
    assert!(
        written.elapsed() < Duration::from_secs(2),
        "{:?}",
        written.elapsed()
    );
}

/// An anonymous download of `uri`: its text, and whether it was sent from
/// a stored file (its size known in advance; a download being made is a
/// stream of unknown length).
async fn download<S, B>(app: &crate::helpers::TestApp<S>, uri: &str) -> (String, bool)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    use actix_web::body::BodySize;
    let res = test::call_service(&app.service, TestRequest::get().uri(uri).to_request()).await;
    assert_eq!(res.status(), 200, "{uri}");
    let stored = matches!(res.response().body().size(), BodySize::Sized(_));
    let text = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    (text, stored)
}

/// Downloads `uri` until it is sent from a stored file (the file is kept
/// once the answer has ended); every answer must be `expected`.
async fn stored_download<S, B>(app: &crate::helpers::TestApp<S>, uri: &str, expected: &str) -> bool
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    // The export says when it was made: the same in a stored one, but one
    // made again may be a second later.
    let made_at = regex::Regex::new(r#""exported_at":"[^"]*""#).unwrap();
    within_seconds(async || {
        let (text, stored) = download(app, uri).await;
        assert_eq!(
            made_at.replace(&text, ""),
            made_at.replace(expected, ""),
            "{uri}: another answer"
        );
        stored
    })
    .await
}

#[actix_web::test]
async fn downloads_are_sent_again_from_a_file_until_the_next_write_and_per_audience() {
    let app = seeded_app().await;
    let mut published = recommendation(&[5], &[6]);
    published["title"] = json!("Stored and published");
    published["status"] = json!("published");
    let mut draft = recommendation(&[5], &[6]);
    draft["title"] = json!("Stored draft");
    for body in [published, draft] {
        assert_eq!(app.post("/api/v1/recommendations", body).await.status, 201);
    }
    settle().await;
    for uri in [
        "/api/v1/recommendations.csv",
        "/api/v1/recommendations.ndjson",
        "/api/v1/events.geojson",
        "/api/v1/export",
    ] {
        // An admin's download first, stored, with the draft where it goes.
        let admin = app.get(uri).await;
        assert_eq!(
            admin.text.contains("Stored draft"),
            !uri.contains("events"),
            "{uri}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        // Never sent to anyone else.
        let (made, stored) = download(&app, uri).await;
        assert!(
            !stored,
            "{uri}: the admin's file was sent to an anonymous caller"
        );
        assert!(!made.contains("Stored draft"), "{uri}");
        assert!(
            stored_download(&app, uri, &made).await,
            "{uri} never stored"
        );
    }
    // A write: the stored files are stale, and the next answer is made.
    let made = app
        .post("/api/v1/thematic-areas", json!({ "name": "Stored theme" }))
        .await;
    assert_eq!(made.status, 201);
    let (export, stored) = download(&app, "/api/v1/export").await;
    assert!(!stored, "made anew");
    assert!(export.contains("Stored theme"));
}

#[actix_web::test]
async fn a_download_the_client_hung_up_on_is_not_stored() {
    use actix_web::body::MessageBody;
    let app = crate::helpers::demo_app(3000).await;
    let uri = "/api/v1/events.csv";
    let res = test::call_service(&app.service, TestRequest::get().uri(uri).to_request()).await;
    let mut body = Box::pin(res.into_body());
    let first = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await;
    assert!(matches!(first, Some(Ok(ref chunk)) if !chunk.is_empty()));
    drop(body);
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    let (whole, stored) = download(&app, uri).await;
    assert!(!stored, "a part was kept as the whole");
    let total = app.get("/api/v1/events?limit=1").await.body["meta"]["total"].clone();
    let records = csv::Reader::from_reader(whole.as_bytes()).records().count();
    assert_eq!(json!(records), total, "every event");
    assert!(stored_download(&app, uri, &whole).await);
}

#[actix_web::test]
async fn an_acknowledged_write_lets_go_of_the_answers_in_memory_and_a_refused_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&crate::helpers::database_url(&dir, "forget.db"), 2).unwrap();
    let representations = Data::new(Representations::new(1 << 20, 0));
    let app = test::init_service(
        App::new()
            .app_data(Data::new(db))
            .app_data(representations.clone())
            .app_data(Data::new(KnownKeys::default()))
            .wrap(from_fn(cache::layer))
            .route(
                "/api/v1/page",
                web::get().to(|| async { HttpResponse::Ok().body("a page") }),
            )
            .route(
                "/api/v1/refused",
                web::post().to(|| async { HttpResponse::UnprocessableEntity().finish() }),
            )
            .route(
                "/api/v1/written",
                web::post().to(|| async { HttpResponse::Created().finish() }),
            ),
    )
    .await;
    settle().await;
    let read = || TestRequest::get().uri("/api/v1/page").to_request();
    test::call_service(&app, read()).await;
    assert_eq!(representations.answers_in_memory(), 1);

    let refused = TestRequest::post().uri("/api/v1/refused").to_request();
    assert_eq!(test::call_service(&app, refused).await.status(), 422);
    assert_eq!(
        representations.answers_in_memory(),
        1,
        "nothing was written"
    );

    let written = TestRequest::post().uri("/api/v1/written").to_request();
    assert_eq!(test::call_service(&app, written).await.status(), 201);
    let deadline = Instant::now() + Duration::from_secs(10);
    while representations.answers_in_memory() > 0 {
        assert!(Instant::now() < deadline, "the answers are still kept");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}
