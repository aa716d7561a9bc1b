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

#[test]
fn an_empty_database_url_is_refused_at_start() {
    // Taken as a SQLite path, "" would give every pooled connection an
    // empty temporary database of its own: a server that answers every
    // request with a 500.
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_city-region-api"))
        .args(["serve", "--bind-address", "127.0.0.1:0"])
        .env("DATABASE_URL", "")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            server.kill().unwrap();
            panic!("the server started with an empty DATABASE_URL");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--database-url"), "{stderr}");
}
