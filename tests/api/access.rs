//! Keys, scopes, drafts, lost-update protection, the audit trail and the
//! write rate limit.

use actix_web::http::{Method, header};
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::{event, liege, recommendation, seeded_app};

/// Every write route of every collection, with a body it would accept.
fn writes() -> Vec<(Method, &'static str, Value)> {
    vec![
        (Method::POST, "/api/v1/partners", liege()),
        (
            Method::PATCH,
            "/api/v1/partners/brno",
            json!({"population": 1}),
        ),
        (
            Method::PUT,
            "/api/v1/partners/brno",
            json!({"name": "Brno", "city": "Brno", "country_code": "CZ"}),
        ),
        (Method::DELETE, "/api/v1/partners/brno", Value::Null),
        (
            Method::POST,
            "/api/v1/thematic-areas",
            json!({"name": "Housing"}),
        ),
        (
            Method::PATCH,
            "/api/v1/thematic-areas/governance",
            json!({"position": 1}),
        ),
        (
            Method::PUT,
            "/api/v1/thematic-areas/governance",
            json!({"name": "Governance"}),
        ),
        (
            Method::DELETE,
            "/api/v1/thematic-areas/governance",
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/recommendations",
            recommendation(&[1], &[6]),
        ),
        (
            Method::PATCH,
            "/api/v1/recommendations/1",
            json!({"title": "New"}),
        ),
        (
            Method::PUT,
            "/api/v1/recommendations/1",
            recommendation(&[1], &[6]),
        ),
        (Method::DELETE, "/api/v1/recommendations/1", Value::Null),
        (Method::POST, "/api/v1/events", event(Some(6), &[], &[])),
        (Method::PATCH, "/api/v1/events/1", json!({"title": "New"})),
        (Method::PUT, "/api/v1/events/1", event(Some(6), &[], &[])),
        (Method::DELETE, "/api/v1/events/1", Value::Null),
    ]
}

fn request(method: Method, uri: &str, body: &Value) -> TestRequest {
    let req = TestRequest::default().method(method).uri(uri);
    if body.is_null() {
        req
    } else {
        req.set_json(body)
    }
}

