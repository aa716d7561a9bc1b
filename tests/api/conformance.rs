//! Regressions for what schemathesis found where the server and its spec
//! disagreed (one test per class of fault); `checks/run` runs schemathesis
//! itself.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::{liege, seeded_app};

/// The spec's schema for a request body field.
fn input_property(schema: &str, field: &str) -> Value {
    let spec = crate::spec::spec_json();
    spec["components"]["schemas"][schema]["properties"][field].clone()
}

#[actix_web::test]
async fn if_match_is_read_by_the_rfc_9110_grammar_the_spec_states() {
    let app = seeded_app().await;
    let uri = "/api/v1/thematic-areas/mobility-management-and-transport";
    let etag = app.get(uri).await.header("etag").unwrap().to_string();
    let patch = |if_match: Vec<String>| {
        let mut req = TestRequest::patch()
            .uri(uri)
            .insert_header((header::CONTENT_TYPE, "application/merge-patch+json"))
            .set_payload(r#"{"position": 2}"#);
        for value in if_match {
            req = req.append_header((header::IF_MATCH, value));
        }
        req
    };
    // Not entity-tags: 400, as the header's pattern says.
    for bad in [
        "null",
        "abc",
        "\"unclosed",
        "W/abc",
        "*, \"a\"",
        "\"a\" \"b\"",
        ",",
    ] {
        app.send(patch(vec![bad.into()])).await.assert_problem(400);
    }
    // Well-formed tags that do not match: 412. A comma inside a tag is part
    // of it, and a weak tag never matches strongly.
    for stale in ["\"a,b\"", "W/\"x\", \"y\"", &format!("W/{etag}")] {
        app.send(patch(vec![stale.into()]))
            .await
            .assert_problem(412);
    }
    // The current tag anywhere in the list, across several fields, or `*`.
    // Each write changes `updated_at` (to the second), so each case reads
    // the tag anew.
    let lists: [fn(&str) -> Vec<String>; 3] = [
        |etag| vec![format!(" , \"other\",\t{etag} ,")],
        |etag| vec!["\"other\"".into(), etag.into()],
        |_| vec!["*".into()],
    ];
    for list in lists {
        let current = app.get(uri).await.header("etag").unwrap().to_string();
        let good = list(&current);
        let reply = app.send(patch(good.clone())).await;
        assert_eq!(reply.status, 200, "{good:?}: {}", reply.body);
    }
    let schema = &crate::spec::operation_parameter(
        "/api/v1/thematic-areas/{id}",
        "patch",
        "If-Match",
    )["schema"];
    assert_eq!(schema["type"], "string", "a header is never null");
    assert!(schema["pattern"].is_string());
}

#[actix_web::test]
async fn enum_values_are_written_and_read_as_the_spec_lists_them() {
    let app = seeded_app().await;
    let created = app
        .post(
            "/api/v1/partners",
            json!({"name": "Liège", "city": "Liège", "country_code": "BE", "role": "partner"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["role"], "partner");
    // The Rust spelling the spec once published is refused.
    let reply = app
        .post(
            "/api/v1/partners",
            json!({"name": "Namur", "city": "Namur", "country_code": "BE", "role": "Partner"}),
        )
        .await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["role"]);
}

#[actix_web::test]
async fn a_name_without_letters_still_makes_a_slug() {
    let app = seeded_app().await;
    for (name, slug) in [("2020", "thematic-area-2020"), ("***", "thematic-area")] {
        let reply = app
            .post("/api/v1/thematic-areas", json!({"name": name}))
            .await;
        assert_eq!(reply.status, 201, "{name}: {}", reply.body);
        assert_eq!(reply.body["slug"], slug);
    }
    // A second one would take the same slug: a conflict, as for any slug.
    app.post("/api/v1/thematic-areas", json!({"name": "!!!"}))
        .await
        .assert_problem(409);
}

#[actix_web::test]
async fn whole_numbers_written_with_a_fraction_are_whole_numbers() {
    let app = seeded_app().await;
    let mut body = liege();
    body["population"] = json!(625000.0);
    let reply = app.post("/api/v1/partners", body).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["population"], 625000);
    let area = app
        .post(
            "/api/v1/thematic-areas",
            json!({"name": "Housing", "position": 3.0}),
        )
        .await;
    assert_eq!(area.status, 201, "{}", area.body);
    assert_eq!(area.body["position"], 3);
    let rec = app
        .post(
            "/api/v1/recommendations",
            json!({"title": "One", "body": "Two", "target_level": "local", "thematic_area_ids": [1.0]}),
        )
        .await;
    assert_eq!(rec.status, 201, "{}", rec.body);
    // A real fraction is still the wrong type for a whole number.
    let mut body = liege();
    body["slug"] = json!("liege-2");
    body["population"] = json!(625000.5);
    app.post("/api/v1/partners", body).await.assert_problem(400);
}

#[actix_web::test]
async fn numbers_stay_within_the_bounds_the_spec_gives() {
    let app = seeded_app().await;
    let population = input_property("PartnerInput", "population");
    assert_eq!(population["maximum"], 9_007_199_254_740_991_i64);
    let mut body = liege();
    body["population"] = json!(9_007_199_254_740_992_i64);
    let reply = app.post("/api/v1/partners", body).await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["population"]);
    // Ids in relation fields: 1 to 2^31 - 1.
    let ids = input_property("RecommendationInput", "thematic_area_ids");
    let item = &ids["items"];
    let spec = crate::spec::spec_json();
    let record_id = item["$ref"]
        .as_str()
        .and_then(|r| crate::spec::resolve(&spec, r))
        .unwrap();
    assert_eq!(record_id["minimum"], 1);
    assert_eq!(record_id["maximum"], i32::MAX);
    for bad in [0, -1, i64::from(i32::MAX) + 1] {
        let reply = app
            .post(
                "/api/v1/recommendations",
                json!({"title": "One", "body": "Two", "target_level": "local", "thematic_area_ids": [bad]}),
            )
            .await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), ["thematic_area_ids"], "{bad}");
    }
}

