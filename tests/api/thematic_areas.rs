//! `/api/v1/thematic-areas`: every operation, its headers and its rules.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::{empty_app, seeded_app};

#[actix_web::test]
async fn list_thematic_areas_pages_in_id_order() {
    let app = seeded_app().await;
    let first = app.get("/api/v1/thematic-areas?limit=5").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["meta"]["total"], 7);
    assert_eq!(first.body["data"].as_array().unwrap().len(), 5);
    let cursor = first.body["meta"]["next_cursor"].as_str().unwrap();
    assert!(first.header("link").unwrap().contains(cursor));
    let second = app
        .get(&format!("/api/v1/thematic-areas?limit=5&cursor={cursor}"))
        .await;
    let names: Vec<&str> = second.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Social inclusion, participation, empowerment",
            "Attractiveness and competitiveness"
        ]
    );
    assert_eq!(second.body["meta"]["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn thematic_area_lifecycle_create_get_patch_put_delete() {
    let app = empty_app().await;
    let created = app
        .post(
            "/api/v1/thematic-areas",
            json!({"name": "Urban regeneration", "position": 8}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["slug"], "urban-regeneration");
    let uri = created.header("location").unwrap().to_string();
    assert_eq!(
        uri,
        format!("/api/v1/thematic-areas/{}", created.body["id"])
    );

    let fetched = app.get("/api/v1/thematic-areas/urban-regeneration").await;
    assert_eq!(fetched.body, created.body);
    let etag = fetched.header("etag").unwrap().to_string();
    let not_modified = app
        .send(
            TestRequest::get()
                .uri(&uri)
                .insert_header((header::IF_NONE_MATCH, etag.clone())),
        )
        .await;
    assert_eq!(not_modified.status, 304);

    let patched = app
        .patch(&uri, json!({"description": "Brownfields and housing."}))
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.body["description"], "Brownfields and housing.");
    assert_eq!(patched.body["position"], 8);

    let replaced = app.put(&uri, json!({"name": "Urban regeneration"})).await;
    assert_eq!(replaced.status, 200);
    assert_eq!(replaced.body["description"], Value::Null);
    assert_eq!(replaced.body["position"], Value::Null);
    assert_eq!(replaced.body["slug"], "urban-regeneration");

    let stale = app
        .send(
            TestRequest::delete()
                .uri(&uri)
                .insert_header((header::IF_MATCH, etag)),
        )
        .await;
    stale.assert_problem(412);
    assert_eq!(app.delete(&uri).await.status, 204);
    app.get(&uri).await.assert_problem(404);
}

#[actix_web::test]
async fn create_thematic_area_rejects_bad_fields_and_changes_nothing() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    let cases = [
        (json!({}), vec!["name"]),
        (json!({"name": ""}), vec!["name"]),
        (json!({"name": "x".repeat(201)}), vec!["name"]),
        (json!({"name": "Housing", "position": -1}), vec!["position"]),
        (
            json!({"name": "Housing", "position": 1_000_001}),
            vec!["position"],
        ),
        (
            json!({"name": "Housing", "description": ""}),
            vec!["description"],
        ),
        (json!({"name": "Housing", "slug": "Housing"}), vec!["slug"]),
        (json!({"name": "Hous\u{0}ing"}), vec!["name"]),
        (
            json!({"name": "Housing", "description": "a\u{1b}[31m"}),
            vec!["description"],
        ),
        (
            json!({"name": "Housing", "updated_at": "2024-01-01T00:00:00Z", "colour": 1}),
            vec!["colour", "updated_at"],
        ),
    ];
    for (body, fields) in cases {
        let reply = app.post("/api/v1/thematic-areas", body.clone()).await;
        reply.assert_problem(422);
        assert_eq!(reply.fields_at_fault(), fields, "{body}");
    }
    app.post(
        "/api/v1/thematic-areas",
        json!({"name": "Housing", "position": "first"}),
    )
    .await
    .assert_problem(400);
    app.post("/api/v1/thematic-areas", json!({"name": "Governance"}))
        .await
        .assert_problem(409);
    app.patch(
        "/api/v1/thematic-areas/governance",
        json!({"slug": "knowledge-economy"}),
    )
    .await
    .assert_problem(409);
    app.patch("/api/v1/thematic-areas/governance", json!({"name": null}))
        .await
        .assert_problem(422);
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn thematic_areas_answer_404_for_unknown_ids_and_slugs() {
    let app = seeded_app().await;
    for uri in [
        "/api/v1/thematic-areas/77",
        "/api/v1/thematic-areas/housing",
    ] {
        app.get(uri).await.assert_problem(404);
        app.patch(uri, json!({"position": 1}))
            .await
            .assert_problem(404);
        app.put(uri, json!({"name": "Housing"}))
            .await
            .assert_problem(404);
        app.delete(uri).await.assert_problem(404);
    }
}
