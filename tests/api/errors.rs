//! Every error class of the contract is a problem+json body with the right
//! status, whether it comes from our handlers or from actix itself.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::json;

use crate::helpers::{liege, seeded_app};

#[actix_web::test]
async fn malformed_json_and_non_object_bodies_are_400() {
    let app = seeded_app().await;
    let before = app.snapshot().await;
    for payload in [
        "{",
        "{\"name\": }",
        "",
        "null",
        "[]",
        "\"Lille\"",
        "42",
        "{\"name\": \"a\"} trailing",
        &"[".repeat(1000),
    ] {
        let reply = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/partners")
                    .insert_header((header::CONTENT_TYPE, "application/json"))
                    .set_payload(payload.to_string()),
            )
            .await;
        reply.assert_problem(400);
    }
    assert_eq!(app.snapshot().await, before);
}

#[actix_web::test]
async fn a_body_that_is_not_json_is_415() {
    let app = seeded_app().await;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = TestRequest::post()
            .uri("/api/v1/partners")
            .set_payload(liege().to_string());
        if let Some(content_type) = content_type {
            req = req.insert_header((header::CONTENT_TYPE, content_type));
        }
        app.send(req).await.assert_problem(415);
    }
}

#[actix_web::test]
async fn a_body_over_one_mebibyte_is_413_and_one_just_under_is_read() {
    let app = seeded_app().await;
    let mut body = liege();
    body["description"] = json!("x".repeat(1 << 20));
    app.post("/api/v1/partners", body.clone())
        .await
        .assert_problem(413);
    // Just under the limit: read, then refused for its length (a 422, not a 413).
    body["description"] = json!("x".repeat((1 << 20) - 400));
    let reply = app.post("/api/v1/partners", body).await;
    reply.assert_problem(422);
    assert_eq!(reply.fields_at_fault(), ["description"]);
}

#[actix_web::test]
async fn unknown_routes_are_404_problems() {
    let app = seeded_app().await;
    for uri in [
        "/api",
        "/api/v1",
        "/api/v2/partners",
        "/api/v1/partners/brno/extra",
        "/api/v1/partners/",
        "/api/v1/cities",
    ] {
        app.get(uri).await.assert_problem(404);
    }
}

#[actix_web::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = seeded_app().await;
    let cases = [
        (
            TestRequest::delete().uri("/api/v1/partners"),
            "GET, HEAD, POST",
        ),
        (
            TestRequest::put().uri("/api/v1/thematic-areas"),
            "GET, HEAD, POST",
        ),
        (
            TestRequest::post().uri("/api/v1/partners/brno"),
            "GET, HEAD, PUT, PATCH, DELETE",
        ),
        (TestRequest::post().uri("/health"), "GET, HEAD"),
    ];
    for (req, allow) in cases {
        let reply = app.send(req).await;
        reply.assert_problem(405);
        assert_eq!(reply.header("allow"), Some(allow));
    }
}

#[actix_web::test]
async fn bad_query_parameters_are_400_naming_the_parameter() {
    let app = seeded_app().await;
    let cases = [
        ("limit=0", vec!["limit"]),
        ("limit=1000", vec!["limit"]),
        ("limit=101", vec!["limit"]),
        ("limit=ten", vec!["limit"]),
        ("limit=-3", vec!["limit"]),
        ("cursor=forged", vec!["cursor"]),
        ("cursor=WzEsMl0", vec!["cursor"]),
        ("sort=colour", vec!["sort"]),
        ("sort=-", vec!["sort"]),
        ("q=", vec!["q"]),
        ("limit=5&limit=6", vec!["limit"]),
        ("limit=0&colour=blue", vec!["limit", "colour"]),
    ];
    for collection in ["partners", "thematic-areas"] {
        for (query, fields) in &cases {
            let reply = app.get(&format!("/api/v1/{collection}?{query}")).await;
            reply.assert_problem(400);
            assert_eq!(&reply.fields_at_fault(), fields, "{collection}?{query}");
        }
    }
    assert_eq!(app.get("/api/v1/partners?limit=100").await.status, 200);
    assert_eq!(app.get("/api/v1/partners?limit=1").await.status, 200);
}

#[actix_web::test]
async fn odd_paths_queries_and_numbers_never_cause_a_server_error() {
    let app = seeded_app().await;
    for uri in [
        "/api/v1/partners/%FF",
        "/api/v1/partners/%00",
        "/api/v1/partners/..%2F..%2Fetc",
        "/api/v1/partners/-1",
        "/api/v1/partners/1e3",
        "/api/v1/partners?limit=%FF",
        "/api/v1/partners?%FF=1",
        "/api/v1/partners?limit=99999999999999999999",
        "/api/v1/partners?cursor=",
        "/api/v1/thematic-areas/%E2%82%AC",
    ] {
        let reply = app.get(uri).await;
        assert!(reply.status.is_client_error(), "{uri}: {}", reply.status);
        reply.assert_problem(reply.status.as_u16());
    }
    for body in [
        r#"{"name": "Liège", "city": "Liège", "country_code": "BE", "population": 1e400}"#,
        r#"{"name": "Liège", "city": "Liège", "country_code": "BE", "population": 99999999999999999999}"#,
        r#"{"name": "Liège", "city": "Liège", "country_code": "BE", "latitude": 1e308, "longitude": -1e308}"#,
        r#"{"name": "\u0000", "city": "Liège", "country_code": "BE"}"#,
        r#"{"name": "\ud800", "city": "Liège", "country_code": "BE"}"#,
    ] {
        let reply = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/partners")
                    .insert_header((header::CONTENT_TYPE, "application/json"))
                    .set_payload(body),
            )
            .await;
        assert!(
            reply.status.is_client_error() || reply.status == 201,
            "{body}: {}",
            reply.status
        );
        if reply.status != 201 {
            reply.assert_problem(reply.status.as_u16());
        }
    }
}