#[actix_web::test]
async fn texts_refuse_control_characters_and_count_what_was_sent() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    for (field, value) in [
        ("name", "\u{0}".to_string()),
        ("name", "Li\u{0}ge".to_string()),
        ("city", "\u{7f}".to_string()),
        ("description", "ok\u{1b}[0m".to_string()),
        // 201 characters as sent, 200 once trimmed: too long, as the spec's
        // maxLength counts.
        ("name", format!(" {}", "x".repeat(200))),
        // Blank by every regex engine's reading of the spec's pattern.
        ("name", "\u{feff}\u{a0}".to_string()),
    ] {
        let mut body = liege();
        body[field] = json!(value);
        let reply = app.post("/api/v1/partners", body).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), [field], "{value:?}");
    }
    // Tabs and line breaks are text.
    let mut body = liege();
    body["description"] = json!("one\ttwo\r\nthree");
    assert_eq!(app.post("/api/v1/partners", body).await.status, 201);
    let mut after = app.snapshot().await;
    after["partners"]["data"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["slug"] != "liege-metropole");
    after["partners"]["meta"]["total"] = before["partners"]["meta"]["total"].clone();
    assert_eq!(before, after);
}

#[actix_web::test]
async fn urls_are_exactly_what_the_spec_pattern_allows() {
    let app = seeded_app().await;
    let pattern = input_property("PartnerInput", "website")["pattern"].clone();
    assert_eq!(pattern, city_region_api::rules::URL_PATTERN);
    assert_eq!(
        input_property("EventInput", "url")["pattern"],
        city_region_api::rules::URL_PATTERN
    );
    for bad in [
        "",
        " https://example.org",
        "https://example.org/a b",
        "https://1.2.3.999/",
        "https://x.org:99999/",
    ] {
        let mut body = liege();
        body["website"] = json!(bad);
        let reply = app.post("/api/v1/partners", body).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), ["website"], "{bad:?}");
    }
}

#[actix_web::test]
async fn an_empty_cursor_is_refused_as_the_spec_says() {
    let app = seeded_app().await;
    app.get("/api/v1/partners?cursor=")
        .await
        .assert_problem(400);
    let cursor = &crate::spec::operation_parameter("/api/v1/partners", "get", "cursor")["schema"];
    assert_eq!(cursor["minLength"], 1);
}