#[actix_web::test]
async fn writes_without_a_valid_key_are_401_with_a_bearer_challenge_and_change_nothing() {
    let app = seeded_app().await;
    app.post("/api/v1/recommendations", recommendation(&[1], &[6]))
        .await;
    let revoked = app.new_key("old", "admin");
    let mut conn = city_region_api::db::connect_and_migrate(&app.path).unwrap();
    city_region_api::auth::keys::revoke(&mut conn, "old").unwrap();
    let before = app.snapshot().await;
    let forged = format!("{}x", &app.admin_key[..app.admin_key.len() - 1]);
    for (method, uri, body) in writes() {
        let anonymous = app
            .send_anonymous(request(method.clone(), uri, &body))
            .await;
        anonymous.assert_problem(401);
        assert_eq!(
            anonymous.header("www-authenticate"),
            Some(r#"Bearer realm="city-region-api""#),
            "{method} {uri}"
        );
        for (authorization, what) in [
            (format!("Bearer {forged}"), "forged"),
            (format!("Bearer {revoked}"), "revoked"),
            ("Bearer cra_nope".to_string(), "unknown"),
            (format!("Basic {}", app.admin_key), "not bearer"),
            ("Bearer".to_string(), "empty"),
        ] {
            let reply = app
                .send_anonymous(
                    request(method.clone(), uri, &body)
                        .insert_header((header::AUTHORIZATION, authorization)),
                )
                .await;
            reply.assert_problem(401);
            assert!(
                reply
                    .header("www-authenticate")
                    .unwrap()
                    .contains("invalid_token"),
                "{what}: {method} {uri}"
            );
        }
    }
    assert_eq!(app.snapshot().await, before);
    // A bad key on a read is refused too, rather than read as anonymous.
    let read = app
        .send_anonymous(
            TestRequest::get()
                .uri("/api/v1/partners")
                .insert_header((header::AUTHORIZATION, format!("Bearer {forged}"))),
        )
        .await;
    read.assert_problem(401);
}

#[actix_web::test]
async fn a_partner_key_writes_only_its_record_its_events_and_its_recommendations() {
    let app = seeded_app().await;
    let brno = app.new_key("brno-integration", "partner:brno");
    // Records outside Brno's reach, made by the admin.
    let krakow_event = app
        .post("/api/v1/events", event(Some(5), &[6], &[]))
        .await
        .body["id"]
        .clone();
    // Published: another partner's draft would be a 404, not a 403
    // (hardening::another_partners_draft_is_a_404_on_every_path_never_a_403).
    let mut published = recommendation(&[1], &[5]);
    published["status"] = json!("published");
    let krakow_rec = app.post("/api/v1/recommendations", published).await.body["id"].clone();
    let before = app.snapshot().await;
    let forbidden: Vec<(Method, String, Value)> = vec![
        (Method::POST, "/api/v1/partners".into(), liege()),
        (
            Method::PATCH,
            "/api/v1/partners/krakow".into(),
            json!({"population": 1}),
        ),
        (
            Method::PUT,
            "/api/v1/partners/krakow".into(),
            json!({"name": "Kraków", "city": "Kraków", "country_code": "PL"}),
        ),
        (Method::DELETE, "/api/v1/partners/brno".into(), Value::Null),
        (
            Method::PATCH,
            "/api/v1/partners/brno".into(),
            json!({"role": "lead_partner"}),
        ),
        (
            Method::POST,
            "/api/v1/thematic-areas".into(),
            json!({"name": "Housing"}),
        ),
        (
            Method::PATCH,
            "/api/v1/thematic-areas/governance".into(),
            json!({"position": 1}),
        ),
        (
            Method::DELETE,
            "/api/v1/thematic-areas/governance".into(),
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/events".into(),
            event(Some(5), &[6], &[]),
        ),
        (
            Method::POST,
            "/api/v1/events".into(),
            event(None, &[6], &[]),
        ),
        (
            Method::PATCH,
            format!("/api/v1/events/{krakow_event}"),
            json!({"title": "Attended, not hosted"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/events/{krakow_event}"),
            Value::Null,
        ),
        (
            Method::POST,
            "/api/v1/recommendations".into(),
            recommendation(&[1], &[5]),
        ),
        (
            Method::PATCH,
            format!("/api/v1/recommendations/{krakow_rec}"),
            json!({"title": "Not ours"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/recommendations/{krakow_rec}"),
            Value::Null,
        ),
    ];
    for (method, uri, body) in forbidden {
        let reply = app
            .send_as(&brno, request(method.clone(), &uri, &body))
            .await;
        assert_eq!(reply.status, 403, "{method} {uri}: {}", reply.body);
        reply.assert_problem(403);
    }
    assert_eq!(app.snapshot().await, before);

    // Within its reach: its own record, events it hosts, recommendations it proposes.
    let own = app
        .send_as(
            &brno,
            request(
                Method::PATCH,
                "/api/v1/partners/brno",
                &json!({"population": 380000}),
            ),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    let mut own_event = event(Some(6), &[5], &[]);
    own_event["title"] = json!("Study visit to Brno");
    let hosted = app
        .send_as(&brno, request(Method::POST, "/api/v1/events", &own_event))
        .await;
    assert_eq!(hosted.status, 201, "{}", hosted.body);
    let hosted_uri = hosted.header("location").unwrap().to_string();
    assert_eq!(
        app.send_as(
            &brno,
            request(Method::PATCH, &hosted_uri, &json!({"title": "Brno hosts"}))
        )
        .await
        .status,
        200
    );
    // It may not hand the event to another host.
    app.send_as(
        &brno,
        request(Method::PATCH, &hosted_uri, &json!({"host_partner_id": 5})),
    )
    .await
    .assert_problem(403);
    let mut own_rec = recommendation(&[2], &[6]);
    own_rec["title"] = json!("Brno proposes");
    let proposed = app
        .send_as(
            &brno,
            request(Method::POST, "/api/v1/recommendations", &own_rec),
        )
        .await;
    assert_eq!(proposed.status, 201, "{}", proposed.body);
    let proposed_uri = proposed.header("location").unwrap().to_string();
    assert_eq!(
        app.send_as(
            &brno,
            request(
                Method::PATCH,
                &proposed_uri,
                &json!({"status": "published"})
            )
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.send_as(&brno, request(Method::DELETE, &proposed_uri, &Value::Null))
            .await
            .status,
        204
    );
    assert_eq!(
        app.send_as(&brno, request(Method::DELETE, &hosted_uri, &Value::Null))
            .await
            .status,
        204
    );
}

#[actix_web::test]
async fn drafts_are_visible_only_to_admins_and_their_proposers_on_every_read_path() {
    let app = seeded_app().await;
    let mut draft = recommendation(&[5], &[6]);
    draft["title"] = json!("Draft on governance");
    let mut published = recommendation(&[5], &[6]);
    published["title"] = json!("Published on governance");
    published["status"] = json!("published");
    let draft_uri = app
        .post("/api/v1/recommendations", draft)
        .await
        .header("location")
        .unwrap()
        .to_string();
    app.post("/api/v1/recommendations", published).await;
    // Brno (6) proposes both; Brussels is another partner.
    let proposer = app.new_key("brno", "partner:brno");
    let other = app.new_key("brussels", "partner:brussels-capital-region");
    let paths = [
        "/api/v1/recommendations",
        "/api/v1/recommendations?q=governance",
        "/api/v1/recommendations?status=draft,published",
        "/api/v1/partners/brno/recommendations",
        "/api/v1/thematic-areas/governance/recommendations",
    ];
    for uri in paths {
        for (who, key) in [("anonymous", None), ("another partner", Some(&other))] {
            let request = TestRequest::get().uri(uri);
            let reply = match key {
                None => app.send_anonymous(request).await,
                Some(key) => app.send_as(key, request).await,
            };
            assert_eq!(reply.status, 200, "{uri}");
            let titles: Vec<&str> = reply.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["title"].as_str().unwrap())
                .collect();
            assert!(
                !titles.contains(&"Draft on governance"),
                "{uri} {who}: {titles:?}"
            );
            assert!(titles.contains(&"Published on governance"), "{uri} {who}");
            assert_eq!(reply.body["meta"]["total"], titles.len(), "{uri} {who}");
        }
        for key in [&app.admin_key, &proposer] {
            let keyed = app.send_as(key, TestRequest::get().uri(uri)).await;
            let text = keyed.body.to_string();
            assert!(text.contains("Draft on governance"), "{uri} with a key");
        }
    }
    app.send_anonymous(TestRequest::get().uri(&draft_uri))
        .await
        .assert_problem(404);
    app.send_anonymous(TestRequest::get().uri("/api/v1/recommendations/draft-on-governance"))
        .await
        .assert_problem(404);
    assert_eq!(
        app.send_as(&proposer, TestRequest::get().uri(&draft_uri))
            .await
            .status,
        200
    );
    app.send_as(&other, TestRequest::get().uri(&draft_uri))
        .await
        .assert_problem(404);
    // Its history is for admins and its proposers.
    let history = format!("{draft_uri}/history");
    assert_eq!(
        app.send_as(&proposer, TestRequest::get().uri(&history))
            .await
            .status,
        200
    );
    app.send_as(&other, TestRequest::get().uri(&history))
        .await
        .assert_problem(404);
    for uri in [
        "/api/v1/recommendations.csv",
        "/api/v1/recommendations.ndjson",
        "/api/v1/export",
    ] {
        let anonymous = app.send_anonymous(TestRequest::get().uri(uri)).await;
        assert!(anonymous.text.contains("Published on governance"), "{uri}");
        assert!(!anonymous.text.contains("Draft on governance"), "{uri}");
        let others = app.send_as(&other, TestRequest::get().uri(uri)).await;
        assert!(others.text.contains("Published on governance"), "{uri}");
        assert!(!others.text.contains("Draft on governance"), "{uri}");
        for key in [&app.admin_key, &proposer] {
            let keyed = app.send_as(key, TestRequest::get().uri(uri)).await;
            assert!(
                keyed.text.contains("Draft on governance"),
                "{uri} with a key"
            );
        }
    }
}

#[actix_web::test]
async fn concurrent_writers_with_the_same_if_match_exactly_one_wins() {
    let app = seeded_app().await;
    let etag = app
        .get("/api/v1/partners/brno")
        .await
        .header("etag")
        .unwrap()
        .to_string();
    let racers = (1..=8).map(|n| {
        app.send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::IF_MATCH, etag.clone()))
                .set_json(json!({"population": n * 1000})),
        )
    });
    let replies = futures_util::future::join_all(racers).await;
    let winners: Vec<&crate::helpers::Reply> = replies.iter().filter(|r| r.status == 200).collect();
    assert_eq!(
        winners.len(),
        1,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(replies.iter().filter(|r| r.status == 412).count(), 7);
    let stored = app.get("/api/v1/partners/brno").await.body;
    assert_eq!(stored["population"], winners[0].body["population"]);
    let audit = app
        .get("/api/v1/audit?collection=partners&action=update")
        .await
        .body;
    assert_eq!(audit["meta"]["total"], 1, "one write, one audit row");
}

#[actix_web::test]
async fn every_write_is_in_the_audit_trail_with_before_and_after() {
    let app = seeded_app().await;
    let lille = app.new_key("lille-integration", "partner:lille-metropole");
    let created = app
        .send_as(
            &lille,
            request(Method::POST, "/api/v1/events", &event(Some(1), &[], &[])),
        )
        .await;
    let uri = created.header("location").unwrap().to_string();
    let id = created.body["id"].as_i64().unwrap();
    let updated = app
        .send_as(
            &lille,
            request(Method::PATCH, &uri, &json!({"title": "Lille hosts"})),
        )
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(app.delete(&uri).await.status, 204);
    app.patch("/api/v1/partners/brno", json!({"population": 380000}))
        .await;
    let trail = app.get("/api/v1/audit").await;
    assert_eq!(trail.status, 200, "{}", trail.body);
    let rows = trail.body["data"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let (create, update, delete, partner) = (&rows[0], &rows[1], &rows[2], &rows[3]);
    assert_eq!(
        (
            create["action"].as_str(),
            create["key_name"].as_str(),
            create["collection"].as_str()
        ),
        (Some("create"), Some("lille-integration"), Some("events"))
    );
    assert_eq!(create["record_id"], id);
    assert_eq!(create["before"], Value::Null);
    assert_eq!(create["after"], created.body);
    assert_eq!(update["before"], created.body);
    assert_eq!(update["after"], updated.body);
    assert_eq!(delete["before"], updated.body);
    assert_eq!(delete["after"], Value::Null);
    assert_eq!(delete["key_name"], "test-admin");
    assert_eq!(partner["before"]["population"], Value::Null);
    assert_eq!(partner["after"]["population"], 380000);
    assert!(chrono::DateTime::parse_from_rfc3339(create["at"].as_str().unwrap()).is_ok());
    // Filtered and paged like any list.
    for (query, total) in [
        ("collection=events".to_string(), 3),
        (format!("collection=events&record={id}"), 3),
        ("key=lille-integration".to_string(), 2),
        ("action=delete,create".to_string(), 2),
        (
            "from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z".to_string(),
            4,
        ),
        ("to=2000-01-01T00:00:00Z".to_string(), 0),
    ] {
        let page = app.get(&format!("/api/v1/audit?{query}")).await;
        assert_eq!(page.body["meta"]["total"], total, "{query}");
    }
    let page = app.get("/api/v1/audit?limit=3&sort=-at").await;
    assert_eq!(page.body["data"].as_array().unwrap().len(), 3);
    assert!(page.header("link").is_some());
    app.get("/api/v1/audit?from=yesterday")
        .await
        .assert_problem(400);
    // Admins only; histories for keys in scope.
    app.send_as(&lille, TestRequest::get().uri("/api/v1/audit"))
        .await
        .assert_problem(403);
    app.send_anonymous(TestRequest::get().uri("/api/v1/audit"))
        .await
        .assert_problem(401);
    let own = app
        .send_as(
            &lille,
            TestRequest::get().uri("/api/v1/partners/lille-metropole/history"),
        )
        .await;
    assert_eq!(own.status, 200);
    app.send_as(
        &lille,
        TestRequest::get().uri("/api/v1/partners/brno/history"),
    )
    .await
    .assert_problem(403);
    app.send_anonymous(TestRequest::get().uri("/api/v1/partners/brno/history"))
        .await
        .assert_problem(401);
    let brno = app.get("/api/v1/partners/brno/history").await;
    assert_eq!(brno.body["meta"]["total"], 1);
    // A deleted event's address is gone, history included (as schemathesis'
    // use-after-free check asks); admins read its trail in /audit.
    app.get(&format!("/api/v1/events/{id}/history"))
        .await
        .assert_problem(404);
    let deleted = app
        .get(&format!("/api/v1/audit?collection=events&record={id}"))
        .await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.body["meta"]["total"], 3);
    app.get("/api/v1/events/9999/history")
        .await
        .assert_problem(404);
    app.send_as(
        &lille,
        TestRequest::get().uri(&format!("/api/v1/events/{id}/history")),
    )
    .await
    .assert_problem(404);
    app.send_as(
        &lille,
        TestRequest::get().uri("/api/v1/thematic-areas/governance/history"),
    )
    .await
    .assert_problem(403);
}

#[actix_web::test]
async fn a_rejected_write_leaves_no_audit_row() {
    let app = seeded_app().await;
    app.post("/api/v1/partners", json!({"name": ""}))
        .await
        .assert_problem(422);
    app.post(
        "/api/v1/partners",
        json!({"name": "Brno", "city": "Brno", "country_code": "CZ"}),
    )
    .await
    .assert_problem(409);
    app.send(
        TestRequest::patch()
            .uri("/api/v1/partners/brno")
            .insert_header((header::IF_MATCH, "\"stale\""))
            .set_json(json!({"population": 1})),
    )
    .await
    .assert_problem(412);
    assert_eq!(app.get("/api/v1/audit").await.body["meta"]["total"], 0);
}

#[actix_web::test]
async fn a_key_over_its_write_rate_gets_429_with_retry_after() {
    use city_region_api::app::{AppConfig, build_app};
    use city_region_api::db::{Db, connect_and_migrate};
    let dir = tempfile::tempdir().unwrap();
    let path = crate::helpers::database_url(&dir, "rate.db");
    let path = path.as_str();
    let mut conn = connect_and_migrate(path).unwrap();
    let first = city_region_api::auth::keys::create(&mut conn, "first", "admin").unwrap();
    let second = city_region_api::auth::keys::create(&mut conn, "second", "admin").unwrap();
    let config = AppConfig::new(Vec::new(), std::num::NonZeroU32::MIN);
    let app = actix_web::test::init_service(build_app(Db::open(path, 1).unwrap(), config)).await;
    let write = |key: &str, n: usize| {
        TestRequest::post()
            .uri("/api/v1/thematic-areas")
            .insert_header((header::AUTHORIZATION, format!("Bearer {key}")))
            .set_json(json!({"name": format!("Theme {n}")}))
            .to_request()
    };
    // A rate of 1 a second allows a burst of 2: of six quick writes, the
    // first two pass and the rest are refused (a refill each second could
    // let one more through on a stalled machine, never all of them).
    let started = std::time::Instant::now();
    let mut statuses = Vec::new();
    let mut first_refusal = None;
    for n in 0..6 {
        let res = actix_web::test::call_service(&app, write(&first, n)).await;
        statuses.push(res.status().as_u16());
        if res.status() == 429 && first_refusal.is_none() {
            first_refusal = Some(res);
        }
    }
    let created = statuses.iter().filter(|s| **s == 201).count() as u64;
    assert_eq!(statuses[..2], [201, 201], "{statuses:?}");
    assert!(
        created <= 2 + started.elapsed().as_secs() + 1,
        "{statuses:?}"
    );
    let limited = first_refusal.unwrap_or_else(|| panic!("no 429 in {statuses:?}"));
    let retry: u64 = limited
        .headers()
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    assert_eq!(
        limited.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    // Another key has its own bucket; refused writes stored nothing.
    assert_eq!(
        actix_web::test::call_service(&app, write(&second, 99))
            .await
            .status(),
        201
    );
    let list = actix_web::test::call_service(
        &app,
        TestRequest::get()
            .uri("/api/v1/thematic-areas?limit=100")
            .to_request(),
    )
    .await;
    let body: Value = actix_web::test::read_body_json(list).await;
    assert_eq!(body["meta"]["total"], created + 1);
    // Reads are not limited.
    for _ in 0..5 {
        let read = TestRequest::get()
            .uri("/api/v1/partners")
            .insert_header((header::AUTHORIZATION, format!("Bearer {first}")));
        assert_eq!(
            actix_web::test::call_service(&app, read.to_request())
                .await
                .status(),
            200
        );
    }
}

#[test]
fn the_command_line_makes_lists_and_revokes_keys_and_stores_only_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_city-region-api"))
            .args(args)
            .env("DATABASE_URL", &db)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    assert!(run(&["seed"]).status.success());
    let made = run(&[
        "keys",
        "create",
        "--name",
        "brno-site",
        "--scope",
        "partner:brno",
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let stdout = String::from_utf8(made.stdout).unwrap();
    let key = stdout.lines().last().unwrap().to_string();
    assert!(key.starts_with("cra_") && key.len() > 40, "{key}");
    let listed = String::from_utf8(run(&["keys", "list"]).stdout).unwrap();
    assert!(
        listed.contains("brno-site\tpartner:brno\tcreated "),
        "{listed}"
    );
    assert!(listed.contains("last used never"), "{listed}");
    assert!(!listed.contains(&key[10..]), "the list never shows a key");
    // cra_<prefix>_<secret>: the secret may hold '_' itself.
    let (_, secret) = key["cra_".len()..].split_once('_').unwrap();
    let stored = std::fs::read(&db).unwrap();
    assert!(
        !stored.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "the secret is not stored"
    );
    for bad in [
        vec![
            "keys",
            "create",
            "--name",
            "x",
            "--scope",
            "partner:atlantis",
        ],
        vec!["keys", "create", "--name", "x", "--scope", "root"],
        vec!["keys", "create", "--name", "brno-site", "--scope", "admin"],
        vec!["keys", "revoke", "nobody"],
    ] {
        let out = run(&bad);
        assert!(!out.status.success(), "{bad:?} should fail");
    }
    assert!(run(&["keys", "revoke", "brno-site"]).status.success());
    let listed = String::from_utf8(run(&["keys", "list"]).stdout).unwrap();
    assert!(listed.contains("\trevoked "), "{listed}");
    // The name is free again once revoked.
    assert!(
        run(&["keys", "create", "--name", "brno-site", "--scope", "admin"])
            .status
            .success()
    );
}

#[actix_web::test]
async fn a_key_that_may_write_no_thematic_area_is_refused_before_anything_is_looked_up() {
    let app = seeded_app().await;
    let brno = app.new_key("brno-site", "partner:brno");
    let area = json!({"name": "Housing"});
    for (method, uri, body) in [
        (Method::PUT, "/api/v1/thematic-areas/99999", area.clone()),
        (Method::PATCH, "/api/v1/thematic-areas/nope", area.clone()),
        (Method::DELETE, "/api/v1/thematic-areas/99999", Value::Null),
        (Method::PUT, "/api/v1/thematic-areas/1", json!({"name": 5})),
        (Method::POST, "/api/v1/thematic-areas", json!({"name": 5})),
    ] {
        let reply = app
            .send_as(&brno, request(method.clone(), uri, &body))
            .await;
        reply.assert_problem(403);
        assert_eq!(
            reply.body["detail"], "This key may not write thematic areas.",
            "{method} {uri}"
        );
    }
    let history = app
        .send_as(
            &brno,
            TestRequest::get().uri("/api/v1/thematic-areas/1/history"),
        )
        .await;
    history.assert_problem(403);
    assert_eq!(
        history.body["detail"],
        "This key may not read a thematic area's history."
    );
}
