//! Service routes and cross-cutting headers.

use actix_web::test::TestRequest;

use crate::helpers::seeded_app;

#[actix_web::test]
async fn health_and_ready_answer() {
    let app = seeded_app().await;
    let health = app.get("/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], "ok");
    let ready = app.get("/ready").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["status"], "ready");
}

#[actix_web::test]
async fn every_response_has_a_request_id_and_a_sent_one_is_echoed() {
    let app = seeded_app().await;
    let generated: Vec<String> = [
        app.get("/health").await,
        app.get("/api/v1/partners/brno").await,
        app.get("/no/such/route").await,
    ]
    .iter()
    .map(|r| r.header("x-request-id").expect("X-Request-Id").to_string())
    .collect();
    assert!(
        generated.iter().all(|id| uuid::Uuid::parse_str(id).is_ok()),
        "{generated:?}"
    );
    assert_ne!(generated[0], generated[1]);
    let echoed = app
        .send(
            TestRequest::get()
                .uri("/api/v1/partners")
                .insert_header(("x-request-id", "trace-abc-123")),
        )
        .await;
    assert_eq!(echoed.header("x-request-id"), Some("trace-abc-123"));
    // One with spaces or control characters is replaced, not echoed.
    let replaced = app
        .send(
            TestRequest::get()
                .uri("/health")
                .insert_header(("x-request-id", "two words")),
        )
        .await;
    assert_ne!(replaced.header("x-request-id"), Some("two words"));
    assert!(uuid::Uuid::parse_str(replaced.header("x-request-id").unwrap()).is_ok());
}

#[actix_web::test]
async fn swagger_ui_is_served_offline_and_docs_redirects_to_it() {
    let app = seeded_app().await;
    let redirect = app.get("/docs").await;
    assert!(redirect.status.is_redirection());
    assert_eq!(redirect.header("location"), Some("/docs/"));
    let page = app.get("/docs/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.as_str().unwrap().contains("swagger-ui"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status, 200);
}

#[actix_web::test]
async fn health_and_ready_refuse_unknown_query_parameters_like_every_route() {
    let app = seeded_app().await;
    for uri in ["/health?probe=1", "/ready?x"] {
        let reply = app.get(uri).await;
        reply.assert_problem(400);
    }
}

#[actix_web::test]
async fn the_explorer_is_served_at_the_root_with_its_scripts_and_a_page_policy() {
    let app = seeded_app().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.text
            .contains(r#"<script type="module" src="/explorer/app.js">"#)
    );
    let policy = page.header("content-security-policy").expect("a CSP");
    assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"));
    assert!(page.header("etag").is_some());
    for (asset, kind) in [
        ("app.js", "text/javascript"),
        ("views.js", "text/javascript"),
        ("api.js", "text/javascript"),
        ("europe.js", "text/javascript"),
        ("style.css", "text/css"),
    ] {
        let reply = app.get(&format!("/explorer/{asset}")).await;
        assert_eq!(reply.status, 200, "{asset}");
        assert!(
            reply.header("content-type").unwrap().starts_with(kind),
            "{asset}"
        );
        assert!(!reply.text.is_empty());
    }
    // Every module the page imports is served.
    for script in ["app.js", "views.js"] {
        let text = app.get(&format!("/explorer/{script}")).await.text;
        for import in text.lines().filter_map(|l| l.split("from './").nth(1)) {
            let name = import.split('\'').next().unwrap();
            assert_eq!(
                app.get(&format!("/explorer/{name}")).await.status,
                200,
                "{name}"
            );
        }
    }
    app.get("/explorer/nope.js").await.assert_problem(404);
}