#[actix_web::test]
async fn list_parameters_take_what_their_schemas_allow() {
    let app = seeded_app().await;
    // A search with no word in it finds nothing, rather than failing.
    let reply = app.get("/api/v1/partners?q=%22%2A").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["meta"]["total"], 0);
    // A repeated sort field adds nothing.
    let once = app.get("/api/v1/partners?sort=name").await;
    let twice = app.get("/api/v1/partners?sort=name,-name").await;
    assert_eq!(twice.status, 200, "{}", twice.body);
    assert_eq!(once.body, twice.body);
    // Empty lists are refused, as each list's minItems says.
    for (uri, parameter) in [
        ("/api/v1/partners?country=", "country"),
        ("/api/v1/partners?sort=", "sort"),
        ("/api/v1/events?partner=", "partner"),
        ("/api/v1/audit?key=", "key"),
    ] {
        let reply = app.get(uri).await;
        reply.assert_problem(400);
        assert_eq!(reply.fields_at_fault(), [parameter], "{uri}");
    }
    for (path, name) in [
        ("/api/v1/partners", "country"),
        ("/api/v1/partners", "sort"),
        ("/api/v1/events", "partner"),
        ("/api/v1/audit", "key"),
    ] {
        let parameter = crate::spec::operation_parameter(path, "get", name);
        assert_eq!(parameter["schema"]["minItems"], 1, "{path} {name}");
    }
    // Filter items that are neither an id nor a slug: 400, as the item
    // pattern says.
    let items = crate::spec::operation_parameter("/api/v1/events", "get", "partner");
    assert_eq!(
        items["schema"]["items"]["$ref"],
        "#/components/schemas/IdOrSlug"
    );
    app.get("/api/v1/events?partner=L%C3%A9a")
        .await
        .assert_problem(400);
}

#[actix_web::test]
async fn a_bad_body_is_refused_for_itself_whatever_its_if_match() {
    let app = seeded_app().await;
    let uri = "/api/v1/partners/brno";
    let stale = "\"3f2a9c0b1d4e5f6a7b8c9d0e\"";
    let send = |body: &'static str| {
        TestRequest::patch()
            .uri(uri)
            .insert_header((header::CONTENT_TYPE, "application/merge-patch+json"))
            .insert_header((header::IF_MATCH, stale))
            .set_payload(body)
    };
    app.send(send(r#"{"population": "many"}"#))
        .await
        .assert_problem(400);
    let reply = app.send(send(r#"{"population": -5}"#)).await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["population"]);
    // A good body with a stale tag: the precondition speaks.
    app.send(send(r#"{"population": 5}"#))
        .await
        .assert_problem(412);
}

#[actix_web::test]
async fn problem_titles_are_rfc_9110_reason_phrases() {
    let app = seeded_app().await;
    let reply = app
        .post(
            "/api/v1/thematic-areas",
            json!({"name": "Housing", "position": -1}),
        )
        .await;
    reply.assert_problem(422);
    assert_eq!(reply.body["title"], "Unprocessable Content");
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(1_100_000));
    let reply = app
        .send(
            TestRequest::post()
                .uri("/api/v1/thematic-areas")
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .set_payload(big),
        )
        .await;
    reply.assert_problem(413);
    assert_eq!(reply.body["title"], "Content Too Large");
}

#[actix_web::test]
async fn a_history_takes_only_the_filters_its_path_leaves_open() {
    let app = seeded_app().await;
    let spec = crate::spec::spec_json();
    let names: Vec<&str> = spec["paths"]["/api/v1/partners/{id}/history"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "id", "limit", "cursor", "key", "action", "from", "to", "sort"
        ]
    );
    let reply = app
        .get("/api/v1/partners/brno/history?collection=events")
        .await;
    reply.assert_problem(400);
    assert_eq!(reply.fields_at_fault(), ["collection"]);
    assert_eq!(
        app.get("/api/v1/partners/brno/history?action=create")
            .await
            .status,
        200
    );
}
